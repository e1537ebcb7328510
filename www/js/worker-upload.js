// The worker's half of "Upload data…" (issue 13): the user's CSV table or IDX
// pair arrives as bytes (the page transfers the ArrayBuffer), is hashed here
// (SHA-256), previewed and imported by the core (facade: previewCsv,
// Data.fromCsv, Data.fromIdx) and registered under its upload name
// `upload:<file>@<sha256-12>`. Runs then get their Data from `uploadData`
// (worker/runs.js), like a bundled dataset's, one per (name, seed), and
// `inspect` checks configs against the upload's facts (`inspectFacts`).
//
// Page → worker (replies carry the request's id):
//   upload-preview {bytes?, fileName?, name?, options, seed}  → upload-preview {name, sha256, preview}
//        with bytes: a new file (staged, hashed); without: the staged file `name` again with other options
//   upload-use {name, options, seed} | {kind:'csv', bytes, fileName, options, seed}
//            | {kind:'idx', images, labels, imagesName, labelsName, seed}  → upload-used {name, sha256, facts, report}
//        imports, and on success registers the data (an error changes nothing)
// Worker → page while a large file is worked on: upload-progress {phase: 'hash'|'parse', name?}.
// The core's parser takes the whole file (it cannot be fed in pieces): the page sees phases, not a percentage
// of parsing; the page reads the file in chunks with a byte count (upload.js).

const staged = new Map();    // upload name → {bytes, sha256, fileName}: previewed, not yet used
const uploads = new Map();   // upload name → {kind, bytes | images + labels, labelsName, options, sha256, facts}
const pending = new Map();   // upload name → {promise, resolve, reject}: announced after a worker restart, not yet here
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
const optionsJson = (o) => JSON.stringify(o ?? {});

/** The upload's facts in the schema's dataset form (schema.js datasetFacts), from a Data. */
function factsOf(data, name, title) {
  const i = data.info();
  return { name, title, group: 'Your data', task: i.task, sample_shape: Array.from(i.sampleShape),
    num_classes: i.numClasses ?? null, class_names: Array.from(i.classNames ?? []), train: i.train, test: i.test,
    upload: true };
}

function build(wasm, u, name, seed) {
  return u.kind === 'idx'
    ? wasm.Data.fromIdx(name, u.images, u.labels, u.labelsName, seed)
    : wasm.Data.fromCsv(name, u.bytes, optionsJson(u.options), seed);
}

/** A new facade Data for a registered upload, or null when `name` is not one (runs.js then loads a bundled set). */
export async function uploadData(wasm, name, seed) {
  if (!uploads.has(name) && pending.has(name)) await pending.get(name).promise;
  const u = uploads.get(name);
  if (u) return build(wasm, u, name, seed);
  if (name.startsWith('upload:')) throw new Error(wasm.uploadMissing(name) ?? `the data ${name} is not loaded: upload its file`);
  return null;
}

/** The inspection of a config on a registered upload, or null when its dataset is not one. */
export function inspectUpload(wasm, cfgJson) {
  const name = JSON.parse(cfgJson).dataset;
  const u = uploads.get(name);
  return u ? wasm.inspectFacts(cfgJson, u.factsJson) : null;
}

/** The Data to export with (an upload's) and whether the caller must free it. */
export function exportData(wasm, name, seed) {
  const u = uploads.get(name);
  return u ? build(wasm, u, name, seed) : null;
}

function settle(name, err) {
  const p = pending.get(name);
  if (!p) return;
  pending.delete(name);
  if (err) p.reject(err); else p.resolve();
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

    async 'upload-preview'({ bytes, fileName, name, options, seed }) {
      const wasm = getWasm();
      let s;
      if (bytes) {
        const b = bytesOf(bytes);
        post({ type: 'upload-progress', phase: 'hash' });
        const sha = await sha256(b);
        name = wasm.uploadName(fileName, sha);
        s = { bytes: b, sha256: sha, fileName };
        staged.clear();   // one file at a time in the dialog
        staged.set(name, s);
      } else {
        s = staged.get(name) ?? uploads.get(name);
        if (!s) throw new Error('the previewed file is gone: choose it again');
      }
      post({ type: 'upload-progress', phase: 'parse', name });
      const preview = wasm.previewCsv(s.bytes, optionsJson(options), seed ?? 42, PREVIEW_LINES);
      return { type: 'upload-preview', name, sha256: s.sha256, preview };
    },

    async 'upload-use'(msg) {
      try {
        const r = await use(getWasm(), msg);
        settle(r.name);
        return r;
      } catch (e) {
        settle(msg.expect, e);
        throw e;
      }
    },
  };

  /** Imports, and on success registers, an upload; an error changes nothing. */
  async function use(wasm, msg) {
    const seed = msg.seed ?? 42;
    let u;
    let name = msg.name;
    if (msg.kind === 'idx') {
      post({ type: 'upload-progress', phase: 'hash' });
      const [images, labels] = await Promise.all([gunzip(bytesOf(msg.images)), gunzip(bytesOf(msg.labels))]);
      const sha = await sha256(images, labels);
      name = wasm.uploadName(msg.imagesName, sha);
      u = { kind: 'idx', images, labels, labelsName: msg.labelsName, sha256: sha, fileName: msg.imagesName };
    } else if (msg.bytes) {
      const b = bytesOf(msg.bytes);
      post({ type: 'upload-progress', phase: 'hash' });
      const sha = await sha256(b);
      name = wasm.uploadName(msg.fileName, sha);
      u = { kind: 'csv', bytes: b, sha256: sha, fileName: msg.fileName, options: msg.options ?? {} };
    } else {
      const s = staged.get(name) ?? uploads.get(name);
      if (!s) throw new Error('the previewed file is gone: choose it again');
      u = { kind: 'csv', bytes: s.bytes, sha256: s.sha256, fileName: s.fileName, options: msg.options ?? {} };
    }
    if (msg.expect && msg.expect !== name) {
      throw new Error(`this file is ${name.slice(7)}, but the experiment uses ${msg.expect.slice(7)}: `
        + 'choose the file with that name and hash');
    }
    post({ type: 'upload-progress', phase: 'parse', name });
    const data = build(wasm, u, name, seed);   // throws the core's message (line, column): nothing registered
    try {
      u.facts = factsOf(data, name, u.fileName);
      u.factsJson = data.facts();
      const report = data.report();
      uploads.set(name, u);
      staged.delete(name);
      return { type: 'upload-used', name, sha256: u.sha256, facts: u.facts, report };
    } finally {
      data.free();
    }
  }
}
