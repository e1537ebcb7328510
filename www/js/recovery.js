// Recovery after a crash of the training engine (issue 15.18). A Rust panic
// poisons the worker's wasm module; the engine then replaces the worker and
// emits `restarted`. Here every run is rebuilt from its config and, when the
// page has one, its last saved model file; the main run's record says what
// happened. A run whose work crashed the engine twice is not rebuilt again (no
// crash loop) and says why. Part of the runs client (session.js).
import { MAIN } from './runstatus.js';

export function installRecovery({ engine, store, records, lastGood, build, update, publish, restoreRunState, emit, serial }) {
  // A run whose work crashed the engine twice is not rebuilt again (no crash loop).
  const crashes = new Map();
  let rebuilding = null;
  engine.on('fatal', ({ run }) => {
    const id = rebuilding ?? run;
    if (id) crashes.set(id, (crashes.get(id) ?? 0) + 1);
  });
  engine.on('restarted', ({ message }) => serial(async () => {
    const notes = [];
    const skipped = [];
    for (const [id, rec] of [...records]) {
      const name = id === MAIN ? 'the model' : `run ${rec.label || id}`;
      if ((crashes.get(id) ?? 0) >= 2) {
        update(id, { type: 'build-failed', message: 'it crashed the training engine twice: change its setup' });
        skipped.push(name);
        continue;
      }
      rebuilding = id;
      try {
        await build(id, rec.config, rec.label);
        const json = lastGood.get(id);
        if (json) {
          await engine.request('load', { run: id, bytes: new TextEncoder().encode(json) });
          lastGood.set(id, json);
          await restoreRunState(id, JSON.parse(json).step);
          notes.push(`${name} from step ${Number(JSON.parse(json).step).toLocaleString('en-US')}`);
        } else notes.push(`${name} with fresh weights`);
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
