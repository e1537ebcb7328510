// "See inside: gradients and weights" in headless Chromium: with the panel open the
// worker's probe collects per-layer gradient norms; on MNIST an 8 × Dense(32, sigmoid)
// stack shows a last-hidden ÷ first-hidden kernel gradient-norm ratio ≥ 100 (vanishing
// gradient), the same stack with relu + he_normal < 10; the histograms of every layer
// are drawn. Screenshot: docs/see-inside-gradients.png (GRADLAB_DOCS=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, waitFor, link, shot, ready } from './playground-lib.mjs';

const stack = (act, init) => link({
  layers: ['Flatten', ...Array(8).fill(`Dense(32,${act},kernel_initializer=${init})`), 'Dense(10,softmax)'].join(';'),
  // Several epochs: on a quiet machine one epoch can end before four probe reports arrive
  // (reports come between chunks); the test pauses after four anyway.
  optimizer: 'sgd(learning_rate=0.01)', epochs: 5,
});

/** Opens the panel, trains until `reports` probe reports arrived, pauses; the panel's api after it. */
async function trainWithPanel(page, reports) {
  if (!(await page.evaluate(() => window.gradlab.inside.details.open))) await page.locator('#inside summary').click();
  await waitFor(page, () => window.gradlab.inside.probeOn === true);
  await page.click('#start');
  await waitFor(page, (n) => window.gradlab.inside.reports.length >= n, reports, 120_000);
  // Pause (it may have finished already: an epoch is ~280 batches).
  await page.evaluate(() => { if (window.gradlab.store.get().running) window.gradlab.session.pause(); });
  await waitFor(page, () => !window.gradlab.store.get().running);
  await waitFor(page, () => (window.gradlab.inside.histograms?.length ?? 0) > 0);
  return page.evaluate(() => {
    const { reports: r, ratio, histograms } = window.gradlab.inside;
    return { ratio, reports: r.length, batches: r.reduce((s, x) => s + x.batches, 0), layers: r[0].params.length,
      histograms: histograms.map((l) => ({ name: l.name, weights: Boolean(l.weights), n: l.activations.counts.reduce((a, c) => a + c, 0) })) };
  });
}

test('gradient norms: deep sigmoid stack ≥ 100× between last and first hidden layer, relu + he_normal < 10×', async () => {
  const b = await openPlayground({ hash: stack('sigmoid', 'glorot_uniform') });
  const { page } = b;
  try {
    const sig = await trainWithPanel(page, 4);
    console.log(`sigmoid: last/first hidden gradient norm ${sig.ratio.toFixed(1)}× over ${sig.batches} batches (${sig.reports} reports)`);
    assert.ok(sig.ratio >= 100, `sigmoid ratio ${sig.ratio}`);
    assert.equal(sig.layers, 18);   // 9 Dense layers × (kernel, bias)
    assert.equal(sig.histograms.length, 10);   // Flatten + 9 Dense
    assert.equal(sig.histograms[1].n, 256 * 32);   // activations of 256 samples × 32 units
    assert.ok(!sig.histograms[0].weights && sig.histograms[1].weights);
    await page.locator('#inside').scrollIntoViewIfNeeded();
    await shot(page, 'see-inside-gradients', { clip: await page.locator('#inside').boundingBox() });

    // The relu link in the same page (a hash change rebuilds the model; the panel stays open).
    await page.evaluate((h) => { location.hash = h; }, stack('relu', 'he_normal'));
    await waitFor(page, () => window.gradlab.store.get().config.layers[1].activation === 'relu');
    await ready(page);
    await waitFor(page, () => window.gradlab.inside.reports.length === 0 && window.gradlab.inside.probeOn);
    const relu = await trainWithPanel(page, 4);
    console.log(`relu + he_normal: last/first hidden gradient norm ${relu.ratio.toFixed(2)}× over ${relu.batches} batches`);
    assert.ok(relu.ratio < 10 && relu.ratio > 0.1, `relu ratio ${relu.ratio}`);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
