import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPendingChooser, createThreadChooser, MARGIN, TRIAL_CHUNKS, TRIAL_MS } from '../../www/js/worker-threads.js';

/** A chooser on a fake clock; `speed` = samples per ms of each mode. */
function drive(speed, { threads = 2, chunks = 20, recheckMs = 1000, trialChunks = 3, trialMs = 0, margin = 0 } = {}) {
  let t = 0;
  const calls = [];
  let on = true;
  const c = createThreadChooser({ threads, setParallel: (p) => { calls.push(p); on = p; }, now: () => t, recheckMs, trialChunks, trialMs, margin });
  const modes = [];
  const measuring = [];
  for (let i = 0; i < chunks; i++) {
    c.before();
    const mode = on;
    measuring.push(c.label.includes('measuring'));
    const ms = 40;
    // The first chunk after a switch is slow (pool wake-up): the chooser must not count it.
    const wake = i > 0 && modes.at(-1) !== mode ? 0.1 : 1;
    modes.push(mode);
    c.after(speed(mode, t) * ms * wake, ms);
    t += ms;
  }
  return { c, calls, modes, measuring };
}

test('keeps all threads when they are faster', () => {
  const { c, modes } = drive((on) => (on ? 2 : 1));
  assert.equal(c.parallel, true);
  assert.equal(c.label, '2 threads');
  // trialChunks 3: one thread gets a wake-up chunk (not counted) and two counted; all threads get two
  // halves, at both ends of the trial, of a wake-up chunk and one counted.
  assert.deepEqual(modes.slice(0, 7), [true, true, false, false, false, true, true], 'measures N threads, then 1, then N again');
  assert.ok(modes.slice(7).every((m) => m));
});

test('switches to one thread when it is faster, and says so', () => {
  const { c, modes } = drive((on) => (on ? 0.8 : 1));
  assert.equal(c.parallel, false);
  assert.equal(c.label, '1 thread (faster here)');
  // Two trials of seven chunks (the second confirms the first), then one thread.
  const trial = [true, true, false, false, false, true, true];
  assert.deepEqual(modes.slice(0, 14), [...trial, ...trial], 'a second trial confirms the first');
  assert.ok(modes.slice(14).every((m) => !m));
});

test('one stall of all threads during a trial does not move training to one thread', () => {
  // Two threads are 1.5× as fast, except during the first trial's first half (its two chunks of
  // 40 ms), where the other vCPU stalls and they crawl: that trial says one thread. The second
  // trial, straight after, does not, so all threads stay.
  const stall = (on, t) => (on ? (t < 80 ? 0.05 : 1.5) : 1);
  const { c, modes } = drive(stall, { chunks: 30 });
  assert.equal(c.parallel, true);
  assert.equal(c.label, '2 threads');
  assert.ok(modes.slice(14).every((m) => m), 'all threads after the second trial');
  // The first trial alone said one thread: after its seven chunks a second trial is under way.
  assert.equal(drive(stall, { chunks: 8 }).c.label, '2 threads (measuring)', 'the stalled trial on its own favoured one thread');
  assert.equal(drive((on) => (on ? 1.5 : 1), { chunks: 8 }).c.label, '2 threads', 'without the stall, one trial settles');
});

test('once on one thread, a re-check that agrees keeps it without a second trial', () => {
  // One thread faster throughout; recheckMs 1000: after the first two trials (14 chunks, 560 ms),
  // each re-check is one trial of seven chunks.
  const { c, measuring } = drive((on) => (on ? 0.8 : 1), { chunks: 60, recheckMs: 1000 });
  assert.equal(c.parallel, false);
  const runs = [];
  measuring.forEach((m, i) => { if (m && !measuring[i - 1]) runs.push(1); else if (m) runs[runs.length - 1] += 1; });
  assert.equal(runs[0], 14, 'two trials at first');
  assert.ok(runs.length >= 2, 'it re-checked');
  assert.ok(runs.slice(1).every((n) => n === 7), 're-checks that agree take one trial');
});

