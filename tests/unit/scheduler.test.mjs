// The worker's round-robin scheduler (www/js/worker/scheduler.js) with fake
// runs (no wasm): every running run trains the same number of batches per
// round (lock-step), Step trains exactly what was asked, a failing run stops
// alone, a Rust panic stops everything, the steps-per-second limit holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScheduler } from '../../www/js/worker/scheduler.js';

/** A fake run table: train(n) advances `step` by n (until `total`), or throws `fail`. */
function table(specs) {
  const entries = new Map(specs.map(({ id, total = Infinity, fail = null, batchMs = 0 }) => {
    const e = { id, running: false, stepsLeft: 0, started: 0, samples: 0, step: 0 };
    e.run = { train(n) {
      if (fail && e.step >= fail.at) throw fail.error;
      const t0 = performance.now();
      while (performance.now() - t0 < batchMs * n) { /* a batch's work */ }
      const k = Math.min(n, total - e.step);
      const batches = Array.from({ length: k }, (_, i) => ({ step: e.step + i + 1, loss: 1, lr: 0.01 }));
      e.step += k;
      return { samples: 4 * k, step: e.step, batches, epochs: [], finished: e.step >= total };
    } };
    return [id, e];
  }));
  return { get: (id) => entries.get(id), all: () => [...entries.values()] };
}
const until = async (cond, ms = 5000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

test('runs started together advance in lock-step; pausing between rounds leaves equal steps', async () => {
  const t = table([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
  const posts = [];
  const s = createScheduler(t, (m) => posts.push(m));
  s.start(['a', 'b', 'c']);
  await until(() => t.get('a').step > 200);
  s.pause(['a', 'b', 'c']);
  await new Promise((r) => setTimeout(r, 20));
  const steps = t.all().map((e) => e.step);
  assert.ok(steps.every((x) => x === steps[0]), `steps ${steps}`);
  const states = posts.filter((m) => m.type === 'state');
  assert.deepEqual(states.map((m) => `${m.run}:${m.running}`), ['a:true', 'b:true', 'c:true', 'a:false', 'b:false', 'c:false']);
  assert.ok(posts.filter((m) => m.type === 'progress').every((m) => ['a', 'b', 'c'].includes(m.run)), 'every message names its run');
});

test('Step ×10 trains exactly 10 batches on each run, with no "running" state', async () => {
  const t = table([{ id: 'a' }, { id: 'b' }]);
  const posts = [];
  const s = createScheduler(t, (m) => posts.push(m));
  s.step(['a', 'b'], 10);
  await until(() => t.all().every((e) => e.stepsLeft === 0 && e.step > 0));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(t.all().map((e) => e.step), [10, 10]);
  assert.equal(posts.filter((m) => m.type === 'state').length, 0);
});

test('a run that fails stops alone with its message; a panic stops every run and is reported as fatal', async () => {
  const t = table([{ id: 'a' }, { id: 'b', fail: { at: 5, error: new Error('the loss became NaN at step 6') } }]);
  const posts = [];
  const s = createScheduler(t, (m) => posts.push(m));
  s.start(['a', 'b']);
  await until(() => t.get('a').step > 50);
  s.pause(['a']);
  assert.deepEqual(posts.find((m) => m.type === 'error'), { type: 'error', run: 'b', for: 'run', message: 'the loss became NaN at step 6' });
  assert.equal(t.get('b').running, false);

  const t2 = table([{ id: 'x' }, { id: 'y', fail: { at: 3, error: new Error('unreachable') } }]);
  const fatal = [];
  const s2 = createScheduler(t2, () => {});
  s2.onFatal((err, run) => { fatal.push([err.message, run]); s2.stopAll(); });
  s2.start(['x', 'y']);
  await until(() => fatal.length > 0);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(fatal, [['unreachable', 'y']]);
  assert.ok(t2.all().every((e) => !e.running));
  const stepX = t2.get('x').step;
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(t2.get('x').step, stepX, 'nothing trains after a panic');
});

test('a report that carries an error (the facade Run): its good batches are shown, then the run stops with the message', async () => {
  const t = table([{ id: 'a' }]);
  const inner = t.get('a').run.train;
  // Batch 5 fails: a chunk that reaches it trains the good ones before it and reports the error.
  t.get('a').run.train = (n) => {
    const good = Math.min(n, 4 - t.get('a').step);
    const r = inner(good);
    return good < n ? { ...r, error: 'the loss overflowed at step 5: lower the learning rate' } : r;
  };
  const posts = [];
  const s = createScheduler(t, (m) => posts.push(m));
  s.start(['a']);
  await until(() => !t.get('a').running);
  const last = posts.filter((m) => m.type === 'progress').at(-1);
  assert.equal(last.report.step, 4);
  assert.equal(last.report.error, undefined);
  // The error comes before the halt, so what the page does on the halt (autosave) already knows why (15.19).
  assert.deepEqual(posts.slice(-2), [{ type: 'error', run: 'a', for: 'run', message: 'the loss overflowed at step 5: lower the learning rate' },
    { type: 'state', run: 'a', running: false }]);
  assert.deepEqual(posts.filter((m) => m.type === 'state').map((m) => m.running), [true, false]);
});

test('a finished run drops out; the others go on', async () => {
  const t = table([{ id: 'short', total: 7 }, { id: 'long' }]);
  const s = createScheduler(t, () => {});
  s.start(['short', 'long']);
  await until(() => t.get('long').step > 100);
  s.pause(['long']);
  assert.equal(t.get('short').step, 7);
  assert.equal(t.get('short').running, false);
});

test('steps per second: at 50 steps/s, 300 ms give at most 50 × 0.3 + 1 steps per run', async () => {
  const t = table([{ id: 'a' }, { id: 'b' }]);
  const s = createScheduler(t, () => {});
  s.setRate(50);
  const t0 = performance.now();
  s.start(['a', 'b']);
  await new Promise((r) => setTimeout(r, 300));
  s.pause(['a', 'b']);
  const secs = (performance.now() - t0) / 1000;
  for (const e of t.all()) assert.ok(e.step >= 1 && e.step <= Math.floor(50 * secs) + 1, `${e.id}: ${e.step} steps in ${secs} s`);
});
