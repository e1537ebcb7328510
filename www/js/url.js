// The experiment in the URL hash, readable like Keras code:
//   #v=1&dataset=mnist&layers=Flatten;Dense(128,relu);Dense(10,softmax)
//    &loss=categorical_crossentropy&optimizer=adam(learning_rate=0.001)
//    &batch_size=32&epochs=5&validation_split=0.1&seed=42
// Each layer is Kind(positional…, keyword=value…) with its arguments in the
// schema's (= Keras' signature) order; the fields, kinds and defaults all come
// from the core's schema (schema.js). Optimizer and loss list only the options
// that differ from Keras' defaults (learning_rate always).
// Also accepted: #config=<ExperimentConfig JSON>. Pure module (node-testable).
import { checkLayerCount, normalizeConfig } from './state.js';
import { datasetFacts, datasetNames, experimentArgs, layerKinds, layerSpec, optimizerSpec } from './schema.js';
import { litText } from './schema-values.js';

export const URL_VERSION = 1;

const call = (name, args) => (args.length ? `${name}(${args.join(',')})` : name);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A layer as Keras code: the leading arguments (schema order) positionally
 * while they are required or changed and not booleans — Dense(128,relu),
 * Dropout(0.2), Conv2D(32,(3,3)) — then the other changed ones as key=value.
 */
function layerText(l) {
  const args = layerSpec(l.type)?.args ?? [];
  const pos = [];
  let i = 0;
  for (; i < args.length; i += 1) {
    const a = args[i];
    if (a.type === 'bool' || l[a.name] === undefined || (!a.required && same(l[a.name], a.default))) break;
    pos.push(litText(l[a.name]));
  }
  const kw = args.slice(i).filter((a) => l[a.name] !== undefined && !same(l[a.name], a.default))
    .map((a) => `${a.name}=${litText(l[a.name])}`);
  return call(l.type, [...pos, ...kw]);
}

/** The loss is normalised to its changed options only. */
function lossText(loss) {
  if (typeof loss === 'string') return loss;
  return call(loss.name, Object.keys(loss).filter((k) => k !== 'name').map((k) => `${k}=${litText(loss[k])}`));
}

function optimizerText(o) {
  const args = optimizerSpec(o.name)?.args ?? [];
  const d = Object.fromEntries(args.map((a) => [a.name, a.default]));
  const kw = Object.keys(o).filter((k) => k !== 'name' && (k === 'learning_rate' || !same(o[k], d[k])))
    .map((k) => `${k}=${litText(o[k])}`);
  return call(o.name, kw);
}

// encodeURIComponent, keeping the few punctuation marks that read well and are safe in a fragment.
const enc = (s) => encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3B/g, ';').replace(/%3D/g, '=')
  .replace(/%3A/g, ':').replace(/%22/g, '"').replace(/%7B/g, '{').replace(/%7D/g, '}')
  .replace(/%40/g, '@');

/** A top-level field's text, or null when it is left out (booleans, names and objects at their default). */
function fieldText(a, v) {
  switch (a.name) {
    case 'layers': return v.map(layerText).join(';');
    case 'loss': return lossText(v);
    case 'optimizer': return optimizerText(v);
    case 'metrics': return v.join(',');
    default:
      if (v === undefined || v === null) return null;
      if (a.type === 'object' || a.type === 'list') return JSON.stringify(v);
      if ((a.type === 'int' || a.type === 'float') || a.required || !same(v, a.default)) return litText(v);
      return null;
  }
}

/** The hash (without '#') for a normalised config: every field of schema.experiment, in its order. */
export function encodeConfig(c) {
  const parts = [['v', URL_VERSION]];
  for (const a of experimentArgs()) {
    const t = fieldText(a, c[a.name]);
    if (t !== null) parts.push([a.name, t]);
  }
  return parts.map(([k, v]) => `${k}=${enc(String(v))}`).join('&');
}

const value = (s) => {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s.startsWith('{')) {
    try { return JSON.parse(s); } catch { return s; }
  }
  if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  return s;
};

/** Splits at top-level commas: "32,(3,3),k=v" → ["32", "(3,3)", "k=v"]. */
function splitArgs(text) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') depth += 1;
    if (ch === ')' || ch === ']' || ch === '}') depth -= 1;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** "Name(a,b,k=v)" → {name, args:[…], kw:{…}}; throws on bad syntax. */
