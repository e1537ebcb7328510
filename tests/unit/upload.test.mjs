// The page's side of uploaded data (issue 13): an experiment on an upload
// round-trips through the link with its name `upload:<file>@<sha256-12>`
// (url.js; the core checks the form), a registered upload's facts drive the
// dataset adaptation like a bundled set's (schema.js, state.js), and the
// export's file names come from the uploaded file (export.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { datasetFacts, registerDataset, useSchema } from '../../www/js/schema.js';

useSchema(JSON.parse(readFileSync(new URL('./fixtures/schema.json', import.meta.url))));
import { decodeHash, encodeConfig } from '../../www/js/url.js';
import { adaptToDataset, defaultConfig } from '../../www/js/state.js';
import { baseName } from '../../www/js/export.js';
import { uploadParts } from '../../www/js/upload.js';

const NAME = 'upload:flowers.csv@ba7816bf8f01';

test('an experiment on an upload keeps its name through the link; other unknown names are still refused', () => {
  const c = { ...defaultConfig(), dataset: NAME };
  const hash = encodeConfig(c);
  assert.match(hash, /dataset=upload:flowers\.csv%40ba7816bf8f01&/);
  assert.equal(decodeHash(`#${hash}`).config.dataset, NAME);
  assert.throws(() => decodeHash(`#${hash.replace('upload:', 'uploaded-')}`), /does not exist here/);
  assert.deepEqual(uploadParts(NAME), { file: 'flowers.csv', hash: 'ba7816bf8f01' });
});

test('a registered upload adapts the model like a bundled dataset', () => {
  registerDataset({ name: NAME, title: 'flowers.csv', group: 'Your data', task: 'classification', sample_shape: [3],
    num_classes: 3, class_names: ['a', 'b', 'c'], train: 48, test: 12 });
  assert.equal(datasetFacts(NAME).train, 48);
  const { config } = adaptToDataset(defaultConfig(), NAME);
  // MNIST's Flatten → Dense(128) → Dense(10, softmax) on 3 features and 3 classes: the output has 3 units.
  assert.equal(config.dataset, NAME);
  assert.equal(config.layers.at(-1).units, 3);
});

test('exports of uploaded data are named after the file', () => {
  assert.equal(baseName(NAME), 'gradlab-flowers');
  assert.equal(baseName('upload:my data.v2.csv@ba7816bf8f01'), 'gradlab-my_data.v2');
  assert.equal(baseName('iris'), 'gradlab-iris');
});
