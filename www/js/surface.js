// "See inside: loss surfaces" — the momentum demo. Contours of a 2-D test
// function; the user clicks a start point and several optimizers leave
// coloured paths, stepped in the worker by the core's own optimizer updates
// (worker-surfaces.js → crate/src/surfaces). Moving a slider recomputes the
// first STEPS steps of every path: one request in flight at a time, the
// latest settings win, and a reply is drawn at once (no waiting for a frame).
// Opens on the preset where plain SGD zig-zags near its stability limit
// (lr·κ = 1.9 < 2) while momentum glides.
import { h, fmt, whenNear } from './dom.js';
import { mountContour } from './components/contour.js';
import { mountMiniChart } from './components/minichart.js';

const STEPS = 200;
const colorOf = (o) => (window.matchMedia?.('(prefers-color-scheme: dark)').matches && o.darkColor) || o.color;
const GRID = { nx: 160, ny: 100 };
/** Okabe–Ito colour (darkColor on a dark background) and a dash per optimizer; `make(lr, momentum, adaptiveLr)` → the core's optimizer JSON. */
export const OPTIMIZERS = [
  { id: 'sgd', label: 'SGD', color: '#D55E00', dash: [], on: true, make: (lr) => ({ name: 'sgd', learning_rate: lr }) },
  { id: 'momentum', label: 'SGD + momentum', color: '#0072B2', darkColor: '#56B4E9', dash: [9, 4], on: true,
    make: (lr, m) => ({ name: 'sgd', learning_rate: lr, momentum: m }) },
  { id: 'nesterov', label: 'Nesterov', color: '#009E73', dash: [2, 3], on: false,
    make: (lr, m) => ({ name: 'sgd', learning_rate: lr, momentum: m, nesterov: true }) },
  { id: 'rmsprop', label: 'RMSprop', color: '#CC79A7', dash: [12, 3, 2, 3], on: false,
    make: (lr, m, a) => ({ name: 'rmsprop', learning_rate: a }) },
  { id: 'adam', label: 'Adam', color: '#E69F00', dash: [5, 5], on: true, make: (lr, m, a) => ({ name: 'adam', learning_rate: a }) },
  { id: 'adagrad', label: 'Adagrad', color: '#7a7a7a', dash: [1, 4], on: false,
    make: (lr, m, a) => ({ name: 'adagrad', learning_rate: a }) },
];
/** Settings each function opens with (lr: SGD family, m: momentum, a: adaptive optimizers' lr). */
const PRESETS = {
  quadratic: { kappa: 100, lr: 0.019, m: 0.9, a: 0.1 },
  rosenbrock: { lr: 0.001, m: 0.9, a: 0.2 },
  beale: { lr: 0.002, m: 0.9, a: 0.1 },
  saddle: { lr: 0.05, m: 0.9, a: 0.05 },
  linear_fit: { lr: 0.007, m: 0.9, a: 0.1 },
};

function slider(id, text, { min, max, step, value, log = false }) {
  const input = h('input', { id, type: 'range', min, max, step, value: log ? Math.log10(value) : value });
  const out = h('output', { for: id, class: 'gl-surface-value' });
  const get = () => (log ? 10 ** Number(input.value) : Number(input.value));
  const show = () => { out.textContent = fmt(get(), 3); };
  show();
  const box = h('div', { class: 'field gl-surface-slider' }, h('label', { for: id }, text, ' ', out), input);
  return { box, input, get, show, set(v) { input.value = log ? Math.log10(v) : v; show(); } };
}

