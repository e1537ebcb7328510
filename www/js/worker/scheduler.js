// Round-robin training of every run that is running (or has steps queued):
// each round trains the SAME number of batches on each of them, so runs
// started together advance in lock-step (equal steps). The number of batches
// per round adapts so that a round takes about ROUND_MS; between rounds the
// worker answers messages (pause, set, predict, ...). An optional
// steps-per-second limit slows every run down to a pace a class can watch.
import { thinBatches } from '../batchlog.js';

const ROUND_MS = 40;
const MAX_CHUNK = 4096;

/**
 * The batches for the next round after `k` batches took `ms`: steered towards ROUND_MS, by at
 * most 4× up or down a round, between 1 and MAX_CHUNK. The race's scheduler, k-fold and the
 * benchmark's adaptive-threads rounds all pace their chunks with it.
 */
export function nextChunk(k, ms) {
  const factor = Math.min(4, Math.max(0.25, ROUND_MS / Math.max(ms, 0.1)));
  return Math.max(1, Math.min(MAX_CHUNK, Math.round(k * factor)));
}

/** Whether an error means the wasm module is poisoned (a Rust panic) and the worker must be replaced. */
export function isFatal(err) {
  const msg = String(err?.message ?? err);
  return (typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError)
    || /unreachable|recursive use of an object|attempted to take ownership|already (mutably )?borrowed/.test(msg);
}

/** Batches each run may train now under a limit of `rate` steps/s (null = no limit). */
export function allowedSteps(rate, budget, now, chunk) {
  if (!rate) return chunk;
  const due = Math.floor((rate * (now - budget.start)) / 1000) + 1 - budget.steps;
  return Math.max(0, Math.min(chunk, due));
}

/** `threads`: an adaptive-threads chooser (worker-threads.js) told about every round, or null. */
export function createScheduler(table, post, threads = null) {
  let looping = false;
  let roundSamples = 0;
  let chunk = 1;
  let rate = null;                 // steps per second, null = as fast as possible
  let budget = { start: 0, steps: 0 };
  let onFatal = () => {};

  const active = () => table.all().filter((e) => e.running || e.stepsLeft > 0);
  const yieldToEvents = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(0);
  });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  function setRunning(e, on) {
    if (e.running === on) return;
    e.running = on;
    if (on) { e.started = performance.now(); e.samples = 0; }
    post({ type: 'state', run: e.id, running: on });
  }

  function trainOne(e, k, roundStart) {
    const n = e.stepsLeft > 0 ? Math.min(k, e.stepsLeft) : k;
    const t0 = performance.now();
    let report;
    try {
      report = e.run.train(n);
    } catch (err) {
      e.stepsLeft = 0;
      setRunning(e, false);
      if (isFatal(err)) { onFatal(err, e.id); return false; }
      post({ type: 'error', run: e.id, for: 'run', message: String(err?.message ?? err) });
      return true;
    }
    const now = performance.now();
    if (!e.running && e.stepsLeft > 0) { e.started = roundStart; e.samples = 0; }
    e.samples += report.samples;
    roundSamples += report.samples;
    if (e.stepsLeft > 0) e.stepsLeft = Math.max(0, e.stepsLeft - n);
    // A failed batch (facade `Run`): the report has the good batches before it and `error`; the run is as before it.
    const failed = report.error;
    delete report.error;
    report.batches = thinBatches(report.batches);
    post({ type: 'progress', run: e.id, report, chunkMs: now - t0,
      samplesPerSec: e.samples / Math.max(1e-3, (now - e.started) / 1000), ...(threads ? { threads: threads.label } : {}) });
    if (failed) {
      // The error before the halt: the page's reaction to the halt (autosave) must already know why.
      e.stepsLeft = 0;
      post({ type: 'error', run: e.id, for: 'run', message: String(failed) });
      setRunning(e, false);
    } else if (report.finished) { e.stepsLeft = 0; setRunning(e, false); }
    return true;
  }

  async function loop() {
    if (looping) return;
    looping = true;
    try {
      for (let todo = active(); todo.length; todo = active()) {
        const start = performance.now();
        const k = allowedSteps(rate, budget, start, chunk);
        if (k === 0) { await sleep(Math.max(1, 1000 / rate / 2)); continue; }
        threads?.before();
        roundSamples = 0;
        for (const e of todo) {
          if (!table.get(e.id) || !(e.running || e.stepsLeft > 0)) continue;   // removed or paused meanwhile
          if (!trainOne(e, k, start)) return;
        }
        budget.steps += k;
        const ms = performance.now() - start;
        threads?.after(roundSamples, ms);
        chunk = nextChunk(k, ms);
        await yieldToEvents();
      }
    } finally {
      looping = false;
    }
  }

  const resetBudget = () => { budget = { start: performance.now(), steps: 0 }; };

  return {
    /** Starts runs `ids` (until they finish or are paused). */
    start(ids) {
      if (!active().length) resetBudget();
      for (const id of ids) { const e = table.get(id); if (e) setRunning(e, true); }
      loop();
    },
    pause(ids) {
      for (const id of ids) {
        const e = table.get(id);
        if (e) { e.stepsLeft = 0; setRunning(e, false); }
      }
    },
    /** Queues `batches` more batches on each of `ids` (Step ×1 / ×10 / one epoch) without "running" them. */
    step(ids, batches) {
      if (!active().length) resetBudget();
      for (const id of ids) {
        const e = table.get(id);
        if (e && !e.running) e.stepsLeft = (e.stepsLeft ?? 0) + batches;
      }
      loop();
    },
    /** Steps per second for every run (null or 0 = as fast as possible). */
    setRate(r) {
      rate = r > 0 ? r : null;
      resetBudget();
      if (rate) chunk = 1;
    },
    get rate() { return rate; },
    onFatal(fn) { onFatal = fn; },
    stopAll() { for (const e of table.all()) { e.stepsLeft = 0; e.running = false; } },
  };
}
