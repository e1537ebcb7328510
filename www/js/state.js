// The app state: ONE serialisable object = the experiment config (exactly the
// core's ExperimentConfig JSON, see crate/src/config/mod.rs) plus UI bits, and
// a tiny observable store. Every name, default and dataset fact comes from the
// core's schema (schema.js); nothing here is a copy of it.
// Pure module: no DOM, importable from node for the unit tests.
import {
  clippingArgs, datasetFacts, experimentArgs, hasSchema, layerKinds, layerSpec, limits, lossSpec, metricSpecs, momentumArg,
  optimizerArgs, optimizerNames, optimizerSpec,
} from './schema.js';
import { group } from './dom.js';
import { coerce, isObj, readArgs } from './schema-values.js';
import { DEFAULT_DATASET } from './link-dataset.js';

/**
 * First visit: the MNIST subset and a small CNN that shows 95 % test accuracy
 * within its 2 epochs (issue 14.6; 96.1-96.3 % at seeds 1, 2, 3, 7 and 42,
 * `gradlab train` on the same config) and about 5 s after the page opens:
 * Conv2D(12, 5×5, strides 2, relu) → Conv2D(24, 3×3, relu) → MaxPool 2 →
 * Flatten → Dense(10, softmax), 8,938 parameters; Adam lr 0.003, batch 16,
 * validated on the test set each epoch (Keras validation_data=(x_test, y_test)).
 * The course's MLPs are a lesson away (lessons.js).
 */
export function defaultConfig() {
  return normalizeConfig({
    dataset: DEFAULT_DATASET,
    layers: [
      { type: 'Conv2D', filters: 12, kernel_size: 5, strides: 2, activation: 'relu' },
      { type: 'Conv2D', filters: 24, kernel_size: 3, activation: 'relu' },
      { type: 'MaxPooling2D', pool_size: 2 },
      { type: 'Flatten' },
      { type: 'Dense', units: 10, activation: 'softmax' },
    ],
    loss: 'categorical_crossentropy',
    optimizer: { name: 'adam', learning_rate: 0.003 },
    batch_size: 16,
    epochs: 2,
    validation_data: 'test',
    seed: 42,
  });
}

export const clone = (v) => JSON.parse(JSON.stringify(v));
export const taskOf = (dataset) => datasetFacts(dataset)?.task ?? 'classification';
export const isImage = (dataset) => datasetFacts(dataset)?.sample_shape.length === 3;
/** A 28×28×1 set whose classes are the digits 0-9: drawing a digit makes sense. */
export function isDigits(dataset) {
  const f = datasetFacts(dataset);
  return Boolean(f) && f.sample_shape.join('x') === '28x28x1' && (f.class_names ?? []).join('') === '0123456789';
}
/** The live-changeable momentum field of optimizer `name` (schema `momentum_arg`), or null. */
export const momentumField = (name) => (hasSchema() ? momentumArg(name) : null);

/** Whether metric `name` suits `task` (schema metrics[].task: a task, or "any"). */
const suits = (name, task) => ['any', task].includes(metricSpecs().find((s) => s.name === name)?.task);
/**
 * The metric the page tracks by default for a task: the task's own first (accuracy for
 * classification); for regression MAE, the number the course reports (the core itself
 * tracks none), else the first metric that suits any task.
 */
export function metricFor(task) {
  const own = metricSpecs().find((m) => m.task === task);
  if (own) return own.name;
  const any = metricSpecs().filter((m) => m.task === 'any');
  return (any.find((m) => m.name === 'mae') ?? any[0])?.name;
}

const fail = (msg) => { throw new Error(msg); };

/** One layer config by its kind's schema args, Keras defaults filled in. Structure errors throw. */
export function normalizeLayer(l, i = 0) {
  const at = `layer ${i + 1}`;
  if (!isObj(l)) fail(`${at} must be an object like {"type": "Dense", "units": 10}`);
  if (typeof l.type !== 'string' || !l.type) fail(`${at} has no type (use one of ${layerKinds().join(', ')})`);
  const spec = layerSpec(l.type) ?? fail(`${at}: unknown layer type "${l.type}" (use ${layerKinds().join(', ')})`);
  return readArgs(spec.args, l, `${at} (${l.type})`, ['type']);
}

/** The number of layers a config may have (schema limits.max_layers); more is refused before any work. */
export function checkLayerCount(n) {
  const max = limits().max_layers;
  if (max && n > max) fail(`it has ${group(n)} layers; Gradient Lab builds at most ${group(max)}: remove layers`);
}

