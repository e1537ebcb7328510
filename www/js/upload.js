// "Upload data…" (issue 13): the user's CSV table or IDX images + labels pair
// becomes the experiment's dataset. File picker or drag-and-drop → the file is
// read in chunks (byte progress) → its bytes go to the worker (transferred),
// which hashes, previews and imports them with the core in slices, reporting
// the bytes parsed (worker-upload.js; Cancel stops it and changes nothing) →
// a preview table with the import's options → "Use this data" registers the
// dataset, named `upload:<file>@<sha256-12>(<how it was read>)` (upload-name.js),
// so the link names the file, its hash and the options, and stores the file in
// IndexedDB under `upload:<file>@<sha256-12>`, so a reload restores it. Opened
// where the file is not stored, the page asks for it: the same file is read as
// the link says; another one is previewed with the link's options and the
// difference said. Errors (with line and column) change nothing.
import { $, h, say, setText } from './dom.js';
import { registerDataset } from './schema.js';
import { previewTable } from './components/preview-table.js';
import { isUploadName, uploadBase, uploadParts } from './upload-name.js';
import { labelValue, number, select } from './upload-fields.js';

export { isUploadName, uploadParts };
const MB = 1e6;
const CANCELLED = 'the upload was cancelled';   // worker-upload.js's message

/** The file's bytes, read in chunks so a large file shows progress and never blocks the page; `job.cancelled` stops it. */
async function readFile(file, job, onBytes) {
  const out = new Uint8Array(file.size);
  let at = 0;
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (job.cancelled) { reader.cancel(); throw new Error(CANCELLED); }
    out.set(value, at);
    at += value.byteLength;
    onBytes(at, file.size);
  }
  return out;
}

const isIdxPair = (files) => files.length === 2;
const mb = (n) => (n / MB).toFixed(1);

/**
 * Wires the upload controls; `onUse(name)` switches the experiment to the
 * dataset (app.js: the same path as the dataset picker), `getKv()` is the IndexedDB store.
 */
