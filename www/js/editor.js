// The layer-stack editor: add, remove, reorder (buttons, and Alt+↑ / Alt+↓ on
// a focused layer), and edit each layer's Keras arguments. The editor keeps the
// DOM while the user types; it re-renders only when the stack changes shape or
// comes from elsewhere (a link, a dataset switch, an uploaded model).
import { h, group } from './dom.js';
import { ACTIVATIONS, INITIALIZERS, LAYER_KINDS, DENSE_DEFAULTS, clone, configKey } from './state.js';

/** What "Add" inserts for each kind. */
export const NEW_LAYER = {
  Dense: { type: 'Dense', units: 64, ...DENSE_DEFAULTS, activation: 'relu' },
  Dropout: { type: 'Dropout', rate: 0.2 },
  Flatten: { type: 'Flatten' },
  Activation: { type: 'Activation', activation: 'relu' },
  Softmax: { type: 'Softmax' },
};

const select = (label, value, options, onChange) => h('label', { class: 'field' }, h('span', {}, label),
  h('select', { onchange: (e) => onChange(e.target.value) },
    options.map((o) => h('option', { value: o, selected: o === value }, o))));

/**
 * A number input bound to a setter; invalid text is flagged in place and
 * reported through `fieldError(id, message|null)` so Train stays disabled.
 */
export function numberField(label, value, { id, integer = false, min, max, step = 'any', hint, onValue, fieldError }) {
  const msg = h('span', { class: 'field-error', id: `${id}-err`, hidden: true });
  const input = h('input', { type: 'number', id, value: String(value), step: integer ? '1' : step,
    min, max, inputmode: integer ? 'numeric' : 'decimal', 'aria-describedby': `${id}-err` });
  const check = () => {
    const text = input.value.trim();
    const v = Number(text);
    let err = null;
    if (text === '' || !Number.isFinite(v)) err = `${label}: enter a number`;
    else if (integer && !Number.isInteger(v)) err = `${label}: enter a whole number`;
    msg.textContent = err ?? '';
    msg.hidden = !err;
    input.setAttribute('aria-invalid', err ? 'true' : 'false');
    fieldError?.(id, err);
    if (!err) onValue(v);
  };
  input.addEventListener('input', check);
  const wrap = h('label', { class: 'field', for: id }, h('span', {}, label), input, hint ? h('small', { class: 'muted' }, hint) : null, msg);
  return wrap;
}

