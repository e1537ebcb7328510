// The experiment in the URL hash, readable like Keras code:
//   #v=1&dataset=mnist&layers=Flatten;Dense(128,relu);Dense(10,softmax)
//    &loss=categorical_crossentropy&optimizer=adam(learning_rate=0.001)
//    &batch_size=32&epochs=5&validation_split=0.1&seed=42
// Dense takes (units, activation, keyword=value…) for non-default options;
// Dropout(rate), Activation(name), Flatten, Softmax. Optimizer and loss list
// only the options that differ from Keras' defaults (learning_rate always).
// Also accepted: #config=<ExperimentConfig JSON>. Pure module (node-testable).
import { DATASETS, DENSE_DEFAULTS, LOSS_DEFAULTS, OPTIMIZERS, normalizeConfig } from './state.js';

export const URL_VERSION = 1;

/** Literal number/boolean/name → its text in a link. */
const lit = (v) => (typeof v === 'number' ? String(v) : String(v));
const call = (name, args) => (args.length ? `${name}(${args.join(',')})` : name);

function layerText(l) {
  switch (l.type) {
    case 'Dense': {
      const kw = Object.entries(DENSE_DEFAULTS).slice(1)
        .filter(([k, d]) => l[k] !== d).map(([k]) => `${k}=${lit(l[k])}`);
      return call('Dense', [lit(l.units), l.activation, ...kw]);
    }
    case 'Dropout': return call('Dropout', [lit(l.rate)]);
    case 'Activation': return call('Activation', [l.activation]);
    default: return l.type;
  }
}

function lossText(loss) {
  if (typeof loss === 'string') return loss;
  const kw = Object.keys(LOSS_DEFAULTS).filter((k) => loss[k] !== undefined).map((k) => `${k}=${lit(loss[k])}`);
  return call(loss.name, kw);
}

function optimizerText(o) {
  const d = OPTIMIZERS[o.name] ?? {};
  const kw = Object.keys(o).filter((k) => k !== 'name' && (k === 'learning_rate' || o[k] !== d[k]))
    .map((k) => `${k}=${lit(o[k])}`);
  return call(o.name, kw);
}

// encodeURIComponent, keeping the few punctuation marks that read well and are safe in a fragment.
const enc = (s) => encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3B/g, ';').replace(/%3D/g, '=')
  .replace(/%3A/g, ':').replace(/%22/g, '"').replace(/%7B/g, '{').replace(/%7D/g, '}');

/** The hash (without '#') for a normalised config. */
export function encodeConfig(c) {
  const parts = [
    ['v', URL_VERSION], ['dataset', c.dataset], ['layers', c.layers.map(layerText).join(';')],
    ['loss', lossText(c.loss)], ['optimizer', optimizerText(c.optimizer)], ['metrics', c.metrics.join(',')],
    ['batch_size', c.batch_size], ['epochs', c.epochs], ['validation_split', c.validation_split], ['seed', c.seed],
  ];
  if (c.shuffle === false) parts.push(['shuffle', 'false']);
  if (c.label_encoding) parts.push(['label_encoding', c.label_encoding]);
  if (c.early_stopping) parts.push(['early_stopping', JSON.stringify(c.early_stopping)]);
  if (c.lr_schedule) parts.push(['lr_schedule', JSON.stringify(c.lr_schedule)]);
  return parts.map(([k, v]) => `${k}=${enc(String(v))}`).join('&');
}

const value = (s) => {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  return s;
};

/** "Name(a,b,k=v)" → {name, args:[…], kw:{…}}; throws on bad syntax. */
export function parseCall(text, what) {
  const m = /^\s*([A-Za-z_][\w-]*)\s*(?:\((.*)\))?\s*$/.exec(text);
  if (!m) throw new Error(`${what} "${text}" is not like Name(arg, key=value)`);
  const args = [];
  const kw = {};
  for (const raw of (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = raw.indexOf('=');
    if (eq < 0) {
      if (Object.keys(kw).length) throw new Error(`${what} "${text}": positional "${raw}" after a keyword`);
      args.push(value(raw));
    } else kw[raw.slice(0, eq).trim()] = value(raw.slice(eq + 1).trim());
  }
  return { name: m[1], args, kw };
}

function parseLayer(text, i) {
  const { name, args, kw } = parseCall(text, `layer ${i + 1}`);
  const POS = { Dense: ['units', 'activation'], Dropout: ['rate'], Activation: ['activation'], Flatten: [], Softmax: [] };
  const pos = POS[name];
  if (!pos) throw new Error(`layer ${i + 1}: unknown layer type "${name}" (use ${Object.keys(POS).join(', ')})`);
  if (args.length > pos.length) throw new Error(`layer ${i + 1} "${text}" has too many arguments`);
  const l = { type: name };
  args.forEach((a, j) => { l[pos[j]] = a; });
  return { ...l, ...kw };
}

const KEYS = ['v', 'dataset', 'layers', 'loss', 'optimizer', 'metrics', 'batch_size', 'epochs', 'validation_split',
  'seed', 'shuffle', 'label_encoding', 'early_stopping', 'lr_schedule', 'config'];

/** A link must name a dataset this page has. */
function known(config) {
  if (!DATASETS[config.dataset]) {
    throw new Error(`the dataset "${config.dataset}" does not exist here (choose one of: ${Object.keys(DATASETS).join(', ')})`);
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
  const p = {};
  for (const part of h.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (!KEYS.includes(k)) throw new Error(`the link has an unknown setting "${k}"`);
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
  for (const k of ['dataset', 'layers', 'loss', 'optimizer']) {
    if (!p[k]) throw new Error(`the link has no ${k}`);
  }
  const json = (k) => {
    try { return JSON.parse(p[k]); } catch { throw new Error(`the link's ${k} is not valid JSON`); }
  };
  const loss = parseCall(p.loss, 'loss');
  const opt = parseCall(p.optimizer, 'optimizer');
  if (loss.args.length || opt.args.length) throw new Error('loss and optimizer take keyword options only, like adam(learning_rate=0.01)');
  const raw = {
    dataset: p.dataset,
    layers: p.layers.split(';').filter((s) => s.trim()).map(parseLayer),
    loss: Object.keys(loss.kw).length ? { name: loss.name, ...loss.kw } : loss.name,
    optimizer: { name: opt.name, ...opt.kw },
    metrics: p.metrics ? p.metrics.split(',').filter(Boolean) : undefined,
  };
  for (const k of ['batch_size', 'epochs', 'validation_split', 'seed', 'shuffle']) if (p[k] !== undefined) raw[k] = value(p[k]);
  if (p.label_encoding) raw.label_encoding = p.label_encoding;
  if (p.early_stopping) raw.early_stopping = json('early_stopping');
  if (p.lr_schedule) raw.lr_schedule = json('lr_schedule');
  return known(normalizeConfig(raw));
}
