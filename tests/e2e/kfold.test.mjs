// k-fold cross-validation (issue 10.4) in headless Chromium: K = 3 over a
// two-run race on iris gives a box plot with 3 points per configuration,
// mean ± std in the table, and the same numbers when run again (folds and
// weights from the seed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, ready, shot, waitFor } from './playground-lib.mjs';

const HASH = '#v=1&dataset=iris&layers=Dense(8,relu);Dense(3,softmax)&loss=categorical_crossentropy'
  + '&optimizer=adam(learning_rate=0.01)&batch_size=16&epochs=4&validation_split=0&seed=3';

async function runKfold(page) {
  await page.click('#kfold-run');
  await waitFor(page, () => document.getElementById('kfold-panel').dataset.state === 'done'
    && !document.getElementById('kfold-run').disabled, undefined, 180_000);
  return page.evaluate(() => [...document.querySelectorAll('#kfold-table tbody tr')].map((tr) => ({
    label: tr.querySelector('th').textContent,
    folds: [...tr.querySelectorAll('td[data-fold]')].map((td) => td.textContent),
    mean: tr.querySelector('td[data-key="mean"]').textContent,
  })));
}

test('K = 3 over a race: 3 points per configuration, mean ± std, reproducible', async () => {
  const b = await open();
  const { page } = b;
  try {
    await page.goto(`${b.server.url}?race=optimizer:sgd(learning_rate=0.1)|optimizer:adam(learning_rate=0.01)${HASH}`);
    await ready(page);
    await waitFor(page, () => window.gradlab.store.get().runs.filter((r) => r.id !== 'main').length === 2);
    await page.fill('#kfold-k', '3');
    await page.selectOption('#kfold-what', 'race');
    const first = await runKfold(page);
    assert.equal(first.length, 2, 'one row per race run');
    assert.deepEqual(first.map((r) => r.label), ['sgd lr=0.1', 'adam lr=0.01']);
    for (const r of first) {
      assert.equal(r.folds.length, 3);
      assert.ok(r.folds.every((f) => /^\d+\.\d\d%$/.test(f)), `${r.label}: ${r.folds}`);
      assert.match(r.mean, /^\d+\.\d\d% ± \d+\.\d\d%$/);
    }
    const points = await page.evaluate(() => [...document.querySelectorAll('#kfold-box g.box')]
      .map((g) => ({ label: g.dataset.label, n: g.querySelectorAll('circle.point').length, summarised: g.dataset.points,
        box: g.querySelectorAll('rect.iqr, line.median').length })));
    // The box is drawn from the core's summary of the 3 scores (stats::summary, sent by the worker).
    assert.deepEqual(points, [{ label: 'sgd lr=0.1', n: 3, summarised: '3', box: 2 }, { label: 'adam lr=0.01', n: 3, summarised: '3', box: 2 }]);
    assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get('kfold'), '3', 'K is in the link');
    await shot(page, 'kfold');
    const again = await runKfold(page);
    assert.deepEqual(again, first, 'same seed, same folds, same numbers');
    const held = await page.evaluate(() => window.gradlab.engine.request('stats'));
    assert.equal(held.runs, 3, 'the k-fold runs are freed at the end (main + two race runs remain)');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
