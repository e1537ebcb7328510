// Race mode's pure state (www/js/race.js): patches, their link form, labels,
// the quick variations, sorting and the results CSV. The link form is parsed by
// the core only (config::patch, here its wasm build: core.mjs); race.js writes
// the parsed form back, and these tests check the two agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { limits, useSchema } from '../../www/js/schema.js';
import { encodeRace, resultsCsv, runLabels, sortRows, VARIATIONS } from '../../www/js/race.js';
import { defaultConfig, normalizeConfig } from '../../www/js/state.js';
import { LESSONS, lessonById } from '../../www/js/lessons.js';
import { suggestionsFor } from '../../www/js/race-add.js';
import { addRun, applyRace, applyRun, core, needsCore } from './core.mjs';

// Names and Keras defaults come from the core's schema (here the unit-test fixture).
useSchema(JSON.parse(readFileSync(new URL('./fixtures/schema.json', import.meta.url))));
/** An MNIST MLP, Flatten → Dense(128, relu) → Dense(10, softmax) (the lesson mlp-128). */
const mnistMlp = () => normalizeConfig(lessonById('mlp-128').config);

test('a race round-trips through its link form, readable like Keras code', { skip: needsCore }, () => {
  const race = { runs: VARIATIONS.optimizers.runs(mnistMlp()) };
  const text = encodeRace(race);
  assert.equal(text.split('|')[1], 'optimizer:sgd(learning_rate=0.01,momentum=0.9)');
  assert.deepEqual(core.parseRace(text), race);
  const mixed = { runs: [{ loss: 'mean_squared_error', batch_size: 64 },
    { init: 'he_normal', layers: { 1: { activation: 'tanh' }, 2: { rate: 0.25 } } }] };
  assert.equal(encodeRace(mixed), 'loss:mean_squared_error;batch_size:64|init:he_normal;activation[1]:tanh;dropout[2]:0.25');
  assert.deepEqual(core.parseRace(encodeRace(mixed)), mixed);
});

test('the core\'s parse of a canonical link encodes back to the same text (the lessons\' races too)', { skip: needsCore }, () => {
  const texts = [...new Set(LESSONS.map((l) => l.race).filter(Boolean)),
    ...Object.values(VARIATIONS).map((v) => encodeRace({ runs: v.runs(mnistMlp()) })),
    'optimizer:adam(amsgrad=true,beta_1=0.8,learning_rate=0.0005);loss:mean_squared_error;batch_size:64;init:he_normal'
      + ';activation[1]:tanh;dropout[2]:0',
    '|optimizer:sgd'];
  for (const text of texts) assert.equal(encodeRace(core.parseRace(text)), text);
  // Spaces, case of the optimizer's name and a repeated field: the core's reading, written canonically.
  assert.equal(encodeRace(core.parseRace(' optimizer: SGD( momentum = 0.9 ) ; batch_size:8;batch_size:16 ')),
    'optimizer:sgd(momentum=0.9);batch_size:16');
  assert.deepEqual(core.parseRace('activation[3]:relu;dropout[3]:0.5').runs, [{ layers: { 3: { activation: 'relu', rate: 0.5 } } }]);
});

test('bad race links say what to change, with the run\'s number (the core\'s messages)', { skip: needsCore }, () => {
  assert.throws(() => core.parseRace('colour:red'), /run 1: unknown field "colour"/);
  assert.throws(() => core.parseRace('optimizer:adam|batch_size:0'), /run 2: batch_size must be a whole number ≥ 1/);
  assert.throws(() => core.parseRace('dropout[1]:1.5'), /dropout rate must be in \[0, 1\)/);
  assert.throws(() => core.parseRace('optimizer:sgd(0.1)'), /key=value/);
  assert.equal(limits().max_runs, 6, 'the page takes the most runs from the core\'s schema');
  assert.throws(() => core.parseRace(Array(limits().max_runs + 1).fill('optimizer:adam').join('|')), /at most 6 runs/);
  assert.throws(() => core.parseRace('optimizer:sgd|batch_size:8|batch_size:16|adam'), /run 4: "adam" is not like field:value/);
});

test('a patch changes only its fields; dataset and seed stay (same initial weights and batches)', { skip: needsCore }, () => {
  const base = mnistMlp();
  const c = applyRun(base, 'optimizer:sgd(learning_rate=0.1,momentum=0.9);batch_size:64;activation[1]:tanh');
  assert.deepEqual(normalizeConfig(c).optimizer, { name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false });
  assert.equal(c.batch_size, 64);
  assert.equal(c.layers[1].activation, 'tanh');
  assert.equal(c.seed, base.seed);
  assert.equal(c.dataset, base.dataset);
  assert.equal(base.layers[1].activation, 'relu', 'the base config is not modified');
  // The core's messages name the run, the layer and what is wrong.
  assert.throws(() => applyRun(base, 'dropout[1]:0.5', 3), /run 3: layer 2 is Dense, not Dropout/);
  assert.throws(() => applyRun(base, 'activation[9]:relu'), /run 1: layer 10 does not exist in this model \(it has 3\)/);
  assert.throws(() => applyRace(base, 'optimizer:adam|activation[0]:relu'), /run 2: layer 1 \(Flatten\) has no activation/);
  assert.throws(() => applyRace(base, 'optimizer:adam(learning_rate=-1)'), /run 1: .*learning_rate/);
  assert.deepEqual(applyRace(base, 'optimizer:adam|batch_size:8').map((x) => [x.optimizer.name, x.batch_size]),
    [['adam', base.batch_size], [base.optimizer.name, 8]]);
});

