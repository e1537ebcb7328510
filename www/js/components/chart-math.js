// Pure helpers of the live chart (chart.js): smoothing, decimation, scales,
// ticks and number formatting. No DOM; unit tested in node.

/**
 * Debiased exponential moving average, as TensorBoard's smoothing slider:
 *   last_k = w·last_{k−1} + (1 − w)·y_k,  last_0 = 0
 *   smoothed_k = last_k / (1 − w^k)
 * (the division removes the bias towards the zero start). w = 0 is no smoothing.
 * `state` = {last, count}; non-finite y leave the state unchanged and return y.
 */
export function emaStep(state, y, w) {
  if (!Number.isFinite(y)) return y;
  if (!(w > 0)) { state.count += 1; state.last = y; return y; }
  state.last = w * state.last + (1 - w) * y;
  state.count += 1;
  return state.last / (1 - w ** state.count);
}

/** Smooths ys[0..n) into a new Float64Array with emaStep. */
export function smoothAll(ys, n, w) {
  const out = new Float64Array(n);
  const st = { last: 0, count: 0 };
  for (let i = 0; i < n; i += 1) out[i] = emaStep(st, ys[i], w);
  return out;
}

/**
 * Index of the point of sorted xs[0..n) nearest to x (ties: the earlier one); -1 if n = 0.
 */
export function nearestIndex(xs, n, x) {
  if (n === 0) return -1;
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1; else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x)) return lo - 1;
  return lo;
}

/**
 * M4 decimation: splits [x0, x1] into `buckets` equal columns and keeps, per
 * column, the first, last, minimum-y and maximum-y points (in index order).
 * The drawn polyline then has the same pixel extent as the full one, with at
 * most 4·buckets points. Points with non-finite y (or, with `positiveOnly`, y ≤ 0)
 * are skipped. Returns an array of indices into xs/ys, increasing.
 */
export function decimate(xs, ys, n, x0, x1, buckets, positiveOnly = false) {
  const out = [];
  if (n === 0) return out;
  const ok = (y) => Number.isFinite(y) && (!positiveOnly || y > 0);
  if (n <= 4 * buckets) {
    for (let i = 0; i < n; i += 1) if (ok(ys[i])) out.push(i);
    return out;
  }
  const span = x1 - x0 || 1;
  let col = -1, first = -1, last = -1, lo = -1, hi = -1;
  const flush = () => {
    if (first < 0) return;
    const keep = [first, lo, hi, last].sort((a, b) => a - b);
    for (let k = 0; k < 4; k += 1) if (k === 0 || keep[k] !== keep[k - 1]) out.push(keep[k]);
  };
  for (let i = 0; i < n; i += 1) {
    const y = ys[i];
    if (!ok(y)) continue;
    const c = Math.min(buckets - 1, Math.max(0, Math.floor(((xs[i] - x0) / span) * buckets)));
    if (c !== col) {
      flush();
      col = c; first = last = lo = hi = i;
    } else {
      last = i;
      if (y < ys[lo]) lo = i;
      if (y > ys[hi]) hi = i;
    }
  }
  flush();
  return out;
}

/** "Nice" step (1, 2 or 5 × 10^k) so that [min, max] gets about `count` intervals. */
export function niceStep(min, max, count) {
  const raw = Math.abs(max - min) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** Ticks at multiples of niceStep inside [min, max] (inclusive, with float slack). */
export function niceTicks(min, max, count = 5) {
  const step = niceStep(min, max, count);
  const ticks = [];
  const start = Math.ceil(min / step - 1e-9);
  for (let k = start; k * step <= max + step * 1e-9 && ticks.length < 1000; k += 1) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/**
 * Ticks for a log10 axis over [min, max] (both > 0): powers of ten; with at most
 * two decades also 2× and 5× of them; with many decades every k-th power; never
 * fewer than 3 labels when 3× or 2×/5× of the powers can provide them.
 */
export function logTicks(min, max, count = 5) {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const every = Math.max(1, Math.ceil((hi - lo + 1) / Math.max(1, count)));
  const make = (mult) => {
    const ticks = [];
    for (let e = lo; e <= hi; e += 1) {
      if ((e - lo) % every !== 0) continue;
      for (const m of mult) {
        const v = Number((m * 10 ** e).toPrecision(12));
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
      }
    }
    return ticks;
  };
  // Fewer than 3 labels: add 3× (then 2× and 5×) the powers of ten.
  let ticks = make(hi - lo <= 2 ? [1, 2, 5] : [1]);
  if (ticks.length < 3 && every === 1) ticks = make([1, 3]);
  if (ticks.length < 3 && every === 1) ticks = make([1, 2, 5]);
  return ticks;
}

/**
 * The y range to show for data in [lo, hi] (lo ≤ hi, finite): 5 % padding on a
 * linear axis, a quarter decade on a log axis (needs lo > 0), and for
 * percentages the padded range clipped to [0, 1]. A flat series gets a small span.
 */
export function yRange(lo, hi, { log = false, percent = false } = {}) {
  if (log) {
    const a = Math.log10(lo), b = Math.log10(hi);
    const pad = Math.max(0.05, (b - a) * 0.05);
    return [10 ** (a - pad), 10 ** (b + pad)];
  }
  let span = hi - lo;
  if (!(span > 0)) span = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
  let a = lo - span * 0.05, b = hi + span * 0.05;
  if (percent) { a = Math.max(0, a); b = Math.min(1, b); if (b <= a) { a = Math.max(0, b - 0.1); } }
  return [a, b];
}

/** Value → text: percent with one decimal ("93.4%"), or 4 significant digits (exponent when tiny/huge). */
export function formatValue(v, percent = false) {
  if (!Number.isFinite(v)) return '–';
  if (percent) return `${(v * 100).toFixed(1)}%`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** Tick label text: shorter than formatValue (percent without decimals when whole). */
export function formatTick(v, percent = false) {
  if (percent) {
    const p = v * 100;
    return `${Number(p.toPrecision(6)) % 1 === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
  }
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(0);
  return String(Number(v.toPrecision(6)));
}

/**
 * Every k-th of `count` evenly spread labels so they are at least `minPx` apart
 * when `pxPer` pixels separate consecutive ones: k ∈ 1, 2, 5, 10, 20, 50, ...
 */
export function labelEvery(pxPer, minPx) {
  if (!(pxPer > 0)) return 1;
  let k = 1;
  for (let p = 1; ; p *= 10) {
    for (const m of [1, 2, 5]) {
      k = m * p;
      if (k * pxPer >= minPx) return k;
    }
    if (p > 1e9) return k;
  }
}
