// Playground, "Draw": a real MNIST test digit, traced as mouse strokes on the
// pad (one stroke per horizontal run of ink in each row), is read by the model
// while it trains; the probabilities sum to 1, the 28×28 input is centred by
// its centre of mass (MNIST's procedure), and the trained model names the digit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPlayground, until, waitFor, link, DOCS } from './playground-lib.mjs';
import { inkRuns, trace } from './draw-lib.mjs';

test('drawing a digit while training: probabilities sum to 1, the input is centred, the model reads it', async () => {
  const b = await openPlayground({ hash: link({ epochs: 2 }) });
  const { page } = b;
  try {
    // A test image and its label, from the worker (the small MNIST's test set).
    const index = 0;
    const sample = await page.evaluate(async (i) => {
      const s = await window.gradlab.engine.request('samples', { split: 'test', indices: [i] });
      return { x: Array.from(s.x), label: s.labels[0] };
    }, index);
    const runs = inkRuns(sample.x, 28, 28);
    assert.ok(runs.length > 5, 'the sample has ink');

    // 1. A finished 2-epoch run (the same weights every time: same seed) reads the traced digit.
    await page.click('#start');
    await until(page, 'finished', 300_000);
    await trace(page, runs);
    await waitFor(page, () => {
      const d = window.gradlab.draw;
      return d.answered === d.requests && d.last;   // every request answered: the bars show the whole drawing
    });
    await page.waitForTimeout(400);
    await waitFor(page, () => window.gradlab.draw.answered === window.gradlab.draw.requests);
    const { probs, input } = await page.evaluate(() => ({ probs: window.gradlab.draw.last,
      input: Array.from(window.gradlab.draw.lastInput) }));
    assert.equal(probs.length, 10);
    const sum = probs.reduce((a, v) => a + v, 0);
    assert.ok(Math.abs(sum - 1) < 1e-4, `probabilities sum to ${sum}`);
    // Centre of mass of the model's input, in pixel index coordinates: MNIST puts it at (14, 14).
    let m = 0; let cx = 0; let cy = 0;
    input.forEach((v, i) => { m += v; cx += (i % 28) * v; cy += Math.floor(i / 28) * v; });
    assert.ok(Math.abs(cx / m - 14) <= 1 && Math.abs(cy / m - 14) <= 1, `centre of mass (${cx / m}, ${cy / m})`);
    await page.locator('#draw').screenshot({ path: join(DOCS, 'playground-draw.png') });
    const top = probs.indexOf(Math.max(...probs));
    assert.equal(top, sample.label, `drew a ${sample.label}, model says ${top} (${probs.map((p) => p.toFixed(2))})`);
    assert.equal(await page.locator('.gl-probs').getByText(`Prediction: ${sample.label}`).count() > 0, true);

    // 2. While training (a longer run: 2 epochs take about 2 s here): draw a few strokes; they are
    //    answered during the run.
    await page.fill('#fit-epochs', '50');
    await waitFor(page, () => window.gradlab.store.get().config.epochs === 50);
    await until(page, 'idle');
    await page.locator('.gl-drawpad-canvas').focus();
    await page.keyboard.press('Delete');
    await page.click('#start');
    await waitFor(page, () => window.gradlab.store.get().status === 'running');
    const before = await page.evaluate(() => window.gradlab.draw.answered);
    await trace(page, runs.slice(0, 3));
    await waitFor(page, (k) => window.gradlab.draw.answered > k, before);
    assert.equal(await page.evaluate(() => window.gradlab.store.get().status), 'running', 'answered while training');
    await page.click('#pause');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
