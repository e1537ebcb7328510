// The race's requests to the core (config::patch, through the worker): the ONE
// parser of the link form (race.js keeps and writes back what it reads) and the
// one place a run's changes are applied to an experiment. The race section
// (race-view.js) and the cross-validation panel (kfold.js) ask through here;
// every call rejects with the core's message (naming the run, the layer and
// what to change) before anything on the page changes.
import { encodeRace } from './race.js';

/** A `?race=` value → the runs' patches, [patch…] (race.js's objects); rejects naming the run that is wrong. */
export const parseRace = async (engine, text) => (await engine.request('race-parse', { race: text })).runs;

/** `patches` applied to the experiment `base` → one config per patch ([] for none, without asking); rejects naming the run. */
export const applyRuns = async (engine, base, patches) => (patches.length
  ? (await engine.request('race-apply', { config: base, race: encodeRace({ runs: patches }) })).configs : []);

/** One typed run (run number `n`) parsed and applied to `base` in one request (parsed once) → {patch, config}; rejects naming run `n`. */
export const addRun = async (engine, base, text, n) => {
  const { patch, config } = await engine.request('run-add', { config: base, text, n });
  return { patch, config };
};
