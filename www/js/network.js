// "See inside: the network drawn" (issue 11 item 4). For models of ≤ 8 Dense
// layers: neurons as nodes (≤ 16 drawn per layer, larger layers summarised
// "… 128 units"), weights as edges coloured by sign (Okabe–Ito blue > 0,
// orange < 0) and thick by |w|; for 2-D inputs each neuron shows its own map
// (its activation over a GRID×GRID grid of the input plane, TF Playground
// style). For 28×28 inputs whose first weighted layer is Dense: its first 32
// units' weights as 28×28 "templates"; for a Conv2D first layer: its filters
// and its feature maps of the drawn digit (or the first training image).
// Everything is copied from the worker on request (inside-weights, inside-output;
// crate/src/inside.rs), at most every MIN_MS while training.
import { h, setChildren, setText } from './dom.js';
import { drawGraph, imageCanvas } from './components/netdraw.js';
import { gridInputs, planeAround } from './boundary.js';

export const GRID = 24;
const MAX_LAYERS = 8;
const DRAWN = 16;
const TEMPLATES = 32;
const MIN_MS = 300;

/** The columns and edges of the graph from the weight blocks (all Dense), or a reason it is not drawn. */
export function graphOf(blocks, inputSize) {
  if (!blocks.length) return { reason: 'This model has no weights to draw.' };
  if (blocks.some((b) => b.kind !== 'Dense')) return { reason: 'The graph is drawn for Dense models; see the filters below.' };
  if (blocks.length > MAX_LAYERS) return { reason: `The graph is drawn for up to ${MAX_LAYERS} layers; this model has ${blocks.length}.` };
  const col = (label, units) => ({ label, nodes: Math.min(units, DRAWN), more: Math.max(0, units - DRAWN) });
  const columns = [col('input', inputSize), ...blocks.map((b) => col(b.name, b.units))];
  return { columns, edges: blocks.map((b) => ({ rows: b.rows, cols: b.cols, values: b.values })) };
}

/**
 * The first `n` canvases of `list`, each painted by `paint(i, canvas)`: the canvases of the last
 * refresh are painted again in place (none created while training; issue 14.5), missing ones new.
 */
function repaint(list, n, paint) {
  list.length = Math.min(list.length, n);
  for (let i = 0; i < n; i += 1) list[i] = paint(i, list[i] ?? null);
  return list.slice();
}