/** A loss as the plain name (all options default) or {name, options…} (only those that differ). */
export function normalizeLoss(loss) {
  const obj = typeof loss === 'string' ? { name: loss } : loss;
  if (!isObj(obj) || typeof obj.name !== 'string') fail('the loss must be a name like "categorical_crossentropy"');
  const spec = lossSpec(obj.name);
  if (!spec) return clone(loss);   // an alias ("mse") or a mistake: the core's inspect says which
  const full = readArgs(spec.args, obj, `loss ${obj.name}`, ['name']);
  const out = { name: obj.name };
  for (const a of spec.args) if (full[a.name] !== undefined && full[a.name] !== a.default) out[a.name] = full[a.name];
  return Object.keys(out).length === 1 ? obj.name : out;
}
export const lossName = (loss) => (typeof loss === 'string' ? loss : loss.name);
export function lossOption(loss, k) {
  const arg = lossSpec(lossName(loss))?.args.find((a) => a.name === k);
  return (typeof loss === 'string' ? undefined : loss[k]) ?? arg?.default;
}

/** {name, every hyper-parameter of that optimizer (Keras defaults), clip fields if set}. */
export function normalizeOptimizer(opt) {
  if (typeof opt === 'string') opt = { name: opt };
  if (!isObj(opt) || typeof opt.name !== 'string') fail('the optimizer must be like {"name": "adam", "learning_rate": 0.001}');
  const name = opt.name.toLowerCase();
  if (!optimizerSpec(name)) fail(`unknown optimizer "${opt.name}" (use ${optimizerNames().join(', ')})`);
  return { ...readArgs([...optimizerArgs(name), ...clippingArgs()], { ...opt, name }, `optimizer ${name}`, ['name']) };
}

/**
 * Any ExperimentConfig JSON (from a link, a model file, IndexedDB) → the app's
 * full form with Keras defaults filled in, field by field from schema.experiment.
 * Throws an Error saying what is wrong with the structure; value ranges and
 * compatibility are the core's `inspect`.
 */
