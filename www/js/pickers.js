// Dataset, loss, optimizer and fit pickers, built from the core's schema
// (datasets, losses, optimizers with Keras defaults, metrics, the experiment's
// fields) and editable. Only the chosen optimizer's own hyper-parameters are
// shown. Like the editor, a section re-renders only when its part of the
// config changed from elsewhere, so typing never loses focus. Problems go to
// the `<id>-problem` slots next to each field (summary.js).
import { h, group } from './dom.js';
import { argField, checkField, numberField, selectField } from './editor.js';
import { clone, configKey, lossName, lossOption } from './state.js';
import {
  clippingArgs, datasetFacts, experimentArgs, lossSpec, metricSpecs, optimizerDefaults, optimizerNames,
  optimizerArgs, optimizerSpec, schema, startArgs,
} from './schema.js';
import { problemSlot } from './summary.js';

const TASK_TITLE = { classification: 'Classification', regression: 'Regression' };
/** Experiment fields the Fit card edits: the scalar ones (batch_size, epochs, validation_split, shuffle, seed, …). */
const ELSEWHERE = ['dataset', 'loss', 'label_encoding'];
const fitArgs = () => experimentArgs().filter((a) => ['int', 'float', 'bool', 'enum'].includes(a.type) && !ELSEWHERE.includes(a.name));

