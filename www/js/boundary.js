// "See inside: decision boundary" for the 2-D classification datasets (circles,
// moons, spirals, gaussians, or/and/xor): the model's class probabilities over
// the input plane on a GRID×GRID grid, evaluated in the worker by the model's
// own forward pass (the existing `predict` message, all grid points in one
// request), with the training and test points on top. Redrawn while training:
// one request always queued in the worker, which answers it between its ~40 ms
// training chunks, and at most one every MIN_MS (≤ 25 frames/s).
import { group, h, setText } from './dom.js';
import { CLASS_COLORS, mountHeatmap } from './components/heatmap.js';

export const GRID = 64;
const MIN_MS = 40;

/** The plane around the points: their bounding box plus 10 % (at least ±0.5 around a single value). */
export function planeAround(xs, ys) {
  const span = (v) => {
    let lo = Math.min(...v); let hi = Math.max(...v);
    const pad = Math.max(0.5, (hi - lo) * 0.1);
    lo -= pad; hi += pad;
    return [lo, hi];
  };
  return [...span(xs), ...span(ys)];
}

/** The grid's inputs: n·n rows of (x, y), row-major, row 0 at y_min (as the heat map reads them). */
export function gridInputs(n, [x0, x1, y0, y1]) {
  const out = new Float32Array(n * n * 2);
  for (let j = 0; j < n; j += 1) {
    for (let i = 0; i < n; i += 1) {
      out[(j * n + i) * 2] = x0 + ((x1 - x0) * i) / (n - 1);
      out[(j * n + i) * 2 + 1] = y0 + ((y1 - y0) * j) / (n - 1);
    }
  }
  return out;
}

export function mountBoundary(root, session, store, engine) {
  const plot = h('div', { class: 'gl-boundary-plot' });
  const stats = h('p', { class: 'muted', 'aria-live': 'off' });
  const legend = h('p', { class: 'gl-boundary-legend' });
  root.append(
    h('p', { class: 'hint' }, `The model's most likely class at each point of the plane (${GRID}×${GRID} = `,
      `${group(GRID * GRID)} inputs through its forward pass in the worker, redrawn while it trains); `,
      'paler where it is unsure. Discs: training points, rings: test points.'),
    plot, legend, stats);
  const heat = mountHeatmap(plot, { label: 'decision boundary: class probabilities over the input plane, data points on top' });
  const api = { grid: GRID, correct: null, draws: 0, fps: 0, drawnStep: -1, heat };
  let data = null; let dirty = false; let inflight = false; let last = 0; let timer = null; let info = null;
  const stamps = [];

  async function setup(dataset) {
    info = dataset;
    const two = dataset && (dataset.numClasses ?? 0) >= 2 && dataset.sampleShape?.length === 1 && dataset.sampleShape[0] === 2;
    root.hidden = !two;
    data = null;
    if (!two) return;
    try {
      const points = [];
      for (const [split, count] of [['train', dataset.train], ['test', dataset.test]]) {
        const s = await engine.request('samples', { split, indices: Array.from({ length: count }, (_, i) => i) });
        const labels = Array.from(s.labels);
        labels.forEach((label, i) => points.push({ x: s.x[2 * i], y: s.x[2 * i + 1], label, test: split === 'test' }));
      }
      if (info !== dataset) return;
      const bounds = planeAround(points.map((p) => p.x), points.map((p) => p.y));
      data = { points, bounds, input: gridInputs(GRID, bounds) };
      legend.replaceChildren(...(dataset.classNames ?? []).map((name, c) =>
        h('span', { class: 'gl-boundary-key', style: `--key: ${CLASS_COLORS[c % CLASS_COLORS.length]}` }, name)));
      dirty = true;
      pump();
    } catch (e) { setText(stats, `Could not load the points: ${e.message}`); }
  }

  function pump() {
    if (!data || inflight || !dirty || root.hidden) return;
    const wait = MIN_MS - (performance.now() - last);
    if (wait > 0) { if (!timer) timer = setTimeout(() => { timer = null; pump(); }, wait); return; }
    dirty = false; inflight = true; last = performance.now();
    const frame = data;
    const { step, running } = store.get();
    engine.request('predict', { input: frame.input }).then(({ output, shape }) => {
      if (frame !== data) return;
      const k = shape[shape.length - 1];
      const { correct } = heat.draw({ probs: output, k, n: GRID, bounds: frame.bounds, points: frame.points });
      if (running) stamps.push(performance.now()); else stamps.length = 0;
      // Frames per second while training: draws over the time they spanned.
      if (stamps.length >= 2) api.fps = Math.round(((stamps.length - 1) * 1000) / (stamps[stamps.length - 1] - stamps[0]));
      Object.assign(api, { correct, draws: heat.draws(), drawnStep: step });
      setText(stats, `${(correct * 100).toFixed(1)} % of the points lie on their class's colour`
        + (running && stamps.length >= 2 ? ` · ${api.fps} frames/s while training` : ''));
      // While training, the next field is already due: queue it now, so it is answered at the end of
      // the worker's current chunk instead of after the next progress report.
      if (store.get().running) dirty = true;
    }).catch((e) => setText(stats, e.message)).finally(() => { inflight = false; pump(); });
  }

  const touch = () => { dirty = true; pump(); };
  for (const ev of ['progress', 'reset', 'loaded', 'paused', 'stopped', 'finished']) session.on(ev, touch);
  store.subscribe((s, changed) => { if (changed.has('dataInfo') && s.dataInfo !== info) setup(s.dataInfo); });
  root.hidden = true;
  if (store.get().dataInfo) setup(store.get().dataInfo);
  return api;
}
