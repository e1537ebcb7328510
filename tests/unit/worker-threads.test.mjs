import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPendingChooser, createThreadChooser } from '../../www/js/worker-threads.js';

/** A chooser on a fake clock; `speed` = samples per ms of each mode. */
function drive(speed, { threads = 2, chunks = 20, recheckMs = 1000, trialChunks = 3, trialMs = 0, margin = 0 } = {}) {
  let t = 0;
  const calls = [];
  let on = true;
  const c = createThreadChooser({ threads, setParallel: (p) => { calls.push(p); on = p; }, now: () => t, recheckMs, trialChunks, trialMs, margin });
  const modes = [];
  for (let i = 0; i < chunks; i++) {
    c.before();
    const mode = on;
    const ms = 40;
    // The first chunk after a switch is slow (pool wake-up): the chooser must not count it.
    const wake = i > 0 && modes.at(-1) !== mode ? 0.1 : 1;
    modes.push(mode);
    c.after(speed(mode, t) * ms * wake, ms);
    t += ms;
  }
  return { c, calls, modes };
}

test('keeps all threads when they are faster', () => {
  const { c, modes } = drive((on) => (on ? 2 : 1));
  assert.equal(c.parallel, true);
  assert.equal(c.label, '2 threads');
  assert.deepEqual(modes.slice(0, 6), [true, true, true, false, false, false], 'measures N threads, then 1');
  assert.ok(modes.slice(6).every((m) => m));
});

test('switches to one thread when it is faster, and says so', () => {
  const { c, modes } = drive((on) => (on ? 0.8 : 1));
  assert.equal(c.parallel, false);
  assert.equal(c.label, '1 thread (faster here)');
  assert.ok(modes.slice(6).every((m) => !m));
});

test('re-checks after recheckMs and follows a change of the machine', () => {
  // Two threads are faster until t = 2000 ms, then one thread is.
  const { c, modes } = drive((on, t) => (t < 2000 ? (on ? 2 : 1) : (on ? 0.5 : 1)), { chunks: 200, recheckMs: 1000 });
  assert.equal(c.parallel, false);
  assert.ok(modes.slice(0, 30).filter((m) => m).length > 20, 'mostly parallel at first');
  assert.ok(modes.slice(-10).every((m) => !m), 'one thread at the end');
});

test('a single-thread pool never switches', () => {
  const { c, calls } = drive(() => 1, { threads: 1 });
  assert.deepEqual(calls, []);
  assert.equal(c.label, '1 thread');
});

test('the first chunk after a switch is not counted', () => {
  // Equal speeds except the wake-up chunk: without discarding it, one thread would look slower or faster.
  const { c } = drive(() => 1, { chunks: 6 });
  const { many, one } = c.rates;
  assert.equal(many, one);
  assert.equal(c.parallel, true, 'a tie keeps all threads');
});

test('a trial times each mode for at least trialMs of counted chunks', () => {
  // 40 ms chunks, 200 ms: the wake-up chunk and five counted ones per mode.
  const { modes } = drive((on) => (on ? 2 : 1), { trialMs: 200 });
  assert.deepEqual(modes.slice(0, 13), [...Array(6).fill(true), ...Array(6).fill(false), true]);
});

test('one thread faster by no more than the margin keeps all threads', () => {
  assert.equal(drive((on) => (on ? 1 : 1.02), { margin: 0.03 }).c.parallel, true);
  assert.equal(drive((on) => (on ? 1 : 1.05), { margin: 0.03 }).c.parallel, false);
});

test('before the thread pool is up, training stays on one thread; then the chooser takes over', async () => {
  let resolve;
  const calls = [];
  const pending = createPendingChooser(new Promise((r) => { resolve = r; }));
  pending.before();
  pending.after(100, 40);
  assert.deepEqual(calls, [], 'nothing is switched while the pool starts');
  assert.equal(pending.parallel, false);
  assert.equal(pending.label, '1 thread (thread pool starting)');
  resolve(createThreadChooser({ threads: 2, setParallel: (p) => calls.push(p), now: () => 0 }));
  await new Promise((r) => setTimeout(r, 0));
  pending.before();
  assert.deepEqual(calls, [true], 'the first chunk after it measures all threads');
  assert.equal(pending.parallel, true);
  assert.equal(pending.label, '2 threads (measuring)');
});

test('a pool that did not start leaves training on one thread', async () => {
  const pending = createPendingChooser(Promise.reject(new Error('no workers')));
  await new Promise((r) => setTimeout(r, 0));
  pending.before();
  assert.equal(pending.parallel, false);
  assert.equal(pending.label, '1 thread');
});
