// Model-file upload checks on the page (issue 15.14, 15.22): what is not a
// model file is named as such before its bytes are read as text, and the
// message never quotes binary content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useSchema } from '../../www/js/schema.js';
import { maxBytes, checkModelBytes, checkModelText } from '../../www/js/modelfile.js';
import { defaultConfig } from '../../www/js/state.js';

useSchema(JSON.parse(readFileSync(new URL('./fixtures/schema.json', import.meta.url))));

test('a PNG, a JPEG, an empty file and a too big file are refused by their first bytes and size', () => {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
  assert.throws(() => checkModelBytes(png, 5000), /^Error: this is not a Gradient Lab model file: it is a PNG image/);
  assert.throws(() => checkModelBytes([0xff, 0xd8, 0xff, 0xe0], 5000), /a JPEG image/);
  assert.throws(() => checkModelBytes([], 0), /the file is empty/);
  assert.throws(() => checkModelBytes([0x7b], 300 * 1024 * 1024), /the file is 300 MB; a model file is at most 256 MB/);
  assert.throws(() => checkModelBytes([0x5b, 0x31], 10), /it is not valid JSON \(it does not start with {\)/);
  // A JSON object (after whitespace or a UTF-8 byte-order mark) passes to the text checks.
  checkModelBytes([0xef, 0xbb, 0xbf, 0x0a, 0x7b, 0x22], maxBytes());
  assert.throws(() => checkModelBytes([0x7b], maxBytes() + 1), /a model file is at most 256 MB/);
});

test('JSON that is not a model file says so, without quoting the file', () => {
  const secret = 'garbage-\u0000-text';
  assert.throws(() => checkModelText(`{"a": ${secret}}`), (e) => /not a Gradient Lab model file: it is not valid JSON/.test(e.message)
    && !e.message.includes('garbage'));
  assert.throws(() => checkModelText('{"data": [1, 2, 3]}'), /not a Gradient Lab model file: the "format": "gradlab-model" field is missing/);
  assert.throws(() => checkModelText('[1]'), /expected a JSON object/);
});

test('a version written as text or missing gets its own message', () => {
  const file = (v) => JSON.stringify({ format: 'gradlab-model', ...v, config: defaultConfig(), weights: [] });
  assert.throws(() => checkModelText(file({ version: '1' })), /"version" must be a number like 1 \(it is "1", in quotes\)/);
  assert.throws(() => checkModelText(file({})), /has no "version" field/);
  assert.throws(() => checkModelText(file({ version: 7 })), /version 7 is not supported/);
  assert.deepEqual(checkModelText(file({ version: 1, step: 12 })), { config: defaultConfig(), step: 12 });
});
