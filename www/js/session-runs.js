// The runs client's API for several runs side by side (race mode; the main run
// is one of them): build, remove, start / pause / step / stop any of them,
// live changes, speed, save, history, evaluation. Part of the runs client
// (session.js), which owns the run records and the request chain.
import { MAIN, runStatus } from './runstatus.js';
import { withLiveChange } from './state.js';

export function createRuns({ engine, store, records, lastGood, serial, build, update, publish, emit, applyLive }) {
  const ids = (list) => (list ?? [...records.keys()]).filter((id) => records.has(id));
  /** The runs of `list` that can train now (idle, paused or stopped), each marked as resuming. */
  const resume = (list) => {
    const todo = ids(list).filter((id) => ['idle', 'paused', 'stopped'].includes(runStatus(records.get(id))));
    for (const id of todo) update(id, { type: 'resume' });
    return todo;
  };

  return {
      get: (id) => records.get(id),
      list: () => [...records.values()],
      /** Builds run `id` from `config`; `label` names what makes it different. */
      create: (id, config, label) => serial(() => build(id, config, label)),
      remove: (id) => serial(async () => {
        if (id === MAIN || !records.has(id)) return;
        records.delete(id);
        lastGood.delete(id);
        publish();
        emit('run-removed', { run: id });
        await engine.request('remove', { run: id }).catch(() => {});
      }),
      start(list) {
        const todo = resume(list);
        if (todo.length) engine.send('run', { runs: todo });
      },
      pause: (list) => engine.send('pause', { runs: ids(list) }),
      step(list, batches = 1) {
        const todo = resume(list);
        if (todo.length) engine.send('step', { runs: todo, batches });
      },
      stop(id) {
        const r = records.get(id);
        if (!r) return;
        update(id, { type: 'stop' });
        if (r.running) engine.send('pause', { runs: [id] }); else publish();
      },
      /** Live learning rate / momentum of one run (a `set`): the chart marks it. */
      set: (id, patch) => serial(async () => {
        const cfg = withLiveChange(records.get(id).config, patch);
        await applyLive(id, cfg);
        if (id === MAIN) store.set({ config: cfg });
      }),
      /** Steps per second for every run (0 = as fast as possible); the store's `speed` follows. */
      async speed(stepsPerSecond) {
        const r = await engine.request('speed', { stepsPerSecond });
        store.set({ speed: r.stepsPerSecond ?? 0 });
        return r;
      },
      hash: async (id) => (await engine.request('hash', { run: id })).hash,
      save: async (id) => {
        const { file, step } = await engine.request('save', { run: id });
        lastGood.set(id, { file, step });
        return file;
      },
      history: async (id) => (await engine.request('history', { run: id })).history,
      evaluate: (id) => engine.request('evaluate', { run: id }),
      /** A run's legend label changed (runs came or went): the record follows, the run is untouched. */
      relabel(id, label) {
        const r = records.get(id);
        if (r && r.label !== label) { records.set(id, { ...r, label }); publish(); }
      },
      /** The step of the model kept for run `id` to come back from after a crash (recovery.js), or null. */
      snapshotStep: (id) => lastGood.get(id)?.step ?? null,
  };
}
