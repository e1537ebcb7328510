// Download and upload of model files (the core's format, crate/src/model/io.rs).
// An upload is checked in steps, each with its own message, before the current
// model is touched: its first bytes and size (here) → its head (model-header.js,
// in the training worker: readable JSON, a Gradient Lab model, a version we
// read) → an experiment we understand → valid for its dataset (`inspect`). Only
// then is a model built from the file's config and the weights loaded; if the
// core rejects the weights, the previous model is put back (session.loadModel).
// The file itself (a Blob, up to 256 MB) is never read on the page's thread.
import { downloadBlob, fileSize } from './dom.js';
import { limits } from './schema.js';
import { normalizeConfig } from './state.js';
import { NOT_MODEL, readModelHeader } from './model-header.js';

/** The largest file accepted: the core's limit (schema limits.max_model_file_bytes), which every model it builds fits. */
export const maxBytes = () => limits().max_model_file_bytes;

/** File signatures people upload by mistake (first bytes). */
const KINDS = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'], [[0xff, 0xd8, 0xff], 'a JPEG image'], [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'], [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'], [[0x1f, 0x8b], 'a gzip archive'],
];

/**
 * Checks a file's first bytes and size before it is read as text; throws an
 * Error saying what the file is instead, without quoting its bytes.
 */
export function checkModelBytes(head, size) {
  if (size > maxBytes()) throw new Error(`the file is ${fileSize(size)}; a model file is at most ${fileSize(maxBytes())}`);
  if (size === 0) throw new Error(`${NOT_MODEL}: the file is empty`);
  const b = Array.from(head);
  const kind = KINDS.find(([sig]) => sig.every((x, i) => b[i] === x));
  if (kind) throw new Error(`${NOT_MODEL}: it is ${kind[1]}, not a JSON model file (download one with "Download model")`);
  const first = b.find((x) => ![0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].includes(x));
  if (first !== undefined && first !== 0x7b) throw new Error(`${NOT_MODEL}: it is not valid JSON (it does not start with {)`);
}

/** A file's head (readModelHeader) with its experiment read; throws an Error saying what is wrong. */
function withConfig({ config, step }) {
  try { return { config: normalizeConfig(config), step }; } catch (e) {
    throw new Error(`the model file's experiment cannot be read: ${e.message}`);
  }
}

/** Checks a file's text; returns {config, step} or throws an Error saying what is wrong. */
export const checkModelText = (text) => withConfig(readModelHeader(text));

/** A file name like "gradlab-mnist-step1407.json". */
export function fileName(config, step) {
  return `gradlab-${config.dataset}-step${step}.json`;
}

/** Saves the current model (worker `save`, a Blob) as a download; returns its size in bytes. */
export async function downloadModel(session, store) {
  const blob = await session.save();
  downloadBlob(fileName(session.savedConfig?.() ?? store.get().config, session.savedStep?.() ?? store.get().step), blob);
  return blob.size;
}

/**
 * Loads a model File into a new session built from the file's own experiment.
 * Throws with a clear message; on error nothing changes. The worker reads the
 * File's head, and the File goes to it as it is.
 */
export async function uploadModel(file, session, engine) {
  checkModelBytes(new Uint8Array(await file.slice(0, 16).arrayBuffer()), file.size);
  const { config, step } = withConfig(await engine.request('model-header', { file }));
  const ins = await engine.request('inspect', { config });
  if (!ins.ok) {
    const list = ins.problems.map((p) => (typeof p === 'string' ? p : `${p.path ? `${p.path}: ` : ''}${p.message}`));
    throw new Error(`the model file's experiment is not valid: ${list.join('; ')}`);
  }
  const history = await session.loadModel(config, file, step);
  return { config, step, history };
}
