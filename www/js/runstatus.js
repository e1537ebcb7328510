// A run's record and its status, derived in ONE place from the worker's events
// (and the page's own Stop). Pure: no DOM, unit tested in node.
//
//   building  — the worker is building the model
//   idle      — built, untrained               running  — training in the worker
//   paused    — halted mid-run, resumable      stopped  — halted by Stop (and evaluated)
//   finished  — all epochs done (or early stopping)
//   failed    — the build failed (record.error says why)

/** The id of the main run: the experiment being edited (race runs have their own ids). */
export const MAIN = 'main';

/** A fresh record for run `id` with `config` (label: what makes it different, for legends). */
export function newRun(id, config, label = '') {
  return { id, config, label, built: false, building: true, running: false, finished: false, stopped: false,
    step: 0, epoch: 0, batchInEpoch: 0, batchesPerEpoch: 0, samplesPerSec: 0, elapsedMs: 0, lastLoss: null,
    lastLr: undefined, error: null, buildError: null, dataInfo: null, summary: null, startedAt: 0, marks: [], diagnosis: null };
}

/** The status shown for a run record. */
export function runStatus(r) {
  if (r.building) return 'building';
  if (!r.built) return 'failed';
  if (r.running) return 'running';
  if (r.finished) return 'finished';
  if (r.stopped) return 'stopped';
  return r.step > 0 ? 'paused' : 'idle';
}

const afterBuild = { built: true, building: false, running: false, finished: false, stopped: false, step: 0, epoch: 0,
  batchInEpoch: 0, samplesPerSec: 0, elapsedMs: 0, lastLoss: null, lastLr: undefined, error: null, buildError: null,
  startedAt: 0, marks: [], diagnosis: null };

/**
 * The record after one event. Events: {type: 'building'} | {type: 'configured', summary, dataset} |
 * {type: 'build-failed', message} | {type: 'state', running, now} | {type: 'progress', report, samplesPerSec, now} |
 * {type: 'error', message} | {type: 'reset', summary} | {type: 'loaded', epochs, step} | {type: 'stop'} |
 * {type: 'resume'} | {type: 'set', step, learning_rate, momentum}. `stopping` = the page asked for Stop, not Pause.
 */
export function applyEvent(r, ev) {
  switch (ev.type) {
    case 'building': return { ...r, building: true, error: null };
    case 'configured': {
      const bpe = Math.ceil(ev.dataset.train / r.config.batch_size) || 0;
      return { ...r, ...afterBuild, summary: ev.summary, dataInfo: ev.dataset, batchesPerEpoch: bpe };
    }
    case 'build-failed': return { ...r, built: false, building: false, running: false, buildError: ev.message };
    case 'state': {
      if (ev.running) return { ...r, running: true, stopped: false, error: null, startedAt: ev.now ?? 0 };
      const elapsedMs = r.elapsedMs + (r.startedAt ? (ev.now ?? r.startedAt) - r.startedAt : 0);
      return { ...r, running: false, startedAt: 0, elapsedMs, stopped: r.stopping && !r.finished ? true : r.stopped,
        stopping: false };
    }
    case 'progress': {
      const rep = ev.report;
      const last = rep.batches.at(-1);
      return { ...r, step: rep.step, epoch: rep.epoch, batchInEpoch: rep.batch_in_epoch,
        batchesPerEpoch: rep.batches_per_epoch ?? r.batchesPerEpoch, samplesPerSec: ev.samplesPerSec ?? r.samplesPerSec,
        threads: ev.threads ?? r.threads, finished: r.finished || Boolean(rep.finished),
        ...('diagnosis' in rep ? { diagnosis: rep.diagnosis ?? null } : {}),   // the core's (diagnosis.rs)
        ...(last ? { lastLoss: last.loss, lastLr: last.lr } : {}) };
    }
    case 'error': return { ...r, error: ev.message };
    case 'reset': return { ...r, ...afterBuild, summary: ev.summary ?? r.summary };
    case 'loaded': return { ...r, running: false, finished: ev.epochs >= r.config.epochs, stopped: false, epoch: ev.epochs,
      batchInEpoch: 0, step: ev.step, error: null, diagnosis: null };
    case 'stop': return r.running ? { ...r, stopping: true } : r.finished ? r : { ...r, stopped: true };
    case 'resume': return { ...r, stopped: false, stopping: false };
    case 'set': return { ...r, marks: [...r.marks, { step: ev.step, learning_rate: ev.learning_rate, momentum: ev.momentum }] };
    default: return r;
  }
}
