// "See inside: predictions" for the table and toy classification sets (iris,
// or/and/xor, circles, moons, spirals, gaussians): the first ROWS test samples
// (for the gates: the whole truth table) with their inputs, the true class, the
// model's predicted class and its probability for every class. The samples are
// the model's own inputs (`samples`, as the worker feeds them to the model) and
// the probabilities its `predict` output; refreshed at most once a second while
// training and after every change of the weights.
import { h, setText, fmt, pct } from './dom.js';

export const ROWS = 8;
const MIN_MS = 1000;

/**
 * Class probabilities of row r: a 1-unit sigmoid output gives [1 − p, p]; with ±1 targets
 * (`label_encoding: "plus_minus_one"`, a tanh output) the output y maps to p = (y + 1) / 2,
 * so the predicted class is the output's sign, as the accuracy counts it.
 */
export function rowProbs(output, k, r, plusMinusOne = false) {
  if (k === 1) {
    const p = plusMinusOne ? (output[r] + 1) / 2 : output[r];
    return [1 - p, p];
  }
  return Array.from(output.subarray(r * k, r * k + k));
}

export function mountPredictions(root, session, store, engine) {
  const body = h('tbody');
  const head = h('thead');
  const stats = h('p', { class: 'muted' });
  root.append(
    h('p', { class: 'hint' }, `The first ${ROWS} test samples as the model sees them, its predicted class and its probability for each class.`),
    h('div', { class: 'gl-scroll', tabindex: 0 }, h('table', { class: 'gl-predictions' }, head, body)), stats);
  const api = { rows: [], updates: 0, step: -1 };
  let data = null; let info = null; let dirty = false; let inflight = false; let last = -Infinity; let timer = null;

  async function setup(dataset) {
    info = dataset;
    const ok = dataset && (dataset.numClasses ?? 0) >= 2 && dataset.sampleShape?.length === 1 && dataset.test > 0;
    root.hidden = !ok;
    data = null;
    if (!ok) return;
    try {
      const n = Math.min(ROWS, dataset.test);
      const s = await engine.request('samples', { split: 'test', indices: Array.from({ length: n }, (_, i) => i) });
      if (info !== dataset) return;
      const f = dataset.sampleShape[0];
      const names = dataset.classNames?.length ? dataset.classNames : Array.from({ length: dataset.numClasses }, (_, c) => String(c));
      data = { x: Float32Array.from(s.x), labels: Array.from(s.labels), n, f, names };
      head.replaceChildren(h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, `input (${f} feature${f === 1 ? '' : 's'})`),
        h('th', { scope: 'col' }, 'true'), h('th', { scope: 'col' }, 'predicted'),
        ...names.map((c) => h('th', { scope: 'col', class: 'num' }, `P(${c})`))));
      dirty = true;
      pump();
    } catch (e) { setText(stats, `Could not load the test samples: ${e.message}`); }
  }

  function pump() {
    if (!data || inflight || !dirty || root.hidden) return;
    const wait = MIN_MS - (performance.now() - last);
    if (store.get().running && wait > 0) { if (!timer) timer = setTimeout(() => { timer = null; pump(); }, wait); return; }
    dirty = false; inflight = true; last = performance.now();
    const frame = data;
    const { step } = store.get();
    engine.request('predict', { input: frame.x }).then(({ output, shape }) => {
      if (frame !== data) return;
      render(frame, output, shape[shape.length - 1], store.get().config?.label_encoding === 'plus_minus_one');
      api.step = step;
    }).catch((e) => setText(stats, e.message)).finally(() => { inflight = false; pump(); });
  }

  function render(d, output, k, pm1) {
    api.rows = [];
    let right = 0;
    body.replaceChildren(...Array.from({ length: d.n }, (_, r) => {
      const p = rowProbs(output, k, r, pm1);
      const pred = p.reduce((best, v, i) => (v > p[best] ? i : best), 0);
      const truth = d.labels[r];
      if (pred === truth) right += 1;
      api.rows.push({ input: Array.from(d.x.subarray(r * d.f, (r + 1) * d.f)), truth, pred, probs: p });
      const inputs = Array.from(d.x.subarray(r * d.f, r * d.f + Math.min(d.f, 4)), (v) => fmt(v, 3)).join(', ') + (d.f > 4 ? ', …' : '');
      return h('tr', { class: pred === truth ? 'right' : 'wrong' }, h('td', { class: 'num' }, String(r)), h('td', {}, inputs),
        h('td', {}, d.names[truth] ?? String(truth)),
        h('td', {}, `${d.names[pred] ?? pred} ${pred === truth ? '✓' : '✗'}`),
        ...p.map((v, c) => h('td', { class: c === pred ? 'num best' : 'num' }, pct(v))));
    }));
    api.updates += 1;
    setText(stats, `${right} of ${d.n} right.`);
  }

  const touch = () => { dirty = true; pump(); };
  for (const ev of ['progress', 'reset', 'loaded', 'paused', 'stopped', 'finished']) session.on(ev, touch);
  store.subscribe((s, changed) => { if (changed.has('dataInfo') && s.dataInfo !== info) setup(s.dataInfo); });
  root.hidden = true;
  if (store.get().dataInfo) setup(store.get().dataInfo);
  api.refresh = touch; // after the weights change outside training (weights.js)
  return api;
}
