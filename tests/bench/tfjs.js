// TF.js side of the browser benchmark: tf.layers models equivalent to
// kernels::bench_models (same layers, activations, losses, Adam defaults,
// accuracy metric, batch sizes), trained with trainOnBatch on random
// MNIST-shaped data.
/* global tf */
import { rateAsync, repeat } from './common.js';
import { CNN_BATCH, buildCnn, checkShim, missingKernels, registerConvShim } from './tfjs-cnn.js';

const q = new URLSearchParams(location.search);
const opt = {
  threads: Number(q.get('threads') ?? 2),
  models: (q.get('models') ?? 'mlp-small,seed-mlp,dmlp,cnn').split(',').filter(Boolean),
  runs: Number(q.get('runs') ?? 3),
  minMs: Number(q.get('minMs') ?? 1000),
};
const log = (msg) => { document.getElementById('log').textContent += '\n' + msg; };

const MODELS = {
  'mlp-small': { batch: 128, layers: [[128, 'relu'], [10, 'softmax']], loss: 'categoricalCrossentropy' },
  'seed-mlp': { batch: 128, layers: [[1024, 'tanh'], [10, 'tanh']], loss: 'meanSquaredError' },
  dmlp: { batch: 256, layers: [[1024, 'relu'], [512, 'relu'], [512, 'relu'], [512, 'relu'], [10, 'softmax']],
    loss: 'categoricalCrossentropy' },
  cnn: { batch: CNN_BATCH, build: buildCnn },   // the reference CNN (tfjs-cnn.js)
};

function build(spec) {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  for (const [units, activation] of spec.layers) model.add(tf.layers.dense({ units, activation }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: spec.loss, metrics: ['accuracy'] });
  return model;
}

async function main() {
  tf.wasm.setWasmPaths(new URL('node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.href).href);
  tf.wasm.setThreadsCount(opt.threads);
  await tf.setBackend('wasm');
  await tf.ready();
  const out = {
    backend: tf.getBackend(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    threads: (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) ? opt.threads : 1,
    isolated: self.crossOriginIsolated,
    version: tf.version.tfjs,
  };
  log(`tfjs ${out.version} ${out.backend} simd=${out.simd} threads=${out.threads}`);
  if (opt.models.includes('cnn')) {
    // The wasm backend cannot train a Conv2D without this shim (tfjs-cnn.js); checked against the CPU backend.
    const missing = missingKernels();
    const registered = registerConvShim();
    out.shim = { missing, registered, maxDiff: registered.length ? await checkShim() : null };
    log(`missing on wasm: ${missing.join(', ') || 'none'}; shim: ${registered.join(', ') || 'none'}`);
  }

  // One matmul for reference (not a training shape): 512 x 512 x 512.
  const a = tf.randomUniform([512, 512]);
  const b = tf.randomUniform([512, 512]);
  const mm = async () => { const c = tf.matMul(a, b); await c.data(); c.dispose(); return 2 * 512 ** 3; };
  for (let i = 0; i < 3; i++) await mm();
  out.matmul512 = await repeat(opt.runs, async () => (await rateAsync(300, mm)) / 1e9);

  out.models = [];
  for (const name of opt.models) {
    const spec = MODELS[name];
    const model = spec.build ? spec.build() : build(spec);
    const x = tf.randomUniform([spec.batch, 28, 28, 1]);
    const y = tf.oneHot(tf.randomUniform([spec.batch], 0, 10, 'int32'), 10);
    const step = async () => { await model.trainOnBatch(x, y); return spec.batch; };
    for (let i = 0; i < 2; i++) await step();
    const r = await repeat(opt.runs, () => rateAsync(opt.minMs, step));
    out.models.push({ name, batch: spec.batch, ...r });
    log(`${name} ${r.median.toFixed(0)} samples/s`);
    tf.dispose([x, y]);
    model.dispose();
  }
  window.benchResult = { ok: true, result: out };
}

main().catch((e) => { window.benchResult = { ok: false, error: String(e?.stack ?? e) }; });
