import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thinBatches } from '../../www/js/batchlog.js';

const logs = (n, lrAt = -1) => Array.from({ length: n }, (_, i) => ({ step: i + 1, loss: 1 / (i + 1), lr: i >= lrAt && lrAt >= 0 ? 0.1 : 0.01 }));

test('short chunks pass through untouched', () => {
  const b = logs(150);
  assert.equal(thinBatches(b), b);
});

test('long chunks are thinned to about max, keeping first, last and order', () => {
  const out = thinBatches(logs(4096), 200);
  assert.ok(out.length <= 201 && out.length >= 150, `kept ${out.length}`);
  assert.equal(out[0].step, 1);
  assert.equal(out.at(-1).step, 4096);
  for (let i = 1; i < out.length; i++) assert.ok(out[i].step > out[i - 1].step);
});

test('a learning-rate change is never thinned away', () => {
  const out = thinBatches(logs(5000, 1234), 100);
  const change = out.findIndex((b) => b.lr === 0.1);
  assert.equal(out[change].step, 1235, 'the first batch with the new LR is kept');
});
