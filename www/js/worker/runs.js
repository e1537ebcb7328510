// The worker's runs: a Map id → run, and the datasets they share. One dataset
// copy per (dataset, seed) is shared by every run on it (the train/test split
// depends on the seed) and freed with the last run that uses it.
//
// The wasm facade offers `Data` + `Run` (one copy of the data, runs are views)
// or, in older builds, only `Session` (config + its own data). `openRun` hides
// the difference: every run here has the same methods.
import { loadDatasetFiles } from '../datasets.js';

/** Uniform run over a facade `Run` or a legacy `Session`. */
function wrap(inner, legacy, data) {
  return {
    inner,
    summary: () => inner.summary(),
    dataInfo: () => inner.dataInfo(),
    train: (batches) => inner.train(batches),
    /** {learning_rate?, momentum?} → effective {learning_rate, momentum}. */
    set(patch) {
      if (!legacy) return inner.set(patch);
      if (patch.learning_rate !== undefined) inner.setLearningRate(patch.learning_rate);
      if (patch.momentum !== undefined) inner.setMomentum(patch.momentum);
      return { learning_rate: inner.learningRate(), momentum: inner.momentum() ?? null };
    },
    learningRate: () => inner.learningRate(),
    momentum: () => inner.momentum() ?? null,
    predict: (input) => inner.predict(input),
    samples: (split, indices) => (legacy ? inner : data).samples(split, indices),
    outputShape: () => inner.outputShape(),
    evaluateTest: () => inner.evaluateTest(),
    history: () => inner.history(),
    reset: () => inner.reset(),
    saveModel: () => inner.saveModel(),
    loadModel: (bytes) => inner.loadModel(bytes),
    /** Hex digest of the weights: the facade's FNV-1a when present, else of the model file's weights. */
    weightsHash() {
      if (typeof inner.weightsHash === 'function') return inner.weightsHash();
      return fnv1a(JSON.stringify(JSON.parse(inner.saveModel()).weights));
    },
    free: () => inner.free(),
  };
}

/** FNV-1a 64 over a string's UTF-16 code units, as 16 hex digits (fallback digest only). */
export function fnv1a(text) {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export function createRunTable(wasm, onDatasetProgress) {
  const runs = new Map();          // id → {id, run, dataKey, config, running, ...}
  const datas = new Map();         // `${dataset}|${seed}` → {data, users}
  const modern = typeof wasm.Data === 'function' && typeof wasm.Run === 'function';

  async function dataFor(name, seed) {
    const key = `${name}|${seed}`;
    const files = await loadDatasetFiles(wasm, name, (loaded, total) => onDatasetProgress(name, loaded, total));
    if (!modern) return { key, files };
    let d = datas.get(key);
    if (!d) {
      d = { data: new wasm.Data(name, files, seed), users: 0 };
      datas.set(key, d);
    }
    return { key, data: d.data };
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
      const { key, data, files } = await dataFor(cfg.dataset, cfg.seed ?? 42);
      this.remove(id);
      const run = modern ? wrap(new wasm.Run(configJson, data), false, data) : wrap(new wasm.Session(configJson, files), true);
      if (modern) datas.get(key).users += 1;
      const entry = { id, run, dataKey: key, running: false, started: 0, samples: 0, chunk: 1 };
      runs.set(id, entry);
      return entry;
    },
    remove(id) {
      const e = runs.get(id);
      if (!e) return false;
      runs.delete(id);
      e.running = false;
      e.run.free();
      if (modern) release(e.dataKey);
      return true;
    },
    /** Datasets held (for tests: N runs on one dataset share one copy). */
    dataCount: () => (modern ? datas.size : new Set([...runs.values()].map((e) => e.dataKey)).size),
    modern,
  };
}
