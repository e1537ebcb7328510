// "See inside: the fitted curve" (issue 11 item 1, last sentence): for a
// regression set with one input feature (the `sine` toy set), the model's
// output over the input line (N_CURVE points through its forward pass in the
// worker, the existing `predict` message) drawn over the training and test
// points, redrawn while training (one request queued at a time, at most one
// every MIN_MS). The same request predicts the training points, giving the
// curve's mean squared error on them.
import { h, setText } from './dom.js';
import { fitCanvas } from './components/contour.js';

export const N_CURVE = 200;
const MIN_MS = 60;
const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches;

/** `n` evenly spaced values over [lo, hi] (with both ends). */
export function line(lo, hi, n) {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Mean of (a[i] − b[i])². */
export function mse(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += (a[i] - b[i]) ** 2;
  return a.length ? s / a.length : NaN;
}

export function mountCurve(root, session, store, engine) {
  const canvas = h('canvas', { class: 'gl-curve', role: 'img', 'aria-label': 'the fitted curve over the data points' });
  const stats = h('p', { class: 'muted', 'aria-live': 'off' });
  root.append(h('p', { class: 'hint' }, `The model's output over the input line (${N_CURVE} inputs through its forward pass in the worker, `
    + 'redrawn while it trains). Discs: training points, rings: test points.'), canvas, stats);
  const api = { draws: 0, mse: null, drawnStep: -1, curve: null };
  let data = null; let info = null; let dirty = false; let inflight = false; let last = 0; let timer = null;

  async function setup(dataset) {
    info = dataset;
    const one = dataset && !dataset.numClasses && dataset.sampleShape?.length === 1 && dataset.sampleShape[0] === 1;
    root.hidden = !one;
    data = null;
    if (!one) return;
    try {
      const parts = [];
      for (const [split, count] of [['train', dataset.train], ['test', dataset.test]]) {
        const s = await engine.request('samples', { split, indices: Array.from({ length: count }, (_, i) => i) });
        parts.push({ x: Float32Array.from(s.x), y: Float32Array.from(s.targets ?? []), test: split === 'test' });
      }
      if (info !== dataset) return;
      const xs = parts.flatMap((p) => Array.from(p.x));
      const lo = Math.min(...xs); const hi = Math.max(...xs); const pad = (hi - lo) * 0.05 || 0.5;
      const grid = line(lo - pad, hi + pad, N_CURVE);
      const input = new Float32Array(N_CURVE + parts[0].x.length);
      input.set(grid); input.set(parts[0].x, N_CURVE);
      data = { parts, grid, input };
      dirty = true;
      pump();
    } catch (e) { setText(stats, `Could not load the points: ${e.message}`); }
  }

  function draw(curve) {
    const w = Math.max(280, Math.min(720, root.clientWidth || 600)); const ht = Math.round(w * 0.5);
    const g = fitCanvas(canvas, w, ht);
    g.clearRect(0, 0, w, ht);
    const ys = [...data.parts.flatMap((p) => Array.from(p.y)), ...curve].filter(Number.isFinite);
    let y0 = Math.min(...ys); let y1 = Math.max(...ys);
    const yp = (y1 - y0) * 0.08 || 0.5; y0 -= yp; y1 += yp;
    const x0 = data.grid[0]; const x1 = data.grid[data.grid.length - 1];
    const L = 8; const R = w - 8; const T = 8; const B = ht - 8;
    const sx = (x) => L + ((R - L) * (x - x0)) / (x1 - x0);
    const sy = (y) => B - ((B - T) * (Math.max(y0, Math.min(y1, y)) - y0)) / (y1 - y0);
    g.strokeStyle = 'rgb(128 128 128 / .35)'; g.lineWidth = 1;
    g.beginPath(); g.moveTo(L, sy(0)); g.lineTo(R, sy(0)); g.stroke();
    for (const p of data.parts) {
      g.strokeStyle = '#0072B2'; g.fillStyle = '#0072B2';
      for (let i = 0; i < p.x.length; i += 1) {
        g.beginPath(); g.arc(sx(p.x[i]), sy(p.y[i]), 2.5, 0, 2 * Math.PI);
        if (p.test) g.stroke(); else g.fill();
      }
    }
    g.strokeStyle = dark() ? '#F0E442' : '#D55E00'; g.lineWidth = 2.5;
    g.beginPath();
    curve.forEach((y, i) => (i ? g.lineTo(sx(data.grid[i]), sy(y)) : g.moveTo(sx(data.grid[i]), sy(y))));
    g.stroke();
  }

  function pump() {
    if (!data || inflight || !dirty || root.hidden || !store.get().hasSession) return;
    const wait = MIN_MS - (performance.now() - last);
    if (wait > 0) { if (!timer) timer = setTimeout(() => { timer = null; pump(); }, wait); return; }
    dirty = false; inflight = true; last = performance.now();
    const frame = data;
    const { step } = store.get();
    engine.request('predict', { input: frame.input }).then(({ output }) => {
      if (frame !== data) return;
      const curve = output.slice(0, N_CURVE);
      draw(curve);
      api.mse = mse(output.slice(N_CURVE), frame.parts[0].y);
      Object.assign(api, { draws: api.draws + 1, drawnStep: step, curve: Array.from(curve) });
      setText(stats, `Mean squared error of the curve on the training points: ${api.mse.toFixed(4)}`);
      if (store.get().running) dirty = true;
    }).catch((e) => setText(stats, e.message)).finally(() => { inflight = false; pump(); });
  }

  const touch = () => { dirty = true; pump(); };
  for (const ev of ['configured', 'progress', 'reset', 'loaded', 'paused', 'stopped', 'finished']) session.on(ev, touch);
  store.subscribe((s, changed) => { if (changed.has('dataInfo') && s.dataInfo !== info) setup(s.dataInfo); });
  root.hidden = true;
  if (store.get().dataInfo) setup(store.get().dataInfo);
  return api;
}
