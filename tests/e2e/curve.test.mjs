// "See inside: the fitted curve" in headless Chromium: on the 1-D regression set
// `sine` the panel draws the model's curve over the points, redraws it while
// training, and its mean squared error on the training points shrinks (a tanh MLP
// fits sin x on [−π, π] to about the noise variance, 0.01).
// Screenshot: docs/see-inside-curve.png (GRADLAB_DOCS=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, waitFor, link, shot, until } from './playground-lib.mjs';

test('fitted curve on sine: drawn, redrawn while training, its error shrinks', async () => {
  const hash = link({ dataset: 'sine', layers: 'Dense(32,tanh);Dense(32,tanh);Dense(1)', loss: 'mse',
    optimizer: 'adam(learning_rate=0.01)', batch_size: 16, epochs: 400, validation_split: 0 });
  const b = await openPlayground({ hash });
  const { page } = b;
  try {
    await waitFor(page, () => !document.getElementById('curve').hidden && window.gradlab.curve.draws >= 1);
    const before = await page.evaluate(() => ({ ...window.gradlab.curve }));
    assert.equal(before.curve.length, 200);
    await page.click('#start');
    await until(page, 'finished');
    await waitFor(page, () => window.gradlab.curve.drawnStep === window.gradlab.store.get().step);
    const after = await page.evaluate(() => ({ ...window.gradlab.curve }));
    console.log(`curve: mse on the training points ${before.mse.toFixed(4)} → ${after.mse.toFixed(4)} in ${after.draws} draws`);
    assert.ok(after.draws >= before.draws + 2, `redrawn while training: ${before.draws} → ${after.draws} draws`);
    assert.ok(after.mse < before.mse / 5 && after.mse < 0.05, `mse ${before.mse} → ${after.mse}`);
    await page.locator('#curve').scrollIntoViewIfNeeded();
    await shot(page, 'see-inside-curve', { clip: await page.locator('#curve').boundingBox() });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
