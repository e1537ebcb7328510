// The app state: ONE serialisable object = the experiment config (exactly the
// core's ExperimentConfig JSON, see crate/src/config/mod.rs) plus UI bits, and
// a tiny observable store. The Keras names and defaults below mirror the core
// (crate/src/optimizers/mod.rs `from_name`, crate/src/layers/config.rs); the
// dataset facts mirror crate/src/data/bundled.rs and are checked against the
// worker's `configure` reply by tests/e2e/playground-data.test.mjs.
// Pure module: no DOM, importable from node for the unit tests.

/** Datasets in the picker, in catalogue order. shape = per-sample input shape. */
export const DATASETS = {
  mnist: { title: 'MNIST digits, small (10,000 train / 2,000 test)', group: 'Images', shape: [28, 28, 1], classes: 10 },
  'mnist-full': { title: 'MNIST digits, full (60,000 train / 10,000 test, 11 MB)', group: 'Images', shape: [28, 28, 1], classes: 10 },
  digits: { title: 'sklearn digits (1,797 images of 8×8)', group: 'Images', shape: [8, 8, 1], classes: 10 },
  iris: { title: 'Iris flowers (150 samples, 4 features)', group: 'Tables', shape: [4], classes: 3 },
  diabetes: { title: 'Diabetes progression (442 patients, regression)', group: 'Tables', shape: [10], classes: null },
  or: { title: 'Logical OR (4 samples)', group: 'Toy 2-D', shape: [2], classes: 2 },
  and: { title: 'Logical AND (4 samples)', group: 'Toy 2-D', shape: [2], classes: 2 },
  xor: { title: 'Logical XOR (4 samples)', group: 'Toy 2-D', shape: [2], classes: 2 },
  circles: { title: 'Two circles (2 classes)', group: 'Toy 2-D', shape: [2], classes: 2 },
  moons: { title: 'Two moons (2 classes)', group: 'Toy 2-D', shape: [2], classes: 2 },
  spirals: { title: 'Spirals (3 classes)', group: 'Toy 2-D', shape: [2], classes: 3 },
  gaussians: { title: 'Gaussian blobs (3 classes)', group: 'Toy 2-D', shape: [2], classes: 3 },
};

export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'elu', 'sigmoid', 'tanh', 'softmax', 'step'];
export const INITIALIZERS = ['glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_normal',
  'random_uniform', 'random_normal', 'zeros', 'ones'];
export const LAYER_KINDS = ['Dense', 'Dropout', 'Flatten', 'Activation', 'Softmax'];
export const METRICS = ['accuracy', 'mae', 'mse'];

/** Losses: which task they suit and which options they take. */
export const LOSSES = {
  categorical_crossentropy: { task: 'classification', options: ['from_logits', 'label_smoothing'] },
  sparse_categorical_crossentropy: { task: 'classification', options: ['from_logits'] },
  binary_crossentropy: { task: 'classification', options: ['from_logits', 'label_smoothing'] },
  hinge: { task: 'classification', options: [] },
  categorical_hinge: { task: 'classification', options: [] },
  kl_divergence: { task: 'classification', options: [] },
  mean_squared_error: { task: 'regression', options: [] },
  mean_absolute_error: { task: 'regression', options: [] },
  huber: { task: 'regression', options: ['delta'] },
};
export const LOSS_DEFAULTS = { from_logits: false, label_smoothing: 0, delta: 1 };

