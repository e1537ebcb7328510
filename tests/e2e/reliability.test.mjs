// Nothing is lost, nothing is silently wrong (issue 15 items 11, 15/24, 19/20;
// issue 9's race leftovers), in headless Chromium:
// - offline, a dataset that is not in the offline copy says so, clears the
//   previous dataset's previews, and the page stays usable;
// - SGD at lr 10 with cross-entropy shows the core's "at chance" warning;
// - a reload mid-epoch (after the page was hidden) restores the run and its
//   curve; a diverged model never replaces the last good save;
// - adding a run to a race keeps the others where they are;
// - after a crash each race run comes back from its snapshot, not fresh
//   (a stuck worker: watchdog.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, openPlayground, ready, state, waitFor, link } from './playground-lib.mjs';

const raceRuns = (page) => page.evaluate(() => window.gradlab.store.get().runs.filter((r) => r.id !== 'main')
  .map((r) => ({ id: r.id, step: r.step, label: r.label, built: r.built })));
const allBuilt = (page, n) => waitFor(page, (k) => {
  const rs = window.gradlab.store.get().runs.filter((r) => r.id !== 'main');
  return rs.length === k && rs.every((r) => r.built && !r.building && !r.running);
}, n, 120_000);
const stepTo = (page, button, target) => page.click(button).then(() => waitFor(page,
  (t) => window.gradlab.store.get().runs.filter((r) => r.id !== 'main').every((r) => r.step === t), target, 120_000));
const hashOf = (page, id) => page.evaluate((i) => window.gradlab.session.runs.hash(i), id);

test('offline: a dataset missing from the offline copy says so; previews and draw note follow; going back works', async () => {
  const b = await open({ coi: true });
  const { page } = b;
  try {
    await page.addInitScript(() => {
      window.__GRADLAB_TEST__ = true;
      window.addEventListener('gradlab-offline-ready', (e) => { window.__offline = e.detail; });
    });
    await page.goto(b.server.url + link({ dataset: 'digits', layers: 'Flatten;Dense(32,relu);Dense(10,softmax)' }));
    await ready(page);
    assert.equal((await waitFor(page, () => window.__offline)).error, undefined);
    await b.context.setOffline(true);
    await page.reload();
    await ready(page);
    // The previews are asked for once the model is configured: they may come just after Start is enabled.
    await waitFor(page, () => document.querySelectorAll('#samples canvas').length === 8);   // the digits previews (8×8), offline

    await page.selectOption('#dataset', 'mnist-full');
    const msg = await waitFor(page, () => window.gradlab.store.get().buildError, undefined, 120_000);
    assert.equal(msg, 'MNIST digits, full (60,000 train / 10,000 test) is not available offline: connect once to '
      + 'download it (11 MB)');
    assert.match(await page.locator('#problems').textContent(), /is not available offline/);
    assert.doesNotMatch(await page.locator('#problems').textContent(), /Failed to fetch/);
    await waitFor(page, () => document.querySelectorAll('#samples canvas').length === 0);
    assert.match(await page.locator('#draw-note').textContent(), /^There is no model to read a drawing: MNIST digits, full .* not available offline/);
    assert.equal(await page.evaluate(() => window.gradlab.store.get().dataInfo), null);

    await page.selectOption('#dataset', 'digits');
    await ready(page);
    await waitFor(page, () => document.querySelectorAll('#samples canvas').length === 8);
    const s = await state(page);
    assert.equal(s.dataInfo.name, 'digits');
    await page.click('#step');
    await waitFor(page, () => window.gradlab.store.get().step === 1);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.context.setOffline(false).catch(() => {});
    await b.close();
  }
});