export function mountEditor(el, { onChange, fieldError }) {
  let layers = [];
  let shownKey = null;
  let problems = new Map();  // layer index → [messages]
  let rows = [];             // summary rows (per layer)
  const list = h('ol', { class: 'layers', 'aria-label': 'layers, input first' });
  const kind = h('select', { id: 'add-kind', 'aria-label': 'kind of layer to add' },
    LAYER_KINDS.map((k) => h('option', { value: k }, k)));
  const add = h('button', { type: 'button', id: 'add-layer', class: 'secondary', onclick: () => insert(kind.value) }, 'Add layer');
  el.append(
    h('p', { class: 'hint' }, 'Input: the dataset’s samples, at the top. Reorder with ↑ ↓ (or Alt+↑ / Alt+↓ on a layer).'),
    list,
    h('div', { class: 'row add-bar' }, kind, add, h('small', { class: 'muted' }, 'new layers go just above the output layer')),
  );

  const emit = (focus) => {
    shownKey = configKey(layers);
    onChange(clone(layers));
    draw(focus);
  };

  function insert(k) {
    const at = Math.max(0, layers.length - 1);
    layers.splice(at, 0, clone(NEW_LAYER[k]));
    emit({ index: at, sel: 'input, select, .tool-up' });
  }
  function move(i, d) {
    const j = i + d;
    if (j < 0 || j >= layers.length) return;
    [layers[i], layers[j]] = [layers[j], layers[i]];
    emit({ index: j, sel: d < 0 ? '.tool-up' : '.tool-down' });
  }
  function remove(i) {
    layers.splice(i, 1);
    emit(layers.length ? { index: Math.min(i, layers.length - 1), sel: '.tool-remove' } : { add: true });
  }
  const set = (i, key, v, redraw = false) => {
    layers[i] = { ...layers[i], [key]: v };
    shownKey = configKey(layers);
    onChange(clone(layers));
    if (redraw) draw();
  };

  function fields(l, i) {
    const id = (k) => `layer-${i}-${k}`;
    switch (l.type) {
      case 'Dense': return [
        numberField('units', l.units, { id: id('units'), integer: true, min: 1, fieldError, onValue: (v) => set(i, 'units', v) }),
        select('activation', l.activation, ACTIVATIONS, (v) => set(i, 'activation', v)),
        h('details', { class: 'more' }, h('summary', {}, 'more options'),
          h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: l.use_bias,
            onchange: (e) => set(i, 'use_bias', e.target.checked) }), 'use_bias'),
          select('kernel_initializer', l.kernel_initializer, INITIALIZERS, (v) => set(i, 'kernel_initializer', v)),
          select('bias_initializer', l.bias_initializer, INITIALIZERS, (v) => set(i, 'bias_initializer', v))),
      ];
      case 'Dropout': return [numberField('rate', l.rate, { id: id('rate'), min: 0, max: 0.99, step: 0.05, fieldError,
        onValue: (v) => set(i, 'rate', v) })];
      case 'Activation': return [select('activation', l.activation, ACTIVATIONS, (v) => set(i, 'activation', v))];
      case 'Flatten': return [h('small', { class: 'muted' }, 'reshapes each sample to a vector')];
      default: return [h('small', { class: 'muted' }, 'softmax over the last axis')];
    }
  }

  function row(l, i) {
    const name = `layer ${i + 1} (${l.type})`;
    const info = rows[i];
    const tool = (cls, label, text, fn, disabled) => h('button', { type: 'button', class: `tool ${cls}`,
      'aria-label': label, title: label, disabled, onclick: fn }, text);
    const li = h('li', { class: 'layer', dataset: { kind: l.type, index: String(i) } },
      h('div', { class: 'layer-head' },
        h('span', { class: 'layer-index', 'aria-hidden': 'true' }, String(i + 1)),
        h('strong', {}, l.type),
        info ? h('span', { class: 'layer-shape muted' }, `→ ${info.output_shape} · ${group(info.params)} params`) : null,
        h('span', { class: 'layer-tools' },
          tool('tool-up', `Move ${name} up`, '↑', () => move(i, -1), i === 0),
          tool('tool-down', `Move ${name} down`, '↓', () => move(i, 1), i === layers.length - 1),
          tool('tool-remove', `Remove ${name}`, '✕', () => remove(i), false))),
      h('div', { class: 'layer-fields' }, fields(l, i)),
      ...(problems.get(i) ?? []).map((p) => h('p', { class: 'layer-problem', role: 'alert' }, p)));
    li.addEventListener('keydown', (e) => {
      if (!e.altKey || e.target.tagName === 'SELECT') return;
      if (e.key === 'ArrowUp') { e.preventDefault(); move(i, -1); }
      if (e.key === 'ArrowDown') { e.preventDefault(); move(i, 1); }
    });
    return li;
  }

  function draw(focus) {
    for (const k of el.querySelectorAll('input[id^="layer-"]')) fieldError?.(k.id, null);
    list.replaceChildren(...layers.map(row));
    if (!layers.length) list.append(h('li', { class: 'empty muted' }, 'No layers: add one below.'));
    if (focus?.add) kind.focus();
    else if (focus) {
      const li = list.children[focus.index];
      const target = li?.querySelector(focus.sel);
      (target && !target.disabled ? target : li?.querySelector('button:not([disabled])'))?.focus();
    }
  }

  return {
    /** Show `next` (re-rendering only if it differs from what the editor shows). */
    render(next, { problems: p = new Map(), summaryRows = [] } = {}) {
      const key = configKey(next);
      const extraChanged = configKey([...p]) !== configKey([...problems]) || configKey(summaryRows) !== configKey(rows);
      problems = p;
      rows = summaryRows;
      if (key === shownKey && !extraChanged) return;
      const focusedInside = el.contains(document.activeElement) && key === shownKey;
      layers = clone(next);
      shownKey = key;
      if (focusedInside) { refreshExtras(); return; }
      draw();
    },
  };

  // Update shapes and problems in place so the field being typed in keeps focus.
  function refreshExtras() {
    [...list.children].forEach((li, i) => {
      const info = rows[i];
      const shape = li.querySelector('.layer-shape');
      const text = info ? `→ ${info.output_shape} · ${group(info.params)} params` : '';
      if (shape) shape.textContent = text;
      else if (info) li.querySelector('strong')?.after(h('span', { class: 'layer-shape muted' }, text));
      li.querySelectorAll('.layer-problem').forEach((n) => n.remove());
      for (const p of problems.get(i) ?? []) li.append(h('p', { class: 'layer-problem', role: 'alert' }, p));
    });
  }
}