export function mountNetwork(root, session, store, engine, draw) {
  const kept = { templates: [], filters: [], maps: [] };   // the canvases on screen, repainted in place
  const graphEl = h('canvas', { class: 'gl-network-graph', role: 'img', 'aria-label': 'the network: neurons and weights' });
  const reason = h('p', { class: 'muted' });
  const imagesHead = h('h3', { hidden: true });
  const images = h('div', { class: 'gl-network-images' });
  const mapsHead = h('h3', { hidden: true }, 'Feature maps of the drawn digit (or the first training image)');
  const maps = h('div', { class: 'gl-network-images' });
  const note = h('p', { class: 'muted', 'aria-live': 'off' });
  root.append(
    h('p', { class: 'hint' }, 'Blue edges: positive weights, orange: negative; thicker = larger |w|. '
      + `For 2-D data each neuron shows what it computes over the input plane (${GRID}×${GRID} grid). Updated while training.`),
    graphEl, reason, imagesHead, images, mapsHead, maps, note);
  const api = { draws: 0, nodes: 0, templates: 0, filters: 0, featureMaps: 0, maps: 0 };
  let info = null; let plane = null; let busy = false; let dirty = false; let last = 0; let timer = null;

  async function setup(dataset) {
    info = dataset;
    plane = null;
    root.hidden = !dataset;
    if (dataset?.sampleShape?.length === 1 && dataset.sampleShape[0] === 2) {
      try {
        const s = await engine.request('samples', { split: 'train', indices: Array.from({ length: dataset.train }, (_, i) => i) });
        const xs = []; const ys = [];
        for (let i = 0; i < s.x.length; i += 2) { xs.push(s.x[i]); ys.push(s.x[i + 1]); }
        if (info === dataset) plane = gridInputs(GRID, planeAround(xs, ys));
      } catch (e) { setText(note, e.message); }
    }
    touch();
  }

  /** Per column of the graph, each drawn node's map: [column][node] = {values, n, range}. */
  async function nodeMaps(blocks) {
    const out = [null];
    for (const b of blocks) {
      const { values, shape } = await engine.request('inside-output', { input: plane, layer: b.index });
      const units = shape[shape.length - 1];
      const per = [];
      for (let u = 0; u < Math.min(units, DRAWN); u += 1) {
        const v = new Float32Array(GRID * GRID);
        let lo = Infinity; let hi = -Infinity;
        for (let p = 0; p < GRID * GRID; p += 1) { v[p] = values[p * units + u]; lo = Math.min(lo, v[p]); hi = Math.max(hi, v[p]); }
        per.push({ values: v, n: GRID, range: hi - lo > 1e-6 ? [lo, hi] : [lo - 1, hi + 1] });
      }
      out.push(per);
    }
    return out;
  }

  function showImages(title, canvases) {
    imagesHead.hidden = !canvases.length;
    setText(imagesHead, title);
    setChildren(images, canvases);
  }

  async function firstImage() {
    if (draw?.lastInput) return draw.lastInput;
    const s = await engine.request('samples', { split: 'train', indices: [0] });
    // Image pixels come as u8; the model sees them scaled to [0, 1] (as the core's gather does).
    return Float32Array.from(s.x, (v) => (s.x instanceof Uint8Array ? v / 255 : v));
  }

  async function refresh() {
    const { blocks } = await engine.request('inside-weights', { rows: DRAWN, cols: DRAWN });
    const shape = info?.sampleShape ?? [];
    const inputSize = shape.reduce((a, b) => a * b, 1);
    const graph = graphOf(blocks, inputSize);
    setText(reason, graph.reason ?? '');
    graphEl.hidden = Boolean(graph.reason);
    if (!graph.reason) {
      const m = plane ? await nodeMaps(blocks) : [];
      drawGraph(graphEl, { ...graph, maps: m }, Math.max(320, Math.min(900, root.clientWidth || 640)));
      api.nodes = graph.columns.reduce((s, c) => s + c.nodes, 0);
      api.maps = m.reduce((s, c) => s + (c?.length ?? 0), 0);
    } else { api.nodes = 0; api.maps = 0; }
    const image = shape.length === 3 && shape[2] === 1;
    const first = blocks[0];
    api.templates = 0; api.filters = 0; api.featureMaps = 0;
    if (image && first?.kind === 'Dense' && first.fan_in === shape[0] * shape[1]) {
      const { blocks: full } = await engine.request('inside-weights', { rows: first.fan_in, cols: TEMPLATES });
      const b = full[0];
      const cs = repaint(kept.templates, b.cols, (u, c) => imageCanvas(
        Float32Array.from({ length: b.rows }, (_, r) => b.values[r * b.cols + u]), shape[1], shape[0], 2, `${b.name} unit ${u + 1} weights`, {}, c));
      cs.forEach((c) => c.classList.add('gl-template'));
      showImages(`${b.name}: each unit's ${shape[0]}×${shape[1]} input weights ("templates"), first ${b.cols} of ${b.units}`, cs);
      api.templates = cs.length;
    } else if (image && first?.kind === 'Conv2D') {
      const [kh, kw, cin] = first.shape;
      const { blocks: full } = await engine.request('inside-weights', { rows: first.fan_in, cols: TEMPLATES });
      const b = full[0];
      const cs = repaint(kept.filters, b.cols, (f, c) => imageCanvas(
        Float32Array.from({ length: kh * kw }, (_, p) => b.values[(p * cin) * b.cols + f]), kw, kh, 8, `${b.name} filter ${f + 1}`, {}, c));
      cs.forEach((c) => c.classList.add('gl-filter'));
      showImages(`${b.name}: its ${kh}×${kw} filters (first channel), first ${b.cols} of ${b.units}`, cs);
      api.filters = cs.length;
      const out = await engine.request('inside-output', { input: await firstImage(), layer: first.index });
      const [oh, ow, oc] = out.shape;
      const fm = repaint(kept.maps, Math.min(oc, TEMPLATES), (f, c) => imageCanvas(
        Float32Array.from({ length: oh * ow }, (_, p) => out.values[p * oc + f]), ow, oh, 2, `feature map ${f + 1}`, {}, c));
      fm.forEach((c) => c.classList.add('gl-featuremap'));
      setChildren(maps, fm);
      api.featureMaps = fm.length;
    } else showImages('', []);
    mapsHead.hidden = !api.featureMaps;
    if (!api.featureMaps) setChildren(maps, []);
    api.draws += 1;
    api.drawnStep = store.get().step;
  }

  function pump() {
    if (!info || busy || !dirty || root.hidden || !store.get().hasSession) return;
    const wait = MIN_MS - (performance.now() - last);
    if (wait > 0) { if (!timer) timer = setTimeout(() => { timer = null; pump(); }, wait); return; }
    dirty = false; busy = true; last = performance.now();
    const at = info;
    refresh().catch((e) => { if (at === info) setText(note, e.message); })
      .finally(() => { busy = false; pump(); });
  }
  function touch() { dirty = true; pump(); }

  for (const ev of ['configured', 'progress', 'reset', 'loaded', 'paused', 'stopped', 'finished']) session.on(ev, touch);
  store.subscribe((s, changed) => { if (changed.has('dataInfo') && s.dataInfo !== info) setup(s.dataInfo); });
  root.hidden = true;
  if (store.get().dataInfo) setup(store.get().dataInfo);
  return api;
}
