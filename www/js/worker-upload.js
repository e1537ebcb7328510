// The worker's half of "Upload data…" (issue 13): the user's CSV table or IDX
// pair arrives as bytes (the page transfers the ArrayBuffer), is hashed here
// (SHA-256), previewed and imported by the core and registered under its
// upload name. A CSV upload's name carries how it was read
// (`upload:<file>@<sha256-12>(<options>)`, upload-name.js): the dialog's
// choices are previewed, and "Use" imports with the options in the name, so
// the link, the stored copy and a rebuilt run read the file the same way.
// Runs get their Data from `uploadData` (worker/runs.js), one per (name, seed),
// and `inspect` checks configs against the upload's facts (`inspectFacts`).
//
// A CSV file is read in slices of `slice` bytes (1 MiB) (facade CsvParse): between
// slices the worker posts its progress and yields, so other messages are
// answered and `upload-cancel` stops the dialog's work (nothing is changed).
//
// Page → worker (replies carry the request's id):
//   upload-preview {bytes?, fileName?, base?, options, seed, expect?}  → upload-preview {name, base, sha256, preview | same}
//        with bytes: a new file (hashed, kept as `base` = upload:<file>@<hash>); without: file `base` again
//        with other options. `name`: the upload's name with the decisions as explicit options (null on an error).
//        When the file is the one `expect` (a link's upload name) names: {name: expect, same: true}, no preview
//   upload-use {name, seed} (a previewed file) | {kind:'csv', bytes, fileName, name, seed}
//            | {kind:'idx', images, labels, imagesName, labelsName, seed}  → upload-used {name, sha256, facts, report}
//        imports, and on success registers the data (an error changes nothing). `expect`: the name a link
//        asked for; the bytes must be its file
//   upload-options {name}  → upload-options {options}: the CSV options in a name (an error says which is wrong)
//   upload-cancel          stops the dialog's reading (its request fails with CANCELLED)
//   upload-slice {bytes}   (tests) the slice size → upload-slice {bytes}
// Worker → page: upload-progress {phase: 'hash' | 'parse' | 'build' | 'done', done?, total?, cancellable}
//   (also while a run's data is read from an upload's file: not cancellable).
import { uploadBase } from './upload-name.js';

export const CANCELLED = 'the upload was cancelled';
let slice = 1 << 20;       // bytes read between two progress reports (tests: upload-slice)
const files = new Map();     // base name → {bytes, sha256, fileName}: a CSV file's bytes, whatever its options
const uploads = new Map();   // upload name → {kind, base | images + labels, labelsName, sha256, fileName, facts, factsJson}
const pending = new Map();   // upload name → {promise, resolve, reject}: announced after a worker restart, not yet here
let ready = null;            // {name, seed, data}: the Data "Use" built, for the first run on it
let dialog = 0;              // bumped by upload-cancel: the dialog's reading in progress stops
const PREVIEW_LINES = 12;

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
async function sha256(...parts) {
  const all = parts.length === 1 ? parts[0] : new Uint8Array(await new Blob(parts).arrayBuffer());
  return hex(await crypto.subtle.digest('SHA-256', all));
}
const isGzip = (b) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
async function gunzip(b) {
  if (!isGzip(b)) return b;
  const stream = new Blob([b]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`the gzip data is damaged (${e.message})`);
  }
}
const bytesOf = (v) => (v instanceof Uint8Array ? v : new Uint8Array(v));
const tick = () => new Promise((r) => { setTimeout(r, 0); });

/** The upload's facts in the schema's dataset form (schema.js datasetFacts), from a Data. */
function factsOf(data, name, title) {
  const i = data.info();
  return { name, title, group: 'Your data', task: i.task, sample_shape: Array.from(i.sampleShape),
    num_classes: i.numClasses ?? null, class_names: Array.from(i.classNames ?? []), train: i.train, test: i.test,
    upload: true };
}

