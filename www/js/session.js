// The runs client: the page side of the worker's runs. It keeps one record per
// run in the store (`runs[]`, see runstatus.js: status derived once, from the
// worker's events) and the "main" run — the experiment being edited — in step
// with the config:
//   config edited → (debounced) `inspect` → problems + summary shown in place;
//   valid and different from the main run's model → `configure` (fresh weights),
//   or, if only the learning rate / momentum changed, `set` (weights kept).
// The main run's record is also projected onto the store's top-level fields
// (status, step, epoch, …) that the sections render. Requests that change the
// main run run one at a time (a promise chain). Emits for the main run:
//   configured {summary, dataset}, progress (report), reset, loaded {history}, paused, stopped, finished
// and for every run: run-configured {run}, run-progress {run, report}, run-state {run}, run-removed {run}.
// After a worker crash (engine `restarted`) every run is rebuilt from its config
// and its last saved model, and the page says what happened.
import { configKey, momentumField, onlyLiveChange, clone, withLiveChange } from './state.js';
import { applyEvent, MAIN, newRun, runStatus } from './runstatus.js';
import { installRecovery } from './recovery.js';
import { createRuns } from './session-runs.js';

export { MAIN };

export function createSession(engine, store) {
  const listeners = new Map();
  const emit = (type, data) => { for (const fn of listeners.get(type) ?? []) fn(data); };
  let chain = Promise.resolve();
  const serial = (fn) => { const p = chain.then(fn); chain = p.catch(() => {}); return p; };
  const records = new Map();      // id → run record (runstatus.js)
  // id → {file, step}: the last model file saved or loaded through this client (a Blob from the worker's save,
  // an upload's File, or a restored record's text or Blob) and its step. The page never decodes or parses it.
  const lastGood = new Map();
  let sessionKey = null;          // configKey of the config the main run's model was built from
  let savedConfig = null;         // the config of the model the last save() returned
  let savedStep = null;           // and its step (training goes on while the save waits for the worker)
  let invalid = false;            // the config on screen failed `inspect`
  let checkSeq = 0;
  let timer = null;

  /** Writes the records to the store, with the main run projected onto the top-level fields. */
  function publish(extra = {}) {
    const m = records.get(MAIN);
    const now = performance.now();
    const st = m && runStatus(m);
    const status = extra.status ?? (invalid ? 'invalid' : !m ? store.get().status : st === 'failed' ? 'invalid' : st);
    const main = m ? { hasSession: m.built, step: m.step, epoch: m.epoch, batchInEpoch: m.batchInEpoch,
      batchesPerEpoch: m.batchesPerEpoch, running: m.running, samplesPerSec: m.samplesPerSec, lastLoss: m.lastLoss,
      elapsedMs: m.elapsedMs + (m.running && m.startedAt ? now - m.startedAt : 0), runError: m.error,
      buildError: m.buildError, diagnosis: m.diagnosis ?? null, threads: m.threads, ...(m.lastLr !== undefined ? { lastLr: m.lastLr } : {}) } : { hasSession: false };
    store.set({ runs: [...records.values()], ...main, status, ...extra });
  }
  const update = (id, ev) => {
    const r = records.get(id);
    if (!r) return null;
    const next = applyEvent(r, { now: performance.now(), ...ev });
    records.set(id, next);
    return next;
  };

  async function build(id, cfg, label) {
    const rec = records.get(id);
    records.set(id, applyEvent(rec && configKey(rec.config) === configKey(cfg) ? rec : newRun(id, clone(cfg), label ?? rec?.label ?? ''),
      { type: 'building' }));
    publish(id === MAIN ? { busy: 'building' } : {});
    try {
      const r = await engine.request('configure', { run: id, config: cfg });
      records.set(id, applyEvent({ ...records.get(id), config: clone(cfg) }, { type: 'configured', ...r }));
      lastGood.delete(id);
      if (id === MAIN) { sessionKey = configKey(cfg); store.set({ dataInfo: r.dataset, summary: r.summary, datasetProgress: null }); }
      emit('run-configured', { run: id });
      return r;
    } catch (e) {
      update(id, { type: 'build-failed', message: e.message });
      // No model, so no data either: the previews and the draw panel must not show the previous dataset's (15.11).
      if (id === MAIN) { sessionKey = null; store.set({ datasetProgress: null, dataInfo: null }); }
      throw e;
    } finally {
      publish(id === MAIN ? { busy: null } : {});
    }
  }

  async function configureNow(cfg, { quiet = false } = {}) {
    const r = await build(MAIN, cfg);
    if (!quiet) emit('configured', r);
    return r;
  }

  async function check() {
    timer = null;
    const cfg = store.get().config;
    const key = configKey(cfg);
    const seq = ++checkSeq;
    store.set({ checking: true });
    let ins;
    try {
      ins = await engine.request('inspect', { config: cfg });
    } catch (e) {
      ins = { ok: false, problems: [e.message], summary: null };
    }
    if (seq !== checkSeq) return;
    invalid = !ins.ok;
    store.set({ inspection: ins, checking: false, summary: ins.summary ?? null, datasetProgress: null });
    publish();
    if (!ins.ok) return;
    await serial(async () => {
      if (seq !== checkSeq || key === sessionKey) return;
      const m = records.get(MAIN);
      if (m?.built && onlyLiveChange(m.config, cfg)) { await applyLive(MAIN, cfg); return; }
      await configureNow(cfg).catch(() => {});
    });
  }

  /** Sends the learning rate / momentum of `cfg` to run `id` (a `set`, never a rebuild). */
  async function applyLive(id, cfg) {
    const o = cfg.optimizer;
    const m = momentumField(o.name);
    const r = await engine.request('set', { run: id, learning_rate: o.learning_rate, ...(m ? { momentum: o[m] } : {}) });
    const rec = records.get(id);
    records.set(id, applyEvent({ ...rec, config: clone(cfg) }, { type: 'set', step: rec.step, ...r }));
    if (id === MAIN) sessionKey = configKey(cfg);
    publish();
    emit('run-set', { run: id, ...r });
  }

  engine.on('state', ({ run, running }) => {
    const r = update(run, { type: 'state', running });
    if (!r) return;
    publish();
    emit('run-state', { run });
    if (run !== MAIN || running) return;
    emit(r.finished ? 'finished' : r.stopped ? 'stopped' : 'paused');
  });

  engine.on('progress', ({ run, report, samplesPerSec }) => {
    if (!update(run, { type: 'progress', report, samplesPerSec })) return;
    publish();
    emit('run-progress', { run, report });
    if (run === MAIN) emit('progress', report);
  });

  engine.on('dataset-progress', ({ name, loaded, total }) => {
    store.set({ datasetProgress: loaded >= total && total > 0 ? null : { name, loaded, total } });
  });

  engine.on('error', (msg) => {
    if (msg.for === 'boot') return;
    if (msg.run && records.has(msg.run)) {
      update(msg.run, { type: 'error', message: `${msg.for ? `${msg.for}: ` : ''}${msg.message}` });
      publish();
    } else store.set({ runError: `${msg.for ? `${msg.for}: ` : ''}${msg.message}` });
  });

  installRecovery({ engine, store, records, lastGood, build, update, publish, restoreRunState, emit, serial });

  /** After a load: epoch and finished state from the worker's history; `step` from the file. */
  async function restoreRunState(id, step) {
    const { history } = await engine.request('history', { run: id });
    const epochs = history.epoch.length;
    const r = records.get(id);
    update(id, { type: 'loaded', epochs, step: Number(step) || epochs * r.batchesPerEpoch });
    publish();
    return history;
  }

  return {
    on(type, fn) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(fn);
    },
    /** Call after every config change: checks it (debounced) and rebuilds the model if needed. */
    schedule(ms = 250) {
      clearTimeout(timer);
      store.set({ checking: true });
      timer = setTimeout(check, ms);
    },
    /** Check now and wait until the worker's model matches the config (or it is invalid). */
    async syncNow() {
      clearTimeout(timer);
      await check();
      await chain;
    },
    start() {
      if (!['idle', 'paused', 'stopped'].includes(store.get().status)) return;
      update(MAIN, { type: 'resume' });
      engine.send('run', { run: MAIN });
    },
    pause() { engine.send('pause', { run: MAIN }); },
    stop() {
      const r = records.get(MAIN);
      if (!r) return;
      const was = r.running;
      update(MAIN, { type: 'stop' });
      if (was) { engine.send('pause', { run: MAIN }); return; }
      publish();
      if (!r.finished) emit('stopped');
    },
    step(batches = 1) {
      update(MAIN, { type: 'resume' });
      engine.send('step', { run: MAIN, batches });
    },
    reset: () => serial(async () => {
      const r = await engine.request('reset', { run: MAIN });
      update(MAIN, { type: 'reset', summary: r.summary });
      lastGood.delete(MAIN);
      store.set({ summary: r.summary });
      publish();
      emit('reset');
    }),
    /** Learning rate / momentum now; while training it applies from the next batch. */
    async setLive(patch) {
      const cfg = withLiveChange(store.get().config, patch);
      const rec = records.get(MAIN);
      if (sessionKey && rec?.built && onlyLiveChange(rec.config, cfg)) await serial(() => applyLive(MAIN, cfg));
      store.set({ config: cfg });
    },
    /**
     * Build a model for `cfg` and load a model file into it (restore, upload).
     * If it fails, the previous model is put back (rebuilt and reloaded) and the error rethrown.
     */
    loadModel: (cfg, file, step) => serial(async () => {
      // A Blob, a File or text: it goes to the worker as it is (no copy is decoded or parsed on this thread).
      const prev = records.get(MAIN)?.built ? records.get(MAIN).config : null;
      const backup = prev && store.get().step > 0 ? (await engine.request('save', { run: MAIN })).file : null;
      try {
        await configureNow(cfg, { quiet: true });
        ({ step } = await engine.request('load', { run: MAIN, file }));   // the model's own step
      } catch (e) {
        if (prev) {
          await configureNow(prev, { quiet: true }).catch(() => {});
          const back = backup ? await engine.request('load', { run: MAIN, file: backup }).catch(() => null) : null;
          await restoreRunState(MAIN, back?.step ?? 0).catch(() => {});
        }
        throw e;
      }
      lastGood.set(MAIN, { file, step });
      const history = await restoreRunState(MAIN, step);
      store.set({ config: cfg });
      emit('configured', { summary: store.get().summary, dataset: store.get().dataInfo });
      emit('loaded', { history });
      return history;
    }),
    save: () => serial(async () => {
      const config = clone(records.get(MAIN)?.config ?? store.get().config);
      const { file, step } = await engine.request('save', { run: MAIN });
      lastGood.set(MAIN, { file, step });
      savedConfig = config;
      savedStep = step;
      return file;
    }),
    get key() { return sessionKey; },
    /** The config of the model the last save() returned (not necessarily the one on screen). */
    savedConfig: () => savedConfig,
    /** The step of the model the last save() returned (the store's may be later already). */
    savedStep: () => savedStep,
    /** Several runs side by side (race mode); the main run is one of them (session-runs.js). */
    runs: createRuns({ engine, store, records, lastGood, serial, build, update, publish, emit, applyLive }),
  };
}
