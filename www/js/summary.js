// Keras-style `model.summary()` from the worker's `inspect` reply
// ({ok, problems[], summary: {rows:[{name, kind, output_shape, params}], total_params, trainable_params}}),
// and the problems placed where they belong (layer, loss, optimizer, fit fields).
import { h, group } from './dom.js';

/**
 * Keras 3 `readable_memory_size` for float32 weights (as the core's summary.rs):
 * bytes = 4·params, divided by 1024 while ≥ 1024, 2 decimals, B/KB/MB/GB.
 */
export function readableSize(params) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let size = params * 4;
  let i = 0;
  while (size >= 1024 && i < units.length - 1) { size /= 1024; i += 1; }
  return `${size.toFixed(2)} ${units[i]}`;
}

/**
 * Where each problem should be shown: {layers: Map(index → [msg]), loss, optimizer, fit, general, all} (arrays).
 * "layer 3 (Dense): …" goes to layer index 2; "the last Dense layer …" to the last Dense layer.
 */
export function placeProblems(problems, layers) {
  const out = { layers: new Map(), loss: [], optimizer: [], fit: [], general: [], all: [] };
  const addLayer = (i, p) => out.layers.set(i, [...(out.layers.get(i) ?? []), p]);
  const lastDense = layers.findLastIndex((l) => l.type === 'Dense');
  out.all = problems;
  for (const p of problems) {
    const m = /^layer (\d+)\b/.exec(p);
    if (m && Number(m[1]) - 1 < layers.length) addLayer(Number(m[1]) - 1, p);
    else if (/last Dense layer/.test(p) && lastDense >= 0) addLayer(lastDense, p);
    else if (/^optimizer|learning_rate|momentum|beta_|epsilon|rho\b|clip/.test(p)) out.optimizer.push(p);
    else if (/batch_size|epochs|validation_split|\bseed\b|shuffle/.test(p)) out.fit.push(p);
    else if (/loss|crossentropy|label_encoding|from_logits|metric|accuracy|squared|hinge|huber/.test(p)) out.loss.push(p);
    else out.general.push(p);
    if (/ends with|last layer/.test(p) && lastDense >= 0 && !out.layers.get(lastDense)?.includes(p)) addLayer(lastDense, p);
  }
  return out;
}

export function mountSummary(el) {
  return {
    render({ summary, checking }) {
      if (!summary) {
        el.replaceChildren(h('p', { class: 'muted' }, checking ? 'Checking the model…' : 'No summary: fix the problems below.'));
        return;
      }
      const table = h('table', { class: 'summary', id: 'summary-table' },
        h('caption', {}, 'Model: "sequential"'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Layer (type)'), h('th', { scope: 'col' }, 'Output Shape'),
          h('th', { scope: 'col', class: 'num' }, 'Param #'))),
        h('tbody', {}, summary.rows.map((r) => h('tr', {},
          h('td', {}, `${r.name} `, h('span', { class: 'muted' }, `(${r.kind})`)),
          h('td', {}, h('code', {}, r.output_shape)),
          h('td', { class: 'num' }, group(r.params))))));
      const nonTrainable = summary.total_params - summary.trainable_params;
      el.replaceChildren(table, h('dl', { class: 'totals' },
        h('dt', {}, 'Total params:'), h('dd', { id: 'total-params' }, `${group(summary.total_params)} (${readableSize(summary.total_params)})`),
        h('dt', {}, 'Trainable params:'), h('dd', {}, `${group(summary.trainable_params)} (${readableSize(summary.trainable_params)})`),
        h('dt', {}, 'Non-trainable params:'), h('dd', {}, `${group(nonTrainable)} (${readableSize(nonTrainable)})`)));
      el.classList.toggle('stale', Boolean(checking));
    },
  };
}

/** The full list of problems under the model card, each in words saying what to change. */
export function renderProblems(el, problems) {
  el.replaceChildren(...problems.map((p) => h('li', {}, p)));
  el.hidden = problems.length === 0;
  if (problems.length) el.prepend(h('li', { class: 'problems-title' }, 'Fix these to train:'));
}
