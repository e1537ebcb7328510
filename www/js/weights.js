// "Weights by hand" (issue 10, item 5): for a tiny model (at most 64 weights, e.g.
// the perceptron), every weight and bias as an editable number. A typed value goes
// to the worker (`set-weight`), which sets it in the core; the predictions table
// refreshes, so a student sees what the weights compute without training (Keras:
// `layer.set_weights([...])`). Larger models hide the panel. While training, the
// values follow the model at most once a second (not while a field is being edited).
import { h, setText } from './dom.js';

const MIN_MS = 1000;

/** "kernel[1, 0]" for flat index 1 of a [2, 1] kernel; "bias[0]". */
export function weightLabel(param, shape, index) {
  const idx = [];
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d -= 1) {
    idx.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return `${param}[${idx.join(', ')}]`;
}

export function mountWeights(root, session, store, engine, { onChange } = {}) {
  const body = h('tbody');
  const note = h('p', { class: 'muted', role: 'status' });
  root.append(
    h('p', { class: 'hint' }, 'Type a weight and press Enter: the model changes at once (no training), '
      + 'and the predictions show what it now computes. Try the perceptron on OR: kernel 1, 1 and bias −0.5.'),
    h('div', { class: 'gl-scroll', tabindex: 0 }, h('table', { class: 'gl-weights' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'layer'), h('th', { scope: 'col' }, 'weight'),
        h('th', { scope: 'col', class: 'num' }, 'value'))), body)),
    note);
  const api = { rows: [], updates: 0 };
  let last = -Infinity; let timer = null; let inflight = false;

  function render(rows) {
    api.rows = rows;
    api.updates += 1;
    const editing = root.contains(document.activeElement) && document.activeElement.tagName === 'INPUT';
    if (editing && body.children.length === rows.length) return;
    body.replaceChildren(...rows.map((r) => {
      const label = weightLabel(r.param, r.shape, r.index);
      const input = h('input', { type: 'number', step: 'any', value: String(r.value), 'aria-label': `${r.layer_name} ${label}`,
        dataset: { layer: String(r.layer), param: r.param, index: String(r.index) } });
      input.addEventListener('change', () => set(r, input));
      return h('tr', {}, h('td', {}, r.layer_name), h('td', {}, label), h('td', { class: 'num' }, input));
    }));
  }

  async function set(r, input) {
    const value = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(value)) {
      setText(note, `"${input.value}" is not a number: type a weight such as 0.5 or -1.`);
      input.value = String(r.value);
      return;
    }
    try {
      const { rows } = await engine.request('set-weight', { layer: r.layer, param: r.param, index: r.index, value });
      setText(note, `${r.layer_name} ${weightLabel(r.param, r.shape, r.index)} = ${value}.`);
      input.blur();
      render(rows);
      onChange?.();
    } catch (e) {
      setText(note, e.message);
      input.value = String(r.value);
    }
  }

  async function refresh() {
    if (inflight) return;
    inflight = true; last = performance.now();
    try {
      const { rows } = await engine.request('weights');
      root.hidden = false;
      render(rows);
    } catch {
      root.hidden = true; // no model yet, or more than 64 weights: nothing to type by hand
      api.rows = [];
    } finally { inflight = false; }
  }

  const soon = () => {
    const wait = MIN_MS - (performance.now() - last);
    if (wait <= 0) { refresh(); return; }
    if (!timer) timer = setTimeout(() => { timer = null; refresh(); }, wait);
  };
  for (const ev of ['configured', 'reset', 'loaded', 'paused', 'stopped', 'finished']) session.on(ev, refresh);
  session.on('progress', soon);
  root.hidden = true;
  api.refresh = refresh;
  return api;
}
