// The training worker. It owns the wasm module and every run; the page only
// sends messages. Runs on one dataset (and seed) share one copy of the data
// (worker/runs.js); every run that is running trains round-robin in chunks of
// the same number of batches, so they advance in lock-step, and between rounds
// the worker answers whatever arrived (worker/scheduler.js).
//
// Page → worker: {type, run?, id?, ...}. `run` names the run (default "main");
// `id` asks for a reply carrying the same id.
//   configure {run, config}  build run `run` (replacing it; loads the dataset once) → configured {run, summary, dataset}
//   remove {run}             forget a run                                          → removed {run}
//   run {runs?: [ids]}       train these runs (default: `run`) until finished or paused
//   pause {runs?: [ids]}     halt them after the current batch
//   step {runs?, batches=1}  train `batches` more batches on each, in lock-step (no "running" state)
//   speed {stepsPerSecond}   limit every run's pace (0 / null = as fast as possible) → speed {stepsPerSecond}
//   set {run, learning_rate?, momentum?}  live change from the next batch       → set {run, learning_rate, momentum}
//   predict {run, input: Float32Array}                                          → prediction {run, output, shape}
//   evaluate {run}                                                              → evaluation {run, ...}
//   history {run} / reset {run} / hash {run}                 → history / reset {summary} / hash {hash}: weightsHash()
//   save {run}               the model file (JSON) as a Blob                    → model {file, step}
//   load {run, file}         a model file (Blob / File, or text) into the run    → loaded {summary, step}
//   model-header {file}      an uploaded model file's head (model-header.js)    → model-header {config, step}
//   samples {run, split, indices}    raw samples for previews                   → samples {x, labels, sampleShape}
//   inspect {config}         validate without touching any run                  → inspection {ok, problems[], summary}
//   race-parse {race}        a `?race=` value parsed by the core (config::patch)   → race {runs: [patch…]} (race.js's patch objects)
//   race-apply {config, race}  every run of a `?race=` value applied to config (the core's) → race-configs {configs: [config…]}
//   run-add {config, text, n}  one typed run (run number n, for messages) parsed once and applied to config → run-added {patch, config}
//   stats                    → stats {runs, datasets, memoryBytes}: runs held, dataset copies held (shared by
//                            runs), the wasm memory's size (it only grows: the most the engine has held)
//   ping                     → pong (the page's watchdog, watchdog.js: a worker that stops answering is replaced)
//   upload-preview, upload-use (worker-upload.js: the user's CSV / IDX data), export {config, model?} (worker-export.js)
// Worker → page (about a run, always with `run`): state {run, running}, progress {run, report, samplesPerSec, chunkMs},
//   error {run?, for, message, id?}; and ready {threads, isolated, threaded, build, fused, version, schema} (sent once the wasm is compiled; the thread
//   pool starts meanwhile, the core on one thread until it is up), dataset-progress {name, loaded, total},
//   fatal {message, run}: the wasm module panicked (in `run`'s work) and is unusable — the page replaces this worker.
import { createRunTable } from './worker/runs.js';
import { createScheduler, isFatal } from './worker/scheduler.js';
import { surfaceHandlers } from './worker-surfaces.js';
import { kfoldHandlers } from './worker-kfold.js';
import { inspectUpload, uploadData, uploadHandlers } from './worker-upload.js';
import { exportHandlers } from './worker-export.js';
import { insideHandlers } from './worker-inside.js';
import { weightsHandlers } from './worker-weights.js';
import { createPendingChooser, createThreadChooser } from './worker-threads.js';
import { loadDatasetFiles } from './datasets.js';
import { readModelHeader } from './model-header.js';
import { fusedMultiplyAdd, wasmBuild } from './wasm-build.js';

const MAIN = 'main';
// The wasm build this browser runs (js/wasm-build.js); the page's ?wasm= reaches us in our own URL.
const build = wasmBuild({ isolated: self.crossOriginIsolated, asked: new URL(self.location.href).searchParams.get('wasm') });
// A plain string to import (a template literal in import() would have esbuild bundle every build's glue).
const pkgUrl = `../${build}/gradlab.js`;
let wasm = null;
let table = null;
let memory = null;               // the wasm module's memory
let scheduler = null;
let dead = false;

const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);
const text = (err) => String(err?.message ?? err);

let compiled;
const schemaKnown = new Promise((resolve) => { compiled = resolve; });

