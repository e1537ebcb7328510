// The page learns everything from the core's schema (contracts §3): a layer
// kind only a schema adds (LocallyConnected2D here, one the core does not have)
// is read from links, written back, and gets its controls in the editor with no
// JS change; problems are placed by their path (contracts §1), never by their wording.
// The fixture is tests/unit/fixtures/schema.json, the core's own schema (`gradlab schema`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { installFakeDom } from './fake-dom.mjs';
import { useSchema } from '../../www/js/schema.js';
import { newLayer } from '../../www/js/schema.js';
import { shortF32 } from '../../www/js/schema-values.js';
import { adaptToDataset, normalizeConfig } from '../../www/js/state.js';
import { lessonById } from '../../www/js/lessons.js';
import { decodeHash, encodeConfig } from '../../www/js/url.js';
import { placeProblems, problemLabel, slotsFor } from '../../www/js/summary.js';
/** An MNIST MLP, Flatten → Dense(128, relu) → Dense(10, softmax) (the lesson mlp-128). */
const mnistMlp = () => normalizeConfig(lessonById('mlp-128').config);

const base = JSON.parse(readFileSync(new URL('./fixtures/schema.json', import.meta.url)));

/**
 * A kind the core's schema does not have: Keras 2's LocallyConnected2D (dropped in Keras 3, so the
 * core will not grow it), with its signature order and defaults. The tests below check the premise.
 */
const EXTRA = 'LocallyConnected2D';

/** The fixture plus the EXTRA kind. */
function withExtraKind() {
  const s = structuredClone(base);
  s.layers.push({ kind: EXTRA, doc: 'keras.layers.LocallyConnected2D: 2-D convolution with unshared weights', args: [
    { name: 'filters', type: 'int', default: null, required: true, min: 1, doc: 'number of output channels' },
    { name: 'kernel_size', type: 'int_list', default: null, required: true, doc: 'height and width of the window' },
    { name: 'strides', type: 'int_list', default: [1, 1], required: false, doc: 'step of the window' },
    { name: 'padding', type: 'enum', default: 'valid', required: false, choices: ['valid', 'same'], doc: 'valid or same' },
    { name: 'activation', type: 'enum', default: 'linear', required: false, choices_from: 'activations', doc: 'activation' },
    { name: 'use_bias', type: 'bool', default: true, required: false, doc: 'add a bias vector' },
  ] });
  return s;
}

test('the extra kind is one the core\'s schema does not have', () => {
  assert.ok(!base.layers.some((l) => l.kind === EXTRA), `${EXTRA} is in the core's schema now: pick another kind`);
});

const CNN = 'v=1&dataset=mnist&layers=LocallyConnected2D(32,(3,3),activation=relu);Flatten;Dense(10,softmax)'
  + '&loss=categorical_crossentropy&optimizer=adam(learning_rate=0.001)&batch_size=32&epochs=1&validation_split=0&seed=1';

test('a layer kind added to the schema is read from a link with its defaults and written back the same', () => {
  useSchema(withExtraKind());
  const { config } = decodeHash(`#${CNN}`);
  // Keras LocallyConnected2D defaults: strides (1, 1), padding "valid", use_bias True.
  assert.deepEqual(config.layers[0], { type: EXTRA, filters: 32, kernel_size: [3, 3], strides: [1, 1], padding: 'valid',
    activation: 'relu', use_bias: true });
  assert.match(encodeConfig(config), /layers=LocallyConnected2D\(32,\(3,3\),activation=relu\);Flatten;Dense\(10,softmax\)&/);
  assert.deepEqual(decodeHash(`#${encodeConfig(config)}`).config, config);
  // "Add layer" fills required arguments with starter values inside their range; hidden layers get relu.
  assert.deepEqual(newLayer(EXTRA), { type: EXTRA, filters: 64, kernel_size: [3, 3], strides: [1, 1], padding: 'valid',
    activation: 'relu', use_bias: true });
  assert.deepEqual(newLayer('Dense'), { type: 'Dense', units: 64, activation: 'relu', use_bias: true,
    kernel_initializer: 'glorot_uniform', bias_initializer: 'zeros' });
  assert.deepEqual(newLayer('Dropout'), { type: 'Dropout', rate: 0.2 });
  // Switching to an image set does not put a Flatten before an image layer (issue 12.4).
  assert.equal(adaptToDataset(config, 'digits').config.layers[0].type, EXTRA);
});

test('without that kind in the schema, the same link is refused with the kinds that exist', () => {
  useSchema(base);
  // The message lists the kinds the schema has, in its order.
  const kinds = base.layers.map((l) => l.kind);
  assert.ok(kinds.includes('Dense') && !kinds.includes(EXTRA));
  assert.throws(() => decodeHash(`#${CNN}`), (e) => e.message.includes(`unknown layer type "${EXTRA}" (use ${kinds.join(', ')})`));
});