test('re-checks after recheckMs and follows a change of the machine', () => {
  // Two threads are faster until t = 2000 ms, then one thread is.
  const { c, modes, measuring } = drive((on, t) => (t < 2000 ? (on ? 2 : 1) : (on ? 0.5 : 1)), { chunks: 200, recheckMs: 1000 });
  assert.equal(c.parallel, false);
  assert.ok(modes.slice(0, 30).filter((m) => m).length > 20, 'mostly parallel at first');
  // 40 ms chunks: from t = 3000 ms on a re-check has seen the change; outside trials, one thread.
  assert.ok(modes.slice(75).every((m, i) => !m || measuring[75 + i]), 'one thread at the end, but while re-checking');
  assert.ok(measuring.slice(75).some((m) => m), 'it did re-check');
});

test('a single-thread pool never switches', () => {
  const { c, calls } = drive(() => 1, { threads: 1 });
  assert.deepEqual(calls, []);
  assert.equal(c.label, '1 thread');
});

test('the first chunk after a switch is not counted', () => {
  // Equal speeds except the wake-up chunk: without discarding it, one thread would look slower or faster.
  const { c } = drive(() => 1, { chunks: 7 });
  const { many, one } = c.rates;
  assert.equal(many, one);
  assert.equal(c.parallel, true, 'a tie keeps all threads');
});

test('a trial times each mode for at least trialMs of counted chunks', () => {
  // 40 ms chunks, 200 ms: one thread gets the wake-up chunk and five counted ones; all threads get
  // two halves of 100 ms, each a wake-up chunk and three counted ones (240 ms in all).
  const { c, modes } = drive((on) => (on ? 2 : 1), { trialMs: 200 });
  assert.deepEqual(modes.slice(0, 15), [...Array(4).fill(true), ...Array(6).fill(false), ...Array(4).fill(true), true]);
  assert.equal(c.label, '2 threads');
});

test('one thread faster by no more than the margin keeps all threads', () => {
  assert.equal(drive((on) => (on ? 1 : 1.02), { margin: 0.03 }).c.parallel, true);
  assert.equal(drive((on) => (on ? 1 : 1.05), { margin: 0.03 }).c.parallel, false);
});

test('a host whose speed drifts during the trial does not decide it (A-B-A order)', () => {
  // The shipped constants, 40 ms chunks, and a host whose speed changes by a fifth of its start per
  // second (a shared VM drifts over seconds). Timed all threads first, then one, the later mode
  // gained ~7 % from the drift, more than MARGIN, and each case below went the wrong way; all
  // threads on both sides of one thread cancel a linear drift.
  const defaults = { trialChunks: TRIAL_CHUNKS, trialMs: TRIAL_MS, margin: MARGIN, chunks: 40, recheckMs: 60_000 };
  const rising = (t) => 1 + t / 5000;
  const falling = (t) => 1 - t / 5000;

  // Both modes equally fast at every instant: a tie, so all threads.
  const equal = drive((on, t) => rising(t), defaults);
  assert.equal(equal.c.parallel, true, 'equal modes on a speeding-up host keep all threads');
  assert.ok(Math.abs(equal.c.rates.one / equal.c.rates.many - 1) < 1e-9, 'a linear drift cancels exactly');

  // One thread truly 2 % slower: all threads.
  assert.equal(drive((on, t) => rising(t) * (on ? 1 : 0.98), defaults).c.parallel, true,
    'a slightly slower one thread, measured later on a speeding-up host, is not chosen');

  // One thread truly 5 % faster (more than MARGIN) while the host slows down: one thread.
  assert.equal(drive((on, t) => falling(t) * (on ? 1 : 1.05), defaults).c.parallel, false,
    'a faster one thread, measured later on a slowing host, is still chosen');
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