test('SGD at lr 10 with cross-entropy: the page warns that the run is stuck at chance and says what to change, in a race on its row', async () => {
  const b = await openPlayground({ hash: link({ layers: 'Flatten;Dense(32,relu);Dense(10,softmax)', optimizer: 'sgd(learning_rate=10)',
    // Many epochs: the warning comes after the first, and the run must still be going when Stop is pressed
    // (with 3 epochs a quiet machine finished the run first and Stop was disabled).
    batch_size: 128, epochs: 50, validation_split: 0 }) });
  const { page } = b;
  try {
    assert.equal(await page.locator('#run-diagnosis').isHidden(), true, 'no warning before training');
    await page.click('#start');
    const text = await waitFor(page, () => {
      const el = document.getElementById('run-diagnosis');
      return !el.hidden && el.textContent;
    }, undefined, 600_000);
    assert.match(text, /^⚠ The loss is stuck at .* and accuracy at chance \(\d+%\): the model predicts one class\. The learning rate 10 is far too high for sgd; try 0\.01–0\.1\.$/);
    const st = await state(page);
    assert.ok(st.epoch >= 1, `only after an epoch ended (epoch ${st.epoch})`);
    await page.click('#stop');
    // In a race the warning is on the run's row.
    await page.fill('#race-add-text', 'optimizer:sgd(learning_rate=10)');
    await page.click('#race-add');
    await waitFor(page, () => window.gradlab.store.get().runs.some((r) => r.id !== 'main' && r.built && !r.building), undefined, 120_000);
    await page.click('#race-step-epoch');
    await waitFor(page, () => /⚠ The loss is stuck at .* accuracy at chance/.test(document.getElementById('race-table').textContent),
      undefined, 600_000);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('autosave: a reload mid-epoch after the page was hidden restores the run and its curve; a divergence keeps the last good save', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'diabetes', layers: 'Dense(16,relu);Dense(1)', loss: 'mean_squared_error',
    optimizer: 'adam(learning_rate=0.01)', batch_size: 4, epochs: 50, validation_split: 0 }) });
  const { page } = b;
  try {
    // 10 of the epoch's 89 batches (442 × 0.8 train / 4), then the page is hidden (tab switch, app switch).
    await page.click('#step10');
    await waitFor(page, () => window.gradlab.store.get().step === 10);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(page, () => /step 10\b/.test(document.getElementById('keep-status').textContent));
    await page.reload();
    await ready(page);
    await waitFor(page, () => /Restored your model/.test(document.getElementById('keep-status').textContent));
    assert.equal((await state(page)).step, 10);
    assert.equal(await page.evaluate(() => window.gradlab.watch.charts().loss.pointCount('train')), 10, 'the curve came back');

    // Divergence: a learning rate of 1e6 blows the loss up; the save from step 10 must stay.
    await page.evaluate(() => window.gradlab.session.setLive({ learning_rate: 1e6 }));
    await page.click('#start');
    const err = await waitFor(page, () => {
      const s = window.gradlab.store.get();
      return (s.runError || (s.diagnosis?.kind === 'diverged' && s.diagnosis.message)) ?? false;
    }, undefined, 120_000);
    await page.click('#stop').catch(() => {});
    await waitFor(page, () => !window.gradlab.store.get().running);
    const shown = (await state(page)).step;
    const at = /diverged at step (\d+)/.exec(err);
    if (at) assert.equal(Number(at[1]), shown + 1, `the error names the failing step, the page the last good one: ${err}`);
    const saved = await page.evaluate(async () => {
      const db = await new Promise((ok, ko) => { const r = indexedDB.open('gradient-lab', 1); r.onsuccess = () => ok(r.result); r.onerror = ko; });
      const rec = await new Promise((ok) => { const r = db.transaction('kv').objectStore('kv').get('model'); r.onsuccess = () => ok(r.result); });
      return { ...rec, file: undefined, json: await rec.file.text() };   // the file is kept as a Blob
    });
    const file = JSON.parse(saved.json);
    assert.equal(saved.step, 10, `the save from before the divergence is kept (${err}; page at step ${shown})`);
    assert.match(await page.locator('#keep-status').textContent(), /^Not saved at step [\d,]+: training diverged\. The last good save is kept\.$/);
    assert.doesNotMatch(saved.json, /NaN|Infinity/);
    assert.ok(Number.isFinite(file.step));
    await page.reload();
    await ready(page);
    // The link now says lr 1e6; a save from before the change is offered rather than restored silently.
    const how = await waitFor(page, () => (/Restored your model/.test(document.getElementById('keep-status').textContent) && 'restored')
      || ([...document.querySelectorAll('button')].some((x) => x.textContent === 'Restore it') && 'offered'));
    if (how === 'offered') await page.getByRole('button', { name: 'Restore it' }).click();
    await waitFor(page, () => /Restored your model/.test(document.getElementById('keep-status').textContent));
    const out = await page.evaluate(async () => {
      const e = window.gradlab.engine;
      const s = await e.request('samples', { split: 'test', indices: [0, 1] });
      return Array.from((await e.request('predict', { input: Float32Array.from(s.x) })).output);
    });
    assert.ok(out.every(Number.isFinite), `the restored model predicts numbers: ${out}`);
  } finally {
    await b.close();
  }
});

