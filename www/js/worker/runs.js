// The worker's runs: a Map id → run over the facade's `Run`, and the datasets
// they share. One facade `Data` per (dataset, seed) — the train/test split
// depends on the seed — is shared by every run on it (the runs hold views, not
// copies) and freed with the last run that uses it.
import { loadDatasetFiles } from '../datasets.js';

/** `uploadData(name, seed)`: a new Data for an uploaded dataset, or null for a bundled one (worker-upload.js). */
export function createRunTable(wasm, onDatasetProgress, uploadData = () => null) {
  const runs = new Map();          // id → {id, run, bytes (its memory, the core's estimate), data, dataKey, running, stepsLeft, started, samples}
  const datas = new Map();         // `${dataset}|${seed}` → {data, users}

  async function dataFor(name, seed) {
    const key = `${name}|${seed}`;
    let d = datas.get(key);
    if (!d) {
      const own = await uploadData(name, seed);
      const files = own ? null : await loadDatasetFiles(wasm, name, (loaded, total) => onDatasetProgress(name, loaded, total));
      d = datas.get(key) ?? { data: own ?? new wasm.Data(name, files, seed), users: 0 };
      datas.set(key, d);
    }
    return { key, d };
  }

  function release(key) {
    const d = datas.get(key);
    if (!d) return;
    d.users -= 1;
    if (d.users <= 0) { d.data.free(); datas.delete(key); }
  }

  return {
    get: (id) => runs.get(id),
    ids: () => [...runs.keys()],
    all: () => [...runs.values()],
    /** Builds (or rebuilds) run `id` from `configJson`; the previous run with that id goes. */
    async open(id, configJson) {
      const cfg = JSON.parse(configJson);
      const { key, d } = await dataFor(cfg.dataset, cfg.seed ?? 42);
      d.users += 1;                       // held while building, so removing the old run keeps it
      this.remove(id);
      let run;
      let bytes;
      try {
        // All runs share one wasm memory: the core says when this one would not fit beside the others.
        bytes = d.data.runBytes(configJson, this.bytes());
        run = new wasm.Run(configJson, d.data);
      } catch (err) {
        release(key);
        throw err;
      }
      const entry = { id, run, bytes, data: d.data, dataKey: key, running: false, stepsLeft: 0, started: 0, samples: 0 };
      runs.set(id, entry);
      return entry;
    },
    remove(id) {
      const e = runs.get(id);
      if (!e) return false;
      runs.delete(id);
      e.running = false;
      e.run.free();
      release(e.dataKey);
      return true;
    },
    /** The memory the runs hold, as the core estimates it (bytes). */
    bytes: () => [...runs.values()].reduce((sum, e) => sum + e.bytes, 0),
    /** Dataset copies held (N runs on one dataset and seed share one). */
    dataCount: () => datas.size,
    /** The shared Data of (name, seed) for work outside the table (k-fold); call `release()` when done. */
    async borrowData(name, seed) {
      const { key, d } = await dataFor(name, seed);
      d.users += 1;
      return { data: d.data, release: () => release(key) };
    },
  };
}
