// The run record and its status (www/js/runstatus.js): every status comes from
// events, in one place; the worker scheduler's steps-per-second budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, newRun, runStatus } from '../../www/js/runstatus.js';
import { allowedSteps, isFatal } from '../../www/js/worker/scheduler.js';

const config = { dataset: 'xor', batch_size: 32, epochs: 2, validation_split: 0, optimizer: { name: 'sgd' } };
const report = (step, extra = {}) => ({ step, epoch: 0, batch_in_epoch: step, batches_per_epoch: 282,
  batches: [{ step, loss: 1 / step, lr: 0.01 }], epochs: [], ...extra });
const built = () => applyEvent(newRun('a', config), { type: 'configured', summary: {}, dataset: { train: 9000 } });

test('a run goes building → idle → running → paused → running → stopped → finished from events only', () => {
  let r = newRun('a', config);
  assert.equal(runStatus(r), 'building');
  r = built();
  assert.equal(runStatus(r), 'idle');
  assert.equal(r.batchesPerEpoch, 282, 'ceil(9000 / 32)');
  r = applyEvent(r, { type: 'state', running: true, now: 1000 });
  assert.equal(runStatus(r), 'running');
  r = applyEvent(r, { type: 'progress', report: report(5), samplesPerSec: 10 });
  assert.equal(r.lastLoss, 0.2);
  r = applyEvent(r, { type: 'state', running: false, now: 1500 });
  assert.equal(runStatus(r), 'paused');
  assert.equal(r.elapsedMs, 500);
  r = applyEvent(r, { type: 'state', running: true, now: 2000 });
  r = applyEvent(r, { type: 'stop' });
  assert.equal(runStatus(r), 'running', 'Stop waits for the worker to halt');
  r = applyEvent(r, { type: 'state', running: false, now: 2100 });
  assert.equal(runStatus(r), 'stopped');
  assert.equal(r.elapsedMs, 600);
  r = applyEvent(r, { type: 'resume' });
  assert.equal(runStatus(r), 'paused');
  r = applyEvent(r, { type: 'progress', report: report(564, { finished: true }) });
  r = applyEvent(r, { type: 'state', running: false });
  assert.equal(runStatus(r), 'finished');
  r = applyEvent(r, { type: 'stop' });
  assert.equal(runStatus(r), 'finished', 'a finished run is not "stopped" again');
});

test('reset gives an idle run at step 0; a failed build and a load are reflected', () => {
  let r = applyEvent(built(), { type: 'progress', report: report(7) });
  r = applyEvent(r, { type: 'reset', summary: { rows: [] } });
  assert.equal(runStatus(r), 'idle');
  assert.equal(r.step, 0);
  assert.equal(runStatus(applyEvent(newRun('b', config), { type: 'build-failed', message: 'no' })), 'failed');
  const loaded = applyEvent(built(), { type: 'loaded', epochs: 2, step: 564 });
  assert.equal(runStatus(loaded), 'finished', '2 of 2 epochs');
  assert.equal(runStatus(applyEvent(built(), { type: 'loaded', epochs: 1, step: 282 })), 'paused');
});

test('a live change is kept as a mark at the step where it happened', () => {
  let r = applyEvent(built(), { type: 'progress', report: report(40) });
  r = applyEvent(r, { type: 'set', step: r.step, learning_rate: 0.1, momentum: 0.9 });
  assert.deepEqual(r.marks, [{ step: 40, learning_rate: 0.1, momentum: 0.9 }]);
});

test('steps-per-second budget: one step at once, then rate × elapsed, never more than a chunk', () => {
  const budget = { start: 0, steps: 0 };
  assert.equal(allowedSteps(null, budget, 5, 64), 64, 'no limit: a whole chunk');
  assert.equal(allowedSteps(2, budget, 0, 64), 1, 'the first step right away');
  budget.steps = 1;
  assert.equal(allowedSteps(2, budget, 400, 64), 0, '2/s: nothing before 500 ms');
  assert.equal(allowedSteps(2, budget, 500, 64), 1);
  assert.equal(allowedSteps(2, budget, 10_000, 8), 8, 'capped at the chunk');
});

test('Rust panics are told apart from ordinary errors', () => {
  assert.equal(isFatal(new Error('unreachable')), true);
  assert.equal(isFatal(new Error('recursive use of an object detected which would lead to unsafe aliasing in rust')), true);
  assert.equal(isFatal(new Error('batch_size: must be at least 1')), false);
});