export function parseCall(text, what) {
  const m = /^\s*([A-Za-z_][\w-]*)\s*(?:\((.*)\))?\s*$/.exec(text);
  if (!m) throw new Error(`${what} "${text}" is not like Name(arg, key=value)`);
  const args = [];
  const kw = {};
  for (const raw of splitArgs(m[2] ?? '')) {
    const eq = raw.indexOf('=');
    if (eq < 0) {
      if (Object.keys(kw).length) throw new Error(`${what} "${text}": positional "${raw}" after a keyword`);
      args.push(value(raw));
    } else kw[raw.slice(0, eq).trim()] = value(raw.slice(eq + 1).trim());
  }
  return { name: m[1], args, kw };
}

/** Positional arguments take the layer's arguments in schema (= Keras signature) order. */
function parseLayer(text, i) {
  const { name, args, kw } = parseCall(text, `layer ${i + 1}`);
  const spec = layerSpec(name);
  if (!spec) throw new Error(`layer ${i + 1}: unknown layer type "${name}" (use ${layerKinds().join(', ')})`);
  if (args.length > spec.args.length) throw new Error(`layer ${i + 1} "${text}" has too many arguments`);
  const l = { type: name };
  args.forEach((a, j) => { l[spec.args[j].name] = a; });
  return { ...l, ...kw };
}

/** A link must name a dataset this page has, or an upload (`upload:<file>@<sha256-12>`: upload.js asks for the file). */
function known(config) {
  if (!datasetFacts(config.dataset) && !config.dataset.startsWith('upload:')) {
    throw new Error(`the dataset "${config.dataset}" does not exist here (choose one of: ${datasetNames().join(', ')})`);
  }
  return { config };
}

/**
 * location.hash → {config} (normalised), {config: null} when the hash holds no
 * experiment, or throws an Error saying what is wrong with the link.
 */
export function decodeHash(hash) {
  const h = (hash ?? '').replace(/^#/, '');
  if (!h.trim()) return { config: null };
  const fields = experimentArgs();
  const keys = ['v', 'config', ...fields.map((a) => a.name)];
  const p = {};
  for (const part of h.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (!keys.includes(k)) throw new Error(`the link has an unknown setting "${k}"`);
    try { p[k] = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1)); } catch {
      throw new Error(`the link's "${k}" is not properly encoded`);
    }
  }
  if (p.config !== undefined) {
    let raw;
    try { raw = JSON.parse(p.config); } catch (e) { throw new Error(`the link's config is not valid JSON (${e.message})`); }
    return known(normalizeConfig(raw));
  }
  if (p.v !== undefined && Number(p.v) !== URL_VERSION) {
    throw new Error(`the link is format version ${p.v}; this Gradient Lab reads version ${URL_VERSION}`);
  }
  for (const a of fields) if (a.required && !p[a.name]) throw new Error(`the link has no ${a.name}`);
  const raw = {};
  for (const a of fields) {
    const t = p[a.name];
    if (t === undefined) continue;
    switch (a.name) {
      case 'dataset': raw.dataset = t; break;
      case 'layers': {
        const texts = t.split(';').filter((s) => s.trim());
        try { checkLayerCount(texts.length); } catch (e) { throw new Error(`the link's model cannot be built: ${e.message}`); }
        raw.layers = texts.map(parseLayer);
        break;
      }
      case 'loss': case 'optimizer': {
        const c = parseCall(t, a.name);
        if (c.args.length) throw new Error(`${a.name} takes keyword options only, like adam(learning_rate=0.01)`);
        raw[a.name] = a.name === 'loss' && !Object.keys(c.kw).length ? c.name : { name: c.name, ...c.kw };
        break;
      }
      case 'metrics': raw.metrics = t.split(',').filter(Boolean); break;
      default:
        if (a.type === 'object' || a.type === 'list') {
          try { raw[a.name] = JSON.parse(t); } catch { throw new Error(`the link's ${a.name} is not valid JSON`); }
        } else raw[a.name] = a.type === 'string' || a.type === 'enum' ? t : value(t);
    }
  }
  return known(normalizeConfig(raw));
}