async function boot() {
  wasm = await import(pkgUrl);
  const instance = await wasm.default();   // the module's exports (its memory among them)
  compiled();
  const pool = Boolean(self.crossOriginIsolated && wasm.initThreadPool);
  const threads = pool ? navigator.hardwareConcurrency || 2 : wasm.threads();
  table = createRunTable(wasm, (name, loaded, total) => post({ type: 'dataset-progress', name, loaded, total }),
    (name, seed) => uploadData(wasm, name, seed, post));
  // The thread pool starts in the background (~0.3-0.5 s on 2 cores, issue 14.4): meanwhile every
  // kernel runs on this thread (the core's switch; the same bits either way), so the page can
  // configure, and even train, at once. Then the adaptive chooser takes over.
  if (pool) wasm.setParallel(false);
  const chooser = (pool ? wasm.initThreadPool(threads) : Promise.resolve())
    .then(() => createThreadChooser({ threads: wasm.threads(), setParallel: (on) => wasm.setParallel(on) }));
  chooser.catch((err) => post({ type: 'error', for: 'threads', message: `the thread pool did not start (${text(err)}); training stays on one thread` }));
  scheduler = createScheduler(table, post, createPendingChooser(chooser));
  scheduler.onFatal(fatal);
  memory = instance?.memory ?? null;
  const heartbeat = heartbeatOf(memory);
  if (heartbeat) post({ type: 'heartbeat', ...heartbeat });
  post({ type: 'ready', threads, isolated: self.crossOriginIsolated,
    threaded: wasm.threadedBuild(), build, fused: wasm.relaxedSimdBuild?.() ? fusedMultiplyAdd() : false,
    version: wasm.version(), schema: wasm.schema?.() });
}

/**
 * Where the page reads the kernels' heartbeat (watchdog.js): the wasm memory and the counter's
 * byte offset, when that memory is shared (the threaded build); otherwise null.
 */
function heartbeatOf(memory) {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory?.buffer instanceof SharedArrayBuffer;
  return shared ? { buffer: memory.buffer, at: wasm.heartbeatAddress() } : null;
}

/** A Rust panic poisons the module: stop everything and tell the page to start a new worker. */
function fatal(err, run) {
  dead = true;
  scheduler.stopAll();
  post({ type: 'fatal', message: text(err), run });
}

const needRun = (run) => {
  const e = table.get(run);
  if (!e) throw new Error(run === MAIN ? 'no model yet: configure first' : `there is no run "${run}"`);
  return e;
};
const idsOf = (data) => (Array.isArray(data.runs) ? data.runs : [data.run ?? MAIN]);

/** A config as the core reads it: JSON text (the page sends an object or, already, its text). */
const configText = (config) => (typeof config === 'string' ? config : JSON.stringify(config));

