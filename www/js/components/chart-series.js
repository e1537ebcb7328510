// One chart series as growable typed arrays: raw points (x, y, epoch), the
// smoothed line (TensorBoard's debiased EMA), point notes and the running
// extremes the axes need. No DOM: chart.js draws it.
import { emaStep, smoothAll } from './chart-math.js';

/** Defaults per series name; the smoothing factor is TensorBoard's (debiased EMA). */
const DEFAULTS = {
  train: { label: 'training', smooth: 0.9, markers: false, colorVar: '--gl-series-1' },
  val: { label: 'validation', smooth: 0, markers: true, colorVar: '--gl-series-2' },
};
export function newSeries(name) {
  const d = DEFAULTS[name] ?? { label: name, smooth: 0, markers: false, colorVar: '--gl-series-3' };
  return { name, label: d.label, smooth: d.smooth, markers: d.markers, colorVar: d.colorVar, color: null, legend: true,
    dash: null, n: 0, xs: new Float64Array(64), ys: new Float64Array(64), sm: new Float64Array(64),
    ep: new Float64Array(64), notes: new Map(), ema: { last: 0, count: 0 },
    min: Infinity, max: -Infinity, minPos: Infinity, resolvedColor: '#0072B2' };
}

function grow(s) {
  for (const k of ['xs', 'ys', 'sm', 'ep']) {
    const a = new Float64Array(s[k].length * 2);
    a.set(s[k]);
    s[k] = a;
  }
}

function track(s, v) {
  if (!Number.isFinite(v)) return;
  if (v < s.min) s.min = v;
  if (v > s.max) s.max = v;
  if (v > 0 && v < s.minPos) s.minPos = v;
}

/** Recomputes smoothing and extremes from the raw points (after sorting or a new factor). */
export function rebuild(s) {
  s.sm = new Float64Array(s.xs.length);
  s.sm.set(smoothAll(s.ys, s.n, s.smooth));
  s.ema = { last: 0, count: 0 };
  for (let i = 0; i < s.n; i += 1) emaStep(s.ema, s.ys[i], s.smooth);
  s.min = Infinity; s.max = -Infinity; s.minPos = Infinity;
  for (let i = 0; i < s.n; i += 1) { track(s, s.ys[i]); track(s, s.sm[i]); }
}

function sortByX(s) {
  const order = Array.from({ length: s.n }, (_, i) => i).sort((a, b) => s.xs[a] - s.xs[b] || a - b);
  for (const k of ['xs', 'ys', 'ep']) { const old = s[k].slice(0, s.n); order.forEach((o, i) => { s[k][i] = old[o]; }); }
  const notes = new Map();
  order.forEach((o, i) => { if (s.notes.has(o)) notes.set(i, s.notes.get(o)); });
  s.notes = notes;
}


/** Appends one point (y may be NaN: a gap); `label` is a note shown by the tooltip. */
export function pushPoint(s, x, y, ep, label) {
  if (s.n === s.xs.length) grow(s);
  s.xs[s.n] = x; s.ys[s.n] = y; s.ep[s.n] = ep;
  if (label) s.notes.set(s.n, label);
  s.sm[s.n] = emaStep(s.ema, y, s.smooth);
  track(s, y); track(s, s.sm[s.n]);
  s.n += 1;
}

/** Puts points that arrived out of order back in x order and recomputes the smoothing. */
export function sortSeries(s) {
  sortByX(s);
  rebuild(s);
}
