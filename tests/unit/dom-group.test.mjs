// dom.js group(): thousands separators written out (no Intl on the page's start-up path) must read as
// Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }) writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileSize, group } from '../../www/js/dom.js';

const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

test('group writes whole numbers as Intl en-US does', () => {
  const values = [0, 1, 12, 123, 999, 1000, 1234, 99_999, 100_000, 8938, 1_234_567, 2 ** 31, 2 ** 53 - 1, 1e20, 1e21, 1.5e25,
    -1, -999, -1000, -1_234_567, 0.4, 0.5, 1.5, 2.5, 999.5, 1234.49, -0.5, -2.5, -1234.5, NaN, Infinity, -Infinity];
  for (const v of values) assert.equal(group(v), intl.format(v).replace(/^-0$/, '0'), `group(${v})`);
});

test('group writes BigInt counts as Intl en-US does', () => {
  for (const v of [0n, 7n, 1000n, 123456789012345678901234567890n, -98765432109876543210n]) {
    assert.equal(group(v), intl.format(v), `group(${v}n)`);
  }
});

test('group never writes a negative zero', () => {
  assert.equal(group(-0), '0');
  assert.equal(group(-0.4), '0');
});

test('fileSize says KB under 1 MB, one decimal under 10 MB, whole MB after (1 MB = 1,024 KB, as the core)', () => {
  assert.equal(fileSize(1), '1 KB');
  assert.equal(fileSize(831_488), '812 KB');
  assert.equal(fileSize(1024 * 1024), '1.0 MB');
  assert.equal(fileSize(3.4 * 1024 * 1024), '3.4 MB');
  assert.equal(fileSize(255.4 * 1024 * 1024), '255 MB');
  assert.equal(fileSize(2048 * 1024 * 1024), '2,048 MB');
});
