// Benchmark (not a test): race mode's budget (issue 9.5) in headless Chromium
// on the built site, default MNIST (784-128-10, Adam, batch 32):
//   node tests/e2e/race-bench.mjs [seconds=8]
// 1. samples/s of ONE run training alone (the main run, Start);
// 2. samples/s of SIX race runs training together (sum over the runs), and
//    the ratio to one run (target ≥ 0.8: no per-run overhead worth naming);
// 3. the longest main-thread task (PerformanceObserver 'longtask') while the
//    one run trains and draws (issue 14.5), and while the six runs do (issue 9.5).
// Steps are counted from the store (what the worker reported), over wall time.
import { openPlayground, waitFor, link, startOptimizerRace } from './playground-lib.mjs';

const SECONDS = Number(process.argv[2] ?? 8);
const b = await openPlayground({ hash: link({ epochs: 50 }) });
const { page } = b;
const runsStep = () => page.evaluate(() => window.gradlab.store.get().runs.map((r) => [r.id, r.step]));
try {
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  // 1. One run alone.
  await page.click('#start');
  await waitFor(page, () => window.gradlab.store.get().step > 20);
  await page.evaluate(() => { window.__long = []; });
  let s0 = await page.evaluate(() => window.gradlab.store.get().step);
  let t0 = Date.now();
  await page.waitForTimeout(SECONDS * 1000);
  let s1 = await page.evaluate(() => window.gradlab.store.get().step);
  const one = ((s1 - s0) * 32) / ((Date.now() - t0) / 1000);
  const longOne = await page.evaluate(() => window.__long.slice());
  await page.click('#pause');
  await waitFor(page, () => !window.gradlab.store.get().running);

  // 2. Six runs together (the optimizer variation).
  await startOptimizerRace(page);
  await page.evaluate(() => { window.__long = []; });
  const sum = (rows) => rows.filter(([id]) => id !== 'main').reduce((a, [, s]) => a + s, 0);
  s0 = sum(await runsStep());
  t0 = Date.now();
  await page.waitForTimeout(SECONDS * 1000);
  s1 = sum(await runsStep());
  const six = ((s1 - s0) * 32) / ((Date.now() - t0) / 1000);
  const long = await page.evaluate(() => window.__long.slice());
  await page.click('#race-pause');
  await waitFor(page, () => window.gradlab.store.get().runs.every((r) => !r.running));
  const steps = (await runsStep()).filter(([id]) => id !== 'main').map(([, s]) => s);
  const longest = (l) => `${l.length ? Math.round(Math.max(...l)) : 0} ms (${l.length} tasks > 50 ms)`;
  console.log(`one run alone:        ${Math.round(one).toLocaleString('en-US')} samples/s
longest main-thread task while one run trains and draws: ${longest(longOne)}
six runs together:    ${Math.round(six).toLocaleString('en-US')} samples/s in total (${Math.round(six / 6).toLocaleString('en-US')} each) = ${(six / one).toFixed(2)} × one run
longest main-thread task while six runs train and draw: ${longest(long)}
steps of the six runs after Pause all: ${steps.join(', ')}`);
} finally {
  await b.close();
}
