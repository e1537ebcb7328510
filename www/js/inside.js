// "See inside: gradients and weights" (issue 11 item 3): per-layer gradient
// norm and weight norm of the main run over the steps (log scale), and
// histograms of each layer's weights and activations at the current step.
// The norms are the core's probe (crate/src/model/probe.rs): switched on in the
// worker only while this panel is open (0 cost when closed), aggregated per
// training chunk (the mean ‖∂L/∂kernel‖₂ over the chunk's batches, the kernel's
// ‖W‖₂ at its end), fetched after each progress report. The histograms are
// computed on request (crate/src/inside.rs) about once a second while training.
import { group, h, setText } from './dom.js';
import { mountMiniChart } from './components/minichart.js';
import { mountHistogram } from './components/histogram.js';
import { normalizeConfig } from './state.js';
import { encodeConfig } from './url.js';

const HIST_MS = 1000;
const MAX_POINTS = 600;

/** Viridis stops (colour-blind safe, light/dark readable): first layer dark purple → last yellow. */
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
export function layerColor(i, n) {
  const t = n <= 1 ? 0 : i / (n - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(t * (VIRIDIS.length - 1)));
  const f = t * (VIRIDIS.length - 1) - k;
  const c = VIRIDIS[k].map((v, j) => Math.round(v + (VIRIDIS[k + 1][j] - v) * f));
  return `rgb(${c.join(' ')})`;
}

/** The demo: 8 × Dense(32) on MNIST with `activation` and `init`, plain SGD. */
export function deepStack(activation, init) {
  const dense = { type: 'Dense', units: 32, activation, kernel_initializer: init };
  return {
    dataset: 'mnist', seed: 42, epochs: 2, batch_size: 32, validation_split: 0.1,
    layers: [{ type: 'Flatten' }, ...Array.from({ length: 8 }, () => ({ ...dense })), { type: 'Dense', units: 10, activation: 'softmax' }],
    loss: 'categorical_crossentropy', optimizer: { name: 'sgd', learning_rate: 0.01 },
  };
}
export const PRESETS = [
  ['Deep sigmoid stack (8 × Dense(32, sigmoid), glorot_uniform)', () => deepStack('sigmoid', 'glorot_uniform')],
  ['Same with relu + he_normal', () => deepStack('relu', 'he_normal')],
];

/** Kernel rows of a probe report, in layer order: [{layer, name, grad, weight}]. */
export function kernelsOf(report) {
  return report.params.filter((p) => p.param === 'kernel')
    .map((p) => ({ layer: p.layer, name: p.layer_name, grad: p.grad_norm, weight: p.weight_norm }));
}

/** Last hidden layer's gradient norm over the first's (the output layer left out when there are ≥ 3), mean of `reports`. */
export function vanishingRatio(reports) {
  const rows = reports.map(kernelsOf).filter((k) => k.length >= 2);
  if (!rows.length) return null;
  const n = rows[0].length;
  const lastHidden = n >= 3 ? n - 2 : n - 1;
  const mean = (i) => rows.reduce((s, k) => s + k[i].grad, 0) / rows.length;
  const first = mean(0);
  return first > 0 ? mean(lastHidden) / first : Infinity;
}

