// The rule that paces recovery snapshots and saves in this browser (www/js/pacing.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeDue, COST } from '../../www/js/pacing.js';

const every = 5_000;
const epochGap = 1_000;

test('a write is due after its interval, or at an epoch end after the epoch gap', () => {
  assert.equal(writeDue({ since: 4_999, every, epochGap, took: 10, epochEnded: false }), false);
  assert.equal(writeDue({ since: 5_000, every, epochGap, took: 10, epochEnded: false }), true);
  assert.equal(writeDue({ since: 999, every, epochGap, took: 10, epochEnded: true }), false);
  assert.equal(writeDue({ since: 1_000, every, epochGap, took: 10, epochEnded: true }), true);
  assert.equal(writeDue({ since: 1_000, every, epochGap, epochEnded: true }), true, 'no write timed yet');
});

test('a slow write waits COST times its duration, at epoch ends too', () => {
  const took = 2_000;                         // a model of hundreds of MB
  const wait = COST * took;
  assert.ok(wait > every);
  assert.equal(writeDue({ since: wait - 1, every, epochGap, took, epochEnded: false }), false);
  assert.equal(writeDue({ since: wait - 1, every, epochGap, took, epochEnded: true }), false);
  assert.equal(writeDue({ since: wait, every, epochGap, took, epochEnded: false }), true);
  // Between the epoch gap and the interval, only the cost decides at an epoch end.
  const mid = 3_000;
  assert.equal(writeDue({ since: mid, every, epochGap, took: mid / COST, epochEnded: true }), true);
  assert.equal(writeDue({ since: mid, every, epochGap, took: mid / COST + 1, epochEnded: true }), false);
});