/** Keras 3 defaults of each optimizer's hyper-parameters, in Keras' order. */
export const OPTIMIZERS = {
  sgd: { learning_rate: 0.01, momentum: 0, nesterov: false },
  adam: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false },
  rmsprop: { learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
  adagrad: { learning_rate: 0.001, initial_accumulator_value: 0.1, epsilon: 1e-7 },
  nadam: { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
};
const CLIP_FIELDS = ['clipnorm', 'clipvalue', 'global_clipnorm'];

/** The optimizer field that `set {momentum}` changes live (core: OptimizerConfig::momentum). */
export function momentumField(name) {
  return { sgd: 'momentum', rmsprop: 'momentum', adam: 'beta_1', nadam: 'beta_1' }[name] ?? null;
}

export const DENSE_DEFAULTS = { activation: 'linear', use_bias: true, kernel_initializer: 'glorot_uniform', bias_initializer: 'zeros' };

/** First visit: MNIST subset, Flatten → Dense 128 relu → Dense 10 softmax, CE, Adam, batch 32, 5 epochs. */
export const DEFAULT_CONFIG = Object.freeze({
  dataset: 'mnist',
  layers: [
    { type: 'Flatten' },
    { type: 'Dense', units: 128, ...DENSE_DEFAULTS, activation: 'relu' },
    { type: 'Dense', units: 10, ...DENSE_DEFAULTS, activation: 'softmax' },
  ],
  loss: 'categorical_crossentropy',
  optimizer: { name: 'adam', ...OPTIMIZERS.adam },
  metrics: ['accuracy'],
  batch_size: 32,
  epochs: 5,
  validation_split: 0.1,
  shuffle: true,
  seed: 42,
});

export const clone = (v) => JSON.parse(JSON.stringify(v));
export const defaultConfig = () => clone(DEFAULT_CONFIG);
export const taskOf = (dataset) => (DATASETS[dataset]?.classes === null ? 'regression' : 'classification');
export const isImage = (dataset) => DATASETS[dataset]?.shape.length === 3;
export const isMnist = (dataset) => dataset === 'mnist' || dataset === 'mnist-full';

const fail = (msg) => { throw new Error(msg); };
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
function num(v, what) {
  if (typeof v === 'string' && v.trim() !== '') v = Number(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what} must be a number (got ${JSON.stringify(v)})`);
  return v;
}
function bool(v, what) {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (typeof v !== 'boolean') fail(`${what} must be true or false (got ${JSON.stringify(v)})`);
  return v;
}
function str(v, what) {
  if (typeof v !== 'string' || v === '') fail(`${what} must be a name (got ${JSON.stringify(v)})`);
  return v;
}
function noExtra(obj, allowed, what) {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length) fail(`${what}: unknown field "${extra[0]}" (known: ${allowed.join(', ')})`);
}

/** One layer config, Keras defaults filled in. Structure errors throw; values are checked by the core. */
export function normalizeLayer(l, i = 0) {
  const at = `layer ${i + 1}`;
  if (!isObj(l)) fail(`${at} must be an object like {"type": "Dense", "units": 10}`);
  const type = str(l.type, `${at} type`);
  switch (type) {
    case 'Dense': {
      noExtra(l, ['type', 'units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'], at);
      const d = { ...DENSE_DEFAULTS, ...Object.fromEntries(Object.entries(l).filter(([, v]) => v !== null)) };
      return { type, units: num(d.units, `${at} units`), activation: str(d.activation, `${at} activation`),
        use_bias: bool(d.use_bias, `${at} use_bias`), kernel_initializer: str(d.kernel_initializer, `${at} kernel_initializer`),
        bias_initializer: str(d.bias_initializer, `${at} bias_initializer`) };
    }
    case 'Dropout': noExtra(l, ['type', 'rate'], at); return { type, rate: num(l.rate, `${at} rate`) };
    case 'Activation': noExtra(l, ['type', 'activation'], at); return { type, activation: str(l.activation, `${at} activation`) };
    case 'Flatten': case 'Softmax': noExtra(l, ['type'], at); return { type };
    default: return fail(`${at}: unknown layer type "${type}" (use ${LAYER_KINDS.join(', ')})`);
  }
}

/** A loss as the plain name (all options default) or {name, options…}. */
export function normalizeLoss(loss) {
  if (typeof loss === 'string') return str(loss, 'loss');
  if (!isObj(loss)) fail('loss must be a name like "categorical_crossentropy"');
  const name = str(loss.name, 'loss name');
  noExtra(loss, ['name', ...Object.keys(LOSS_DEFAULTS)], 'loss');
  const out = { name };
  for (const [k, d] of Object.entries(LOSS_DEFAULTS)) {
    if (loss[k] === undefined || loss[k] === null) continue;
    const v = typeof d === 'boolean' ? bool(loss[k], `loss ${k}`) : num(loss[k], `loss ${k}`);
    if (v !== d) out[k] = v;
  }
  return Object.keys(out).length === 1 ? name : out;
}
export const lossName = (loss) => (typeof loss === 'string' ? loss : loss.name);
export const lossOption = (loss, k) => (typeof loss === 'string' ? LOSS_DEFAULTS[k] : loss[k] ?? LOSS_DEFAULTS[k]);

/** {name, every hyper-parameter of that optimizer (Keras defaults), clip fields if set}. */
export function normalizeOptimizer(opt) {
  if (typeof opt === 'string') opt = { name: opt };
  if (!isObj(opt)) fail('optimizer must be like {"name": "adam", "learning_rate": 0.001}');
  const name = str(opt.name, 'optimizer name').toLowerCase();
  const defaults = OPTIMIZERS[name] ?? fail(`unknown optimizer "${opt.name}" (use ${Object.keys(OPTIMIZERS).join(', ')})`);
  noExtra(opt, ['name', ...Object.keys(defaults), ...CLIP_FIELDS], `optimizer ${name}`);
  const out = { name };
  for (const [k, d] of Object.entries(defaults)) {
    const v = opt[k] ?? d;
    out[k] = typeof d === 'boolean' ? bool(v, `optimizer ${k}`) : num(v, `optimizer ${k}`);
  }
  for (const k of CLIP_FIELDS) if (opt[k] !== undefined && opt[k] !== null) out[k] = num(opt[k], `optimizer ${k}`);
  return out;
}

const TOP = ['dataset', 'layers', 'loss', 'optimizer', 'metrics', 'label_encoding', 'batch_size', 'epochs',
  'validation_split', 'shuffle', 'seed', 'early_stopping', 'lr_schedule'];

/**
 * Any ExperimentConfig JSON (from a link, a model file, IndexedDB) → the app's
 * full form with Keras defaults filled in. Throws an Error saying what is wrong
 * with the structure; value ranges and compatibility are the core's `inspect`.
 */
export function normalizeConfig(raw) {
  if (!isObj(raw)) fail('the experiment must be a JSON object');
  noExtra(raw, TOP, 'experiment');
  const dataset = str(raw.dataset, 'dataset');
  if (!Array.isArray(raw.layers)) fail('layers must be a list of layers');
  const c = {
    dataset,
    layers: raw.layers.map(normalizeLayer),
    loss: normalizeLoss(raw.loss ?? fail('the loss is missing')),
    optimizer: normalizeOptimizer(raw.optimizer ?? fail('the optimizer is missing')),
    metrics: raw.metrics === undefined || raw.metrics === null || raw.metrics.length === 0
      ? (taskOf(dataset) === 'regression' ? ['mae'] : ['accuracy'])
      : (Array.isArray(raw.metrics) ? raw.metrics.map((m) => str(m, 'metric')) : fail('metrics must be a list')),
    batch_size: num(raw.batch_size ?? 32, 'batch_size'),
    epochs: num(raw.epochs ?? 1, 'epochs'),
    validation_split: num(raw.validation_split ?? 0, 'validation_split'),
    shuffle: bool(raw.shuffle ?? true, 'shuffle'),
    seed: num(raw.seed ?? 42, 'seed'),
  };
  if (raw.label_encoding) c.label_encoding = str(raw.label_encoding, 'label_encoding');
  if (raw.early_stopping) c.early_stopping = isObj(raw.early_stopping) ? clone(raw.early_stopping) : fail('early_stopping must be an object');
  if (raw.lr_schedule) c.lr_schedule = isObj(raw.lr_schedule) ? clone(raw.lr_schedule) : fail('lr_schedule must be an object');
  return c;
}

/** Canonical JSON (sorted keys): equal configs give equal keys. */
export function configKey(v) {
  if (Array.isArray(v)) return `[${v.map(configKey).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${configKey(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** True when a and b differ only in what the worker can change live (learning rate, momentum). */
export function onlyLiveChange(a, b) {
  if (!a || !b || a.optimizer.name !== b.optimizer.name) return false;
  const strip = (c) => {
    const o = { ...c.optimizer };
    delete o.learning_rate;
    const m = momentumField(o.name);
    if (m) delete o[m];
    return configKey({ ...c, optimizer: o });
  };
  return strip(a) === strip(b);
}

/**
 * The config moved to dataset `name`, with the input and output adapted:
 * Flatten first for images; the last Dense layer sized to the classes (or
 * target values) with a fitting activation, loss and metric. Returns
 * {config, notes[]} where notes say what changed, in words.
 */
export function adaptToDataset(config, name) {
  const c = clone(config);
  const notes = [];
  const facts = DATASETS[name];
  c.dataset = name;
  if (!facts) return { config: c, notes };
  const regression = facts.classes === null;
  if (facts.shape.length > 1 && c.layers[0]?.type !== 'Flatten') {
    c.layers.unshift({ type: 'Flatten' });
    notes.push('added a Flatten layer first (images must be flattened for Dense)');
  }
  const last = c.layers.findLastIndex((l) => l.type === 'Dense');
  const out = last >= 0 ? c.layers[last] : null;
  const loss = lossName(c.loss);
  if (regression) {
    if (LOSSES[loss]?.task !== 'regression') { c.loss = 'mean_squared_error'; notes.push(`loss ${loss} → mean_squared_error`); }
    if (out && out.units !== 1) { notes.push(`last Dense units ${out.units} → 1`); out.units = 1; }
    if (out && out.activation !== 'linear') { notes.push(`last Dense activation ${out.activation} → linear`); out.activation = 'linear'; }
    if (c.layers.at(-1)?.type === 'Softmax') { c.layers.pop(); notes.push('removed the final Softmax layer'); }
    if (c.metrics.includes('accuracy')) { c.metrics = ['mae']; notes.push('metric accuracy → mae'); }
    return { config: c, notes };
  }
  const k = facts.classes;
  const binaryOut = out && out.units === 1 && out.activation === 'sigmoid' && loss === 'binary_crossentropy';
  if (LOSSES[loss]?.task !== 'classification') { c.loss = 'categorical_crossentropy'; notes.push(`loss ${loss} → categorical_crossentropy`); }
  if (out && !(k === 2 && binaryOut)) {
    if (out.units !== k) { notes.push(`last Dense units ${out.units} → ${k}`); out.units = k; }
    if (out.activation !== 'softmax' && c.layers.at(-1)?.type !== 'Softmax') {
      notes.push(`last Dense activation ${out.activation} → softmax`);
      out.activation = 'softmax';
    }
    if (lossName(c.loss) === 'binary_crossentropy') { c.loss = 'categorical_crossentropy'; notes.push('loss binary_crossentropy → categorical_crossentropy'); }
  }
  if (!c.metrics.includes('accuracy')) { c.metrics = ['accuracy']; notes.push('metric → accuracy'); }
  return { config: c, notes };
}

/** A minimal observable store: get(), set(patch | state => patch), subscribe(fn(state, changed)). */
export function createStore(initial) {
  let state = { ...initial };
  const subs = new Set();
  return {
    get: () => state,
    set(patch) {
      const p = typeof patch === 'function' ? patch(state) : patch;
      if (!p) return;
      const changed = Object.keys(p).filter((k) => state[k] !== p[k]);
      if (!changed.length) return;
      state = { ...state, ...p };
      for (const fn of subs) fn(state, new Set(changed));
    },
    subscribe(fn) { subs.add(fn); return () => subs.delete(fn); },
  };
}
