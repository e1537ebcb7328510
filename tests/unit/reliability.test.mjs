// Unit tests of the page's reliability rules: the run record carries the
// core's diagnosis, a diverged model never replaces a good save, and the
// offline message names the dataset and its size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, newRun } from '../../www/js/runstatus.js';
import { autosave, unsafeToSave } from '../../www/js/store.js';
import { notOffline } from '../../www/js/datasets.js';

const report = (extra = {}) => ({ step: 5, epoch: 0, batch_in_epoch: 5, batches_per_epoch: 10,
  batches: [{ step: 5, epoch: 0, loss: 2.3, lr: 0.1, metrics: {}, size: 32 }], epochs: [], finished: false, ...extra });

test('the record keeps the diagnosis of the last report, and forgets it when rebuilt, reset or loaded', () => {
  const d = { kind: 'chance', message: 'The loss is stuck at 14.5 and accuracy at chance (10%): …' };
  let r = applyEvent(newRun('main', { batch_size: 32, epochs: 3 }), { type: 'configured', summary: {}, dataset: { train: 320 } });
  assert.equal(r.diagnosis, null);
  r = applyEvent(r, { type: 'progress', report: report({ diagnosis: d }) });
  assert.deepEqual(r.diagnosis, d);
  assert.deepEqual(applyEvent(r, { type: 'progress', report: report() }).diagnosis, d, 'a report without the field keeps it');
  assert.equal(applyEvent(r, { type: 'progress', report: report({ diagnosis: null }) }).diagnosis, null, 'null clears it');
  assert.equal(applyEvent(r, { type: 'reset', summary: {} }).diagnosis, null);
  assert.equal(applyEvent(r, { type: 'loaded', epochs: 1, step: 10 }).diagnosis, null);
});

test('a model whose loss is not a number or diverged is not saved over the last good one', () => {
  assert.equal(unsafeToSave({ lastLoss: 0.3, diagnosis: null }), null);
  assert.equal(unsafeToSave({ lastLoss: null }), null, 'untrained: nothing against saving');
  assert.equal(unsafeToSave({ lastLoss: 14.5, diagnosis: { kind: 'chance' } }), null, 'at chance is a finite, loadable model');
  assert.equal(unsafeToSave({ lastLoss: NaN }), 'the loss is not a number');
  assert.equal(unsafeToSave({ lastLoss: Infinity }), 'the loss is not a number');
  assert.equal(unsafeToSave({ lastLoss: 6e16, diagnosis: { kind: 'diverged' } }), 'training diverged');
  assert.equal(unsafeToSave({ lastLoss: 3e12, runError: 'run: training diverged at step 13: the loss is inf; …' }),
    'training diverged', 'stopped on a diverging step');
  assert.equal(unsafeToSave({ lastLoss: 0.3, runError: 'run: something else' }), null);
});

test('the offline message names the dataset and its download size', () => {
  assert.equal(notOffline('MNIST digits, full (60,000 train / 10,000 test)', 11369320).message,
    'MNIST digits, full (60,000 train / 10,000 test) is not available offline: connect once to download it (11 MB)');
  assert.equal(notOffline('Fashion-MNIST clothes, small', 5233288).message,
    'Fashion-MNIST clothes, small is not available offline: connect once to download it (5.2 MB)');
});

/** autosave over fakes: a session whose save answers a Blob, and a store `kv` that may refuse Blobs. */
async function saveOnce(refusesBlobs) {
  const puts = [];
  const kv = { put: async (k, v) => { if (refusesBlobs && v.file instanceof Blob) throw new Error('DataCloneError'); puts.push(v); } };
  const session = { save: async () => new Blob(['{"format":"gradlab-model"}']), savedConfig: () => ({ dataset: 'xor' }), savedStep: () => 7, on() {} };
  const state = { hasSession: true, step: 7, epoch: 1, config: { dataset: 'xor' }, status: 'paused' };
  const saved = [];
  const errors = [];
  const { saveNow } = autosave(kv, session, { get: () => state }, { snapshot: () => null },
    { onSaved: (r) => saved.push(r), onError: (e) => errors.push(e) });
  await saveNow();
  return { puts, saved, errors };
}

test('a save keeps the model file as a Blob; where IndexedDB refuses Blobs, as its text', async () => {
  const blob = await saveOnce(false);
  assert.deepEqual(blob.errors, []);
  assert.ok(blob.puts[0].file instanceof Blob);
  assert.equal(blob.puts[0].step, 7);
  const text = await saveOnce(true);
  assert.deepEqual(text.errors, []);
  assert.equal(text.puts.length, 1);
  assert.equal(text.puts[0].file, undefined);
  assert.equal(text.puts[0].json, '{"format":"gradlab-model"}');
  assert.equal(text.saved[0].json, text.puts[0].json, 'the page is told what was kept');
});