export function mountInside(root, session, store, engine) {
  const details = h('details', { class: 'gl-inside' });
  const presetLinks = PRESETS.map(([label, make]) => h('button', { type: 'button', class: 'secondary',
    onclick: () => { details.open = true; location.hash = encodeConfig(normalizeConfig(make())); } }, label));
  const ratioEl = h('p', { class: 'gl-inside-ratio', 'aria-live': 'polite' });
  const legend = h('p', { class: 'gl-inside-legend' });
  const gradEl = h('div', { class: 'gl-inside-chart' });
  const weightEl = h('div', { class: 'gl-inside-chart' });
  const histEl = h('div', { class: 'gl-inside-hists' });
  const note = h('p', { class: 'muted', 'aria-live': 'off' });
  details.append(
    h('summary', {}, 'Watch gradient and weight norms, histograms (collected while this is open)'),
    h('p', { class: 'hint' }, 'The demo of vanishing gradients: train one, then the other, and compare the first and last layers\' gradient norms.'),
    h('p', { class: 'gl-inside-presets' }, ...presetLinks),
    ratioEl, legend,
    h('h3', {}, 'Gradient norm per layer, ‖∂L/∂kernel‖₂ (mean over each chunk\'s batches)'), gradEl,
    h('h3', {}, 'Weight norm per layer, ‖kernel‖₂'), weightEl,
    h('h3', {}, 'Histograms at the current step: weights (blue) and activations on 256 training samples (orange)'), histEl,
    note);
  root.append(h('p', { class: 'hint' }, 'Inside the network while it trains: how large each layer\'s gradients and weights are, and how its values are spread.'),
    details);
  const gradChart = mountMiniChart(gradEl, { label: 'gradient norm of each layer\'s kernel over the training steps, log scale' });
  const weightChart = mountMiniChart(weightEl, { label: 'weight norm of each layer\'s kernel over the training steps, log scale' });
  const api = { reports: [], histograms: null, ratio: null, probeOn: false, details };
  let normsBusy = false; let histBusy = false; let lastHist = 0; let histTimer = null;

  const clear = () => { api.reports = []; api.ratio = null; api.histograms = null; draw(); };

  function draw() {
    const reports = api.reports;
    const names = reports.length ? kernelsOf(reports[0]).map((k) => k.name) : [];
    const series = (key) => names.map((_, i) => ({
      ys: reports.map((r) => kernelsOf(r)[i]?.[key] ?? NaN), color: layerColor(i, names.length) }));
    const lastStep = reports.length ? reports[reports.length - 1].step : 0;
    const xLabel = `step ${group(lastStep)}`;
    gradChart.update(series('grad'), { log: true, yLabel: '‖g‖', xLabel });
    weightChart.update(series('weight'), { log: true, yLabel: '‖W‖', xLabel });
    legend.replaceChildren(...names.map((n) => h('span', { class: 'gl-inside-key' },
      h('canvas', { width: 10, height: 10, class: 'gl-inside-swatch', 'aria-hidden': 'true' }), n)));
    legend.querySelectorAll('canvas').forEach((c, i) => {
      const g = c.getContext('2d');
      if (g) { g.fillStyle = layerColor(i, names.length); g.fillRect(0, 0, 10, 10); }
    });
    api.ratio = vanishingRatio(reports.slice(-5));
    setText(ratioEl, api.ratio === null ? 'Train to see the gradient norms.'
      : `Gradient norm of the last hidden layer ÷ the first: ${api.ratio >= 10 ? group(api.ratio) : api.ratio.toFixed(2)}×`
        + (api.ratio >= 100 ? ' — the first layers barely learn (vanishing gradient).' : ''));
  }

  function drawHistograms(hs) {
    api.histograms = hs;
    histEl.replaceChildren();
    for (const l of hs) {
      const cell = h('figure', { class: 'gl-inside-layer' }, h('figcaption', {}, `${l.name} (${l.kind})`));
      if (l.weights) mountHistogram(cell, { label: `${l.name} weights`, color: '#0072B2' }).update(l.weights);
      mountHistogram(cell, { label: `${l.name} activations`, color: '#E69F00' }).update(l.activations);
      histEl.append(cell);
    }
  }

  async function pullNorms() {
    if (!details.open || normsBusy || !store.get().hasSession) return;
    normsBusy = true;
    try {
      const { report } = await engine.request('inside-norms');
      if (report && report.batches > 0) {
        api.reports.push(report);
        if (api.reports.length > MAX_POINTS) api.reports.splice(0, api.reports.length - MAX_POINTS);
        draw();
      }
    } catch (e) { setText(note, e.message); } finally { normsBusy = false; }
  }

  async function pullHistograms() {
    if (!details.open || histBusy || !store.get().hasSession) return;
    const wait = HIST_MS - (performance.now() - lastHist);
    if (store.get().running && wait > 0) {
      if (!histTimer) histTimer = setTimeout(() => { histTimer = null; pullHistograms(); }, wait);
      return;
    }
    histBusy = true; lastHist = performance.now();
    try {
      const { histograms } = await engine.request('inside', { samples: 256, bins: 30 });
      drawHistograms(histograms);
    } catch (e) { setText(note, e.message); } finally { histBusy = false; }
  }

  async function setProbe() {
    const on = details.open;
    if (!store.get().hasSession) return;
    try {
      await engine.request('inside-probe', { on });
      api.probeOn = on;
      if (on) pullHistograms();
    } catch (e) { setText(note, e.message); }
  }

  details.addEventListener('toggle', () => { setProbe(); draw(); });
  session.on('configured', () => { clear(); setProbe(); });
  session.on('reset', () => { clear(); setProbe(); });
  session.on('loaded', () => { clear(); pullHistograms(); });
  session.on('progress', () => { pullNorms(); pullHistograms(); });
  for (const ev of ['paused', 'stopped', 'finished']) session.on(ev, () => { pullNorms(); lastHist = 0; pullHistograms(); });
  draw();
  return api;
}
