// Dataset, loss, optimizer and fit pickers, prefilled with Keras defaults and
// editable. Only the chosen optimizer's own hyper-parameters are shown. Like the
// editor, a section re-renders only when its part of the config changed from
// elsewhere, so typing never loses focus.
import { h, group } from './dom.js';
import { numberField } from './editor.js';
import {
  DATASETS, LOSSES, LOSS_DEFAULTS, METRICS, OPTIMIZERS, clone, configKey, lossName, lossOption,
} from './state.js';

const KERAS_CLASS = { sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSprop', adagrad: 'Adagrad', nadam: 'Nadam' };
const HINTS = {
  learning_rate: 'step size', momentum: 'velocity kept per step', nesterov: 'look-ahead momentum',
  beta_1: 'decay of the mean (momentum)', beta_2: 'decay of the squared mean', epsilon: 'added to the denominator',
  amsgrad: 'use the max of past squared means', rho: 'decay of the squared mean', centered: 'divide by the variance',
  initial_accumulator_value: 'starting sum of squares',
};

const check = (label, checked, onChange, id) => h('label', { class: 'check', for: id },
  h('input', { type: 'checkbox', id, checked, onchange: (e) => onChange(e.target.checked) }), label);

export function mountPickers({ datasetSelect, info, compileEl, fitEl }, { onChange, onDataset, fieldError }) {
  let config = null;
  const shown = { compile: null, fit: null };

  for (const groupName of [...new Set(Object.values(DATASETS).map((d) => d.group))]) {
    datasetSelect.append(h('optgroup', { label: groupName }, Object.entries(DATASETS)
      .filter(([, d]) => d.group === groupName).map(([name, d]) => h('option', { value: name }, `${d.title}`))));
  }
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
    ? configKey([c.loss, c.optimizer, c.metrics, c.dataset])
    : configKey([c.batch_size, c.epochs, c.validation_split, c.seed, c.shuffle]));

  function drawCompile() {
    const c = config;
    const name = lossName(c.loss);
    const lossSel = h('select', { id: 'loss', onchange: (e) => update((n) => { n.loss = e.target.value; }, 'compile', true) },
      ['classification', 'regression'].map((task) => h('optgroup', { label: task === 'classification' ? 'Classification' : 'Regression' },
        Object.entries(LOSSES).filter(([, l]) => l.task === task).map(([k]) => h('option', { value: k, selected: k === name }, k)))));
    const setLossOpt = (k, v) => update((n) => {
      const obj = typeof n.loss === 'string' ? { name: n.loss } : { ...n.loss };
      if (v === LOSS_DEFAULTS[k]) delete obj[k]; else obj[k] = v;
      n.loss = Object.keys(obj).length === 1 ? obj.name : obj;
    }, 'compile');
    const lossOpts = (LOSSES[name]?.options ?? []).map((k) => (k === 'from_logits'
      ? check('from_logits', lossOption(c.loss, k), (v) => setLossOpt(k, v), 'loss-from_logits')
      : numberField(k, lossOption(c.loss, k), { id: `loss-${k}`, min: 0, fieldError, onValue: (v) => setLossOpt(k, v) })));

    const o = c.optimizer;
    const optSel = h('select', { id: 'optimizer', onchange: (e) => update((n) => {
      n.optimizer = { name: e.target.value, ...OPTIMIZERS[e.target.value] };
    }, 'compile', true) }, Object.keys(OPTIMIZERS).map((k) => h('option', { value: k, selected: k === o.name }, KERAS_CLASS[k])));
    const params = Object.entries(OPTIMIZERS[o.name]).map(([k, d]) => (typeof d === 'boolean'
      ? check(k, o[k], (v) => update((n) => { n.optimizer[k] = v; }, 'compile'), `opt-${k}`)
      : numberField(k, o[k], { id: `opt-${k}`, min: 0, step: 'any', hint: `${HINTS[k] ?? ''} · default ${d}`, fieldError,
        onValue: (v) => update((n) => { n.optimizer[k] = v; }, 'compile') })));
    const metrics = h('fieldset', { class: 'inline' }, h('legend', {}, 'metrics'),
      METRICS.map((m) => check(m, c.metrics.includes(m), (on) => update((n) => {
        n.metrics = METRICS.filter((x) => (x === m ? on : n.metrics.includes(x)));
      }, 'compile'), `metric-${m}`)));

    clearErrors(compileEl);
    compileEl.replaceChildren(
      h('div', { class: 'grid2' }, h('label', { class: 'field', for: 'loss' }, h('span', {}, 'loss'), lossSel), ...lossOpts),
      h('div', { class: 'grid2' },
        h('label', { class: 'field', for: 'optimizer' }, h('span', {}, 'optimizer'), optSel),
        h('div', { class: 'field' }, h('span', {}, '\u00a0'), h('button', { type: 'button', class: 'ghost', id: 'opt-defaults',
          disabled: isDefaultOptimizer(o), onclick: () => update((n) => { n.optimizer = { name: o.name, ...OPTIMIZERS[o.name] }; }, 'compile', true) },
        'Keras defaults'))),
      h('div', { class: 'grid2 params', id: 'opt-params' }, params),
      metrics,
      h('p', { id: 'compile-problems', class: 'error', role: 'alert', hidden: true }));
  }

  function drawFit() {
    const c = config;
    const int = (k, label, hint, min = 1) => numberField(label, c[k], { id: `fit-${k}`, integer: true, min, hint, fieldError,
      onValue: (v) => update((n) => { n[k] = v; }, 'fit') });
    clearErrors(fitEl);
    fitEl.replaceChildren(...[
      h('div', { class: 'grid2' },
        int('batch_size', 'batch_size', 'samples per step · Keras default 32'),
        int('epochs', 'epochs', 'passes over the training data'),
        numberField('validation_split', c.validation_split, { id: 'fit-validation_split', min: 0, max: 0.9, step: 0.05,
          hint: 'last fraction held out', fieldError, onValue: (v) => update((n) => { n.validation_split = v; }, 'fit') }),
        h('div', { class: 'field seed' }, int('seed', 'seed', 'same seed ⇒ same weights', 0),
          h('button', { type: 'button', class: 'ghost', id: 'new-seed', 'aria-label': 'pick a new random seed',
            onclick: () => update((n) => { n.seed = Math.floor(Math.random() * 1e6); }, 'fit', true) }, 'New seed'))),
      check('shuffle the training data every epoch', c.shuffle, (v) => update((n) => { n.shuffle = v; }, 'fit'), 'fit-shuffle'),
      c.early_stopping ? h('p', { class: 'muted' }, `early_stopping: ${JSON.stringify(c.early_stopping)}`) : null,
      c.lr_schedule ? h('p', { class: 'muted' }, `lr_schedule: ${JSON.stringify(c.lr_schedule)}`) : null,
      h('p', { id: 'fit-problems', class: 'error', role: 'alert', hidden: true })].filter(Boolean));
  }

  // Fields about to be replaced no longer hold invalid text.
  const clearErrors = (el) => el.querySelectorAll('input[id]').forEach((i) => fieldError?.(i.id, null));

  const showProblems = (id, list) => {
    const p = document.getElementById(id);
    if (!p) return;
    p.textContent = list.join(' · ');
    p.hidden = list.length === 0;
  };

  return {
    render(next, { dataInfo, placed } = {}) {
      config = next;
      datasetSelect.value = next.dataset;
      for (const [part, draw] of [['compile', drawCompile], ['fit', drawFit]]) {
        const k = keyOf(part, next);
        if (k !== shown[part]) { shown[part] = k; draw(); }
      }
      showProblems('compile-problems', [...(placed?.loss ?? []), ...(placed?.optimizer ?? [])]);
      showProblems('fit-problems', placed?.fit ?? []);
      info.textContent = describeData(next.dataset, dataInfo);
    },
  };
}

const isDefaultOptimizer = (o) => Object.entries(OPTIMIZERS[o.name]).every(([k, d]) => o[k] === d);

/** "9,000 train · 1,000 validation · 2,000 test · 10 classes · input 28×28×1". */
export function describeData(name, d) {
  const facts = DATASETS[name];
  if (!d || d.name !== name) {
    if (!facts) return `Unknown dataset "${name}".`;
    return `${facts.classes ? `${facts.classes} classes` : 'regression'} · input ${facts.shape.join('×')}`;
  }
  const val = Math.round(d.train * d.validationSplit / (1 - d.validationSplit));
  const parts = [`${group(d.train)} train`];
  if (val > 0) parts.push(`${group(val)} validation`);
  parts.push(`${group(d.test)} test`);
  parts.push(d.numClasses ? `${d.numClasses} classes` : 'regression');
  parts.push(`input ${d.sampleShape.join('×')}`);
  return parts.join(' · ');
}
