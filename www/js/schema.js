// The core's schema (contracts §3, wasm `schema()`): what layer kinds exist
// and which Keras arguments they take (type, default, range), the activations,
// initializers, losses, optimizers, metrics, datasets with their facts, the
// experiment's top-level fields and the limits. The page learns all of it
// from here and copies none of it: a layer kind added in Rust appears in the
// editor, the link format and the pickers without a JS change.
// Pure module (no DOM): app.js calls useSchema() once the worker has sent the
// schema; the unit tests call it with tests/unit/fixtures/schema.json.

import { shortF32 } from './schema-values.js';

let current = null;

const fail = (msg) => { throw new Error(msg); };
const byName = (list, key = 'name') => new Map((list ?? []).map((x) => [x[key], x]));

/**
 * The core's float defaults are f32 widened to f64 (beta_1 0.8999999761581421):
 * shown, compared and written in links as the short decimal they came from (0.9).
 */
function shortDefaults(node) {
  if (Array.isArray(node)) { node.forEach(shortDefaults); return; }
  if (!node || typeof node !== 'object') return;
  if (node.type === 'float' && typeof node.default === 'number' && 'required' in node) node.default = shortF32(node.default);
  Object.values(node).forEach(shortDefaults);
}

/** Installs the schema every other function reads. Returns it. */
export function useSchema(schema) {
  if (!schema || typeof schema !== 'object' || !Array.isArray(schema.layers) || !Array.isArray(schema.experiment)) {
    fail('the training engine sent no usable schema (layers and experiment fields are missing)');
  }
  shortDefaults(schema);
  current = {
    raw: schema,
    layers: byName(schema.layers, 'kind'),
    activations: byName(schema.activations),
    initializers: byName(schema.initializers),
    regularizers: byName(schema.regularizers),
    losses: byName(schema.losses),
    optimizers: byName(schema.optimizers),
    metrics: byName(schema.metrics),
    datasets: byName(schema.datasets),
    schedules: byName(schema.schedules),
    experiment: byName(schema.experiment),
  };
  return schema;
}

function S() {
  return current ?? fail('the schema has not been loaded yet');
}

/** The raw schema object. */
export const schema = () => S().raw;
export const hasSchema = () => current !== null;

/** Names of one of the schema's lists: 'activations', 'initializers', 'losses', 'optimizers', 'metrics', 'datasets'. */
export function namesOf(list) {
  const m = S()[list];
  return m ? [...m.keys()] : [];
}

/** The values an enum-like argument may take: its own `choices`, or the names of `choices_from`. */
export const choices = (arg) => arg.choices ?? (arg.choices_from ? namesOf(arg.choices_from) : []);

/** {name: default} for the arguments whose default is not null. */
export function argDefaults(args) {
  return Object.fromEntries((args ?? []).filter((a) => a.default !== null && a.default !== undefined)
    .map((a) => [a.name, a.default]));
}

// ---- layers ----
export const layerKinds = () => [...S().layers.keys()];
export const layerSpec = (kind) => S().layers.get(kind) ?? null;

/**
 * A value for an argument that has no default, for a freshly added layer:
 * 64 (ints), 0.2 (floats), 3×3 (int lists), the first choice (enums), kept inside the argument's range.
 */
function starter(arg) {
  const clamp = (v) => Math.min(arg.max ?? Infinity, Math.max(arg.min ?? -Infinity, v));
  switch (arg.type) {
    case 'int': return clamp(64);
    case 'float': return clamp(0.2);
    case 'bool': return false;
    case 'int_list': return [3, 3];
    case 'enum': return choices(arg)[0] ?? '';
    case 'string': return '';
    default: return null;
  }
}

/**
 * What "Add layer" inserts: every argument at its Keras default, required ones
 * at a starter value — except the activation, relu for a new hidden layer (as
 * the course builds them) where the kind offers it.
 */
export function newLayer(kind) {
  const spec = layerSpec(kind) ?? fail(`unknown layer type "${kind}"`);
  const l = { type: kind };
  for (const a of spec.args) {
    const relu = a.choices_from === 'activations' && choices(a).includes('relu') ? 'relu' : null;
    const v = relu ?? a.default ?? (a.required ? starter(a) : null);
    if (v !== null) l[a.name] = v;
  }
  return l;
}

/** Every argument at its default, required ones at a starter value (a new callback or schedule). */
export function startArgs(args) {
  return Object.fromEntries((args ?? []).map((a) => [a.name, a.default ?? (a.required ? starter(a) : null)])
    .filter(([, v]) => v !== null));
}

// ---- datasets ----
export const datasetFacts = (name) => S().datasets.get(name) ?? null;
export const datasetNames = () => namesOf('datasets');
/** Adds an uploaded dataset's facts (worker-upload.js, same fields as the schema's datasets) for this page's life. */
export function registerDataset(facts) { S().datasets.set(facts.name, facts); }

// ---- losses, optimizers, metrics ----
export const lossSpec = (name) => S().losses.get(name) ?? null;
export const optimizerSpec = (name) => S().optimizers.get(name) ?? null;
/** An optimizer's args with learning_rate first (Keras' signatures start with it; links and the form read so). */
export const optimizerArgs = (name) => {
  const args = optimizerSpec(name)?.args ?? [];
  return [...args.filter((a) => a.name === 'learning_rate'), ...args.filter((a) => a.name !== 'learning_rate')];
};
export const optimizerNames = () => namesOf('optimizers');
/** Keras' defaults of an optimizer's hyper-parameters, in Keras' order. */
export const optimizerDefaults = (name) => argDefaults(optimizerSpec(name)?.args);
/** The hyper-parameter that `set {momentum}` changes live, or null. */
export const momentumArg = (name) => optimizerSpec(name)?.momentum_arg ?? null;
export const clippingArgs = () => S().raw.clipping ?? [];
export const metricSpecs = () => S().raw.metrics ?? [];

// ---- the experiment ----
/** The experiment's top-level fields, in order. */
export const experimentArgs = () => S().raw.experiment;
export const experimentArg = (name) => S().experiment.get(name) ?? null;
export const limits = () => S().raw.limits ?? {};
