// Recovery after a crash of the training engine (issue 15.18). A Rust panic
// poisons the worker's wasm module; the engine then replaces the worker and
// emits `restarted`. Here every run is rebuilt from its config and, when the
// page has one, its last saved model file; the main run's record says what
// happened. A run whose work crashed the engine twice is not rebuilt again (no
// crash loop) and says why. Part of the runs client (session.js).
// So that a crash loses little, every run's model is snapshotted (serialised by
// the worker into a Blob, kept in `lastGood` by this page) every SNAPSHOT_MS of
// training and at epoch ends (at most every EPOCH_GAP_MS), unless it diverged;
// the note after a crash says from which step each run came back and how many
// steps since its snapshot were lost (issue 9).
import { group } from './dom.js';
import { MAIN } from './runstatus.js';
import { writeDue } from './pacing.js';

const SNAPSHOT_MS = 5_000;
const EPOCH_GAP_MS = 1_000;

export function installRecovery({ engine, store, records, lastGood, build, update, publish, restoreRunState, emit, serial }) {
  const snapAt = new Map();       // id → Date.now() of its last snapshot request
  const snapTook = new Map();     // id → ms its last snapshot took (request to answer)
  engine.on('progress', ({ run, report }) => {
    const rec = records.get(run);
    if (!rec || !rec.built || !rec.running || rec.diagnosis?.kind === 'diverged') return;
    if (!snapAt.has(run)) snapAt.set(run, Date.now());       // first progress since a (re)build: the clock starts
    const since = Date.now() - snapAt.get(run);
    const epochEnded = report.epochs.length > 0;
    if (!writeDue({ since, every: SNAPSHOT_MS, epochGap: EPOCH_GAP_MS, took: snapTook.get(run), epochEnded })) return;
    snapAt.set(run, Date.now());
    const key = rec.config;
    const asked = performance.now();
    engine.request('save', { run }).then(({ file, step }) => {
      snapTook.set(run, performance.now() - asked);
      if (records.get(run)?.config === key) lastGood.set(run, { file, step });   // not a run rebuilt meanwhile
    }).catch(() => {});
  });
  engine.on('restarted', () => { snapAt.clear(); snapTook.clear(); });
  // A run whose work crashed the engine twice is not rebuilt again (no crash loop).
  const crashes = new Map();
  let rebuilding = null;
  // A worker that stopped answering (watchdog.js) names no run: the runs that were training are blamed.
  engine.on('fatal', ({ run }) => {
    const ids = rebuilding ? [rebuilding] : run ? [run] : [...records].filter(([, rec]) => rec.running).map(([id]) => id);
    for (const id of ids) crashes.set(id, (crashes.get(id) ?? 0) + 1);
  });
  engine.on('restarted', ({ message }) => serial(async () => {
    const notes = [];
    const skipped = [];
    for (const [id, rec] of [...records]) {
      const atCrash = rec.step ?? 0;
      const name = id === MAIN ? 'the model' : `run ${rec.label || id}`;
      if ((crashes.get(id) ?? 0) >= 2) {
        update(id, { type: 'build-failed', message: 'it crashed the training engine twice: change its setup' });
        skipped.push(name);
        continue;
      }
      rebuilding = id;
      try {
        const kept = lastGood.get(id);            // read first: a build forgets the run's saved model
        await build(id, rec.config, rec.label);
        if (kept) {
          // The file goes as it is: the worker reads it, the core reads its step (no parse on this thread).
          const { step } = await engine.request('load', { run: id, file: kept.file });
          lastGood.set(id, { file: kept.file, step });
          await restoreRunState(id, step);
          const from = Number(step);
          const lost = Math.max(0, atCrash - from);
          notes.push(`${name} from step ${group(from)}${lost ? ` (the last ${group(lost)} steps were lost)` : ''}`);
        } else notes.push(`${name} with fresh weights${atCrash ? ` (no snapshot yet: ${group(atCrash)} steps lost)` : ''}`);
      } catch (e) { notes.push(`${name} could not be rebuilt (${e.message})`); }
      rebuilding = null;
    }
    const text = [`The training engine stopped on an internal error (${message}) and was restarted.`,
      notes.length ? `Rebuilt ${notes.join(', ')}.` : '',
      skipped.length ? `Not rebuilt: ${skipped.join(', ')} — it crashed the engine twice; change its setup.` : '']
      .filter(Boolean).join(' ');
    if (records.has(MAIN)) update(MAIN, { type: 'error', message: text });
    publish(records.has(MAIN) ? {} : { runError: text });
    emit('restarted', { message: text });
    if (records.has(MAIN)) emit(lastGood.has(MAIN) ? 'loaded' : 'configured', { summary: store.get().summary,
      dataset: store.get().dataInfo, history: null });
  }));
}
