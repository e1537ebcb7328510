// The dataset boot.js asks the worker to download while the wasm compiles
// (www/js/link-dataset.js): the one a link names, the first visit's without
// one, none when it cannot know yet. The page still reads the link in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DATASET, linkDataset } from '../../www/js/link-dataset.js';

test('the dataset a link names, the default without a link, none for a lesson link or a bad one', () => {
  assert.equal(linkDataset(''), DEFAULT_DATASET);
  assert.equal(linkDataset('#'), DEFAULT_DATASET);
  assert.equal(linkDataset('#v=1&dataset=fashion-mnist&layers=Flatten;Dense(10,softmax)&epochs=5'), 'fashion-mnist');
  assert.equal(linkDataset('#v=1&layers=Flatten'), null, 'a link without its dataset is not guessed');
  assert.equal(linkDataset(`#config=${encodeURIComponent(JSON.stringify({ dataset: 'iris', layers: [] }))}`), 'iris');
  assert.equal(linkDataset('#config=%7Bnot%20json'), null);
  assert.equal(linkDataset('#config=%E0%A4%A'), null, 'a badly encoded value');
  assert.equal(linkDataset('#dataset=upload%3Adigits.csv%40abc'), 'upload:digits.csv@abc', 'the worker ignores what it does not bundle');
  assert.equal(linkDataset('', '?lesson=mlp-mnist'), null, 'a lesson names its own dataset');
  assert.equal(linkDataset('#v=1&dataset=iris', '?race=optimizer:adam&classroom'), 'iris');
});
