// The course in the page (issue 10): validation on the test set chosen in the fit
// settings draws val curves whose last point is the test accuracy; the perceptron
// lesson (OR, tanh, MSE, SGD 0.1, targets −1/+1) reaches 100%.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, openPlayground, until, waitFor, ready } from './playground-lib.mjs';

test('validate on the test set: val curves every epoch, the last one is the test accuracy', async () => {
  const hash = link({ dataset: 'iris', layers: 'Dense(8,relu);Dense(3,softmax)', optimizer: 'adam(learning_rate=0.05)',
    batch_size: 16, epochs: 12, validation_split: 0.2 });
  const b = await openPlayground({ hash });
  const { page } = b;
  try {
    await page.selectOption('#fit-validation_data', 'test');
    await waitFor(page, () => window.gradlab.store.get().config.validation_data === 'test');
    await ready(page);
    await page.click('#start');
    await until(page, 'finished');
    const rows = await page.evaluate(() => window.gradlab.watch.history());
    assert.equal(rows.length, 12);
    for (const r of rows) assert.ok(Number.isFinite(r.logs.val_loss) && Number.isFinite(r.logs.val_accuracy), JSON.stringify(r.logs));
    const vals = await page.evaluate(() => window.gradlab.watch.charts().loss.pointCount('val'));
    assert.equal(vals, 12, 'one validation point per epoch on the loss chart');
    // Validated on the test split: the last epoch's val_accuracy is what "Test" reports after the run.
    const acc = await waitFor(page, () => {
      const t = document.getElementById('test-accuracy')?.textContent;
      return t && !window.gradlab.evaluation.busy && t;
    });
    const last = rows[rows.length - 1].logs.val_accuracy * 100;
    assert.ok(Math.abs(parseFloat(acc) - last) < 0.06, `test accuracy ${acc} vs last val_accuracy ${last}`);
    assert.match(page.url(), /validation_data=test/, 'the choice is in the link');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('the perceptron lesson (OR, ±1 targets) reaches 100%', async () => {
  const b = await openPlayground({ hash: '' });
  const { page } = b;
  try {
    await page.goto(`${b.server.url}?lesson=perceptron-or`);
    await waitFor(page, () => window.gradlab?.store?.get().config.label_encoding === 'plus_minus_one');
    await ready(page);
    await page.click('#start');
    await until(page, 'finished');
    const rows = await page.evaluate(() => window.gradlab.watch.history());
    assert.equal(rows.at(-1).logs.accuracy, 1, `accuracy ${rows.at(-1).logs.accuracy}`);
    await waitFor(page, () => /4 of 4 right/.test(document.getElementById('predictions').textContent));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