export function mountSurface(root, engine) {
  const state = { fn: 'quadratic', ...PRESETS.quadratic, start: null, info: null, on: new Set(OPTIMIZERS.filter((o) => o.on).map((o) => o.id)) };
  const select = h('select', { id: 'surface-fn' });
  const kappa = slider('surface-kappa', 'condition number κ', { min: 0, max: 3, step: 0.01, value: state.kappa, log: true });
  const lr = slider('surface-lr', 'learning rate (SGD, momentum, Nesterov)', { min: -4, max: 0, step: 0.001, value: state.lr, log: true });
  const mom = slider('surface-momentum', 'momentum', { min: 0, max: 0.99, step: 0.01, value: state.m });
  const alr = slider('surface-alr', 'learning rate (RMSprop, Adam, Adagrad)', { min: -4, max: 0, step: 0.001, value: state.a, log: true });
  const note = h('p', { class: 'hint', id: 'surface-title' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const plot = h('div', { class: 'gl-surface-plot' });
  const chartBox = h('div', { class: 'gl-surface-chart' });
  const legend = h('ul', { class: 'gl-surface-legend', 'aria-label': 'optimizers (tick to show)' });
  const rows = new Map();
  for (const o of OPTIMIZERS) {
    const box = h('input', { type: 'checkbox', id: `surface-on-${o.id}`, checked: state.on.has(o.id),
      onchange: () => { if (box.checked) state.on.add(o.id); else state.on.delete(o.id); recompute(); } });
    const swatch = h('canvas', { class: 'gl-surface-swatch', width: 36, height: 10, 'aria-hidden': 'true' });
    const g = swatch.getContext('2d');
    g.strokeStyle = colorOf(o); g.lineWidth = 3; g.setLineDash(o.dash); g.beginPath(); g.moveTo(0, 5); g.lineTo(36, 5); g.stroke();
    const status = h('span', { class: 'muted gl-surface-status' });
    legend.append(h('li', {}, box, h('label', { for: box.id }, swatch, ' ', o.label), ' ', status));
    rows.set(o.id, status);
  }
  root.append(
    h('p', { class: 'hint' }, 'The same optimizer code that trains the networks, on a 2-element parameter [x, y]. ',
      'Click the plot (or focus it and use the arrow keys) to choose the start; the sliders recompute the first ',
      `${STEPS} steps at once. Near SGD's stability limit (learning rate just under 2/κ) SGD zig-zags across the valley and crawls along it, `,
      'while momentum builds up speed along the valley and reaches the minimum.'),
    h('div', { class: 'gl-surface-controls' },
      h('div', { class: 'field' }, h('label', { for: select.id }, 'Function'), select), kappa.box, lr.box, mom.box, alr.box),
    note, error,
    h('div', { class: 'gl-surface-grid' }, plot, h('div', {}, legend, chartBox)),
  );
  const contour = mountContour(plot, { label: 'contours of the function with the optimizers\' paths',
    onPick: (x, y, byPointer) => { state.start = [x, y]; animateNext = byPointer; recompute(); } });
  const chart = mountMiniChart(chartBox, { label: 'loss per step for each optimizer' });
  const fnJson = () => (state.fn === 'quadratic' ? { name: 'quadratic', kappa: state.kappa } : { name: state.fn });
  const api = { latencies: [], paths: null, contour, state };
  let inflight = false; let again = false; let seq = 0; let drawnSeq = 0;
  let animateNext = true;   // a new start point or function: the paths grow step by step; slider moves: at once
  const say = (m) => { error.textContent = m ?? ''; error.hidden = !m; };

  async function recompute(inputSeq = seq) {
    if (!state.info) return;
    if (inflight) { again = true; return; }
    inflight = true;
    const chosen = OPTIMIZERS.filter((o) => state.on.has(o.id));
    try {
      const fn = fnJson();
      if (chosen.length) {
        const r = await engine.request('surface-paths', { fn, steps: STEPS, start: state.start,
          optimizers: chosen.map((o) => o.make(state.lr, state.m, state.a)) });
        render(chosen, r.paths);
      } else render([], []);
      drawnSeq = inputSeq;
      api.pathsFor = fn;
      say('');
    } catch (e) { say(e.message); }
    inflight = false;
    if (again) { again = false; recompute(seq); }
  }

  function render(chosen, paths) {
    api.paths = paths;
    contour.setPaths(paths.map((p, k) => ({ ...p, color: colorOf(chosen[k]), dash: chosen[k].dash })), state.start,
      { animate: animateNext });
    animateNext = false;
    const fmin = state.info.min_value;
    chart.update(paths.map((p, k) => ({ ys: p.losses.map((v) => (fmin === null ? v : v - fmin)),
      color: colorOf(chosen[k]), dash: chosen[k].dash })), { yLabel: fmin === null ? 'f' : 'f − f*', log: fmin !== null,
      range: state.range });
    for (const o of OPTIMIZERS) rows.get(o.id).textContent = '';
    paths.forEach((p, k) => {
      rows.get(chosen[k].id).textContent = p.stopped ?? `f = ${fmt(p.losses[p.losses.length - 1], 3)} after ${p.losses.length - 1} steps`;
    });
  }

  /** A slider moved: count the frames presented before the new paths are drawn (0 = the very next frame
   *  shows them, 1 = the one after it: within one frame). */
  function onInput() {
    const id = ++seq;
    const t0 = performance.now();
    let frames = 0;
    const tick = () => {
      if (drawnSeq >= id) { api.latencies.push({ ms: performance.now() - t0, frames }); return; }
      frames += 1;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    recompute(id);
  }

  async function load(keepStart = false) {
    try {
      const r = await engine.request('surface-grid', { fn: fnJson(), ...GRID });
      const [x0, x1, y0, y1] = r.info.bounds;
      const inside = state.start && state.start[0] > x0 && state.start[0] < x1 && state.start[1] > y0 && state.start[1] < y1;
      if (!(keepStart && inside)) state.start = r.info.start;
      state.info = r.info;
      let lo = Infinity; let hi = -Infinity;
      for (const v of r.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      state.range = [lo, hi];
      note.textContent = r.info.title;
      contour.setSurface({ values: r.values, nx: r.nx, ny: r.ny, bounds: r.bounds, minimum: r.info.minimum });
      say('');
      await recompute(seq);
    } catch (e) { say(e.message); }
  }

  select.addEventListener('change', () => {
    state.fn = select.value;
    animateNext = true;
    const p = PRESETS[state.fn] ?? {};
    Object.assign(state, p);
    lr.set(state.lr); mom.set(state.m); alr.set(state.a);
    if (p.kappa) kappa.set(p.kappa);
    kappa.box.hidden = state.fn !== 'quadratic';
    load();
  });
  kappa.input.addEventListener('input', () => { kappa.show(); state.kappa = Number(kappa.get().toPrecision(3)); load(true); });
  for (const [s, key] of [[lr, 'lr'], [mom, 'm'], [alr, 'a']]) {
    s.input.addEventListener('input', () => { s.show(); state[key] = s.get(); onInput(); });
  }

  // Computed when the panel first nears the screen: it sits below the fold, and its work (a grid
  // of the surface, six optimizer paths) would otherwise compete with the page's start (issue 14.4).
  whenNear(root, () => engine.request('surface-list').then(({ list }) => {
    select.replaceChildren(...list.map((f) => h('option', { value: f.name }, f.title)));
    select.value = state.fn;
    return load();
  }).catch((e) => say(e.message)));
  return api;
}
