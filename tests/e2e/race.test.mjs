// Race mode (issue 9) in headless Chromium: a 4-run optimizer race built from
// the UI trains in lock-step from the same initial weights, draws one series
// per run with a legend naming the difference, marks a live learning-rate
// change, is reproduced bit for bit from its link, comes back after a reload
// and fits a 1280×720 projector in classroom view. Also: the page recovers
// from a crash of the training engine; bad race links and typed runs get the
// core's message (the core parses the form) and nothing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, openPlayground, ready, shot, waitFor, link } from './playground-lib.mjs';

const RUNS = ['optimizer:sgd(learning_rate=0.01)', 'optimizer:sgd(learning_rate=0.01,momentum=0.9)', 'optimizer:rmsprop',
  'optimizer:adam'];
const LABELS = ['sgd lr=0.01', 'sgd lr=0.01 momentum=0.9', 'rmsprop', 'adam'];

/** Race run records (not the main run) from the store. */
const raceRuns = (page) => page.evaluate(() => window.gradlab.store.get().runs.filter((r) => r.id !== 'main')
  .map((r) => ({ id: r.id, step: r.step, running: r.running, built: r.built, building: r.building, label: r.label })));
const allBuilt = (page, n) => waitFor(page, (k) => {
  const rs = window.gradlab.store.get().runs.filter((r) => r.id !== 'main');
  return rs.length === k && rs.every((r) => r.built && !r.building && !r.running);
}, n, 120_000);
const hashes = (page) => page.evaluate(async () => {
  const g = window.gradlab;
  const ids = g.race.race.runs.map((r) => r.id);
  return Promise.all(ids.map((id) => g.session.runs.hash(id)));
});
/** Clicks a race step button and waits until every run reached `target` steps. */
async function stepTo(page, button, target) {
  await page.click(button);
  await waitFor(page, (t) => window.gradlab.store.get().runs.filter((r) => r.id !== 'main').every((r) => r.step === t),
    target, 120_000);
}

