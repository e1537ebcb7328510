// The page's side of uploaded data (issue 13): an experiment on an upload
// round-trips through the link with its name `upload:<file>@<sha256-12>` and,
// for a CSV file, how it was read in parentheses (url.js; the core checks the
// form and the options, crate/src/data/csv_link_tests.rs), a registered upload's facts drive the
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
import { uploadBase } from '../../www/js/upload-name.js';

const NAME = 'upload:flowers.csv@ba7816bf8f01';

test('an experiment on an upload keeps its name through the link; other unknown names are still refused', () => {
  const c = { ...defaultConfig(), dataset: NAME };
  const hash = encodeConfig(c);
  assert.match(hash, /dataset=upload:flowers\.csv@ba7816bf8f01&/);
  assert.equal(decodeHash(`#${hash}`).config.dataset, NAME);
  assert.throws(() => decodeHash(`#${hash.replace('upload:', 'uploaded-')}`), /does not exist here/);
  assert.deepEqual(uploadParts(NAME), { file: 'flowers.csv', hash: 'ba7816bf8f01', options: '' });
});

test('how a CSV upload was read is in the link, readably, and comes back unchanged', () => {
  // The core writes the options (crate/src/data/csv_link.rs); the link must carry them as they are.
  const name = 'upload:flowers.csv@ba7816bf8f01(skip_lines=0,header=true,label="petal (cm)",task=classification,scaling=min_max)';
  const hash = encodeConfig({ ...defaultConfig(), dataset: name });
  assert.ok(hash.includes('&dataset=upload:flowers.csv@ba7816bf8f01(skip_lines=0,header=true,label="petal%20(cm)",'
    + 'task=classification,scaling=min_max)&'), hash);
  assert.equal(decodeHash(`#${hash}`).config.dataset, name);
  // Characters that mean something in a link (& # = , % + @ ") stay inside the name.
  const odd = 'upload:my data+1%.csv@ba7816bf8f01(label="a&b#c=d,e@f \\"g\\"",delimiter=";",test_fraction=0.25)';
  assert.equal(decodeHash(`#${encodeConfig({ ...defaultConfig(), dataset: odd })}`).config.dataset, odd);
  assert.deepEqual(uploadParts(odd), { file: 'my data+1%.csv', hash: 'ba7816bf8f01',
    options: 'label="a&b#c=d,e@f \\"g\\"",delimiter=";",test_fraction=0.25' });
  // The stored file's key is the name without the options: one copy for every reading.
  assert.equal(uploadBase(odd), 'upload:my data+1%.csv@ba7816bf8f01');
  assert.equal(uploadBase(NAME), NAME);
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