/**
 * Reads CSV `bytes` as upload `name` in slices, posting progress; `options`: the dialog's choices (else
 * the name's). `end(job)` makes the result (preview or Data). With a `token` (the dialog's count when its
 * work began), upload-cancel stops it.
 */
async function readCsv(wasm, post, { name, bytes, options, seed, token = null }, end) {
  const job = new wasm.CsvParse(name, bytes, options === undefined ? undefined : JSON.stringify(options), seed);
  const cancellable = token !== null;
  try {
    const total = job.totalBytes();
    while (!job.step(slice)) {
      post({ type: 'upload-progress', phase: 'parse', done: job.doneBytes(), total, cancellable });
      await tick();
      stopIfCancelled(token);
    }
    post({ type: 'upload-progress', phase: 'build', done: total, total, cancellable });
    await tick();
    stopIfCancelled(token);
    return end(job);
  } finally {
    job.free();
    post({ type: 'upload-progress', phase: 'done' });
  }
}

/** Throws CANCELLED when upload-cancel came after `token` (the dialog's count when its work began). */
function stopIfCancelled(token) {
  if (token !== null && token !== dialog) throw new Error(CANCELLED);
}

function buildIdx(wasm, u, name, seed) {
  return wasm.Data.fromIdx(name, u.images, u.labels, u.labelsName, seed);
}

/** A Data for `name`, synchronously (the export): the CSV read in one go. */
function buildNow(wasm, u, name, seed) {
  if (u.kind === 'idx') return buildIdx(wasm, u, name, seed);
  const job = new wasm.CsvParse(name, files.get(u.base).bytes, undefined, seed);
  try {
    while (!job.step(1 << 30));
    return job.data();
  } finally {
    job.free();
  }
}

/** A new facade Data for a registered upload, or null when `name` is not one (runs.js then loads a bundled set). */
export async function uploadData(wasm, name, seed, post = () => {}) {
  if (!uploads.has(name) && pending.has(name)) await pending.get(name).promise;
  if (ready && ready.name === name && ready.seed === seed) {
    const { data } = ready;
    ready = null;
    return data;
  }
  const u = uploads.get(name);
  if (u?.kind === 'idx') return buildIdx(wasm, u, name, seed);
  if (u) return readCsv(wasm, post, { name, bytes: files.get(u.base).bytes, seed }, (job) => job.data());
  if (name.startsWith('upload:')) throw new Error(wasm.uploadMissing(name) ?? `the data ${name} is not loaded: upload its file`);
  return null;
}

/** The inspection of a config on a registered upload, or null when its dataset is not one. */
export function inspectUpload(wasm, cfgJson) {
  const name = JSON.parse(cfgJson).dataset;
  const u = uploads.get(name);
  return u ? wasm.inspectFacts(cfgJson, u.factsJson) : null;
}

/** The Data to export with (an upload's; the caller frees it), or null. */
export function exportData(wasm, name, seed) {
  const u = uploads.get(name);
  return u ? buildNow(wasm, u, name, seed) : null;
}

function settle(name, err) {
  const p = pending.get(name);
  if (!p) return;
  pending.delete(name);
  if (err) p.reject(err); else p.resolve();
}

/** Keeps a CSV file's bytes under its base name (one copy for all its readings). */
async function keepFile(wasm, post, bytes, fileName) {
  const b = bytesOf(bytes);
  post({ type: 'upload-progress', phase: 'hash' });
  const sha = await sha256(b);
  const base = wasm.uploadName(fileName, sha);
  if (!files.has(base)) files.set(base, { bytes: b, sha256: sha, fileName });
  return base;
}

