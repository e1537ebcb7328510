// The head of a model file (the core's format, crate/src/model/io.rs:
// {"format": "gradlab-model", "version": 1, "config", "step", "weights", …}),
// checked in steps, each with its own message: readable JSON → a Gradient Lab
// model → a version we read → a weights list. No DOM, no schema: the training
// worker runs it on an uploaded file (message `model-header`), so the page's
// thread never parses a file of up to 256 MB; modelfile.js then reads the
// experiment it returns.
import { group } from './dom.js';

export const NOT_MODEL = 'this is not a Gradient Lab model file';

/** A JSON.parse error in the page's words (the engine's text can quote the file). */
function jsonProblem(e) {
  const at = /position (\d+)/.exec(e.message)?.[1];
  return `${NOT_MODEL}: it is not valid JSON${at ? ` (near character ${group(Number(at))})` : ''}`;
}

/** A model file's text → {config (as the file has it), step}; throws an Error saying what is wrong. */
export function readModelHeader(text) {
  let file;
  try { file = JSON.parse(text); } catch (e) { throw new Error(jsonProblem(e)); }
  if (!file || typeof file !== 'object' || Array.isArray(file)) throw new Error(`${NOT_MODEL}: expected a JSON object`);
  if (file.format !== 'gradlab-model') {
    throw new Error(file.format === undefined
      ? `${NOT_MODEL}: the "format": "gradlab-model" field is missing`
      : `${NOT_MODEL} (its format is ${JSON.stringify(String(file.format).slice(0, 40))})`);
  }
  if (file.version === undefined) throw new Error('the model file has no "version" field');
  if (typeof file.version !== 'number') {
    throw new Error(`the model file's "version" must be a number like 1 (it is ${JSON.stringify(String(file.version).slice(0, 20))}, in quotes)`);
  }
  if (file.version !== 1) throw new Error(`model file version ${file.version} is not supported; this Gradient Lab reads version 1`);
  if (!Array.isArray(file.weights)) throw new Error('the model file has no "weights" list');
  return { config: file.config, step: Number(file.step) || 0 };
}
