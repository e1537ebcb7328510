// The DOM-free parts of the confusion matrix, probability bars, dataset
// preview and image helpers. Expected values are worked out by hand in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusionStats } from '../../www/js/components/confusion.js';
import { percentText } from '../../www/js/components/probabilities.js';
import { sampleLayout } from '../../www/js/components/samples.js';
import { toBytes } from '../../www/js/components/image.js';

test('confusion stats: recall per row, shares of the row, accuracy', () => {
  // true 0: 8 right, 2 called 1;  true 1: 3 called 0, 7 right;  true 2: no samples.
  const st = confusionStats(3, [8, 2, 0, 3, 7, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(st.rowSums), [10, 10, 0]);
  assert.deepEqual(Array.from(st.recall).slice(0, 2), [0.8, 0.7]);
  assert.ok(Number.isNaN(st.recall[2]), 'an empty row has no recall');
  assert.deepEqual(Array.from(st.shares), [0.8, 0.2, 0, 0.3, 0.7, 0, 0, 0, 0]);
  assert.deepEqual([st.correct, st.total], [15, 20]);
});

test('confusion stats: bad input is refused with a message', () => {
  assert.throws(() => confusionStats(0, []), /positive whole number/);
  assert.throws(() => confusionStats(2, [1, 2, 3]), /n·n = 4 values/);
  assert.throws(() => confusionStats(2, [1, -1, 0, 0]), /must be ≥ 0/);
  assert.throws(() => confusionStats(2, [1, NaN, 0, 0]), /must be ≥ 0/);
});

test('percent text of probabilities', () => {
  assert.equal(percentText(0.873), '87.3%');
  assert.equal(percentText(0.99996), '100%');
  assert.equal(percentText(0.0001), '<0.1%');
  assert.equal(percentText(0), '0.0%');
  assert.equal(percentText(NaN), '–');
});

test('sample layout: images for [h, w] and [h, w, 1|3], tables otherwise', () => {
  assert.deepEqual(sampleLayout(new Uint8Array(3 * 784), [28, 28, 1]),
    { kind: 'images', n: 3, per: 784, h: 28, w: 28, channels: 1 });
  assert.deepEqual(sampleLayout(new Uint8Array(2 * 64), Float64Array.from([8, 8])),
    { kind: 'images', n: 2, per: 64, h: 8, w: 8, channels: 1 });
  assert.equal(sampleLayout(new Float32Array(4 * 12), [2, 2, 3]).kind, 'images');
  assert.deepEqual(sampleLayout(new Float32Array(6 * 4), [4]), { kind: 'table', n: 6, per: 4, features: 4 });
  assert.equal(sampleLayout(new Float32Array(2 * 8), [2, 2, 2]).kind, 'table', '2 channels is not an image');
  assert.throws(() => sampleLayout(new Float32Array(7), [4]), /not whole samples of 4/);
  assert.throws(() => sampleLayout(new Float32Array(4), [0]), /positive whole numbers/);
});

test('image bytes: u8 as is, 0..1 floats × 255, other ranges stretched', () => {
  const u8 = Uint8Array.from([0, 128, 255]);
  assert.equal(toBytes(u8), u8);
  assert.deepEqual(Array.from(toBytes(Float32Array.from([0, 0.5, 1]))), [0, 128, 255]);
  // Standardised values −1..3 → (v + 1) / 4 · 255: 0, 63.75 → 64, 255.
  assert.deepEqual(Array.from(toBytes(Float32Array.from([-1, 0, 3]))), [0, 64, 255]);
  assert.deepEqual(Array.from(toBytes(Float32Array.from([NaN, NaN]))), [0, 0]);
});
