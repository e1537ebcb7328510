// Playground, "Train & watch" and "Test": the default MNIST run (the small CNN)
// shows 95% test accuracy (issue 14.6) with live charts; Pause / Stop / Resume / Step / Reset
// behave as documented; a learning-rate change mid-run shows in the history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, state, shot, until, waitFor, link } from './playground-lib.mjs';

const step = (page) => page.evaluate(() => window.gradlab.store.get().step);

test('the default MNIST experiment trains to ≥ 95% test accuracy in its 2 epochs; charts, confusion, gallery', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    await page.click('#start');
    await waitFor(page, () => window.gradlab.store.get().status === 'running');
    await waitFor(page, () => window.gradlab.store.get().epoch >= 1, undefined, 300_000);
    await shot(page, 'playground-training', { fullPage: false });
    await until(page, 'finished', 900_000);
    const rows = await page.evaluate(() => window.gradlab.watch.history());
    assert.equal(rows.length, 2);
    // Validated on the test set (validation_data test): the last epoch's val_accuracy is the test accuracy.
    assert.ok(rows[1].logs.val_accuracy >= 0.95, `val_accuracy ${rows[1].logs.val_accuracy}`);
    // All 10,000 training samples in batches of 16 → 625 batches per epoch.
    const counts = await page.evaluate(() => {
      const { loss, metric } = window.gradlab.watch.charts();
      return [loss.pointCount('train'), loss.pointCount('val'), metric.pointCount('train'), metric.pointCount('val')];
    });
    assert.deepEqual(counts, [2 * 625, 2, 2 * 625, 2]);
    assert.equal(await page.locator('#epoch-text').textContent(), '2/2');
    assert.equal(await page.locator('#start').isDisabled(), true, 'a finished run cannot be resumed');

    // Finishing evaluates on the 2,000 test images.
    const acc = await waitFor(page, () => {
      const t = document.getElementById('test-accuracy')?.textContent;
      return t && !window.gradlab.evaluation.busy && t;
    });
    assert.ok(parseFloat(acc) >= 95, `test accuracy ${acc}`);
    assert.equal(parseFloat(acc), Number((rows[1].logs.val_accuracy * 100).toFixed(2)), 'the same weights, the same test set');
    const cells = await page.locator('#confusion table tbody tr').count();
    assert.equal(cells, 10);
    await waitFor(page, () => document.querySelectorAll('#gallery button').length > 0);
    assert.equal(await page.locator('#history-table tbody tr').count(), 2);
    await shot(page, 'playground-trained', { fullPage: true });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('Pause, Stop and Resume keep the step count; Step trains one batch; Reset gives the same weights again', async () => {
  const b = await openPlayground({ hash: link({ epochs: 50 }) });
  const { page } = b;
  try {
    await page.click('#start');
    await waitFor(page, () => window.gradlab.store.get().step >= 20);
    const firstLoss = await page.evaluate(() => window.gradlab.losses[0]);
    await page.click('#pause');
    await until(page, 'paused');
    const s1 = await step(page);
    await page.waitForTimeout(400);
    assert.equal(await step(page), s1, 'training went on after Pause');
    assert.equal(await page.locator('#start').textContent(), 'Resume');
    await shot(page, 'playground-paused', { fullPage: false });

    await page.click('#start');
    await waitFor(page, (s) => window.gradlab.store.get().step > s + 5, s1);
    await page.click('#stop');
    await until(page, 'stopped');
    const s2 = await step(page);
    await page.waitForTimeout(300);
    assert.equal(await step(page), s2, 'training went on after Stop');
    // Stop evaluates on the test set.
    await waitFor(page, () => document.getElementById('test-accuracy'));
    // Every batch step from 1 to s2 was trained exactly once, in order (no gap, no repeat).
    const xs = await page.evaluate(() => window.gradlab.watch.snapshot().loss.train.map((p) => p.x));
    assert.deepEqual(xs, Array.from({ length: s2 }, (_, i) => i + 1));

    // Step: exactly one more batch.
    await page.click('#step');
    await waitFor(page, (s) => window.gradlab.store.get().step === s + 1, s2);
    assert.equal((await state(page)).status, 'paused');

    // Reset: fresh weights from the same seed ⇒ the first batch has the same loss as before.
    await page.click('#reset');
    await waitFor(page, () => window.gradlab.store.get().step === 0 && window.gradlab.store.get().status === 'idle');
    await page.click('#step');
    await waitFor(page, () => window.gradlab.losses.length === 1);
    assert.equal(await page.evaluate(() => window.gradlab.losses[0]), firstLoss);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('changing the learning rate while training applies from the next batch and shows in the history', async () => {
  const b = await openPlayground({ hash: link({ epochs: 50 }) });
  const { page } = b;
  try {
    await page.click('#start');
    await waitFor(page, () => window.gradlab.store.get().epoch >= 1, undefined, 300_000);
    await page.fill('#live-lr', '0.0005');
    await page.press('#live-lr', 'Enter');
    await waitFor(page, () => location.hash.includes('learning_rate=0.0005'));
    const e0 = await page.evaluate(() => window.gradlab.store.get().epoch);
    await waitFor(page, (e) => window.gradlab.store.get().epoch >= e + 2, e0, 300_000);
    const s = await state(page);
    assert.equal(s.status, 'running', 'changing the learning rate must not rebuild the model');
    const lrs = await page.evaluate(() => window.gradlab.watch.history().map((r) => r.logs.lr));
    assert.ok(Math.abs(lrs[0] - 0.001) < 1e-9, `first epoch lr ${lrs[0]}`);
    assert.ok(Math.abs(lrs.at(-1) - 0.0005) < 1e-9, `last epoch lr ${lrs.at(-1)}`);
    // The history table shows the lr column; the chart marks the change.
    const lastLr = await page.locator('#history-table tbody tr:last-child td[data-key="lr"]').textContent();
    assert.equal(lastLr, '0.0005');
    const notes = await page.evaluate(() => window.gradlab.watch.snapshot().loss.train.filter((p) => p.label).map((p) => p.label));
    assert.deepEqual(notes, ['learning rate 0.001 → 0.0005']);
    await page.click('#pause');
    await until(page, 'paused');
    await shot(page, 'playground-lr-change', { fullPage: false });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
