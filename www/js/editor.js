// The layer-stack editor: add, remove, reorder (buttons, and Alt+↑ / Alt+↓ on
// a focused layer), and edit each layer's Keras arguments. The controls are
// built from the core's schema (schema.layers[k].args: int, float, bool, enum,
// int_list, …), so a layer kind added in Rust appears here with no JS change.
// The editor keeps the DOM while the user types; it re-renders only when the
// stack changes shape or comes from elsewhere (a link, a dataset switch, an
// uploaded model). Problems are shown in the `<id>-problem` slots (summary.js).
import { h, group } from './dom.js';
import { clone, configKey } from './state.js';
import { choices, layerKinds, layerSpec, newLayer, schema } from './schema.js';
import { coerce, litText } from './schema-values.js';
import { problemSlot } from './summary.js';

/**
 * A number input bound to a setter; invalid text is flagged in place and
 * reported through `fieldError(id, message|null)` so Train stays disabled.
 * `optional`: an empty field means "not set" (null).
 */
export function numberField(label, value, { id, integer = false, min, max, step = 'any', hint, onValue, fieldError, optional = false }) {
  const msg = h('span', { class: 'field-error', id: `${id}-err`, hidden: true });
  const input = h('input', { type: 'number', id, value: value === null || value === undefined ? '' : String(value),
    step: integer ? '1' : step, min, max, inputmode: integer ? 'numeric' : 'decimal', 'aria-describedby': `${id}-err ${id}-problem` });
  const check = () => {
    const text = input.value.trim();
    const v = Number(text);
    let err = null;
    if (text === '' && optional) err = null;
    else if (text === '' || !Number.isFinite(v)) err = `${label}: enter a number`;
    else if (integer && !Number.isInteger(v)) err = `${label}: enter a whole number`;
    msg.textContent = err ?? '';
    msg.hidden = !err;
    input.setAttribute('aria-invalid', err ? 'true' : 'false');
    fieldError?.(id, err);
    if (!err) onValue(text === '' ? null : v);
  };
  input.addEventListener('input', check);
  return h('label', { class: 'field', for: id }, h('span', {}, label), input,
    hint ? h('small', { class: 'muted' }, hint) : null, msg, problemSlot(id));
}

/**
 * A select over `options`; `none` adds an empty choice (for arguments whose default is null).
 * `labels` (the schema's `arg.labels`): text shown for a choice instead of its value ('' labels the empty choice).
 */
export function selectField(label, value, options, { id, hint, none = false, labels = null, onValue }) {
  const text = (o) => labels?.[o] ?? o;
  return h('label', { class: 'field', for: id }, h('span', {}, label),
    h('select', { id, 'aria-describedby': `${id}-problem`, onchange: (e) => onValue(e.target.value === '' ? null : e.target.value) },
      none ? h('option', { value: '', selected: value === null || value === undefined }, labels?.[''] ?? '(default)') : null,
      options.map((o) => h('option', { value: o, selected: o === value }, text(o)))),
    hint ? h('small', { class: 'muted' }, hint) : null, problemSlot(id));
}

export function checkField(label, checked, { id, hint, onValue }) {
  return h('div', { class: 'field check-field' },
    h('label', { class: 'check', for: id, title: hint }, h('input', { type: 'checkbox', id, checked: Boolean(checked),
      'aria-describedby': `${id}-problem`, onchange: (e) => onValue(e.target.checked) }), label),
    problemSlot(id));
}

/** A text input read by the argument's type (int lists like "3, 3", names, JSON objects). */
function textField(arg, value, { id, onValue, fieldError }) {
  const show = (v) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ')
    : typeof v === 'object' ? JSON.stringify(v) : litText(v));
  const msg = h('span', { class: 'field-error', id: `${id}-err`, hidden: true });
  const input = h('input', { type: 'text', id, value: show(value), 'aria-describedby': `${id}-err ${id}-problem`,
    placeholder: arg.type === 'int_list' ? 'e.g. 3, 3' : '' });
  input.addEventListener('input', () => {
    const text = input.value.trim();
    let err = null;
    let v = null;
    try {
      v = text === '' ? null : coerce(arg, arg.type === 'object' || arg.type === 'list' ? JSON.parse(text) : text, arg.name);
    } catch (e) { err = e instanceof SyntaxError ? `${arg.name}: not valid JSON` : e.message; }
    msg.textContent = err ?? '';
    msg.hidden = !err;
    input.setAttribute('aria-invalid', err ? 'true' : 'false');
    fieldError?.(id, err);
    if (!err) onValue(v);
  });
  return h('label', { class: 'field', for: id }, h('span', {}, arg.name), input, h('small', { class: 'muted' }, arg.doc),
    msg, problemSlot(id));
}

