// Timing helpers shared by the Gradient Lab worker and the TF.js page.

/** Median, min and max of a sample. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, min: s[0], max: s[n - 1] };
}

/** Calls `step` (returns units of work done) until `minMs` passed (or `until()` holds); units per second. */
export function rate(minMs, step, until = null) {
  let units = 0;
  const t0 = performance.now();
  do { units += step(); } while (performance.now() - t0 < minMs && !until?.());
  return units / ((performance.now() - t0) / 1000);
}

/** Same for an async `step`. */
export async function rateAsync(minMs, step) {
  let units = 0;
  const t0 = performance.now();
  do { units += await step(); } while (performance.now() - t0 < minMs);
  return units / ((performance.now() - t0) / 1000);
}

/** `runs` measurements of `measure()`, summarised. */
export async function repeat(runs, measure) {
  const xs = [];
  for (let i = 0; i < runs; i++) xs.push(await measure());
  return stats(xs);
}

/** sgemm shapes measured: [m, n, k, transA, transB, label]. */
export const GEMM_SHAPES = [
  [512, 512, 512, false, false, 'square 512'],
  [128, 128, 784, false, false, 'mlp-small fwd'],
  [784, 128, 128, true, false, 'mlp-small dW'],
  [128, 1024, 784, false, false, 'seed-mlp fwd'],
  [784, 1024, 128, true, false, 'seed-mlp dW'],
  [256, 1024, 512, false, true, 'dmlp dX'],
];
