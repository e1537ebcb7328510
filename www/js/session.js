// The page side of the worker's training session: keeps the worker's model in
// step with the config in the store and tracks the training state.
//   config edited → (debounced) `inspect` → problems + summary shown in place;
//   valid and different from the worker's model → `configure` (fresh weights),
//   or, if only the learning rate / momentum changed, `set` (weights kept).
// Worker-changing requests run one at a time (a promise chain). Emits:
//   configured {summary, dataset}, progress {report}, reset, loaded {history},
//   paused, stopped, finished — for the charts, evaluation, drawing and storage.
import { configKey, momentumField, onlyLiveChange, clone } from './state.js';

export function createSession(engine, store) {
  const listeners = new Map();
  const emit = (type, data) => { for (const fn of listeners.get(type) ?? []) fn(data); };
  let chain = Promise.resolve();
  const serial = (fn) => { const p = chain.then(fn); chain = p.catch(() => {}); return p; };
  let sessionKey = null;    // configKey of the config the worker's model was built from
  let sessionConfig = null;
  let checkSeq = 0;
  let timer = null;
  let intent = null;        // 'pause' | 'stop' while a halt is on its way
  let run = { finished: false, stopped: false };
  let runStart = 0;
  let elapsedBefore = 0;
  const losses = [];

  const trainedStatus = () => {
    const s = store.get();
    if (s.running) return 'running';
    if (run.finished) return 'finished';
    if (run.stopped) return 'stopped';
    return s.step > 0 ? 'paused' : 'idle';
  };

  async function configureNow(cfg, { quiet = false } = {}) {
    store.set({ busy: 'building', status: 'building' });
    try {
      const r = await engine.request('configure', { config: cfg });
      sessionKey = configKey(cfg);
      sessionConfig = clone(cfg);
      run = { finished: false, stopped: false };
      elapsedBefore = 0;
      losses.length = 0;
      const bpe = Math.ceil(r.dataset.train / cfg.batch_size);
      store.set({ hasSession: true, dataInfo: r.dataset, summary: r.summary, step: 0, epoch: 0, batchInEpoch: 0,
        batchesPerEpoch: bpe, samplesPerSec: 0, elapsedMs: 0, runError: null, buildError: null, lastLoss: null,
        datasetProgress: null });
      if (!quiet) emit('configured', r);
      return r;
    } catch (e) {
      sessionKey = null;
      sessionConfig = null;
      store.set({ hasSession: false, buildError: e.message, datasetProgress: null });
      throw e;
    } finally {
      store.set({ busy: null });
      store.set({ status: store.get().hasSession ? trainedStatus() : 'invalid' });
    }
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
    store.set({ inspection: ins, checking: false, summary: ins.summary ?? null, datasetProgress: null });
    if (!ins.ok) { store.set({ status: 'invalid' }); return; }
    await serial(async () => {
      if (seq !== checkSeq) return;
      if (key === sessionKey) { store.set({ status: trainedStatus() }); return; }
      if (sessionConfig && onlyLiveChange(sessionConfig, cfg)) {
        await applyLive(cfg);
        store.set({ status: trainedStatus() });
        return;
      }
      await configureNow(cfg).catch(() => {});
    });
  }

  async function applyLive(cfg) {
    const o = cfg.optimizer;
    const m = momentumField(o.name);
    await engine.request('set', m ? { learning_rate: o.learning_rate, momentum: o[m] } : { learning_rate: o.learning_rate });
    sessionConfig = clone(cfg);
    sessionKey = configKey(cfg);
  }

  engine.on('state', ({ running }) => {
    const now = performance.now();
    if (running) runStart = now;
    else if (runStart) { elapsedBefore += now - runStart; runStart = 0; }
    store.set({ running, elapsedMs: elapsedBefore });
    if (running) { store.set({ status: 'running', runError: null }); return; }
    if (intent === 'stop' && !run.finished) run.stopped = true;
    intent = null;
    store.set({ status: trainedStatus() });
    emit(run.finished ? 'finished' : run.stopped ? 'stopped' : 'paused');
  });

  engine.on('progress', ({ report, samplesPerSec }) => {
    for (const b of report.batches) losses.push(b.loss);
    const last = report.batches.at(-1);
    if (report.finished) run.finished = true;
    store.set({ step: report.step, epoch: report.epoch, batchInEpoch: report.batch_in_epoch,
      batchesPerEpoch: report.batches_per_epoch, samplesPerSec,
      elapsedMs: elapsedBefore + (runStart ? performance.now() - runStart : 0),
      ...(last ? { lastLoss: last.loss, lastLr: last.lr } : {}) });
    if (!store.get().running) store.set({ status: trainedStatus() });
    emit('progress', report);
  });

  engine.on('dataset-progress', ({ name, loaded, total }) => {
    store.set({ datasetProgress: loaded >= total && total > 0 ? null : { name, loaded, total } });
  });

  engine.on('error', (msg) => {
    if (msg.for === 'boot') return;
    store.set({ runError: `${msg.for ? `${msg.for}: ` : ''}${msg.message}` });
  });

  return {
    losses,
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
      const s = store.get();
      if (!['idle', 'paused', 'stopped'].includes(s.status)) return;
      run.stopped = false;
      engine.send('run');
    },
    pause() { intent = 'pause'; engine.send('pause'); },
    stop() {
      if (store.get().running) { intent = 'stop'; engine.send('pause'); return; }
      if (run.finished) return;
      run.stopped = true;
      store.set({ status: 'stopped' });
      emit('stopped');
    },
    step() {
      run.stopped = false;
      engine.send('step');
    },
    reset: () => serial(async () => {
      if (store.get().running) { intent = 'pause'; engine.send('pause'); }
      const r = await engine.request('reset');
      run = { finished: false, stopped: false };
      elapsedBefore = 0;
      losses.length = 0;
      store.set({ summary: r.summary, step: 0, epoch: 0, batchInEpoch: 0, samplesPerSec: 0, elapsedMs: 0, runError: null,
        lastLoss: null });
      store.set({ status: trainedStatus() });
      emit('reset');
    }),
    /** Learning rate / momentum now; while training it applies from the next batch. */
    async setLive(patch) {
      const cfg = clone(store.get().config);
      const m = momentumField(cfg.optimizer.name);
      if (patch.learning_rate !== undefined) cfg.optimizer.learning_rate = patch.learning_rate;
      if (patch.momentum !== undefined && m) cfg.optimizer[m] = patch.momentum;
      if (sessionKey && sessionConfig && onlyLiveChange(sessionConfig, cfg)) {
        await serial(() => applyLive(cfg));
      }
      store.set({ config: cfg });
    },
    /**
     * Build a model for `cfg` and load a model file into it (restore, upload).
     * If it fails, the previous model is put back (rebuilt and reloaded) and the error rethrown.
     */
    loadModel: (cfg, bytes, step) => serial(async () => {
      const prev = sessionConfig;
      const backup = prev && store.get().step > 0 ? (await engine.request('save')).json : null;
      try {
        await configureNow(cfg, { quiet: true });
        await engine.request('load', { bytes });
      } catch (e) {
        if (prev) {
          await configureNow(prev, { quiet: true }).catch(() => {});
          if (backup) await engine.request('load', { bytes: new TextEncoder().encode(backup) }).catch(() => {});
          await restoreRunState(backup ? JSON.parse(backup).step : 0).catch(() => {});
        }
        throw e;
      }
      const history = await restoreRunState(step);
      store.set({ config: cfg });
      emit('configured', { summary: store.get().summary, dataset: store.get().dataInfo });
      emit('loaded', { history });
      return history;
    }),
    save: () => serial(async () => (await engine.request('save')).json),
    get key() { return sessionKey; },
  };

  /** After a load: epoch and finished state from the worker's history; `step` from the file. */
  async function restoreRunState(step) {
    const { history } = await engine.request('history');
    const epochs = history.epoch.length;
    run = { finished: epochs >= sessionConfig.epochs, stopped: false };
    store.set({ epoch: epochs, batchInEpoch: 0, step: Number(step) || epochs * store.get().batchesPerEpoch, runError: null });
    store.set({ status: trainedStatus() });
    return history;
  }
}
