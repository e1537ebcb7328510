// The chart's pure helpers, against hand-derived values and brute-force references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emaStep, smoothAll, nearestIndex, decimate, niceTicks, logTicks, yRange, formatValue, formatTick, labelEvery,
} from '../../www/js/components/chart-math.js';

const close = (a, b, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('debiased EMA: by hand for w = 0.6, and as the normalised weighted mean', () => {
  // last: 0.4, 1.04, 1.824; divided by 1 − 0.6^k = 0.4, 0.64, 0.784.
  const st = { last: 0, count: 0 };
  close(emaStep(st, 1, 0.6), 1);
  close(emaStep(st, 2, 0.6), 1.625);
  close(emaStep(st, 3, 0.6), 1.824 / 0.784);
  // Reference: smoothed_k = Σ_i w^(k−i)(1−w) y_i / Σ_i w^(k−i)(1−w).
  const ys = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3 + i / 10);
  const w = 0.9;
  const s = smoothAll(ys, ys.length, w);
  for (let k = 0; k < ys.length; k += 1) {
    let num = 0, den = 0;
    for (let i = 0; i <= k; i += 1) { const c = w ** (k - i) * (1 - w); num += c * ys[i]; den += c; }
    close(s[k], num / den, 1e-9);
  }
  // w = 0 is the raw series; NaN passes through without disturbing the state.
  assert.deepEqual(Array.from(smoothAll([3, 1, 2], 3, 0)), [3, 1, 2]);
  const st2 = { last: 0, count: 0 };
  emaStep(st2, 2, 0.5);
  assert.ok(Number.isNaN(emaStep(st2, NaN, 0.5)));
  close(emaStep(st2, 2, 0.5), 2);
});

test('nearestIndex agrees with a linear scan', () => {
  const xs = Float64Array.from([1, 2, 4, 8, 9, 15, 40]);
  for (let x = -5; x <= 50; x += 0.25) {
    let best = 0;
    for (let i = 1; i < xs.length; i += 1) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
    assert.equal(nearestIndex(xs, xs.length, x), best, `x = ${x}`);
  }
  assert.equal(nearestIndex(xs, 0, 3), -1);
});

test('M4 decimation keeps each column\'s first, last, min and max, and at most 4 per column', () => {
  const n = 100_000;
  const xs = Float64Array.from({ length: n }, (_, i) => i + 1);
  let seed = 3;
  const ys = Float64Array.from({ length: n }, (_, i) => {
    seed = (seed * 16807) % 2147483647;
    return Math.exp(-i / 20000) + (seed / 2147483647 - 0.5) * 0.3;
  });
  const buckets = 300;
  const idx = decimate(xs, ys, n, 1, n, buckets);
  assert.ok(idx.length <= 4 * buckets, `${idx.length} points`);
  for (let k = 1; k < idx.length; k += 1) assert.ok(idx[k] > idx[k - 1], 'indices increase');
  // Brute-force per column extremes.
  const kept = new Set(idx);
  const cols = new Map();
  for (let i = 0; i < n; i += 1) {
    const c = Math.min(buckets - 1, Math.floor(((xs[i] - 1) / (n - 1)) * buckets));
    const e = cols.get(c) ?? { first: i, last: i, lo: i, hi: i };
    e.last = i; if (ys[i] < ys[e.lo]) e.lo = i; if (ys[i] > ys[e.hi]) e.hi = i;
    cols.set(c, e);
  }
  for (const e of cols.values()) for (const i of [e.first, e.last, e.lo, e.hi]) assert.ok(kept.has(i));
  // Small inputs are kept whole; non-finite or (log) non-positive y are dropped.
  assert.deepEqual(decimate([1, 2, 3], [1, NaN, 3], 3, 1, 3, 10), [0, 2]);
  assert.deepEqual(decimate([1, 2, 3], [1, 0, 3], 3, 1, 3, 10, true), [0, 2]);
});

test('nice ticks, log ticks, label thinning', () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  // (2.31 − 0.03)/5 = 0.456 → step 0.5.
  assert.deepEqual(niceTicks(0.03, 2.31, 5), [0.5, 1, 1.5, 2]);
  assert.deepEqual(niceTicks(-7, 7, 3), [-5, 0, 5]);
  assert.deepEqual(logTicks(0.01, 10), [0.01, 0.1, 1, 10]);
  assert.deepEqual(logTicks(0.05, 0.9), [0.05, 0.1, 0.2, 0.5]);
  // 13 decades, about 5 labels → every 3rd power.
  assert.deepEqual(logTicks(1e-8, 1e4, 5), [1e-8, 1e-5, 1e-2, 10, 1e4]);
  // 0.0011..0.78: only 0.01 and 0.1 are powers of ten inside → 1× and 3× of them.
  assert.deepEqual(logTicks(0.0011, 0.78), [0.003, 0.01, 0.03, 0.1, 0.3]);
  assert.equal(labelEvery(3, 40), 20); // 20 · 3 px = 60 px ≥ 40 px; 10 · 3 = 30 px is too close
  assert.equal(labelEvery(50, 40), 1);
  assert.equal(labelEvery(0, 40), 1);
});

test('y range: padding, flat series, percent clipped to [0, 1], log by decades', () => {
  const [a, b] = yRange(1, 3);
  close(a, 0.9); close(b, 3.1);
  const [c, d] = yRange(2, 2);
  assert.ok(c < 2 && d > 2);
  assert.deepEqual(yRange(0.5, 1, { percent: true }).map((v) => Number(v.toFixed(6))), [0.475, 1]);
  const [e, f] = yRange(0.01, 1, { log: true }); // two decades, 5 % of them = 0.1 decade each side
  close(Math.log10(e), -2.1); close(Math.log10(f), 0.1);
});

test('number formatting', () => {
  assert.equal(formatValue(0.934, true), '93.4%');
  assert.equal(formatValue(0.123456), '0.1235');
  assert.equal(formatValue(2.302585), '2.303');
  assert.equal(formatValue(0.00001234), '1.23e-5');
  assert.equal(formatValue(NaN), '–');
  assert.equal(formatTick(0.9, true), '90%');
  assert.equal(formatTick(0.925, true), '92.5%');
  assert.equal(formatTick(0.5), '0.5');
  assert.equal(formatTick(1e-4), '1e-4');
});
