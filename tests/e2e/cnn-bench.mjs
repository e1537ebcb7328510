// Benchmark (not a test): a CNN lesson trained to the end in the page (issue 12.4),
// headless Chromium on the built site (`bash scripts/build dist` first):
//   node tests/e2e/cnn-bench.mjs [lesson=cnn-mnist-99]
// Prints the time from opening `?lesson=<id>` until Start is enabled (full
// dataset download + build), the training time, the samples/s and the test
// accuracy the page shows when the run finishes.
import { open, waitFor, ready } from './playground-lib.mjs';

const lesson = process.argv[2] ?? 'cnn-mnist-99';
const b = await open({ coi: true });
const { page } = b;
try {
  const t0 = Date.now();
  await page.goto(`${b.server.url}?lesson=${lesson}`);
  await ready(page, 600_000);
  const tReady = Date.now();
  const cfg = await page.evaluate(() => window.gradlab.store.get().config);
  await page.click('#start');
  await waitFor(page, () => window.gradlab.store.get().status === 'finished', undefined, 3_600_000);
  const tTrained = Date.now();
  const st = await waitFor(page, () => {
    const s = window.gradlab.store.get();
    return s.testResult?.metrics?.accuracy !== undefined && !window.gradlab.evaluation?.busy
      ? { acc: s.testResult.metrics.accuracy, samples: s.testResult.samples, step: s.step, epochs: s.epochs?.length } : null;
  }, undefined, 600_000);
  const secs = (tTrained - tReady) / 1000;
  const samples = st.step * cfg.batch_size;
  console.log(`lesson ${lesson}: ${cfg.dataset}, ${cfg.epochs} epochs of batch ${cfg.batch_size}
ready (download + build): ${((tReady - t0) / 1000).toFixed(1)} s
training: ${secs.toFixed(1)} s for ${st.step} steps (${Math.round(samples / secs).toLocaleString('en-US')} samples/s incl. validation and drawing)
test accuracy shown: ${(st.acc * 100).toFixed(2)} % on ${st.samples} test images
total from opening the page: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (b.errors.length) console.log('page errors:', b.errors);
} finally {
  await b.close();
}
