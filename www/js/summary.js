// Keras-style `model.summary()` from the worker's `inspect` reply
// ({ok, problems: [{path, message}], summary: {rows:[{name, kind, output_shape, params}], total_params, …}}),
// and the problems placed by their path next to the field they name
// (contracts §1): `layers[2].units` → that layer's units input, `optimizer.beta_1`
// → the beta_1 input; a path with no field on screen goes to the general list.
import { h, group } from './dom.js';
import { experimentArg, hasSchema } from './schema.js';

/**
 * The problem slots a path may be shown in, most specific first. A slot is the
 * DOM id of an element `<id>-problem` that the editor or pickers render next to
 * the field. [] = only the general list.
 */
export function slotsFor(path) {
  const p = typeof path === 'string' ? path : '';
  let m = /^layers\[(\d+)\](?:\.(\w+))?/.exec(p);
  if (m) return m[2] ? [`layer-${m[1]}-${m[2]}`, `layer-${m[1]}`, 'layers'] : [`layer-${m[1]}`, 'layers'];
  m = /^(loss|optimizer)(?:\.(\w+))?$/.exec(p);
  if (m) return m[2] ? [`${m[1] === 'loss' ? 'loss' : 'opt'}-${m[2]}`, m[1]] : [m[1]];
  if (p === 'label_encoding') return ['label_encoding', 'loss'];
  m = /^(early_stopping|lr_schedule)\.(\w+)/.exec(p);
  if (m) return [`${m[1] === 'early_stopping' ? 'es' : 'lrs'}-${m[2]}`, `fit-${m[1]}`, 'fit'];
  if (['layers', 'metrics', 'dataset'].includes(p)) return [p];
  // Any other field of the experiment (batch_size, epochs, early_stopping.patience, …) is in the Fit card.
  m = /^(\w+)\b/.exec(p);
  return m && hasSchema() && experimentArg(m[1]) ? [`fit-${m[1]}`, 'fit'] : [];
}

/** A problem from the core ({path, message}); a bare string (older engines) has no path. */
const asProblem = (p) => (typeof p === 'string' ? { path: '', message: p } : { path: p?.path ?? '', message: String(p?.message ?? p) });

/**
 * Where each problem is shown: {slots: Map(slot → [message]), general: [problem], all: [problem]}.
 * `present(slot)` says whether that slot is on screen; the first present slot wins.
 */
export function placeProblems(problems, present = () => true) {
  const out = { slots: new Map(), general: [], all: (problems ?? []).map(asProblem) };
  for (const p of out.all) {
    const slot = slotsFor(p.path).find(present);
    if (slot) out.slots.set(slot, [...(out.slots.get(slot) ?? []), p.message]);
    else out.general.push(p);
  }
  return out;
}

/** "layer 3 (Dense) units", "optimizer beta_1", "batch_size" — the path in the page's words. */
export function problemLabel(path, layers = []) {
  const m = /^layers\[(\d+)\](?:\.(\w+))?(.*)$/.exec(path ?? '');
  if (m) {
    const i = Number(m[1]);
    const kind = layers[i]?.type;
    return `layer ${i + 1}${kind ? ` (${kind})` : ''}${m[2] ? ` ${m[2]}${m[3]}` : ''}`;
  }
  return (path ?? '').replace(/\./g, ' ');
}

/** Fills the `<slot>-problem` elements under `root` (clearing the others) and opens closed sections holding one. */
export function showPlaced(root, placed) {
  for (const el of root.querySelectorAll('.field-problem')) {
    const list = placed.slots.get(el.id.replace(/-problem$/, '')) ?? [];
    const text = list.join(' · ');
    if (el.textContent !== text) el.textContent = text;
    el.hidden = !text;
    if (text) {
      const d = el.closest('details');
      if (d && !d.open) d.open = true;
    }
  }
}

/** The element a placed problem is shown in: `<p class="field-problem" id="<slot>-problem">`. */
export const problemSlot = (slot, cls = '') => h('p', { class: `field-problem ${cls}`.trim(), id: `${slot}-problem`, role: 'alert',
  hidden: true });

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
      const nonTrainable = summary.non_trainable_params ?? summary.total_params - summary.trainable_params;
      // Sizes as the core writes them (Keras' readable_memory_size), when it sends them.
      const size = (k) => (summary[`${k}_size`] ? ` (${summary[`${k}_size`]})` : '');
      el.replaceChildren(table, h('dl', { class: 'totals' },
        h('dt', {}, 'Total params:'), h('dd', { id: 'total-params' }, `${group(summary.total_params)}${size('total')}`),
        h('dt', {}, 'Trainable params:'), h('dd', {}, `${group(summary.trainable_params)}${size('trainable')}`),
        h('dt', {}, 'Non-trainable params:'), h('dd', {}, `${group(nonTrainable)}${size('non_trainable')}`)));
      el.classList.toggle('stale', Boolean(checking));
    },
  };
}

/**
 * The full list of problems under the model card, each with where it is and
 * what to change (the placed ones are also shown next to their field).
 */
export function renderProblems(el, problems, layers = []) {
  el.replaceChildren(...problems.map((p) => {
    const label = problemLabel(p.path, layers);
    return h('li', { dataset: { path: p.path } }, label ? h('strong', {}, `${label}: `) : null, p.message);
  }));
  el.hidden = problems.length === 0;
  if (problems.length) el.prepend(h('li', { class: 'problems-title' }, 'Fix these to train:'));
}
