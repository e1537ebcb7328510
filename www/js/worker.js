// The training worker. It owns the wasm module and the one training session;
// the page only sends messages. Training runs in chunks of batches sized to
// about CHUNK_MS, and between chunks the worker handles whatever arrived
// (pause, predict, learning-rate changes...), so Stop and predictions answer
// within a chunk even at full speed.
//
// Page → worker: {type, id?, ...}
//   configure {config}      build a session (loads the dataset first)   → configured {summary, dataset}
//   run / pause / step      train until done or paused / stop / one batch
//   set {learning_rate?, momentum?}                                    → set {learning_rate, momentum}
//   predict {input: Float32Array (one or more samples)}                → prediction {output, shape}
//   evaluate                                                            → evaluation {...}
//   reset                   fresh weights from the same seed            → reset {summary}
//   save / load {bytes}     model file (JSON)                          → model {json} / loaded {summary}
//   samples {split: 'train'|'test', indices}  raw samples for previews  → samples {x: Float32Array|Uint8Array, labels, sampleShape}
//   inspect {config}        validate a config against its dataset and summarise it, without
//                           touching the running session                → inspection {ok, problems[], summary}
// Worker → page: ready {threads, isolated, threaded, version}, progress {report, ...},
//   state {running}, dataset-progress {name, loaded, total}, error {message, for}
import { loadDatasetFiles } from './datasets.js';
import { thinBatches } from './batchlog.js';
import { SURFACE_TYPES, surfaceHandlers } from './worker-surfaces.js';

const CHUNK_MS = 40;
const pkgUrl = self.crossOriginIsolated ? '../pkg-threads/gradlab.js' : '../pkg-st/gradlab.js';
let wasm = null;
let session = null;
let running = false;
let chunk = 1;
let started = 0;       // ms, for samples/s of the current run
let samplesInRun = 0;

const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);
const yieldToEvents = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = resolve;
  ch.port2.postMessage(0);
});

async function boot() {
  wasm = await import(pkgUrl);
  await wasm.default();
  if (self.crossOriginIsolated && wasm.initThreadPool) {
    await wasm.initThreadPool(navigator.hardwareConcurrency || 2);
  }
  post({ type: 'ready', threads: wasm.threads(), isolated: self.crossOriginIsolated,
    threaded: wasm.threadedBuild(), version: wasm.version() });
}

function setRunning(on) {
  if (running === on) return;
  running = on;
  post({ type: 'state', running });
}

function progress(report, ms) {
  const now = performance.now();
  report.batches = thinBatches(report.batches);
  post({ type: 'progress', report, chunkMs: ms,
    samplesPerSec: samplesInRun / Math.max(1e-3, (now - started) / 1000) });
}

async function runLoop() {
  started = performance.now();
  samplesInRun = 0;
  setRunning(true);
  while (running && session) {
    const t0 = performance.now();
    let report;
    try {
      report = session.train(chunk);
    } catch (err) {
      setRunning(false);
      post({ type: 'error', for: 'run', message: String(err.message ?? err) });
      break;
    }
    const ms = performance.now() - t0;
    samplesInRun += report.samples;
    // Aim each chunk at CHUNK_MS so messages are answered promptly.
    chunk = Math.max(1, Math.min(4096, Math.round(chunk * Math.min(4, Math.max(0.25, CHUNK_MS / Math.max(ms, 0.1))))));
    progress(report, ms);
    if (report.finished) setRunning(false);
    await yieldToEvents();
  }
}

const handlers = {
  async configure({ config }) {
    setRunning(false);
    session?.free();
    session = null;
    const cfg = typeof config === 'string' ? config : JSON.stringify(config);
    const name = JSON.parse(cfg).dataset;
    const files = await loadDatasetFiles(wasm, name, (loaded, total) =>
      post({ type: 'dataset-progress', name, loaded, total }));
    session = new wasm.Session(cfg, files);
    chunk = 1;
    return { type: 'configured', summary: session.summary(), dataset: session.dataInfo() };
  },
  run() { if (session && !running) runLoop(); },
  pause() { setRunning(false); },
  step() {
    if (!session || running) return null;
    const t0 = performance.now();
    started = t0; samplesInRun = 0;
    const report = session.train(1);
    samplesInRun = report.samples;
    progress(report, performance.now() - t0);
    return null;
  },
  set({ learning_rate, momentum }) {
    if (learning_rate !== undefined) session.setLearningRate(learning_rate);
    if (momentum !== undefined) session.setMomentum(momentum);
    return { type: 'set', learning_rate: session.learningRate(), momentum: session.momentum() };
  },
  predict({ input }) {
    const output = session.predict(input);
    return { type: 'prediction', output, shape: session.outputShape() };
  },
  evaluate() { return { type: 'evaluation', ...session.evaluateTest() }; },
  history() { return { type: 'history', history: session.history() }; },
  reset() { setRunning(false); session.reset(); return { type: 'reset', summary: session.summary() }; },
  samples({ split, indices }) { return { type: 'samples', ...session.samples(split, Uint32Array.from(indices)) }; },
  async inspect({ config }) {
    const cfg = typeof config === 'string' ? config : JSON.stringify(config);
    let name;
    try { name = JSON.parse(cfg).dataset; } catch (err) { return { type: 'inspection', ok: false, problems: [`the config is not valid JSON: ${err.message}`] }; }
    const files = await loadDatasetFiles(wasm, name, (loaded, total) =>
      post({ type: 'dataset-progress', name, loaded, total }));
    return { type: 'inspection', ...wasm.inspect(cfg, files) };
  },
  save() { return { type: 'model', json: session.saveModel() }; },
  load({ bytes }) { setRunning(false); session.loadModel(bytes); return { type: 'loaded', summary: session.summary() }; },
};

Object.assign(handlers, surfaceHandlers(() => wasm));   // surface-* messages, see worker-surfaces.js

const booted = boot().catch((err) => post({ type: 'error', for: 'boot', message: String(err.message ?? err) }));

self.onmessage = async ({ data }) => {
  await booted;
  const handler = handlers[data.type];
  try {
    if (!handler) throw new Error(`unknown message type "${data.type}"`);
    if (!session && !['configure', 'inspect', ...SURFACE_TYPES].includes(data.type)) throw new Error('no model yet: configure first');
    const reply = await handler(data);
    if (reply) post({ ...reply, id: data.id });
  } catch (err) {
    post({ type: 'error', for: data.type, id: data.id, message: String(err.message ?? err) });
  }
};