export function mountPickers({ datasetSelect, info, compileEl, fitEl }, { onChange, onDataset, fieldError }) {
  let config = null;
  const shown = { compile: null, fit: null };

  // The catalogue comes from the schema, which arrives after mounting: filled at the first render.
  const fillDatasets = () => {
    const datasets = schema().datasets;
    for (const groupName of [...new Set(datasets.map((d) => d.group))]) {
      datasetSelect.append(h('optgroup', { label: groupName }, datasets.filter((d) => d.group === groupName)
        .map((d) => h('option', { value: d.name }, d.title))));
    }
  };
  datasetSelect.setAttribute('aria-describedby', 'dataset-problem');
  info.after(problemSlot('dataset'));
  datasetSelect.addEventListener('change', () => onDataset(datasetSelect.value));

  // `redraw`: the edit changes which fields exist (loss or optimizer kind), so draw the section again,
  // keeping the focus on the control that was used.
  const update = (fn, part, redraw = false) => {
    const next = clone(config);
    fn(next);
    config = next;
    shown[part] = keyOf(part, next);
    if (redraw) {
      const focusId = document.activeElement?.id;
      (part === 'compile' ? drawCompile : drawFit)();
      if (focusId) document.getElementById(focusId)?.focus();
    }
    const defaults = document.getElementById('opt-defaults');
    if (defaults) defaults.disabled = isDefaultOptimizer(next.optimizer);
    onChange(next);
  };
  const keyOf = (part, c) => (part === 'compile'
    ? configKey([c.loss, c.optimizer, c.metrics, c.dataset, c.label_encoding ?? null])
    : configKey(fitArgs().map((a) => c[a.name] ?? null).concat([c.early_stopping ?? null, c.lr_schedule ?? null])));

  function lossControls(c) {
    const name = lossName(c.loss);
    const tasks = [...new Set(schema().losses.map((l) => l.task))];
    const known = Boolean(lossSpec(name));
    const lossSel = h('select', { id: 'loss', 'aria-describedby': 'loss-problem',
      onchange: (e) => update((n) => { n.loss = e.target.value; }, 'compile', true) },
    known ? null : h('option', { value: name, selected: true }, name),
    tasks.map((task) => h('optgroup', { label: TASK_TITLE[task] ?? task }, schema().losses.filter((l) => l.task === task)
      .map((l) => h('option', { value: l.name, selected: l.name === name }, l.name)))));
    const setLossOpt = (a, v) => update((n) => {
      const obj = typeof n.loss === 'string' ? { name: n.loss } : { ...n.loss };
      if (v === null || v === a.default) delete obj[a.name]; else obj[a.name] = v;
      n.loss = Object.keys(obj).length === 1 ? obj.name : obj;
    }, 'compile');
    const opts = (lossSpec(name)?.args ?? []).map((a) => argField(a, lossOption(c.loss, a.name),
      { id: `loss-${a.name}`, fieldError, onValue: (v) => setLossOpt(a, v) }));
    const enc = experimentArgs().find((a) => a.name === 'label_encoding');
    return h('div', { class: 'grid2' },
      h('label', { class: 'field', for: 'loss' }, h('span', {}, 'loss'), lossSel, problemSlot('loss')), ...opts,
      enc ? argField(enc, c.label_encoding ?? null, { id: 'label_encoding', fieldError,
        onValue: (v) => update((n) => { if (v === null) delete n.label_encoding; else n.label_encoding = v; }, 'compile') }) : null);
  }

  function optimizerControls(c) {
    const o = c.optimizer;
    const optSel = h('select', { id: 'optimizer', 'aria-describedby': 'optimizer-problem', onchange: (e) => update((n) => {
      n.optimizer = { name: e.target.value, ...optimizerDefaults(e.target.value) };
    }, 'compile', true) }, optimizerNames().map((k) => h('option', { value: k, selected: k === o.name }, optimizerSpec(k).keras ?? k)));
    const setOpt = (k, v) => update((n) => { if (v === null) delete n.optimizer[k]; else n.optimizer[k] = v; }, 'compile');
    const field = (a) => argField({ ...a, doc: `${a.doc ?? ''}${a.default !== null ? ` · default ${a.default}` : ''}` }, o[a.name] ?? null,
      { id: `opt-${a.name}`, fieldError, onValue: (v) => setOpt(a.name, v) });
    const clip = clippingArgs();
    return [
      h('div', { class: 'grid2' },
        h('label', { class: 'field', for: 'optimizer' }, h('span', {}, 'optimizer'), optSel, problemSlot('optimizer')),
        h('div', { class: 'field' }, h('span', {}, '\u00a0'), h('button', { type: 'button', class: 'ghost', id: 'opt-defaults',
          disabled: isDefaultOptimizer(o), onclick: () => update((n) => {
            n.optimizer = { name: o.name, ...optimizerDefaults(o.name) };
          }, 'compile', true) }, 'Keras defaults'))),
      // Clipping args are shown once, under "gradient clipping", even if the optimizer lists them too.
      h('div', { class: 'grid2 params', id: 'opt-params' }, optimizerArgs(o.name).filter((a) => !clip.some((c) => c.name === a.name))
        .map(field)),
      clip.length ? h('details', { class: 'more', open: clip.some((a) => o[a.name] !== undefined) },
        h('summary', {}, 'gradient clipping'), h('div', { class: 'grid2' }, clip.map(field))) : null,
    ];
  }

  function drawCompile() {
    const c = config;
    const metrics = h('fieldset', { class: 'inline', 'aria-describedby': 'metrics-problem' }, h('legend', {}, 'metrics'),
      metricSpecs().map((m) => checkField(m.name, c.metrics.includes(m.name), { id: `metric-${m.name}`, hint: m.task,
        onValue: (on) => update((n) => {
          n.metrics = metricSpecs().map((x) => x.name).filter((x) => (x === m.name ? on : n.metrics.includes(x)));
        }, 'compile') })),
      problemSlot('metrics'));
    clearErrors(compileEl);
    compileEl.replaceChildren(lossControls(c), ...optimizerControls(c).filter(Boolean), metrics);
  }

  function drawFit() {
    const c = config;
    const field = (a) => {
      const id = `fit-${a.name}`;
      const onValue = (v) => update((n) => {
        if ((v ?? a.default) === null) delete n[a.name]; else n[a.name] = v ?? a.default;
      }, 'fit');
      if (a.name === 'seed') {
        return h('div', { class: 'field seed' },
          numberField('seed', c.seed, { id, integer: true, min: a.min ?? 0, hint: a.doc, fieldError, onValue }),
          h('button', { type: 'button', class: 'ghost', id: 'new-seed', 'aria-label': 'pick a new random seed',
            onclick: () => update((n) => { n.seed = Math.floor(Math.random() * 1e6); }, 'fit', true) }, 'New seed'));
      }
      return argField(a, c[a.name] ?? a.default, { id, fieldError, onValue });
    };
    const args = fitArgs();
    clearErrors(fitEl);
    fitEl.replaceChildren(
      h('div', { class: 'grid2' }, args.filter((a) => a.type !== 'bool').map(field)),
      ...args.filter((a) => a.type === 'bool').map(field),
      earlyStopping(c),
      schedule(c),
      problemSlot('fit'));
  }

  /** An object field edited argument by argument (`prefix-<arg>` ids): early_stopping, lr_schedule. */
  const objectFields = (key, args, obj, prefix) => h('div', { class: 'grid2' }, args.map((a) => argField(a, obj[a.name] ?? null,
    { id: `${prefix}-${a.name}`, fieldError, onValue: (v) => update((n) => {
      if (v === null) delete n[key][a.name]; else n[key][a.name] = v;
    }, 'fit') })));

  /** keras.callbacks.EarlyStopping, from schema.early_stopping: off, or on with its arguments. */
  function earlyStopping(c) {
    const args = schema().early_stopping ?? [];
    return h('details', { class: 'more', open: Boolean(c.early_stopping) }, h('summary', {}, 'early stopping'),
      checkField('stop when the monitored value stops improving (keras.callbacks.EarlyStopping)', Boolean(c.early_stopping), {
        id: 'fit-early_stopping', onValue: (on) => update((n) => {
          if (on) n.early_stopping = startArgs(args); else delete n.early_stopping;
        }, 'fit', true) }),
      c.early_stopping ? objectFields('early_stopping', args, c.early_stopping, 'es') : null);
  }

  /** A learning-rate schedule from schema.schedules (JSON {"type": name, …}); the first rate starts at the optimizer's. */
  function schedule(c) {
    const list = schema().schedules ?? [];
    const spec = list.find((s) => s.name === c.lr_schedule?.type);
    return h('details', { class: 'more', open: Boolean(c.lr_schedule) }, h('summary', {}, 'learning-rate schedule'),
      selectField('lr_schedule', c.lr_schedule?.type ?? null, list.map((s) => s.name), { id: 'fit-lr_schedule', none: true,
        hint: 'changes the learning rate as training goes on', onValue: (v) => update((n) => {
          const next = list.find((s) => s.name === v);
          if (!next) { delete n.lr_schedule; return; }
          const start = startArgs(next.args);
          if ('initial_learning_rate' in start) start.initial_learning_rate = n.optimizer.learning_rate;
          n.lr_schedule = { type: v, ...start };
        }, 'fit', true) }),
      spec ? objectFields('lr_schedule', spec.args, c.lr_schedule, 'lrs') : null);
  }

  // Fields about to be replaced no longer hold invalid text.
  const clearErrors = (el) => el.querySelectorAll('input[id]').forEach((i) => fieldError?.(i.id, null));

  return {
    render(next, { dataInfo } = {}) {
      config = next;
      if (!datasetSelect.querySelector('optgroup:not([data-upload])')) fillDatasets();   // uploads (upload.js) may come first
      datasetSelect.value = next.dataset;
      for (const [part, draw] of [['compile', drawCompile], ['fit', drawFit]]) {
        const k = keyOf(part, next);
        if (k !== shown[part]) { shown[part] = k; draw(); }
      }
      info.textContent = describeData(next.dataset, dataInfo);
    },
  };
}

const isDefaultOptimizer = (o) => Object.entries(optimizerDefaults(o.name)).every(([k, d]) => o[k] === d)
  && clippingArgs().every((a) => o[a.name] === undefined || o[a.name] === a.default);

/** "9,000 train · 1,000 validation · 2,000 test · 10 classes · input 28×28×1". */
export function describeData(name, d) {
  const facts = datasetFacts(name);
  if (!d || d.name !== name) {
    if (!facts) return `Unknown dataset "${name}".`;
    return [`${group(facts.train)} train`, `${group(facts.test)} test`,
      facts.num_classes ? `${facts.num_classes} classes` : 'regression', `input ${facts.sample_shape.join('×')}`].join(' · ');
  }
  const val = Math.round(d.train * d.validationSplit / (1 - d.validationSplit));
  const parts = [`${group(d.train)} train`];
  if (val > 0) parts.push(`${group(val)} validation`);
  parts.push(`${group(d.test)} test`);
  parts.push(d.numClasses ? `${d.numClasses} classes` : 'regression');
  parts.push(`input ${d.sampleShape.join('×')}`);
  return parts.join(' · ');
}