test('adding a run to a race keeps the other runs where they are; the new one starts at step 0 from the same weights', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'xor', layers: 'Dense(8,tanh);Dense(2,softmax)', epochs: 500,
    validation_split: 0, batch_size: 4 }) });
  const { page } = b;
  try {
    for (const t of ['optimizer:sgd(learning_rate=0.1)', 'optimizer:adam(learning_rate=0.1)']) {
      await page.fill('#race-add-text', t);
      await page.click('#race-add');
    }
    await allBuilt(page, 2);
    await stepTo(page, '#race-step10', 10);
    const before = await raceRuns(page);
    const hashes = await Promise.all(before.map((r) => hashOf(page, r.id)));
    const firstLoss = await page.evaluate((id) => window.gradlab.runLosses.get(id)[0], before[0].id);

    await page.fill('#race-add-text', 'optimizer:rmsprop(learning_rate=0.1)');
    await page.click('#race-add');
    await allBuilt(page, 3);
    const after = await raceRuns(page);
    assert.deepEqual(after.slice(0, 2).map((r) => [r.id, r.step]), before.map((r) => [r.id, 10]), 'not rebuilt');
    assert.deepEqual(await Promise.all(before.map((r) => hashOf(page, r.id))), hashes, 'weights untouched');
    assert.equal(after[2].step, 0);
    assert.deepEqual(after.map((r) => r.label), ['sgd', 'adam', 'rmsprop'], 'legend labels follow');
    assert.match(await page.locator('#race-note').textContent(), /starting at step 0 while the other runs are at step 10/);
    // Same seed ⇒ same initial weights and batch order: its first loss equals the others' first loss.
    await page.click('#race-step1');
    await waitFor(page, (id) => window.gradlab.store.get().runs.find((r) => r.id === id).step === 1, after[2].id);
    assert.equal(await page.evaluate((id) => window.gradlab.runLosses.get(id)[0], after[2].id), firstLoss);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('after a crash mid-race each run comes back from its snapshot (steps and weights), and the page says what was lost', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'xor', layers: 'Dense(8,tanh);Dense(2,softmax)', epochs: 5000,
    validation_split: 0, batch_size: 4 }) });
  const { page } = b;
  try {
    for (const t of ['optimizer:sgd(learning_rate=0.1)', 'optimizer:adam(learning_rate=0.1)']) {
      await page.fill('#race-add-text', t);
      await page.click('#race-add');
    }
    await allBuilt(page, 2);
    const ids = (await raceRuns(page)).map((r) => r.id);
    // Training takes snapshots by itself (every few seconds and at epoch ends); 20 steps/s so it cannot finish first.
    await page.evaluate(() => window.gradlab.session.runs.speed(20));
    await page.click('#race-start');
    await waitFor(page, (rs) => rs.every((id) => window.gradlab.session.runs.snapshotStep(id) > 0), ids, 120_000);
    await page.click('#race-pause');
    await waitFor(page, () => window.gradlab.store.get().runs.every((r) => !r.running));
    // A known snapshot: each run's model now, then 10 more steps that the crash will lose.
    const snap = [];
    for (const id of ids) {
      await page.evaluate((i) => window.gradlab.session.runs.save(i), id);
      snap.push({ step: (await raceRuns(page)).find((r) => r.id === id).step, hash: await hashOf(page, id) });
    }
    const s0 = snap[0].step;
    await stepTo(page, '#race-step10', s0 + 10);
    await page.evaluate(() => window.gradlab.crash());
    const msg = await waitFor(page, () => window.gradlab.store.get().runError?.includes('restarted') && window.gradlab.store.get().runError);
    await allBuilt(page, 2);
    const back = await raceRuns(page);
    for (const [i, id] of ids.entries()) {
      assert.equal(back.find((r) => r.id === id).step, snap[i].step, `run ${id} back at its snapshot's step`);
      assert.equal(await hashOf(page, id), snap[i].hash, `run ${id} has its snapshot's weights, not fresh ones`);
    }
    assert.match(msg, new RegExp(`run sgd from step ${s0.toLocaleString('en-US')} \\(the last 10 steps were lost\\)`));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