test('the editor builds a new kind\'s controls from its schema arguments', async () => {
  const doc = installFakeDom();
  useSchema(withExtraKind());
  const { mountEditor } = await import('../../www/js/editor.js');
  const el = doc.createElement('div');
  doc.body.append(el);
  const seen = [];
  const ed = mountEditor(el, { onChange: (layers) => seen.push(layers), fieldError: () => {} });
  ed.render(mnistMlp().layers);
  const kinds = el.querySelector('#add-kind').options.map((o) => o.value);
  // The schema's kinds in its order, the extra one last.
  assert.deepEqual(kinds, [...base.layers.map((l) => l.kind), EXTRA]);
  el.querySelector('#add-kind').value = EXTRA;
  el.querySelector('#add-layer').click();
  const added = seen.at(-1)[2];
  assert.equal(added.type, EXTRA);
  // One control per argument, with the ids problems are placed by: int → number, int_list → text,
  // enum → select (choices or the named list), bool → checkbox.
  assert.equal(el.querySelector('#layer-2-filters').getAttribute('type'), 'number');
  assert.equal(el.querySelector('#layer-2-kernel_size').getAttribute('type'), 'text');
  assert.equal(el.querySelector('#layer-2-kernel_size').value, '3, 3');
  assert.deepEqual(el.querySelector('#layer-2-padding').options.map((o) => o.value), ['valid', 'same']);
  assert.equal(el.querySelector('#layer-2-activation').options.length, base.activations.length);
  assert.equal(el.querySelector('#layer-2-use_bias').getAttribute('type'), 'checkbox');
  for (const a of ['filters', 'kernel_size', 'strides', 'padding', 'activation', 'use_bias']) {
    assert.ok(el.querySelector(`#layer-2-${a}-problem`), `a problem slot for ${a}`);
  }
  // Typing "5x5" into kernel_size gives the list the core expects.
  const ks = el.querySelector('#layer-2-kernel_size');
  ks.value = '5x5';
  ks.dispatch('input');
  assert.deepEqual(seen.at(-1)[2].kernel_size, [5, 5]);
  // Typing text that is not a list of whole numbers is flagged, and the config keeps the last good value.
  ks.value = '5, a';
  ks.dispatch('input');
  assert.equal(el.querySelector('#layer-2-kernel_size-err').hidden, false);
  assert.deepEqual(seen.at(-1)[2].kernel_size, [5, 5]);
  delete globalThis.document;
});

test('problems are placed by path: layer argument, layer, optimizer argument, fit field; unknown paths stay general', () => {
  useSchema(base);
  const onScreen = new Set(['layer-2-units', 'layer-2', 'layer-0', 'layers', 'opt-beta_1', 'optimizer', 'loss',
    'fit-batch_size', 'fit', 'dataset', 'metrics']);
  const p = placeProblems([
    { path: 'layers[2].units', message: 'mnist has 10 classes: set units to 10' },
    { path: 'layers[0]', message: 'Dense needs a flat input (None, n): add a Flatten layer before it' },
    { path: 'layers[0].rate', message: 'rate must be below 1' },
    { path: 'optimizer.beta_1', message: 'beta_1 must be in [0, 1)' },
    { path: 'batch_size', message: 'batch_size must be a whole number ≥ 1, got -5' },
    { path: 'early_stopping.patience', message: 'patience must be ≥ 0' },
    { path: '', message: 'the whole config is wrong' },
    'a bare string from an older engine',
  ], (slot) => onScreen.has(slot));
  assert.deepEqual(p.slots.get('layer-2-units'), ['mnist has 10 classes: set units to 10']);
  // layers[0].rate has no rate field on screen: it falls back to its layer.
  assert.deepEqual(p.slots.get('layer-0'), ['Dense needs a flat input (None, n): add a Flatten layer before it', 'rate must be below 1']);
  assert.deepEqual(p.slots.get('opt-beta_1'), ['beta_1 must be in [0, 1)']);
  assert.deepEqual(p.slots.get('fit-batch_size'), ['batch_size must be a whole number ≥ 1, got -5']);
  // early_stopping has no control here: its slot is missing, so the fit card shows it.
  assert.deepEqual(p.slots.get('fit'), ['patience must be ≥ 0']);
  assert.deepEqual(p.general.map((x) => x.message), ['the whole config is wrong', 'a bare string from an older engine']);
  assert.equal(p.all.length, 8);
  // The placement never reads the message: a layer path in other words lands in the same place.
  assert.deepEqual(slotsFor('layers[12].kernel_size'), ['layer-12-kernel_size', 'layer-12', 'layers']);
  assert.deepEqual(slotsFor('optimizer'), ['optimizer']);
  assert.deepEqual(slotsFor('loss.delta'), ['loss-delta', 'loss']);
  assert.deepEqual(slotsFor('something_new'), []);
  assert.equal(problemLabel('layers[2].units', mnistMlp().layers), 'layer 3 (Dense) units');
  assert.equal(problemLabel('optimizer.beta_1'), 'optimizer beta_1');
});