export function normalizeConfig(raw) {
  if (!isObj(raw)) fail('the experiment must be a JSON object');
  const fields = experimentArgs();
  const unknown = Object.keys(raw).filter((k) => !fields.some((a) => a.name === k));
  if (unknown.length) fail(`the experiment has an unknown field "${unknown[0]}" (known: ${fields.map((a) => a.name).join(', ')})`);
  const c = {};
  for (const a of fields) {
    const v = raw[a.name];
    if ((v === undefined || v === null) && a.required) fail(`the experiment has no ${a.name} (${a.doc})`);
    switch (a.name) {
      case 'dataset':
        if (typeof v !== 'string' || !v) fail('the dataset must be a name like "mnist"');
        c.dataset = v;
        break;
      case 'layers':
        if (!Array.isArray(v)) fail('layers must be a list of layers');
        checkLayerCount(v.length);
        c.layers = v.map(normalizeLayer);
        break;
      case 'loss': c.loss = normalizeLoss(v); break;
      case 'optimizer': c.optimizer = normalizeOptimizer(v); break;
      case 'metrics':
        if (v !== undefined && v !== null && !Array.isArray(v)) fail('metrics must be a list like ["accuracy"]');
        c.metrics = v?.length ? v.map((m) => coerce({ type: 'string' }, m, 'a metric'))
          : [metricFor(taskOf(c.dataset))].filter(Boolean);
        break;
      default: {
        const x = coerce(a, v, a.name);
        if (x !== null) c[a.name] = x;
      }
    }
  }
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

/** `cfg` (a copy) with the live change `patch` ({learning_rate, momentum}, either optional) applied. */
export function withLiveChange(cfg, patch) {
  const c = clone(cfg);
  const m = momentumField(c.optimizer.name);
  if (patch.learning_rate !== undefined) c.optimizer.learning_rate = patch.learning_rate;
  if (patch.momentum !== undefined && m) c.optimizer[m] = patch.momentum;
  return c;
}

/** Below this many training samples every row counts: no validation split by default (issue 15.13). */
export const SMALL_SET = 20;

/** The hidden layer put in when dropping the image layers left a stack with no hidden Dense. */
const HIDDEN_FOR_TABLES = { type: 'Dense', units: 32, activation: 'relu' };

/** A layer whose kind the schema marks `images_only` (Conv2D, pooling). */
const imageOnly = (l) => layerSpec(l.type)?.images_only === true;
/** Whether `config` has a layer that needs images. */
export const hasImageLayers = (config) => config.layers.some(imageOnly);

/**
 * Flat samples (a table, 2-D points) cannot go through layers the schema marks
 * `images_only` (Conv2D, pooling): they are removed, and when no hidden layer
 * with units is left before the output one, a Dense(32, relu) is put before it
 * so the network can still learn a curved boundary. Also for images the
 * convolutions do not fit (`withoutImageLayers`: the core said so, app.js).
 */
function dropImageLayers(c, name, facts, notes) {
  const dropped = c.layers.filter(imageOnly).map((l) => l.type);
  if (!dropped.length) return;
  c.layers = c.layers.filter((l) => !imageOnly(l));
  const why = facts.sample_shape.length === 1 ? `they need images; ${name} samples are ${facts.sample_shape[0]} numbers`
    : `they do not fit the ${facts.sample_shape.slice(0, 2).join('×')} images of ${name}`;
  notes.push(`removed ${dropped.join(', ')} (${why})`);
  const withUnits = c.layers.filter((l) => l.units !== undefined);
  if (withUnits.length === 1) {
    c.layers.splice(c.layers.indexOf(withUnits[0]), 0, clone(HIDDEN_FOR_TABLES));
    notes.push(`added Dense(${HIDDEN_FOR_TABLES.units}, ${HIDDEN_FOR_TABLES.activation}) as a hidden layer`);
  }
}

/**
 * The config moved to dataset `name`, with the input and output adapted:
 * Flatten first when images meet a Dense layer; image-only layers dropped
 * for flat samples (dropImageLayers); the output layer (the last
 * with `units`) sized to the classes (or target values) with a fitting
 * activation, loss and metric; no validation split on tiny sets.
 * `withoutImageLayers`: drop the image-only layers for an image set too. Returns
 * {config, notes[]} where notes say what changed, in words.
 */
export function adaptToDataset(config, name, { withoutImageLayers = false } = {}) {
  const c = clone(config);
  const notes = [];
  const facts = datasetFacts(name);
  c.dataset = name;
  if (!facts) return { config: c, notes };
  const regression = facts.task === 'regression';
  const taskOfLoss = (l) => lossSpec(lossName(l))?.task;
  const flat = (l) => l && (l.units !== undefined);
  if (facts.sample_shape.length > 1 && flat(c.layers[0])) {
    c.layers.unshift({ type: 'Flatten' });
    notes.push('added a Flatten layer first (images must be flattened for Dense)');
  }
  if (facts.sample_shape.length === 1 || withoutImageLayers) dropImageLayers(c, name, facts, notes);
  if (c.validation_data === 'test' && !(facts.test > 0)) {
    c.validation_data = null;
    notes.push(`validation_data test → none (${name} has no test set)`);
  }
  if (facts.train < SMALL_SET && c.validation_split > 0) {
    notes.push(`validation_split ${c.validation_split} → 0 (${name} has only ${facts.train} training samples)`);
    c.validation_split = 0;
  }
  const last = c.layers.findLastIndex(flat);
  const out = last >= 0 ? c.layers[last] : null;
  const kind = out?.type;
  const loss = lossName(c.loss);
  if (regression) {
    if (taskOfLoss(loss) !== 'regression') { c.loss = 'mean_squared_error'; notes.push(`loss ${loss} → mean_squared_error`); }
    if (out && out.units !== 1) { notes.push(`last ${kind} units ${out.units} → 1`); out.units = 1; }
    if (out && out.activation !== 'linear') { notes.push(`last ${kind} activation ${out.activation} → linear`); out.activation = 'linear'; }
    if (c.layers.at(-1)?.type === 'Softmax') { c.layers.pop(); notes.push('removed the final Softmax layer'); }
    const m = metricFor('regression');
    if (m && !c.metrics.some((x) => suits(x, 'regression'))) {
      notes.push(`metric ${c.metrics.join(', ') || 'none'} → ${m}`);
      c.metrics = [m];
    }
    return { config: c, notes };
  }
  const k = facts.num_classes;
  const binaryOut = out && out.units === 1 && out.activation === 'sigmoid' && loss === 'binary_crossentropy';
  if (taskOfLoss(loss) !== 'classification') { c.loss = 'categorical_crossentropy'; notes.push(`loss ${loss} → categorical_crossentropy`); }
  if (out && !(k === 2 && binaryOut)) {
    if (out.units !== k) { notes.push(`last ${kind} units ${out.units} → ${k}`); out.units = k; }
    if (out.activation !== 'softmax' && c.layers.at(-1)?.type !== 'Softmax') {
      notes.push(`last ${kind} activation ${out.activation} → softmax`);
      out.activation = 'softmax';
    }
    if (lossName(c.loss) === 'binary_crossentropy') { c.loss = 'categorical_crossentropy'; notes.push('loss binary_crossentropy → categorical_crossentropy'); }
  }
  const m = metricFor('classification');
  if (m && !c.metrics.some((x) => metricSpecs().find((s) => s.name === x)?.task === 'classification')) {
    c.metrics = [m];
    notes.push(`metric → ${m}`);
  }
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
