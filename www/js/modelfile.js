// Download and upload of model files (the core's format, crate/src/model/io.rs:
// {"format": "gradlab-model", "version": 1, "config", "input_shape", "weights", …}).
// An upload is checked in steps, each with its own message, before the current
// model is touched: readable JSON → a Gradient Lab model → a version we read →
// an experiment we understand → valid for its dataset (`inspect`). Only then is
// a model built from the file's config and the weights loaded; if the core
// rejects the weights, the previous model is put back (session.loadModel).
import { normalizeConfig } from './state.js';

export const MAX_BYTES = 200 * 1024 * 1024;

/** Checks a file's text; returns {config, step} or throws an Error saying what is wrong. */
export function checkModelText(text) {
  let file;
  try { file = JSON.parse(text); } catch (e) {
    throw new Error(`this file is not a model file: it is not valid JSON (${e.message})`);
  }
  if (!file || typeof file !== 'object' || Array.isArray(file)) throw new Error('this file is not a model file: expected a JSON object');
  if (file.format !== 'gradlab-model') {
    throw new Error(file.format === undefined
      ? 'this is not a Gradient Lab model file: the "format": "gradlab-model" field is missing'
      : `this is not a Gradient Lab model file (format is "${file.format}")`);
  }
  if (file.version !== 1) throw new Error(`model file version ${file.version} is not supported; this Gradient Lab reads version 1`);
  if (!Array.isArray(file.weights)) throw new Error('the model file has no "weights" list');
  let config;
  try { config = normalizeConfig(file.config); } catch (e) {
    throw new Error(`the model file's experiment cannot be read: ${e.message}`);
  }
  return { config, step: Number(file.step) || 0 };
}

/** A file name like "gradlab-mnist-step1407.json". */
export function fileName(config, step) {
  return `gradlab-${config.dataset}-step${step}.json`;
}

/** Saves the current model (worker `save`) as a download. */
export async function downloadModel(session, store) {
  const json = await session.save();
  const blob = new Blob([json], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName(store.get().config, store.get().step) });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return json.length;
}

/**
 * Loads a model file (a File or its text) into a new session built from the
 * file's own experiment. Throws with a clear message; on error nothing changes.
 */
export async function uploadModel(fileOrText, session, engine) {
  let text = fileOrText;
  if (typeof fileOrText !== 'string') {
    if (fileOrText.size > MAX_BYTES) throw new Error(`the file is ${Math.round(fileOrText.size / 1e6)} MB: too big for a model file`);
    text = await fileOrText.text();
  }
  const { config, step } = checkModelText(text);
  const ins = await engine.request('inspect', { config });
  if (!ins.ok) throw new Error(`the model file's experiment is not valid: ${ins.problems.join('; ')}`);
  const history = await session.loadModel(config, new TextEncoder().encode(text), step);
  return { config, step, history, text };
}