test('floats print short in links: an f32 0.2 widened to f64 is written 0.2', () => {
  useSchema(base);
  assert.equal(shortF32(0.20000000298023224), 0.2);
  assert.equal(shortF32(Math.fround(1e-7)), 1e-7);
  assert.equal(shortF32(0.001), 0.001);
  assert.equal(shortF32(3), 3);
  const c = mnistMlp();
  c.layers.splice(2, 0, { type: 'Dropout', rate: 0.20000000298023224 });
  c.optimizer.learning_rate = 0.0010000000474974513;   // f32 0.001 as the core sends it back
  c.validation_split = 0.10000000149011612;
  const hash = encodeConfig(normalizeConfig(c));
  assert.match(hash, /Dropout\(0\.2\)/);
  assert.match(hash, /adam\(learning_rate=0\.001\)/);
  assert.match(hash, /validation_split=0\.1&/);
});

test('a link with 20,000 layers is refused before anything is built', () => {
  useSchema(base);
  const layers = Array.from({ length: 20000 }, () => 'Dense(1)').join(';');
  const hash = `#v=1&dataset=iris&layers=${layers}&loss=mean_squared_error&optimizer=sgd`;
  // The core's limit (schema.limits.max_layers) is 100 layers.
  assert.equal(base.limits.max_layers, 100);
  assert.throws(() => decodeHash(hash), /20,000 layers; Gradient Lab builds at most 100: remove layers/);
  assert.throws(() => normalizeConfig({ ...mnistMlp(), layers: Array(101).fill({ type: 'Flatten' }) }), /at most 100/);
});

test('toy truth tables get no validation split, bigger sets keep theirs', () => {
  useSchema(base);
  const xor = adaptToDataset(mnistMlp(), 'xor');
  assert.equal(xor.config.validation_split, 0);
  assert.ok(xor.notes.some((n) => /validation_split 0\.1 → 0 \(xor has only 4 training samples\)/.test(n)));
  assert.equal(adaptToDataset(mnistMlp(), 'circles').config.validation_split, 0.1);
});

test('dataset facts, optimizer and loss defaults come from the schema', () => {
  const s = structuredClone(base);
  s.optimizers[0].args[0].default = 0.05;   // a core whose SGD default moved
  s.datasets.push({ name: 'fashion-mnist', title: 'Fashion-MNIST, small', group: 'Images', task: 'classification',
    sample_shape: [28, 28, 1], num_classes: 10, class_names: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal',
      'Shirt', 'Sneaker', 'Bag', 'Ankle boot'], train: 10000, test: 2000, files: [], approx_bytes: 1 });
  useSchema(s);
  assert.equal(normalizeConfig({ ...mnistMlp(), optimizer: 'sgd' }).optimizer.learning_rate, 0.05);
  const f = decodeHash('#v=1&dataset=fashion-mnist&layers=Flatten;Dense(10,softmax)&loss=categorical_crossentropy&optimizer=adam');
  assert.equal(f.config.dataset, 'fashion-mnist');
  useSchema(base);
});

test('NaN and Infinity learning rates are named as such, in links and in JSON (issue 15.22)', () => {
  useSchema(base);
  const at = (opt) => `#v=1&dataset=iris&layers=Dense(3,softmax)&loss=categorical_crossentropy&optimizer=${opt}`;
  assert.throws(() => decodeHash(at('adam(learning_rate=NaN)')), /optimizer adam learning_rate must be a finite number \(got NaN\)/);
  assert.throws(() => decodeHash(at('sgd(learning_rate=Infinity)')), /learning_rate must be a finite number \(got Infinity\)/);
  // 1e999 parses to Infinity in JSON: the message says Infinity, not "null".
  const raw = JSON.parse('{"name": "sgd", "learning_rate": 1e999}');
  assert.throws(() => normalizeConfig({ ...mnistMlp(), optimizer: raw }), /must be a finite number \(got Infinity\)/);
});