/** The control for one schema argument. `onValue(v)`: v is null when the argument is unset (its default). */
export function argField(arg, value, { id, onValue, fieldError }) {
  const hint = arg.doc;
  // May be left unset (null): the core says so (`nullable`), or the argument is optional without a default.
  const nullable = Boolean(arg.nullable) || (!arg.required && arg.default === null);
  switch (arg.type) {
    case 'int': case 'float':
      return numberField(arg.name, value, { id, integer: arg.type === 'int', min: arg.min, max: arg.max, hint, fieldError,
        optional: nullable, onValue });
    case 'bool': return checkField(arg.name, value ?? arg.default, { id, hint, onValue });
    case 'enum':
      if (WITH_ARGS.includes(arg.choices_from)) return namedField(arg, value, { id, hint, nullable, onValue, fieldError });
      return selectField(arg.name, value?.name ?? value, choices(arg), { id, hint, none: nullable, labels: arg.labels, onValue });
    default: return textField(arg, value, { id, onValue, fieldError });
  }
}

/** Schema lists whose choices take arguments of their own (the schema lists them with `args`). */
const WITH_ARGS = ['initializers', 'regularizers'];

/**
 * A choice that may carry arguments (kernel_initializer, kernel_regularizer): the select, and under it
 * a field for each argument of the chosen entry (random_uniform: minval, maxval). The value is the plain
 * name while the arguments are their defaults, else {name, ...arguments} (the core's JSON form).
 */
function namedField(arg, value, { id, hint, nullable, onValue, fieldError }) {
  const name = value?.name ?? value ?? null;
  const entryArgs = (n) => schema()[arg.choices_from]?.find((c) => c.name === n)?.args ?? [];
  const own = entryArgs(name ?? arg.default);
  const current = { ...(value && typeof value === 'object' ? value : {}) };
  const emit = () => {
    const n = name ?? arg.default;
    const changed = own.filter((a) => current[a.name] !== undefined && current[a.name] !== a.default);
    onValue(changed.length ? { name: n, ...Object.fromEntries(changed.map((a) => [a.name, current[a.name]])) } : n);
  };
  const box = h('div', { class: 'named-field' },
    selectField(arg.name, name, choices(arg), { id, hint, none: nullable, labels: arg.labels, onValue }));
  if (own.length && (name !== null || !nullable)) {
    box.append(h('div', { class: 'grid2 named-args' }, own.map((a) => numberField(`${arg.name}.${a.name}`,
      current[a.name] ?? a.default, { id: `${id}-${a.name}`, min: a.min, max: a.max, hint: a.doc, fieldError,
        onValue: (v) => { if (v === null) delete current[a.name]; else current[a.name] = v; emit(); } }))));
  }
  return box;
}

/** Arguments shown at once; the others go under "more options" (required ones and the activation are first). */
const primary = (a) => a.required || a.choices_from === 'activations';