test('adding one run is one call to the core: its patch (race.js\'s form) and its config, or the core\'s message naming the run',
  { skip: needsCore }, () => {
    const base = mnistMlp();
    const text = 'optimizer:sgd(learning_rate=0.1,momentum=0.9);batch_size:64;activation[1]:tanh';
    const { patch, config } = addRun(base, text, 2);
    assert.deepEqual(Object.keys(addRun(base, text, 2)).sort(), ['config', 'patch']);
    assert.deepEqual([patch], core.parseRace(text).runs, 'the patch the race keeps and writes into the link');
    assert.equal(encodeRace({ runs: [patch] }), text);
    assert.deepEqual(config, applyRace(base, text)[0], 'the config the run is built from (as the race link\'s)');
    assert.equal(config.batch_size, 64);
    assert.equal(config.layers[1].activation, 'tanh');
    assert.equal(config.seed, base.seed);
    assert.deepEqual(addRun(base, '', 1), { patch: {}, config: applyRace(base, `batch_size:${base.batch_size}`)[0] },
      'an empty run: the experiment itself');
    // A text the core cannot read, or one that does not fit the experiment: an Error naming the run's number.
    assert.throws(() => addRun(base, 'batch_size:0', 3), /^Error: run 3: batch_size must be a whole number ≥ 1 \(got "0"\)/);
    assert.throws(() => addRun(base, 'colour:red', 5), /run 5: unknown field "colour"/);
    assert.throws(() => addRun(base, 'dropout[1]:0.5', 4), /run 4: layer 2 is Dense, not Dropout/);
    assert.throws(() => addRun(base, 'optimizer:adam(learning_rate=-1)', 2), /run 2: .*learning_rate/);
  });

test('every suggestion for a new run is a patch that applies to the experiment on screen', { skip: needsCore }, () => {
  const base = mnistMlp();
  const dropout = { ...base, layers: [base.layers[0], base.layers[1], { type: 'Dropout', rate: 0.2 }, base.layers[2]] };
  for (const c of [base, dropout, defaultConfig()]) {
    const items = suggestionsFor(c);
    for (const text of items) assert.doesNotThrow(() => applyRun(c, text), text);
    assert.ok(items.includes(`optimizer:adam(learning_rate=${c.optimizer.learning_rate * 10})`), 'ten times the rate on screen');
    assert.ok(items.includes(`batch_size:${c.batch_size * 4}`));
  }
  assert.deepEqual(suggestionsFor(dropout).filter((t) => /\[\d+\]/.test(t)),
    ['activation[1]:tanh', 'activation[1]:sigmoid', 'dropout[2]:0.5']);
  // The default CNN: its two convolutions, not its softmax output.
  assert.deepEqual(suggestionsFor(defaultConfig()).filter((t) => /\[\d+\]/.test(t)),
    ['activation[0]:tanh', 'activation[0]:sigmoid', 'activation[1]:tanh', 'activation[1]:sigmoid']);
});

test('legend labels name only what differs between the runs', () => {
  const base = mnistMlp();
  assert.deepEqual(runLabels(VARIATIONS.lr.runs(base)), ['lr=0.0001', 'lr=0.001', 'lr=0.01']);
  assert.deepEqual(runLabels(VARIATIONS.optimizers.runs(base)),
    ['sgd lr=0.01', 'sgd lr=0.01 momentum=0.9', 'sgd lr=0.01 momentum=0.9 nesterov', 'rmsprop lr=0.001', 'adam lr=0.001',
      'adagrad lr=0.01']);
  assert.deepEqual(runLabels(VARIATIONS.losses.runs(base)), ['mean_squared_error', 'categorical_crossentropy']);
});

test('results sort by any column, missing values last; the CSV has one line per run and epoch', () => {
  const rows = [{ label: 'a', loss: 0.5 }, { label: 'b', loss: null }, { label: 'c', loss: 0.1 }];
  assert.deepEqual(sortRows(rows, 'loss').map((r) => r.label), ['c', 'a', 'b']);
  assert.deepEqual(sortRows(rows, 'loss', true).map((r) => r.label), ['a', 'c', 'b']);
  const csv = resultsCsv([
    { index: 1, label: 'sgd, lr=0.1', history: { epoch: [0, 1], history: { loss: [0.9, 0.5], accuracy: [0.7, 0.8] } } },
    { index: 2, label: 'adam', history: { epoch: [0], history: { loss: [0.4] } } },
    { index: 3, label: 'core order', history: { epoch: [], history: { accuracy: [], lr: [], loss: [] } } },
  ]);
  assert.equal(csv, 'run,label,epoch,loss,accuracy,lr\n1,"sgd, lr=0.1",1,0.9,0.7,\n1,"sgd, lr=0.1",2,0.5,0.8,\n2,adam,1,0.4,,\n');
});
