// Test hooks, loaded only when a test asks for them (the page's URL has ?test,
// or the test sets globalThis.__GRADLAB_TEST__ before the page loads): the
// product code never names window.gradlab. Exposes the app's objects plus
//   state     — {mode, running, lastLoss, epoch, status, step} of the main run, read from the store;
//   losses    — every per-batch training loss of the main run since it was built or reset;
//   runLosses — the same per run id (race mode);
//   crash()   — simulates a Rust panic in the worker (the engine restarts it and the runs are rebuilt);
//   uploadSlice(bytes) — the worker reads CSV uploads in slices of this size (default 1 MiB), so a test file
//               of a few MB gives many progress steps (worker-upload.js).
import { MAIN } from './session.js';

export function install({ engine, store, session, ...parts }) {
  const losses = [];
  const runLosses = new Map();
  const reset = (id) => {
    runLosses.set(id, []);
    if (id === MAIN) losses.length = 0;
  };
  session.on('run-configured', ({ run }) => reset(run));
  session.on('reset', () => reset(MAIN));
  session.on('run-progress', ({ run, report }) => {
    if (!runLosses.has(run)) runLosses.set(run, []);
    for (const b of report.batches) {
      runLosses.get(run).push(b.loss);
      if (run === MAIN) losses.push(b.loss);
    }
  });
  window.gradlab = {
    engine, store, session, ...parts, losses, runLosses,
    get state() {
      const s = store.get();
      return { mode: s.mode, running: s.running, lastLoss: s.lastLoss ?? null, epoch: s.epoch, status: s.status, step: s.step };
    },
    uploadSlice: (bytes) => engine.request('upload-slice', { bytes }),
    crash: () => engine.dispatch({ type: 'fatal', message: 'RuntimeError: unreachable (simulated by a test)' }),
  };
  window.dispatchEvent(new CustomEvent('gradlab-test-ready'));
}
