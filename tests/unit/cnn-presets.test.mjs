// The CNN presets (www/js/cnn-presets.js) are the configs the CLI measured
// (crate/configs/<id>.json), valid for the page's state and link form
// (tests/unit/fixtures/schema.json) and the reference CNN of issue 12.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useSchema } from '../../www/js/schema.js';

useSchema(JSON.parse(readFileSync(new URL('./fixtures/schema.json', import.meta.url))));
const { CNN_PRESETS } = await import('../../www/js/cnn-presets.js');
const { normalizeConfig } = await import('../../www/js/state.js');
const { decodeHash, encodeConfig } = await import('../../www/js/url.js');

const configFile = (id) => JSON.parse(readFileSync(new URL(`../../crate/configs/${id}.json`, import.meta.url)));

test('each CNN preset is the config the CLI measured, on the full dataset it names', () => {
  assert.deepEqual(CNN_PRESETS.map((p) => [p.id, p.state.dataset]),
    [['cnn-mnist-99', 'mnist-full'], ['cnn-fashion-90', 'fashion-mnist-full']]);
  for (const p of CNN_PRESETS) {
    assert.deepEqual(p.state, configFile(p.id), `${p.id} differs from crate/configs/${p.id}.json`);
    assert.ok(p.title && p.note, `${p.id} has a title and a note`);
  }
  assert.equal(new Set(CNN_PRESETS.map((p) => p.id)).size, CNN_PRESETS.length, 'ids are unique');
});

test('each CNN preset normalises and round-trips through its link', () => {
  for (const p of CNN_PRESETS) {
    const c = normalizeConfig(p.state);
    assert.deepEqual(c.layers.map((l) => l.type),
      ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
    assert.equal(c.batch_size, 128);
    assert.equal(c.optimizer.name, 'adam');
    const hash = encodeConfig(c);
    // Keras code: kernel_size and pool_size as the single ints the configs give.
    assert.match(hash, new RegExp(`dataset=${p.state.dataset}&layers=Conv2D\\(32,3,activation=relu\\);MaxPooling2D\\(2\\);`
      + 'Conv2D\\(64,3,activation=relu\\);MaxPooling2D\\(2\\);Flatten;Dense\\(128,relu\\);Dense\\(10,softmax\\)&'));
    assert.deepEqual(decodeHash(`#${hash}`).config, c);
  }
});
