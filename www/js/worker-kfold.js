// k-fold cross-validation in the training worker (the Cross-validation panel,
// js/kfold.js). worker.js registers these with
// `Object.assign(handlers, kfoldHandlers(() => wasm, post, {isFatal, fatal, table}))`.
//
// Page → worker                                   worker → page (every message names its run: `kfold:<job>`)
//   kfold {job, configs: [config…], labels?, k}     kfold-started {job, k, configs}   (the reply, at once)
//                                                   kfold-progress {job, fold, k, done, total, epochs: [{config, epoch}]}
//                                                   kfold-fold {job, fold, config, label, accuracy, loss, metrics, epochs, stoppedEarly,
//                                                     summary}: the configuration's scores so far summarised by the core
//                                                   kfold-done {job, results: [[score per fold] per config], summaries: [summary per config]}
//                                                   kfold-error {job, message} (the job ends; its runs are freed)
//   kfold-stop {job}                                kfold-stopped {job}
// All configurations share ONE Data (the run table's copy of that dataset and seed, shared with the
// runs on screen; worker/runs.js borrowData) and the folds (from the seed they share): fold i of every configuration validates on the same samples. Folds are trained
// one after the other; within a fold the N runs advance round-robin in chunks of ~40 ms, and between
// chunks the worker answers other messages (the page's own runs keep training meanwhile).
// A `summary` is the core's {n, min, q1, median, q3, max, mean, std} of the finite scores (facade
// `scoreSummary`, core `stats::summary`: linear quartiles, population std), or null: the page draws it as given.
import { loadDatasetFiles } from './datasets.js';
import { nextChunk } from './worker/scheduler.js';

const yieldToEvents = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
  ch.port2.postMessage(0);
});
const text = (err) => String(err?.message ?? err);
/** The core's summary of one configuration's fold scores (a fold not scored yet is left out). */
const summaryOf = (wasm, scores) => wasm.scoreSummary(Float64Array.from(scores, (v) => v ?? NaN));

/** The configurations of one k-fold: same dataset and seed (so the same folds), 2 ≤ k ≤ 10. */
export function checkJob(configs, k) {
  if (!Array.isArray(configs) || !configs.length) throw new Error('k-fold needs at least one configuration');
  if (configs.length > 6) throw new Error(`k-fold compares at most 6 configurations (got ${configs.length})`);
  if (!Number.isInteger(k) || k < 2 || k > 10) throw new Error(`K must be a whole number from 2 to 10 (got ${k})`);
  const { dataset, seed = 42 } = configs[0];
  for (const c of configs) {
    if (c.dataset !== dataset || (c.seed ?? 42) !== seed) {
      throw new Error('every configuration of a k-fold must use the same dataset and seed (the folds come from them)');
    }
  }
  return { dataset, seed };
}

export function kfoldHandlers(getWasm, post, hooks) {
  const jobs = new Map();   // job → {cancelled}

  async function run(job, configs, labels, k, state) {
    const wasm = getWasm();
    const { dataset, seed } = checkJob(configs, k);
    const say = (msg) => post({ ...msg, job, run: `kfold:${job}` });
    // The run table's copy of the data when it has one (the runs on screen use it too), else our own.
    const table = hooks?.table?.();
    const held = table?.borrowData ? await table.borrowData(dataset, seed) : await (async () => {
      const files = await loadDatasetFiles(wasm, dataset, (loaded, total) =>
        post({ type: 'dataset-progress', name: dataset, loaded, total }));
      const own = new wasm.Data(dataset, files, seed);
      return { data: own, release: () => own.free() };
    })();
    const { data } = held;
    const results = configs.map(() => []);
    try {
      const jsons = configs.map((c) => JSON.stringify(c));
      // A fold's runs (one per configuration) live beside the runs on screen, in one wasm memory: the core
      // says when they would not fit (its message, with the configuration's name), before any is built.
      let bytes = table?.bytes?.() ?? 0;
      jsons.forEach((j, i) => {
        try { bytes += data.runBytes(j, bytes); } catch (e) {
          throw new Error(`${labels?.[i] ?? `configuration ${i + 1}`}: ${e.message}`);
        }
      });
      const totalEpochs = configs.reduce((a, c) => a + (c.epochs ?? 1), 0) * k;
      let doneEpochs = 0;
      let chunk = 1;
      for (let fold = 0; fold < k; fold += 1) {
        const runs = [];
        try {
          for (const j of jsons) runs.push(wasm.Run.forFold(j, data, k, fold));
          const st = runs.map(() => ({ finished: false, epoch: 0, stoppedEarly: false, error: null }));
          while (st.some((s) => !s.finished)) {
            const t0 = performance.now();
            runs.forEach((r, i) => {
              if (st[i].finished) return;
              const rep = r.train(chunk);
              doneEpochs += rep.epoch - st[i].epoch;
              Object.assign(st[i], { epoch: rep.epoch, finished: rep.finished || Boolean(rep.error),
                stoppedEarly: rep.stopped_early, error: rep.error ?? null });
              if (rep.finished && rep.stopped_early) doneEpochs += (configs[i].epochs ?? 1) - rep.epoch;
            });
            const ms = performance.now() - t0;
            chunk = nextChunk(chunk, ms);
            say({ type: 'kfold-progress', fold, k, done: doneEpochs, total: totalEpochs,
              epochs: st.map((s, config) => ({ config, epoch: s.epoch })) });
            await yieldToEvents();
            if (state.cancelled) return null;
          }
          runs.forEach((r, i) => {
            if (st[i].error) throw new Error(`${labels?.[i] ?? `configuration ${i + 1}`}, fold ${fold + 1}: ${st[i].error}`);
            const ev = r.evaluateValidation();
            const accuracy = ev?.metrics?.accuracy ?? null;
            results[i][fold] = accuracy ?? ev?.loss ?? null;
            say({ type: 'kfold-fold', fold, config: i, label: labels?.[i] ?? null, accuracy, loss: ev?.loss ?? null,
              metrics: ev?.metrics ?? {}, epochs: st[i].epoch, stoppedEarly: st[i].stoppedEarly,
              summary: summaryOf(wasm, results[i]) });
          });
        } finally {
          for (const r of runs) r.free();
        }
      }
      say({ type: 'kfold-done', results, summaries: results.map((r) => summaryOf(wasm, r)) });
      return results;
    } finally {
      held.release();
    }
  }

  return {
    kfold({ job, configs, labels, k }) {
      const id = String(job ?? 'kfold');
      checkJob(configs, Number(k));
      if (jobs.has(id)) jobs.get(id).cancelled = true;
      const state = { cancelled: false };
      jobs.set(id, state);
      run(id, configs, labels, Number(k), state)
        .catch((err) => {
          if (hooks?.isFatal?.(err)) hooks.fatal(err);
          post({ type: 'kfold-error', job: id, run: `kfold:${id}`, message: text(err) });
        })
        .finally(() => { if (jobs.get(id) === state) jobs.delete(id); });
      return { type: 'kfold-started', job: id, k: Number(k), configs: configs.length };
    },
    'kfold-stop'({ job }) {
      const s = jobs.get(String(job ?? 'kfold'));
      if (s) s.cancelled = true;
      return { type: 'kfold-stopped', job: String(job ?? 'kfold') };
    },
  };
}
