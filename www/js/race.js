// Race mode's state: up to the core's limit of runs (schema limits.max_runs) over the experiment on screen (same
// dataset, same seed ⇒ same initial weights and batch order), each differing
// by a small patch, and its link form — readable like Keras code, one run per
// `|`, the run's changes separated by `;`:
//   ?race=optimizer:sgd(learning_rate=0.01)|optimizer:sgd(learning_rate=0.01,momentum=0.9)|optimizer:adam
// Patch fields: optimizer:<name(key=value,…)>, loss:<name>, batch_size:<n>,
// init:<initializer of every Dense kernel>, activation[i]:<name> (layer i, 0-based),
// dropout[i]:<rate> (a Dropout layer's rate).
// The form is PARSED by the core only (crate/src/config/patch.rs, the parser
// `gradlab kfold --vary` uses too): the page asks the worker (`race-parse`, or
// `run-add` for one typed run; race-core.js) and gets each run's patch as a plain object
//   {optimizer?: {name, key: value…}, loss?, batch_size?, init?, layers?: {i: {activation?, rate?}}}
// which this module keeps and labels. Applying a run to the experiment is the core's too
// (config::patch apply_race / apply_patch; the worker's `race-apply`, `run-add`).
// Pure module: no DOM, node-tested.
/** Okabe–Ito colours (colour-blind safe) and a dash style per run, in run order. */
export const RUN_STYLES = [
  { color: '#0072B2', dash: null }, { color: '#D55E00', dash: [8, 4] }, { color: '#009E73', dash: [2, 3] },
  { color: '#CC79A7', dash: [10, 3, 2, 3] }, { color: '#E69F00', dash: [5, 5] }, { color: '#56B4E9', dash: [1, 2] },
];

// Writing a patch back into its link form stays here, on purpose: it is only the serialisation of
// the core's parsed form (the header's object; no rule of the form is decided here — what a field means, which
// values are allowed and every message are the core's), and the page needs it synchronously on
// every change of the race (the URL, the lesson's book column, the k-fold panel). The pair is
// pinned from both sides: tests/unit/race.test.mjs checks that the core's parse of every canonical
// text (lessons' races included) encodes back to that same text, and crate/tests/race_patch.rs pins
// the core's parsed form.

/** An optimizer patch → its link text: sgd(learning_rate=0.1,momentum=0.9). */
export function optimizerText(o) {
  const kw = Object.keys(o).filter((k) => k !== 'name').map((k) => `${k}=${o[k]}`);
  return kw.length ? `${o.name}(${kw.join(',')})` : o.name;
}

/** One run's patch → its link text. */
export function patchText(p) {
  const items = [];
  if (p.optimizer) items.push(`optimizer:${optimizerText(p.optimizer)}`);
  if (p.loss) items.push(`loss:${p.loss}`);
  if (p.batch_size !== undefined) items.push(`batch_size:${p.batch_size}`);
  if (p.init) items.push(`init:${p.init}`);
  for (const [i, l] of Object.entries(p.layers ?? {})) {
    if (l.activation !== undefined) items.push(`activation[${i}]:${l.activation}`);
    if (l.rate !== undefined) items.push(`dropout[${i}]:${l.rate}`);
  }
  return items.join(';');
}

/** {runs: [patch…]} → the `race` query value. */
export function encodeRace(race) {
  return race.runs.map(patchText).join('|');
}

const short = (k) => ({ learning_rate: 'lr' }[k] ?? k);

/** Items naming a patch, e.g. ["sgd", "lr=0.01", "momentum=0.9"]. */
function items(p) {
  const out = [];
  if (p.optimizer) {
    out.push(p.optimizer.name);
    for (const [k, v] of Object.entries(p.optimizer)) if (k !== 'name') out.push(v === true ? k : `${short(k)}=${v}`);
  }
  if (p.loss) out.push(p.loss);
  if (p.batch_size !== undefined) out.push(`batch=${p.batch_size}`);
  if (p.init) out.push(p.init);
  for (const [i, l] of Object.entries(p.layers ?? {})) {
    if (l.activation !== undefined) out.push(`layer ${Number(i) + 1} ${l.activation}`);
    if (l.rate !== undefined) out.push(`dropout=${l.rate}`);
  }
  return out;
}

/** Legend labels: what each run has that not every run shares ("lr=0.1", "sgd momentum=0.9"). */
export function runLabels(runs) {
  const lists = runs.map(items);
  const common = lists.length > 1 ? lists[0].filter((it) => lists.every((l) => l.includes(it))) : [];
  return lists.map((l, i) => l.filter((it) => !common.includes(it)).join(' ') || l.join(' ') || `run ${i + 1}`);
}

/** The quick variations, from the experiment on screen. */
export const VARIATIONS = {
  lr: { title: 'Learning rate ×0.1 / ×1 / ×10', runs(base) {
    const o = base.optimizer;
    return [0.1, 1, 10].map((f) => ({ optimizer: { name: o.name, learning_rate: Number((o.learning_rate * f).toPrecision(6)) } }));
  } },
  optimizers: { title: 'SGD · momentum · Nesterov · RMSprop · Adam · Adagrad', runs: () => [
    { optimizer: { name: 'sgd', learning_rate: 0.01 } },
    { optimizer: { name: 'sgd', learning_rate: 0.01, momentum: 0.9 } },
    { optimizer: { name: 'sgd', learning_rate: 0.01, momentum: 0.9, nesterov: true } },
    { optimizer: { name: 'rmsprop', learning_rate: 0.001 } },
    { optimizer: { name: 'adam', learning_rate: 0.001 } },
    { optimizer: { name: 'adagrad', learning_rate: 0.01 } },
  ] },
  losses: { title: 'MSE vs cross-entropy', runs: () => [{ loss: 'mean_squared_error' }, { loss: 'categorical_crossentropy' }] },
};

/** Sorts result rows by `key` (numbers ascending, missing values last); `desc` reverses. */
export function sortRows(rows, key, desc = false) {
  const v = (r) => (typeof r[key] === 'number' && Number.isFinite(r[key]) ? r[key] : null);
  return [...rows].sort((a, b) => {
    const x = v(a), y = v(b);
    if (x === null && y === null) return String(a[key] ?? '').localeCompare(String(b[key] ?? ''));
    if (x === null) return 1;
    if (y === null) return -1;
    return desc ? y - x : x - y;
  });
}

/** CSV (RFC 4180) of every run's per-epoch history: run, label, epoch (1-based), then every logged key (Keras' order). */
export function resultsCsv(runs) {
  const ORDER = ['loss', 'accuracy', 'mae', 'mse', 'val_loss', 'val_accuracy', 'val_mae', 'val_mse', 'lr'];
  const rank = (k) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.history?.history ?? {})))]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const q = (s) => (/[",\n]/.test(String(s)) ? `"${String(s).replace(/"/g, '""')}"` : String(s));
  const lines = [['run', 'label', 'epoch', ...keys].join(',')];
  for (const r of runs) {
    (r.history?.epoch ?? []).forEach((ep, i) => {
      lines.push([r.index, q(r.label), ep + 1, ...keys.map((k) => r.history.history[k]?.[i] ?? '')].join(','));
    });
  }
  return `${lines.join('\n')}\n`;
}