test('a 4-run optimizer race: same start, lock-step, overlaid series, live LR marker, link and reload reproduce it, classroom fits', async () => {
  const b = await openPlayground({ hash: link({ epochs: 3 }) });
  const { page } = b;
  try {
    for (const text of RUNS) {
      await page.fill('#race-add-text', text);
      await page.click('#race-add');
      await waitFor(page, (t) => new URLSearchParams(location.search).get('race')?.endsWith(t), text);
    }
    await allBuilt(page, 4);
    assert.deepEqual((await raceRuns(page)).map((r) => r.label), LABELS);
    const held = await page.evaluate(() => window.gradlab.engine.request('stats'));
    assert.equal(held.runs, 5, 'the experiment on screen and four race runs');
    assert.equal(held.datasets, 1, 'five runs on MNIST (seed 42) share one copy of the data');

    // Step 1: the first batch's loss is computed before any update, so it is the same for every optimizer.
    await stepTo(page, '#race-step1', 1);
    const first = await page.evaluate(() => window.gradlab.race.race.runs.map((r) => window.gradlab.runLosses.get(r.id)[0]));
    assert.equal(first.length, 4);
    assert.ok(first.every((l) => l === first[0]), `step-1 losses differ: ${first}`);
    await stepTo(page, '#race-step10', 11);
    await stepTo(page, '#race-step10', 21);
    const h1 = await hashes(page);
    assert.equal(new Set(h1).size, 4, 'four optimizers give four different weights');

    // Lock-step: started together, paused together, every run at the same step.
    await page.click('#race-start');
    await waitFor(page, () => window.gradlab.store.get().runs.filter((r) => r.id !== 'main').every((r) => r.step > 60), undefined, 120_000);
    await page.click('#race-pause');
    await waitFor(page, () => window.gradlab.store.get().runs.every((r) => !r.running));
    const steps = (await raceRuns(page)).map((r) => r.step);
    assert.ok(steps.every((s) => s === steps[0]), `runs not in lock-step: ${steps}`);

    // One series per run (validation kept out of the legend), legend naming the difference.
    const names = await page.evaluate(() => window.gradlab.race.charts().loss.seriesNames().filter((n) => !n.includes(':')));
    assert.equal(names.length, 4);
    const legend = await page.locator('#race-chart-loss .gl-chart-key').allTextContents();
    assert.deepEqual(legend, LABELS);

    // Hovering the chart shows every run's value at that step.
    const box = await page.locator('#race-chart-loss canvas').boundingBox();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    const tip = await waitFor(page, () => {
      const t = document.querySelector('#race-chart-loss .gl-chart-tip');
      return t && !t.hidden && t.textContent;
    });
    for (const label of LABELS) assert.ok(tip.includes(`${label}:`) || tip.includes(`${label} (`), `tooltip lacks ${label}: ${tip}`);
    await page.mouse.move(0, 0);

    // Live learning-rate change of run 2: a `set`, marked on the charts at the next step.
    const run2 = await page.evaluate(() => window.gradlab.race.race.runs[1].id);
    await page.fill(`#race-table input[data-run="${run2}"][data-key="learning_rate"]`, '0.1');
    await page.press(`#race-table input[data-run="${run2}"][data-key="learning_rate"]`, 'Enter');
    const marks = await waitFor(page, () => {
      const m = window.gradlab.race.charts().loss.markers();
      return m.length && m;
    });
    assert.equal(marks[0].x, steps[0] + 1);
    assert.match(marks[0].label, /sgd lr=0\.01 momentum=0\.9: lr → 0\.1/);
    await shot(page, 'race', { fullPage: false });

    // Sorting by a column reorders the rows.
    await page.click('#race-table th[data-key="loss"] button');
    assert.equal(await page.locator('#race-table th[data-key="loss"]').getAttribute('aria-sort'), 'ascending');

    // The link reproduces the race: same runs, and 21 steps give the same weights, bit for bit.
    const url = await page.evaluate(() => location.href);
    assert.match(url, /\?race=optimizer:sgd\(learning_rate=0\.01\)\|/);
    await page.goto('about:blank');
    await page.goto(url);
    await ready(page);
    await allBuilt(page, 4);
    await stepTo(page, '#race-step1', 1);
    await stepTo(page, '#race-step10', 11);
    await stepTo(page, '#race-step10', 21);
    assert.deepEqual(await hashes(page), h1);

    // Reload without the race in the link: the last race comes back from IndexedDB.
    await page.goto('about:blank');
    await page.goto(`${b.server.url}${link({ epochs: 3 })}`);
    await ready(page);
    await allBuilt(page, 4);
    assert.deepEqual((await raceRuns(page)).map((r) => r.label), LABELS);

    // Classroom view with the most runs a race has: no scrolling at 1280×720 (nor 1920×1080); Space starts and pauses.
    for (const text of ['optimizer:adagrad(learning_rate=0.01)', 'optimizer:sgd(learning_rate=0.01,momentum=0.9,nesterov=true)']) {
      await page.fill('#race-add-text', text);
      await page.click('#race-add');
    }
    await allBuilt(page, 6);
    await stepTo(page, '#race-step10', 10);
    for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(viewport);
      if (!await page.evaluate(() => document.body.classList.contains('classroom'))) await page.click('#classroom-toggle');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const scroll = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, ch: document.documentElement.clientHeight,
        w: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
      assert.ok(scroll.h <= scroll.ch + 1, `vertical scroll at ${viewport.width}×${viewport.height}: ${scroll.h} > ${scroll.ch}`);
      assert.ok(scroll.w <= scroll.cw + 1, `horizontal scroll at ${viewport.width}×${viewport.height}`);
      const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#race-table td[data-key="step"]')).fontSize));
      assert.ok(size >= 24, `numbers ${size}px`);
      await shot(page, `race-classroom-${viewport.width}`, { fullPage: false });
    }
    assert.match(await page.evaluate(() => location.search), /classroom/);
    await page.locator('body').focus();
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press(' ');
    await waitFor(page, () => window.gradlab.store.get().runs.some((r) => r.running));
    await page.keyboard.press(' ');
    await waitFor(page, () => window.gradlab.store.get().runs.every((r) => !r.running));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('after a crash of the training engine the page restarts it, rebuilds every run and says so', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'xor', layers: 'Dense(8,tanh);Dense(2,softmax)', epochs: 500,
    validation_split: 0, batch_size: 4 }) });
  const { page } = b;
  try {
    await page.fill('#race-add-text', 'optimizer:adam(learning_rate=0.1)');
    await page.click('#race-add');
    await allBuilt(page, 1);
    await page.click('#step');
    await waitFor(page, () => window.gradlab.store.get().step === 1);
    await page.evaluate(() => window.gradlab.crash());
    const msg = await waitFor(page, () => window.gradlab.store.get().runError?.includes('restarted') && window.gradlab.store.get().runError);
    assert.match(msg, /The training engine stopped on an internal error .*unreachable.* and was restarted/);
    await waitFor(page, () => window.gradlab.engine.restarts === 1);
    await allBuilt(page, 1);
    await ready(page);
    // Both runs train again in the new worker.
    await page.click('#step');
    await waitFor(page, () => window.gradlab.store.get().step >= 1);
    await stepTo(page, '#race-step1', 1);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('"Download results" gives every run\'s per-epoch history as CSV; End race removes the runs', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'xor', layers: 'Dense(8,tanh);Dense(2,softmax)', epochs: 500,
    validation_split: 0, batch_size: 4, optimizer: 'sgd(learning_rate=0.1)' }) });
  const { page } = b;
  try {
    await page.click('#race-lr');
    await allBuilt(page, 3);
    assert.deepEqual((await raceRuns(page)).map((r) => r.label), ['lr=0.01', 'lr=0.1', 'lr=1']);
    await stepTo(page, '#race-step10', 10);   // xor: 4 samples, batch 4 → one batch per epoch
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#race-csv')]);
    assert.equal(download.suggestedFilename(), 'gradlab-race-xor.csv');
    const lines = (await (await import('node:fs/promises')).readFile(await download.path(), 'utf8')).trim().split('\n');
    assert.equal(lines[0], 'run,label,epoch,loss,accuracy,lr');
    assert.equal(lines.length, 1 + 3 * 10);
    const first = lines[1].split(',');
    assert.deepEqual(first.slice(0, 3), ['1', 'lr=0.01', '1']);
    assert.ok(Number(first[3]) > 0 && Number(first[4]) >= 0 && Math.abs(Number(first[5]) - 0.01) < 1e-8, lines[1]);
    assert.match(lines.at(-1), /^3,lr=1,10,/);
    // The experiment on screen changes: the race says so and rebuilds from it when asked.
    await page.evaluate((h) => { location.hash = h; }, link({ dataset: 'xor', layers: 'Dense(8,tanh);Dense(2,softmax)', epochs: 300,
      validation_split: 0, batch_size: 4, optimizer: 'sgd(learning_rate=0.1)' }));
    await page.locator('#race-rebase').waitFor({ state: 'visible' });
    await page.click('#race-rebuild');
    await allBuilt(page, 3);
    await page.locator('#race-rebase').waitFor({ state: 'hidden' });
    assert.ok((await raceRuns(page)).every((r) => r.step === 0));
    assert.equal(await page.evaluate(() => window.gradlab.race.race.base.epochs), 300);
    await page.click('#race-clear');
    await waitFor(page, () => window.gradlab.store.get().runs.length === 1 && !new URLSearchParams(location.search).has('race'));
    assert.equal(await page.locator('#race-body').isHidden(), true);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('a bad race link says which run and what to change and keeps the link; a bad typed run says so too (the core parses both)', async () => {
  const hash = link({ dataset: 'xor', layers: 'Dense(8,tanh);Dense(2,softmax)', epochs: 5, validation_split: 0, batch_size: 4,
    optimizer: 'sgd(learning_rate=0.1)' });
  const b = await open();
  const { page } = b;
  const raceError = () => page.evaluate(() => document.getElementById('race-error').textContent);
  try {
    await page.goto(`${b.server.url}?race=optimizer:adam|colour:red${hash}`);
    await ready(page);
    await page.locator('#race-error').waitFor({ state: 'visible' });
    assert.match(await raceError(), /^This link's race could not be read: run 2: unknown field "colour" \(use optimizer, loss, batch_size/);
    assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('race'), 'optimizer:adam|colour:red',
      'the link is kept as it was');
    assert.equal(await page.evaluate(() => window.gradlab.race.race), null);
    // Every request to the worker from here on: adding a run asks the core once (`run-add`: the text parsed once).
    await page.evaluate(() => {
      const engine = window.gradlab.engine;
      const request = engine.request.bind(engine);
      window.raceAsks = [];
      engine.request = (type, ...rest) => { window.raceAsks.push(type); return request(type, ...rest); };
    });
    const raceAsks = () => page.evaluate(() => window.raceAsks.filter((t) => /^(race|run)-/.test(t)));
    // A typed run: its number in the race it would join.
    await page.fill('#race-add-text', 'batch_size:0');
    await page.click('#race-add');
    await waitFor(page, () => /run 1: batch_size must be a whole number ≥ 1 \(got "0"\)/.test(document.getElementById('race-error').textContent));
    await page.fill('#race-add-text', 'optimizer:adam(learning_rate=0.01)');
    await page.click('#race-add');
    await allBuilt(page, 1);
    assert.equal(await page.locator('#race-error').isHidden(), true);
    assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('race'), 'optimizer:adam(learning_rate=0.01)');
    await page.fill('#race-add-text', 'dropout[0]:2');
    await page.click('#race-add');
    await waitFor(page, () => /run 2: a dropout rate must be in \[0, 1\) \(got "2"\)/.test(document.getElementById('race-error').textContent));
    assert.equal((await raceRuns(page)).length, 1, 'the race is as it was');
    assert.deepEqual(await raceAsks(), ['run-add', 'run-add', 'run-add'], 'one request to the core per run added');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