const handlers = {
  async configure({ run, config }) {
    scheduler.pause([run]);
    const e = await table.open(run, configText(config));
    return { type: 'configured', summary: e.run.summary(), dataset: e.run.dataInfo() };
  },
  remove({ run }) { scheduler.pause([run]); table.remove(run); return { type: 'removed' }; },
  run(data) { scheduler.start(idsOf(data).filter((id) => table.get(id))); },
  pause(data) { scheduler.pause(idsOf(data)); },
  step(data) {
    const batches = Math.max(1, Math.min(1e6, Math.floor(Number(data.batches) || 1)));
    scheduler.step(idsOf(data).filter((id) => table.get(id)), batches);
  },
  /** How many runs and dataset copies the worker holds (N runs on one dataset and seed share one copy). */
  stats() {
    return { type: 'stats', runs: table.ids().length, datasets: table.dataCount(), memoryBytes: memory?.buffer.byteLength ?? null };
  },
  speed({ stepsPerSecond }) { scheduler.setRate(Number(stepsPerSecond) || 0); return { type: 'speed', stepsPerSecond: scheduler.rate }; },
  set({ run, learning_rate, momentum }) {
    const patch = {};
    if (learning_rate !== undefined) patch.learning_rate = learning_rate;
    if (momentum !== undefined) patch.momentum = momentum;
    const r = needRun(run).run.set(patch);   // atomic: on an error nothing changes
    return { type: 'set', learning_rate: r.learning_rate, momentum: r.momentum ?? null };
  },
  predict({ run, input }) {
    const r = needRun(run).run;
    return { type: 'prediction', output: r.predict(input), shape: r.outputShape() };
  },
  ping() { return { type: 'pong' }; },
  evaluate({ run }) { return { type: 'evaluation', ...needRun(run).run.evaluateTest() }; },
  history({ run }) { return { type: 'history', history: needRun(run).run.history() }; },
  hash({ run }) { return { type: 'hash', hash: needRun(run).run.weightsHash() }; },
  reset({ run }) {
    scheduler.pause([run]);
    const r = needRun(run).run;
    r.reset();
    return { type: 'reset', summary: r.summary() };
  },
  samples({ run, split, indices }) {
    return { type: 'samples', ...needRun(run).data.samples(split, Uint32Array.from(indices)) };
  },
  // Validation and summary from the config and the catalogue's facts alone: no dataset bytes, no weights.
  inspect({ config }) {
    const cfg = configText(config);
    return { type: 'inspection', ...(inspectUpload(wasm, cfg) ?? wasm.inspect(cfg)) };
  },
  // The race link form, parsed by the core (the one parser; an Error carries its message, with the run's number).
  'race-parse'({ race }) { return { type: 'race', ...wasm.parseRace(String(race ?? '')) }; },
  // The runs applied to the experiment by the core (the page patches no config): configs, or the core's message.
  'race-apply'({ config, race }) {
    return { type: 'race-configs', ...JSON.parse(wasm.applyRace(configText(config), String(race ?? ''))) };
  },
  // One run added to a race: one request, the core parses its text once → its patch and its config.
  'run-add'({ config, text, n }) {
    const n1 = Math.max(1, Number(n) || 1);
    return { type: 'run-added', ...JSON.parse(wasm.addRun(configText(config), String(text ?? ''), n1)) };
  },
  // The file as a Blob: the page keeps, stores and downloads it without decoding it (a file can be 256 MB).
  save({ run }) {
    const r = needRun(run).run;
    return { type: 'model', file: new Blob([r.saveModel()], { type: 'application/json' }), step: r.step() };
  },
  // A model file as a Blob (or File) or its text (a record saved before files were Blobs): read and
  // encoded here, off the page's thread.
  async load({ run, file }) {
    scheduler.pause([run]);
    needRun(run);
    const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(file);
    const r = needRun(run).run;                 // the run as it is now (the page serialises builds and loads)
    r.loadModel(bytes);
    return { type: 'loaded', summary: r.summary(), step: r.step() };
  },
  // An uploaded file's head, checked here: JSON.parse of up to 256 MB would hold the page's thread.
  async 'model-header'({ file }) {
    return { type: 'model-header', ...readModelHeader(await file.text()) };
  },
};

Object.assign(handlers, surfaceHandlers(() => wasm)); // surface-* messages, see worker-surfaces.js
Object.assign(handlers, kfoldHandlers(() => wasm, post, { isFatal, fatal: (err) => fatal(err, 'kfold'), table: () => table })); // kfold, see worker-kfold.js
Object.assign(handlers, uploadHandlers(() => wasm, post), exportHandlers(() => wasm)); // upload-*, export: worker-upload.js, worker-export.js
Object.assign(handlers, insideHandlers(needRun)); // inside-* messages, see worker-inside.js
Object.assign(handlers, weightsHandlers(needRun)); // weights, set-weight: see worker-weights.js

/** Resolves when the worker can take messages: null, or why it could not start. */
const booted = boot().then(() => null, (err) => {
  post({ type: 'error', for: 'boot', message: text(err) });
  return err;
});

/**
 * boot.js: the dataset the page's link names, downloaded as soon as the catalogue is known (while the
 * thread pool starts and the page loads); configure then finds it in flight or done.
 */
async function prefetch(dataset) {
  await schemaKnown;
  await loadDatasetFiles(wasm, dataset, (loaded, total) => post({ type: 'dataset-progress', name: dataset, loaded, total }))
    .catch(() => {});   // not a bundled name, or offline: configure says so
}

self.onmessage = async ({ data }) => {
  if (data.type === 'prefetch') { prefetch(data.dataset); return; }
  const bootError = await booted;
  const msg = { ...data, run: data.run ?? MAIN };
  const handler = handlers[msg.type];
  try {
    if (bootError) throw new Error(`the training engine could not start: ${text(bootError)}`);
    if (dead) throw new Error('the training engine stopped after an internal error; the page restarts it');
    if (!handler) throw new Error(`unknown message type "${msg.type}"`);
    const reply = await handler(msg);
    if (reply) post({ ...reply, run: msg.run, id: msg.id });
  } catch (err) {
    if (!dead && isFatal(err)) fatal(err, msg.run);
    post({ type: 'error', for: msg.type, run: msg.run, id: msg.id, message: text(err) });
  }
};