export function mountEditor(el, { onChange, fieldError }) {
  let layers = [];
  let shownKey = null;
  let rows = [];             // summary rows (per layer)
  const list = h('ol', { class: 'layers', 'aria-label': 'layers, input first' });
  // The kinds come from the schema, which arrives after mounting: filled at the first render.
  const kind = h('select', { id: 'add-kind', 'aria-label': 'kind of layer to add' });
  const add = h('button', { type: 'button', id: 'add-layer', class: 'secondary', onclick: () => insert(kind.value) }, 'Add layer');
  el.append(
    h('p', { class: 'hint' }, 'Input: the dataset’s samples, at the top. Reorder with ↑ ↓ (or Alt+↑ / Alt+↓ on a layer).'),
    list,
    problemSlot('layers'),
    h('div', { class: 'row add-bar' }, kind, add, h('small', { class: 'muted' }, 'new layers go just above the output layer')),
  );

  const emit = (focus) => {
    shownKey = configKey(layers);
    onChange(clone(layers));
    draw(focus);
  };

  function insert(k) {
    const at = Math.max(0, layers.length - 1);
    layers.splice(at, 0, newLayer(k));
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


  const set = (i, key, v) => {
    const next = { ...layers[i] };
    if (v === null) delete next[key]; else next[key] = v;
    layers[i] = next;
    shownKey = configKey(layers);
    onChange(clone(layers));
  };

  function fields(l, i) {
    const spec = layerSpec(l.type);
    if (!spec) return [h('small', { class: 'muted' }, `${l.type} is not a layer kind this engine knows`)];
    if (!spec.args.length) return [h('small', { class: 'muted' }, spec.doc.replace(/^keras\.layers\.\w+:\s*/, ''))];
    const nameOf = (v) => v?.name ?? v ?? null;
    const field = (a) => argField(a, l[a.name] ?? null, { id: `layer-${i}-${a.name}`, fieldError, onValue: (v) => {
      const before = nameOf(layers[i][a.name]);
      set(i, a.name, v);
      // Another initializer or regularizer has other arguments: show its fields.
      if (WITH_ARGS.includes(a.choices_from) && nameOf(v) !== before) draw({ index: i, sel: `#layer-${i}-${a.name}` });
    } });
    const more = spec.args.filter((a) => !primary(a));
    return [...spec.args.filter(primary).map(field),
      more.length ? h('details', { class: 'more' }, h('summary', {}, 'more options'), more.map(field)) : null];
  }

  function row(l, i) {
    const name = `layer ${i + 1} (${l.type})`;
    const info = rows[i];
    const tool = (cls, label, text, fn, disabled) => h('button', { type: 'button', class: `tool ${cls}`,
      'aria-label': label, title: label, disabled, onclick: fn }, text);
    const li = h('li', { class: 'layer', dataset: { kind: l.type, index: String(i) } },
      h('div', { class: 'layer-head' },
        h('span', { class: 'layer-index', 'aria-hidden': 'true' }, String(i + 1)),
        h('strong', { title: layerSpec(l.type)?.doc }, l.type),
        info ? h('span', { class: 'layer-shape muted' }, `→ ${info.output_shape} · ${group(info.params)} params`) : null,
        h('span', { class: 'layer-tools' },
          tool('tool-up', `Move ${name} up`, '↑', () => move(i, -1), i === 0),
          tool('tool-down', `Move ${name} down`, '↓', () => move(i, 1), i === layers.length - 1),
          tool('tool-remove', `Remove ${name}`, '✕', () => remove(i), false))),
      h('div', { class: 'layer-fields' }, fields(l, i)),
      problemSlot(`layer-${i}`, 'layer-problem'));
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
    render(next, { summaryRows = [] } = {}) {
      if (!kind.options.length) kind.append(...layerKinds().map((k) => h('option', { value: k, title: layerSpec(k).doc }, k)));
      const key = configKey(next);
      const extraChanged = configKey(summaryRows) !== configKey(rows);
      rows = summaryRows;
      if (key === shownKey && !extraChanged) return;
      // Only the shapes changed (the core's summary arrived): in place, so a field being typed in
      // keeps focus and the first visit does not build the editor twice.
      if (key === shownKey) { refreshExtras(); return; }
      layers = clone(next);
      shownKey = key;
      draw();
    },
  };

  // Update the shapes in place so the field being typed in keeps focus.
  function refreshExtras() {
    [...list.children].forEach((li, i) => {
      const info = rows[i];
      const shape = li.querySelector('.layer-shape');
      const text = info ? `→ ${info.output_shape} · ${group(info.params)} params` : '';
      if (shape) shape.textContent = text;
      else if (info) li.querySelector('strong')?.after(h('span', { class: 'layer-shape muted' }, text));
    });
  }
}
