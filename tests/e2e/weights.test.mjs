// Weights by hand (issue 10, item 5): the course's perceptron on OR (one tanh unit,
// ±1 targets). Typed into the "Weights by hand" table, kernel 1, 1 and bias −0.5 make
// it compute OR without one training step, and the predictions table says so;
// a value that is not a number changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, openPlayground, waitFor } from './playground-lib.mjs';

test('typed weights make the perceptron compute OR, with no training', async () => {
  const hash = `${link({ dataset: 'or', layers: 'Dense(1,tanh)', loss: 'mean_squared_error',
    optimizer: 'sgd(learning_rate=0.1)', batch_size: 4, epochs: 10, validation_split: 0 })}&label_encoding=plus_minus_one`;
  const b = await openPlayground({ hash });
  const { page } = b;
  try {
    await waitFor(page, () => !document.getElementById('hand-weights').hidden && window.gradlab.weights.rows.length === 3);
    const labels = await page.locator('#hand-weights tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(labels, ['kernel[0, 0]', 'kernel[1, 0]', 'bias[0]']);
    const inputs = page.locator('#hand-weights input');
    // Not a number: refused with a message, the value stays.
    const before = await page.evaluate(() => window.gradlab.weights.rows.map((r) => r.value));
    await inputs.nth(0).fill('');
    await inputs.nth(0).press('Enter');
    await waitFor(page, () => /not a number/.test(document.querySelector('#hand-weights [role=status]').textContent));
    assert.deepEqual(await page.evaluate(() => window.gradlab.weights.rows.map((r) => r.value)), before);
    for (const [i, v] of [[0, '1'], [1, '1'], [2, '-0.5']]) {
      const n = await page.evaluate(() => window.gradlab.weights.updates);
      await inputs.nth(i).fill(v);
      await inputs.nth(i).press('Enter');
      await waitFor(page, (m) => window.gradlab.weights.updates > m, n);
    }
    assert.deepEqual(await page.evaluate(() => window.gradlab.weights.rows.map((r) => r.value)), [1, 1, -0.5]);
    // The predictions table reads the typed model: y = tanh(x1 + x2 − 0.5), the sign gives OR.
    await waitFor(page, () => /4 of 4 right/.test(document.getElementById('predictions').textContent));
    const rows = await page.evaluate(() => window.gradlab.predictions.rows);
    for (const r of rows) assert.equal(r.pred, r.input[0] || r.input[1] ? 1 : 0, `OR of ${r.input}`);
    assert.equal(await page.evaluate(() => window.gradlab.store.get().step), 0, 'no training step was taken');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