test('object arguments (a regularizer) and choices with arguments (an initializer) survive a link', () => {
  // The core's schema: kernel_regularizer is a choice of schema.regularizers, with or without factors.
  const hash = '#v=1&dataset=iris&layers=Dense(3,softmax,kernel_initializer={"name":"random_uniform","minval":-1},'
    + 'kernel_regularizer={"name":"l2","l2":0.001})&loss=categorical_crossentropy&optimizer=adam';
  const { config } = decodeHash(hash);
  assert.deepEqual(config.layers[0].kernel_initializer, { name: 'random_uniform', minval: -1 });
  assert.deepEqual(config.layers[0].kernel_regularizer, { name: 'l2', l2: 0.001 });
  assert.deepEqual(decodeHash(`#${encodeConfig(config)}`).config, config);
  const plain = decodeHash(hash.replace('{"name":"l2","l2":0.001}', 'l1_l2')).config;
  assert.equal(plain.layers[0].kernel_regularizer, 'l1_l2');
  assert.deepEqual(decodeHash(`#${encodeConfig(plain)}`).config, plain);
  assert.throws(() => decodeHash(hash.replace('random_uniform', 'random_wobbly')), /"random_wobbly" is not one of zeros, ones, constant, random_uniform/);
  assert.throws(() => decodeHash(hash.replace('"l2","l2"', '"l3","l2"')), /"l3" is not one of l1, l2, l1_l2/);
});

test('metrics whose task is "any" (the core marks mae/mse so) serve regression by default', () => {
  const s = structuredClone(base);
  for (const m of s.metrics) if (m.task === 'regression') m.task = 'any';
  useSchema(s);
  const diab = adaptToDataset(mnistMlp(), 'diabetes').config;
  assert.deepEqual(diab.metrics, ['mae']);
  assert.deepEqual(normalizeConfig({ ...diab, metrics: [] }).metrics, ['mae']);
  assert.deepEqual(adaptToDataset(diab, 'iris').config.metrics, ['accuracy']);
  assert.deepEqual(normalizeConfig({ ...mnistMlp(), metrics: null }).metrics, ['accuracy']);
  useSchema(base);
});

test('early stopping and learning-rate schedules are edited from schema.early_stopping and schema.schedules', async () => {
  const doc = installFakeDom();
  useSchema(base);
  const { mountPickers } = await import('../../www/js/pickers.js');
  const el = (tag) => { const e = doc.createElement(tag); doc.body.append(e); return e; };
  const seen = [];
  const p = mountPickers({ datasetSelect: el('select'), info: el('p'), compileEl: el('div'), fitEl: el('div') },
    { onChange: (c) => seen.push(c), onDataset: () => {}, fieldError: () => {} });
  const c = mnistMlp();
  p.render(c);
  const es = doc.getElementById('fit-early_stopping');
  es.checked = true;
  es.dispatch('change');
  // Keras EarlyStopping defaults: monitor val_loss, min_delta 0, patience 0, mode auto, restore_best_weights False.
  assert.deepEqual(seen.at(-1).early_stopping, { monitor: 'val_loss', min_delta: 0, patience: 0, mode: 'auto',
    restore_best_weights: false, start_from_epoch: 0 });
  const patience = doc.getElementById('es-patience');
  patience.value = '3';
  patience.dispatch('input');
  assert.equal(seen.at(-1).early_stopping.patience, 3);
  const sched = doc.getElementById('fit-lr_schedule');
  sched.value = 'exponential_decay';
  sched.dispatch('change');
  // The schedule starts at the optimizer's learning rate (Adam 0.001); its other arguments get editable starter values.
  assert.equal(seen.at(-1).lr_schedule.type, 'exponential_decay');
  assert.equal(seen.at(-1).lr_schedule.initial_learning_rate, 0.001);
  assert.ok(doc.getElementById('lrs-decay_rate'), 'a field per schedule argument');
  // A problem at early_stopping.patience is placed under that input.
  assert.deepEqual(slotsFor('early_stopping.patience').slice(0, 1), ['es-patience']);
  // The link carries both as JSON.
  assert.match(encodeConfig(seen.at(-1)), /early_stopping=\{"monitor":"val_loss".*"patience":3.*&lr_schedule=\{"type":"exponential_decay"/);
  delete globalThis.document;
});

test('learning_rate leads an optimizer\'s arguments in links even when the schema lists them alphabetically', () => {
  useSchema(base);
  const c = mnistMlp();
  c.optimizer = normalizeConfig({ ...c, optimizer: { name: 'adam', learning_rate: 0.01, beta_1: 0.8 } }).optimizer;
  assert.equal(Object.keys(c.optimizer)[1], 'learning_rate');
  assert.match(encodeConfig(c), /optimizer=adam\(learning_rate=0\.01,beta_1=0\.8\)/);
});
