// The race's results table (www/js/race-table.js) on the fake DOM: its numbers
// change at most every 250 ms while runs train (each change lays the table out
// again), a status change shows at once, and the last state always shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeDom } from './fake-dom.mjs';

const doc = installFakeDom();
const { mountRaceTable } = await import('../../www/js/race-table.js');
const { newRun } = await import('../../www/js/runstatus.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const config = { optimizer: { name: 'sgd', learning_rate: 0.01, momentum: 0 } };
const state = (step, running = true) => ({
  runs: [{ ...newRun('r1', config, 'sgd'), built: true, building: false, running, step, lastLoss: 1 / (step + 1) }],
});

test('race table: numbers at most every 250 ms, a status change at once, the last state always', async () => {
  const el = doc.createElement('div');
  doc.body.append(el);
  const table = mountRaceTable(el, { session: {}, extra: new Map(), onRemove() {}, onStop() {} });
  table.setRuns([{ id: 'r1', patch: 'optimizer:sgd', label: 'sgd', style: { color: '#0072B2' } }], 'accuracy');
  const cell = (key) => el.querySelector(`td[data-key="${key}"]`).textContent;

  table.render(state(10));
  assert.equal(cell('step'), '10', 'new rows are filled at once');
  assert.equal(cell('status'), 'running');
  table.render(state(11));
  table.render(state(12));
  assert.equal(cell('step'), '10', 'a second update within 250 ms waits');
  await sleep(350);
  assert.equal(cell('step'), '12', 'the last state shows after the wait, with no further render');

  table.render(state(13));
  table.render(state(14, false));
  assert.equal(cell('status'), 'paused', 'a status change shows at once');
  assert.equal(cell('step'), '14');
  await sleep(300);
  assert.equal(cell('step'), '14');
});
