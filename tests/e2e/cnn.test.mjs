// Convolutional networks in the page (issue 12): a CNN built with the editor's
// own controls (add, move, type arguments) shows Keras' output shapes and
// parameter counts, trains on the small MNIST, reads a digit drawn on the pad,
// and an impossible stack is explained on the layer with advice that works.
// Shapes and counts by hand (Keras: 'valid' conv → n − k + 1, pool 2 → ⌊n / 2⌋,
// 'same' pool → ⌈n / 2⌉; Conv2D params = kh·kw·cin·filters + filters):
//   Conv2D(8, 3×3): 28 − 3 + 1 = 26 → (None, 26, 26, 8), 3·3·1·8 + 8 = 80
//   MaxPooling2D:   ⌊26 / 2⌋ = 13   → (None, 13, 13, 8)
//   Flatten:        13·13·8 = 1352  → (None, 1352)
//   Dense(10):      1352·10 + 10 = 13,530; total 13,610.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, ready, shot, until, waitFor, link } from './playground-lib.mjs';
import { answered, inkRuns, testSample, trace } from './draw-lib.mjs';

const waitTotal = (page, text) => waitFor(page, (t) => document.getElementById('total-params')?.textContent.startsWith(t)
  && !window.gradlab.store.get().checking, text);
const shapes = (page) => page.locator('#summary-table tbody tr td:nth-child(2)').allTextContents();
const layerProblem = (page, i) => page.locator(`.layer[data-index="${i}"] .layer-problem`).first();

/** Adds a layer of `kind` with the editor's controls (it goes just above the output layer). */
async function addLayer(page, kind) {
  await page.selectOption('#add-kind', kind);
  await page.click('#add-layer');
}

test('a CNN built in the editor: Keras shapes, trains, reads a drawn digit; an impossible shape says what to change', async () => {
  const b = await openPlayground({ hash: link({ epochs: 2 }) });
  const { page } = b;
  try {
    // The MLP link's stack Flatten → Dense(128) → Dense(10). Remove the hidden Dense: 784·10 + 10 = 7,850.
    await page.click('button[aria-label="Remove layer 2 (Dense)"]');
    await waitTotal(page, '7,850');
    // Conv2D lands above the output (after Flatten); ↑ moves it first, where it sees the 28×28×1 images.
    await addLayer(page, 'Conv2D');
    await page.click('button[aria-label="Move layer 2 (Conv2D) up"]');
    await page.fill('#layer-0-filters', '8');
    assert.equal(await page.inputValue('#layer-0-kernel_size'), '3, 3', 'a new Conv2D starts with a 3×3 kernel');
    assert.equal(await page.inputValue('#layer-0-activation'), 'relu');
    await addLayer(page, 'MaxPooling2D');
    await page.click('button[aria-label="Move layer 3 (MaxPooling2D) up"]');
    await waitTotal(page, '13,610');
    assert.equal(await ready(page), 'idle');

    assert.deepEqual((await shapes(page)).map((s) => s.trim()),
      ['(None, 26, 26, 8)', '(None, 13, 13, 8)', '(None, 1352)', '(None, 10)']);
    const rows = await page.locator('#summary-table tbody tr td:nth-child(3)').allTextContents();
    assert.deepEqual(rows.map((r) => r.trim()), ['80', '0', '0', '13,530']);
    // The editor shows each layer's output shape beside it while editing.
    assert.equal((await page.locator('.layer[data-index="0"] .layer-shape').textContent()).trim(),
      '→ (None, 26, 26, 8) · 80 params');
    assert.equal((await page.locator('.layer[data-index="1"] .layer-shape').textContent()).trim(),
      '→ (None, 13, 13, 8) · 0 params');
    // Images stay 28×28×1 for the conv model: the data card says so and no Flatten was put before the Conv2D.
    assert.match(await page.locator('#dataset-info').textContent(), /input 28×28×1/);
    assert.match(decodeURIComponent(page.url()), /layers=Conv2D\(8,\(3,3\),activation=relu\);MaxPooling2D;Flatten;Dense\(10,softmax\)/);
    await shot(page, 'cnn-editor', { fullPage: false });

    // Train the 2 epochs (small MNIST, batch 32): the loss falls.
    await page.click('#start');
    await until(page, 'finished', 900_000);
    const losses = await page.evaluate(() => window.gradlab.losses);
    assert.ok(losses.length > 100, `${losses.length} batches trained`);
    const mean = (xs) => xs.reduce((a, v) => a + v, 0) / xs.length;
    assert.ok(mean(losses.slice(-50)) < mean(losses.slice(0, 50)) / 3,
      `the loss falls: ${mean(losses.slice(0, 50))} → ${mean(losses.slice(-50))}`);

    // Draw the first test digit on the pad: the CNN reads it.
    const sample = await testSample(page, 0);
    const runs = inkRuns(sample.x, 28, 28);
    assert.ok(runs.length > 5, 'the sample has ink');
    await trace(page, runs);
    const { probs } = await answered(page, waitFor);
    assert.equal(probs.length, 10);
    assert.ok(Math.abs(probs.reduce((a, v) => a + v, 0) - 1) < 1e-4, `probabilities sum to 1 (${probs})`);
    const top = probs.indexOf(Math.max(...probs));
    assert.equal(top, sample.label, `drew a ${sample.label}, the CNN says ${top} (${probs.map((p) => p.toFixed(2))})`);
    assert.ok(await page.locator('.gl-probs').getByText(`Prediction: ${sample.label}`).count() > 0);
    await shot(page, 'cnn-draw', { fullPage: false });

    // Impossible shapes: a 26×26 kernel leaves 3×3, the pool 1×1, and a second pool has nothing to pool.
    await page.fill('#layer-0-kernel_size', '26, 26');
    await addLayer(page, 'MaxPooling2D');
    await page.click('button[aria-label="Move layer 4 (MaxPooling2D) up"]');
    // (Before the move the pool sits after Flatten, a different problem: wait for the one on layer 3.)
    const message = await waitFor(page, () => document.querySelector('.layer[data-index="2"] .layer-problem')?.textContent);
    assert.equal(await page.evaluate(() => window.gradlab.store.get().status), 'invalid');
    assert.equal(await page.locator('#start').isDisabled(), true);
    assert.match(message, /the feature map is 1×1 here, smaller than the 2×2 pool_size; use padding='same', a smaller pool_size or fewer pooling layers before it/);
    assert.match(await page.locator('#problems').textContent(), /layer 3 \(MaxPooling2D\): the feature map is 1×1/);
    // The advice works: padding='same' pools 1×1 to ⌈1 / 2⌉ = 1. Params: 26·26·1·8 + 8 = 5,416; 8·10 + 10 = 90.
    await page.locator('.layer[data-index="2"] details.more summary').click();
    await page.selectOption('#layer-2-padding', 'same');
    await waitTotal(page, '5,506');
    assert.equal(await ready(page), 'idle');
    assert.equal(await layerProblem(page, 2).isHidden(), true);
    assert.deepEqual((await shapes(page)).map((s) => s.trim()),
      ['(None, 3, 3, 8)', '(None, 1, 1, 8)', '(None, 1, 1, 8)', '(None, 8)', '(None, 10)']);
    assert.equal(await page.locator('#start').isEnabled(), true);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
