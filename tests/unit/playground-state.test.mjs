// The playground's pure state logic: link encoding (url.js) and config
// normalisation / dataset adaptation (state.js), driven by the core's schema
// (here the fixture tests/unit/fixtures/schema.json). Expected values are written
// by hand from the documented formats and Keras defaults, not copied from output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useSchema } from '../../www/js/schema.js';

useSchema(JSON.parse(readFileSync(new URL('./fixtures/schema.json', import.meta.url))));
import { decodeHash, encodeConfig, parseCall } from '../../www/js/url.js';
import {
  adaptToDataset, configKey, defaultConfig, hasImageLayers, normalizeConfig, onlyLiveChange, createStore,
} from '../../www/js/state.js';

const XOR_HASH = 'v=1&dataset=xor&layers=Dense(8,tanh);Dense(1,sigmoid)&loss=binary_crossentropy'
  + '&optimizer=adam(learning_rate=0.05)&batch_size=4&epochs=2000&validation_split=0&seed=1';

test('the default experiment is the small CNN the CLI measured and encodes to a readable Keras-like link', () => {
  const c = defaultConfig();
  assert.equal(encodeConfig(c), 'v=1&dataset=mnist'
    + '&layers=Conv2D(12,5,2,activation=relu);Conv2D(24,3,activation=relu);MaxPooling2D(2);Flatten;Dense(10,softmax)'
    + '&loss=categorical_crossentropy&optimizer=adam(learning_rate=0.003)&metrics=accuracy'
    + '&batch_size=16&epochs=2&validation_split=0&seed=42&validation_data=test');
  assert.deepEqual(decodeHash(`#${encodeConfig(c)}`).config, c);
  // The same experiment `gradlab train crate/configs/default.json` trains (issue 14.6's 95 %).
  const file = JSON.parse(readFileSync(new URL('../../crate/configs/default.json', import.meta.url)));
  assert.deepEqual(normalizeConfig(file), c);
});

test('a hand-written XOR link decodes with Keras defaults filled in', () => {
  const { config } = decodeHash(`#${XOR_HASH}`);
  assert.deepEqual(config.layers[0], { type: 'Dense', units: 8, activation: 'tanh', use_bias: true,
    kernel_initializer: 'glorot_uniform', bias_initializer: 'zeros' });
  // Keras Adam defaults: beta_1 0.9, beta_2 0.999, epsilon 1e-7, amsgrad False.
  assert.deepEqual(config.optimizer, { name: 'adam', learning_rate: 0.05, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false });
  assert.deepEqual(config.metrics, ['accuracy']);
  assert.equal(config.shuffle, true);
  assert.equal(config.seed, 1);
  assert.equal(config.epochs, 2000);
});

test('non-default options survive the round trip', () => {
  const c = defaultConfig();
  c.layers.splice(2, 0, { type: 'Dropout', rate: 0.25 }, { type: 'Activation', activation: 'tanh' });
  c.layers[1] = { ...c.layers[1], use_bias: false, kernel_initializer: 'he_normal' };
  c.loss = { name: 'categorical_crossentropy', label_smoothing: 0.1 };
  c.optimizer = { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 1 };
  c.shuffle = false;
  c.early_stopping = { monitor: 'val_loss', patience: 2 };
  const hash = encodeConfig(c);
  assert.match(hash, /Conv2D\(24,3,activation=relu,use_bias=false,kernel_initializer=he_normal\);Dropout\(0\.25\)/);
  assert.match(hash, /optimizer=sgd\(learning_rate=0\.1,momentum=0\.9,nesterov=true,clipnorm=1\)/);
  assert.deepEqual(decodeHash(hash).config, c);
});

test('bad links throw a message naming the problem', () => {
  assert.throws(() => decodeHash('#v=1&dataset=mnist&layers=Dense(10&loss=mse&optimizer=adam'), /layer 1 "Dense\(10"/);
  assert.throws(() => decodeHash('#foo=1'), /unknown setting "foo"/);
  assert.throws(() => decodeHash('#v=9&dataset=x&layers=Flatten&loss=mse&optimizer=adam'), /version 9/);
  assert.throws(() => decodeHash('#v=1&dataset=mnist&layers=Conv9(3)&loss=mse&optimizer=adam'), /unknown layer type "Conv9"/);
  assert.throws(() => decodeHash('#v=1&dataset=mnist&layers=Flatten&loss=mse&optimizer=adamw'), /unknown optimizer "adamw"/);
  assert.throws(() => decodeHash('#v=1&dataset=mnist&layers=Dense(abc)&loss=mse&optimizer=adam'), /units must be a finite number/);
  assert.throws(() => decodeHash('#v=1&dataset=mnist&loss=mse&optimizer=adam'), /no layers/);
  assert.throws(() => decodeHash('#config={nope'), /not valid JSON/);
  assert.throws(() => decodeHash('#v=1&dataset=mnist&layers=Flatten&loss=mse&optimizer=adam(lr=1)'), /unknown field "lr"/);
  assert.throws(() => decodeHash('#v=1&dataset=cifar10&layers=Flatten&loss=mse&optimizer=adam'), /dataset "cifar10" does not exist/);
  assert.equal(decodeHash('').config, null);
});