export function mountUpload(el, { engine, store, getKv, notice, onUse }) {
  const input = $('upload-data-input');
  const preview = $('upload-preview');
  let current = null;          // {base, name, sha256, fileName, size, blob, preview}: the file in the dialog
  let expected = null;         // the upload name a link asked for
  let job = null;              // {cancelled}: the reading in progress (Cancel)
  let shown = 'your file';     // the file the progress bar names
  const live = new Map();      // upload name → its stored record: sent again to a restarted worker
  const options = { skip_lines: null, header: null, label: null, task: null, scaling: 'standardize',
    text_columns: 'one_hot', test_fraction: 0.2 };
  const progress = (text, value, cancellable = false) => {
    $('upload-progress').hidden = text === null;
    $('upload-cancel').hidden = !cancellable;
    if (text === null) return;
    setText($('upload-progress-text'), text);
    if (value === undefined) $('upload-bar').removeAttribute('value'); else $('upload-bar').value = value;
  };
  const fail = (msg) => { progress(null); say($('upload-error'), msg); };
  engine.on('upload-progress', ({ phase, done, total, cancellable }) => {
    const can = (phase === 'hash' || cancellable) && Boolean(job);
    if (phase === 'done') progress(null);
    else if (phase === 'hash') progress('Checking the file (SHA-256)…', undefined, can);
    else if (phase === 'parse') progress(`Parsing ${shown}: ${Math.floor((100 * done) / total)} % (${mb(done)} / ${mb(total)} MB)`, done / total, can);
    else progress(`Building the dataset from ${shown}…`, undefined, can);
  });
  /** Starts a cancellable piece of work: the previous one (if any) is cancelled. */
  const begin = () => { if (job) cancel(); job = { cancelled: false }; return job; };
  const end = (j) => { if (job === j) job = null; };
  const cancel = () => {   // the worker stops the dialog's reading; nothing was changed
    if (!job) return;
    job.cancelled = true;
    job = null;
    engine.send('upload-cancel');
    progress(null);
  };
  $('upload-cancel').addEventListener('click', cancel);
  const seed = () => store.get().config.seed ?? 42;
  const cleanOptions = () => Object.fromEntries(Object.entries(options).filter(([, v]) => v !== null));
  /** What went wrong, unless the user cancelled (then nothing is said: nothing changed). */
  const failed = (j, what, e) => { if (!j.cancelled && e.message !== CANCELLED) fail(`${what}: ${e.message}. Nothing was changed.`); };

  async function take(files) {
    say($('upload-error'), '');
    if (!files.length) return;
    if (files.length > 2) { fail('choose one CSV file, or two IDX files (images and labels)'); return; }
    const total = files.reduce((n, f) => n + f.size, 0);
    const j = begin();
    shown = files.map((f) => f.name).join(' + ');
    try {
      const bytes = [];
      let before = 0;
      for (const f of files) {
        bytes.push(await readFile(f, j, (n) => progress(`Reading ${f.name}: ${mb(before + n)} / ${mb(total)} MB`,
          total ? (before + n) / total : 1, true)));
        before += f.size;
      }
      if (isIdxPair(files)) await useIdx(files, bytes); else await previewCsv(files[0], bytes[0], j);
    } catch (e) {
      if (isIdxPair(files) && expected && /but the experiment uses/.test(e.message)) {   // other images: said, still usable
        progress(null);
        notice(`${e.message.replace(/: choose .*$/, '')}: the results will differ.`, [['Use these files anyway', () => { expected = null; take(files); }]]);
        return;
      }
      failed(j, files.map((f) => f.name).join(' + '), e);
    } finally {
      end(j);
    }
  }

  async function previewCsv(file, bytes, j) {
    // A link's upload: the dialog starts from the link's options (its file is read as the link says).
    if (expected) {
      try {
        const o = (await engine.request('upload-options', { name: expected })).options;
        Object.assign(options, o, { test_fraction: Number(o.test_fraction.toPrecision(6)) });   // f32 0.2 → 0.2
      } catch (e) { say($('upload-error'), `The link's reading options cannot be used (${e.message}): choose them below.`); }
    }
    const r = await engine.request('upload-preview', { bytes: bytes.buffer, fileName: file.name, options: cleanOptions(),
      seed: seed(), expect: expected ?? undefined }, [bytes.buffer]);
    if (j.cancelled) return;
    current = { base: r.base, name: r.name, sha256: r.sha256, fileName: file.name, size: file.size, blob: file,
      preview: r.preview };
    if (r.same) { await useCsv(j); return; }
    progress(null);
    render();
  }

  async function refresh() {
    if (!current) return;
    const j = begin();
    shown = current.fileName;
    try {
      const r = await engine.request('upload-preview', { base: current.base, options: cleanOptions(), seed: seed() });
      if (j.cancelled || !current) return;
      Object.assign(current, { name: r.name, preview: r.preview });
      progress(null);
      render();
    } catch (e) {
      failed(j, current?.fileName ?? 'the file', e);
    } finally {
      end(j);
    }
  }

  /** Registers the worker's dataset on the page and makes it the experiment's; stores the file(s). */
  async function adopt(r, record) {
    registerDataset(r.facts);
    addOption(r.facts);
    progress(null);
    expected = null;
    live.set(r.name, record);
    try { await getKv()?.put(uploadBase(r.name), { ...record, name: r.name, sha256: r.sha256, savedAt: Date.now() }); } catch { /* unsaved, still used */ }
    await onUse(r.name);
  }

  /** "Use this data": imports the dialog's file as its name says (within `outer`'s work when given). */
  async function useCsv(outer) {
    say($('upload-error'), '');
    const j = outer ?? begin();
    const c = current;
    shown = c.fileName;
    try {
      const r = await engine.request('upload-use', { name: c.name, seed: seed() });
      if (j.cancelled) return;
      await adopt(r, { kind: 'csv', fileName: c.fileName, blobs: [c.blob] });
      preview.hidden = true;
      preview.replaceChildren();
      current = null;
    } catch (e) {
      if (outer) throw e;
      failed(j, c.fileName, e);
    } finally {
      if (!outer) end(j);
    }
  }

  async function useIdx(files, bytes) {
    // The images file is the one whose IDX type byte says 3 dimensions (gzip: the names decide).
    const dims = bytes.map((b) => (b[0] === 0 && b[1] === 0 ? b[3] : /labels?/i.test(files[bytes.indexOf(b)].name) ? 1 : 3));
    const [ii, li] = dims[0] === 1 ? [1, 0] : [0, 1];
    current = { size: files[0].size + files[1].size };
    const r = await engine.request('upload-use', { kind: 'idx', images: bytes[ii].buffer, labels: bytes[li].buffer,
      imagesName: files[ii].name, labelsName: files[li].name, seed: seed(), expect: expected ?? undefined },
    [bytes[ii].buffer, bytes[li].buffer]);
    current = null;
    await adopt(r, { kind: 'idx', fileName: files[ii].name, labelsName: files[li].name, blobs: [files[ii], files[li]] });
  }

  function addOption(facts) {
    const select = $('dataset');
    let group = select.querySelector('optgroup[data-upload]');
    if (!group) { group = h('optgroup', { label: 'Your data', dataset: { upload: '1' } }); select.append(group); }
    if (![...group.children].some((o) => o.value === facts.name)) {
      const { hash, options: how } = uploadParts(facts.name);
      group.append(h('option', { value: facts.name }, `${facts.title} (${hash}${how ? `; ${how}` : ''})`));
    }
  }

  function render() {
    const p = current.preview;
    const r = p.report;
    const columns = r?.columns ?? (p.lines[r?.skipped_lines ?? 0]?.cells ?? []).map((_, i) => `column ${i + 1}`);
    const set = (k, v) => { options[k] = v; refresh(); };
    const form = h('div', { class: 'grid2 upload-options' },
      select('upload-header', 'header row', [['auto', r ? `detected: ${r.header ? 'yes' : 'no'}` : 'detect'], ['yes', 'yes'], ['no', 'no']],
        options.header === null ? 'auto' : options.header ? 'yes' : 'no', (v) => set('header', v === 'auto' ? null : v === 'yes')),
      number('upload-skip', 'skip lines', options.skip_lines ?? r?.skipped_lines ?? 0, { min: 0, step: 1 },
        (v) => set('skip_lines', Math.max(0, Math.floor(Number(v) || 0)))),
      select('upload-label', 'label column', [['auto', r ? `suggested: ${columns[r.label_column]}` : 'suggested'],
        ...columns.map((c, i) => [String(i), c])], labelValue(options.label, columns),
      (v) => set('label', v === 'auto' ? null : { index: Number(v) })),
      select('upload-task', 'task', [['auto', r ? `guessed: ${r.task}` : 'guess'], ['classification', 'classification'],
        ['regression', 'regression']], options.task ?? 'auto', (v) => set('task', v === 'auto' ? null : v)),
      select('upload-scaling', 'scaling', [['standardize', 'standardise (train mean, std)'], ['min_max', 'min-max'], ['none', 'none']],
        options.scaling, (v) => set('scaling', v)),
      select('upload-text', 'text columns', [['one_hot', 'one-hot encode'], ['refuse', 'refuse']], options.text_columns,
        (v) => set('text_columns', v)),
      number('upload-test', 'test fraction', options.test_fraction, { min: 0.05, max: 0.95, step: 0.05 },
        (v) => set('test_fraction', Number(v))));
    const facts = r && [`${r.rows} rows (${r.train} train, ${r.test} test)`, `${r.features.length} features`,
      r.task === 'classification' ? `${r.class_names.length} classes: ${r.class_names.slice(0, 8).join(', ')}${r.class_names.length > 8 ? '…' : ''}`
        : 'regression', r.one_hot.length ? `one-hot: ${r.one_hot.map((o) => `${o.name} (${o.categories.length})`).join(', ')}` : null]
      .filter(Boolean).join(' · ');
    const mismatch = expected && current.base !== uploadBase(expected)
      ? `This file is ${current.base.slice(7)}, but the link's experiment used ${uploadBase(expected).slice(7)}: `
        + 'it is read with the link\'s options, but it holds other data, so the results will differ. You can still use it.' : '';
    preview.replaceChildren(
      h('h4', {}, `${current.fileName} `, h('span', { class: 'muted' }, `sha256 ${current.sha256.slice(0, 12)}…`)),
      form,
      previewTable({ lines: p.lines, skipped: r?.skipped_lines ?? options.skip_lines ?? 0, header: r?.header ?? false,
        label: r?.label_column ?? -1 }),
      facts ? h('p', { class: 'muted', id: 'upload-facts' }, facts) : null,
      current.name ? h('p', { class: 'muted', id: 'upload-name' }, `In the link: ${current.name}`) : null,
      ...(r?.notes ?? []).map((n) => h('p', { class: 'note' }, n)),
      p.error ? h('p', { class: 'error', role: 'alert', id: 'upload-preview-error' }, p.error) : null,
      mismatch ? h('p', { class: 'error', role: 'alert', id: 'upload-mismatch' }, mismatch) : null,
      h('div', { class: 'row' },
        h('button', { type: 'button', id: 'upload-use', disabled: Boolean(p.error), onclick: () => useCsv() }, 'Use this data'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { preview.hidden = true; current = null; } }, 'Cancel')));
    preview.hidden = false;
  }

  // Moving to another dataset ends a link's request for its file.
  store.subscribe((s, changed) => { if (changed.has('config') && !isUploadName(s.config.dataset)) expected = null; });
  /** A stored record (file blobs) to the worker, read as `name` says. */
  async function send(name, rec) {
    const bytes = await Promise.all(rec.blobs.map(async (b) => new Uint8Array(await b.arrayBuffer())));
    const msg = rec.kind === 'idx'
      ? { kind: 'idx', images: bytes[0].buffer, labels: bytes[1].buffer, imagesName: rec.fileName, labelsName: rec.labelsName,
        expect: name }
      : { kind: 'csv', bytes: bytes[0].buffer, fileName: rec.fileName, name };
    return engine.request('upload-use', { ...msg, seed: seed() }, bytes.map((b) => b.buffer));
  }
  // A restarted worker (engine.js, after a crash) has lost the uploads: they are announced before the runs
  // are rebuilt (this runs before `restarted`), so the rebuilt runs wait for their data (worker-upload.js).
  engine.on('ready', () => {
    if (!engine.restarts || !live.size) return;
    engine.send('upload-pending', { names: [...live.keys()] });
    for (const [name, rec] of live) send(name, rec).catch((e) => notice(`${uploadParts(name).file} could not be reloaded: ${e.message}`));
  });

  input.addEventListener('change', () => { take([...input.files]); input.value = ''; });
  el.addEventListener('dragover', (e) => { e.preventDefault(); el.classList.add('dragging'); });
  el.addEventListener('dragleave', () => el.classList.remove('dragging'));
  el.addEventListener('drop', (e) => {
    e.preventDefault();
    el.classList.remove('dragging');
    take([...e.dataTransfer.files]);
  });

  return {
    /** Before the first sync: an upload named by the config comes back from IndexedDB, or the page asks for its file. */
    async restore(name) {
      if (!isUploadName(name)) return;
      const kv = getKv();
      const rec = (await kv?.get(uploadBase(name)).catch(() => null)) ?? (await kv?.get(name).catch(() => null));
      if (!rec) {
        expected = name;
        const { file, hash } = uploadParts(name);
        notice(`This experiment uses ${file} (sha256 ${hash}…), which is not stored in this browser: choose the file.`,
          [['Choose the file…', () => input.click()]]);
        return;
      }
      try {
        shown = rec.fileName;
        const r = await send(name, rec);
        registerDataset(r.facts);
        addOption(r.facts);
        live.set(name, rec);
      } catch (e) {
        notice(`The stored file for ${uploadParts(name).file} could not be loaded: ${e.message}`);
      }
    },
  };
}