export function uploadHandlers(getWasm, post) {
  return {
    /** After a worker restart the page announces its uploads first, so runs rebuilt meanwhile wait for them. */
    'upload-pending'({ names }) {
      for (const name of names ?? []) {
        if (uploads.has(name) || pending.has(name)) continue;
        const p = {};
        p.promise = new Promise((resolve, reject) => { Object.assign(p, { resolve, reject }); });
        p.promise.catch(() => {});
        pending.set(name, p);
      }
    },

    'upload-cancel'() { dialog += 1; },

    /** Tests (testing.js): smaller slices, more progress steps. */
    'upload-slice'({ bytes }) {
      slice = Math.max(1, Math.floor(bytes));
      return { type: 'upload-slice', bytes: slice };
    },

    'upload-options'({ name }) {
      return { type: 'upload-options', options: getWasm().uploadOptions(name) };
    },

    async 'upload-preview'({ bytes, fileName, base, options, seed, expect }) {
      const wasm = getWasm();
      const token = dialog;
      if (bytes) {
        base = await keepFile(wasm, post, bytes, fileName);
        stopIfCancelled(token);
        for (const b of files.keys()) if (b !== base && ![...uploads.values()].some((u) => u.base === b)) files.delete(b);
      }
      const f = files.get(base);
      if (!f) throw new Error('the previewed file is gone: choose it again');
      // The very file a link asked for: no preview, the link's name says how to read it.
      if (expect && uploadBase(expect) === base) return { type: 'upload-preview', name: expect, base, sha256: f.sha256, same: true };
      const preview = await readCsv(wasm, post, { name: base, bytes: f.bytes, options: options ?? {}, seed: seed ?? 42,
        token }, (job) => job.preview(PREVIEW_LINES));
      return { type: 'upload-preview', name: preview.name, base, sha256: f.sha256, preview };
    },

    async 'upload-use'(msg) {
      try {
        const r = await use(getWasm(), msg);
        settle(r.name);
        return r;
      } catch (e) {
        settle(msg.expect ?? msg.name, e);
        throw e;
      }
    },
  };

  /** Imports, and on success registers, an upload; an error changes nothing. */
  async function use(wasm, msg) {
    const seed = msg.seed ?? 42;
    const token = dialog;
    let u;
    let name = msg.name;
    if (msg.kind === 'idx') {
      post({ type: 'upload-progress', phase: 'hash' });
      const [images, labels] = await Promise.all([gunzip(bytesOf(msg.images)), gunzip(bytesOf(msg.labels))]);
      const sha = await sha256(images, labels);
      name = wasm.uploadName(msg.imagesName, sha);
      u = { kind: 'idx', images, labels, labelsName: msg.labelsName, sha256: sha, fileName: msg.imagesName };
    } else {
      const base = msg.bytes ? await keepFile(wasm, post, msg.bytes, msg.fileName) : uploadBase(name);
      if (base !== uploadBase(name)) {
        throw new Error(`this file is ${base.slice(7)}, but the experiment uses ${uploadBase(name).slice(7)}: `
          + 'choose the file with that name and hash');
      }
      const f = files.get(base);
      if (!f) throw new Error('the previewed file is gone: choose it again');
      u = { kind: 'csv', base, sha256: f.sha256, fileName: f.fileName };
    }
    if (msg.expect && msg.expect !== name) {
      throw new Error(`this file is ${name.slice(7)}, but the experiment uses ${msg.expect.slice(7)}: `
        + 'choose the file with that name and hash');
    }
    // Throws the core's message (line, column): nothing registered.
    const data = u.kind === 'idx' ? buildIdx(wasm, u, name, seed)
      : await readCsv(wasm, post, { name, bytes: files.get(u.base).bytes, seed, token: msg.bytes ? null : token },
        (job) => job.data());
    let kept = false;
    try {
      u.facts = factsOf(data, name, u.fileName);
      u.factsJson = data.facts();
      const report = data.report();
      uploads.set(name, u);
      ready?.data.free();
      ready = { name, seed, data };
      kept = true;
      return { type: 'upload-used', name, sha256: u.sha256, facts: u.facts, report };
    } finally {
      if (!kept) data.free();
    }
  }
}