test('#config=<JSON> accepts a full ExperimentConfig (as the core serialises it)', () => {
  const core = { dataset: 'iris', layers: [{ type: 'Dense', units: 3, activation: 'softmax', use_bias: true,
    kernel_initializer: 'glorot_uniform', bias_initializer: 'zeros' }], loss: 'categorical_crossentropy',
  optimizer: { name: 'rmsprop', learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false,
    clipnorm: null, clipvalue: null, global_clipnorm: null },
  metrics: [], label_encoding: null, batch_size: 16, epochs: 3, validation_split: 0, shuffle: true, seed: 7,
  early_stopping: null, lr_schedule: null };
  const { config } = decodeHash(`#config=${encodeURIComponent(JSON.stringify(core))}`);
  assert.deepEqual(config.optimizer, { name: 'rmsprop', learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
  assert.deepEqual(config.metrics, ['accuracy']);
  assert.equal(config.label_encoding, undefined);
});

test('parseCall splits positional and keyword arguments', () => {
  assert.deepEqual(parseCall('Dense(4, relu, use_bias=false)', 'x'), { name: 'Dense', args: [4, 'relu'], kw: { use_bias: false } });
  assert.deepEqual(parseCall('Flatten', 'x'), { name: 'Flatten', args: [], kw: {} });
});

test('adaptToDataset fits the output layer, loss and metric to the new dataset', () => {
  const iris = adaptToDataset(defaultConfig(), 'iris');
  assert.equal(iris.config.layers.at(-1).units, 3);
  assert.equal(iris.config.layers.at(-1).activation, 'softmax');
  assert.ok(iris.notes.some((n) => n.includes('10 → 3')));

  const diab = adaptToDataset(defaultConfig(), 'diabetes');
  assert.equal(diab.config.loss, 'mean_squared_error');
  assert.deepEqual([diab.config.layers.at(-1).units, diab.config.layers.at(-1).activation], [1, 'linear']);
  assert.deepEqual(diab.config.metrics, ['mae']);

  const back = adaptToDataset(diab.config, 'mnist');
  assert.equal(back.config.loss, 'categorical_crossentropy');
  assert.deepEqual([back.config.layers.at(-1).units, back.config.layers.at(-1).activation], [10, 'softmax']);
  assert.deepEqual(back.config.metrics, ['accuracy']);

  // A 1-unit sigmoid + binary CE model on a 2-class set keeps its binary form.
  const xor = decodeHash(`#${XOR_HASH}`).config;
  assert.deepEqual(adaptToDataset(xor, 'moons').config.layers, xor.layers);
  // …but becomes softmax + CE over 3 classes.
  const sp = adaptToDataset(xor, 'spirals').config;
  assert.deepEqual([sp.layers.at(-1).units, sp.layers.at(-1).activation, sp.loss], [3, 'softmax', 'categorical_crossentropy']);

  // Images need Flatten before Dense.
  const img = adaptToDataset(xor, 'digits').config;
  assert.equal(img.layers[0].type, 'Flatten');
});

test('adaptToDataset drops the image-only layers (schema images_only) for flat samples, keeping a hidden layer', () => {
  const cnn = defaultConfig();
  const iris = adaptToDataset(cnn, 'iris');
  assert.deepEqual(iris.config.layers.map((l) => [l.type, l.units, l.activation]),
    [['Flatten', undefined, undefined], ['Dense', 32, 'relu'], ['Dense', 3, 'softmax']]);
  assert.equal(iris.notes[0], 'removed Conv2D, Conv2D, MaxPooling2D (they need images; iris samples are 4 numbers)');
  assert.equal(iris.notes[1], 'added Dense(32, relu) as a hidden layer');
  // A stack that still has a hidden Dense gets none added.
  const withHidden = normalizeConfig({ ...cnn, layers: [...cnn.layers.slice(0, 4),
    { type: 'Dense', units: 64, activation: 'tanh' }, cnn.layers[4]] });
  const moons = adaptToDataset(withHidden, 'moons').config;
  assert.deepEqual(moons.layers.map((l) => l.units ?? l.type), ['Flatten', 64, 2]);
  // Images the convolutions do not fit (app.js asks the core first): dropped on request, said so.
  const digits = adaptToDataset(cnn, 'digits', { withoutImageLayers: true });
  assert.deepEqual(digits.config.layers.map((l) => l.units ?? l.type), ['Flatten', 32, 10]);
  assert.equal(digits.notes[0], 'removed Conv2D, Conv2D, MaxPooling2D (they do not fit the 8×8 images of digits)');
  assert.equal(hasImageLayers(digits.config), false);
  assert.equal(hasImageLayers(adaptToDataset(cnn, 'digits').config), true);
  // Images keep them; the test-set validation stays where there is a test set.
  assert.deepEqual(adaptToDataset(cnn, 'fashion-mnist').config.layers, cnn.layers);
  assert.equal(adaptToDataset(cnn, 'circles').config.validation_data, 'test');
});

test('onlyLiveChange is true for learning rate / momentum edits only', () => {
  const a = defaultConfig();
  const b = normalizeConfig({ ...a, optimizer: { ...a.optimizer, learning_rate: 0.01, beta_1: 0.8 } });
  assert.equal(onlyLiveChange(a, b), true);
  assert.equal(onlyLiveChange(a, { ...b, epochs: 6 }), false);
  assert.equal(onlyLiveChange(a, { ...a, optimizer: { ...a.optimizer, beta_2: 0.99 } }), false);
  assert.equal(configKey({ b: 1, a: [1, { d: 2, c: 3 }] }), '{"a":[1,{"c":3,"d":2}],"b":1}');
});

test('createStore notifies with the changed keys only', () => {
  const s = createStore({ a: 1, b: 2 });
  const seen = [];
  s.subscribe((st, changed) => seen.push([...changed]));
  s.set({ a: 1 });
  s.set({ a: 3, b: 2 });
  s.set((st) => ({ b: st.a + 1 }));
  assert.deepEqual(seen, [['a'], ['b']]);
  assert.deepEqual(s.get(), { a: 3, b: 4 });
});
