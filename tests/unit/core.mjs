// The core itself for the unit tests that need its answers (the race link form has ONE parser, the
// core's config::patch): the single-threaded wasm build in dist/pkg-st, loaded once in node. Build it
// with `bash scripts/build dist` (scripts/test does, before the unit tests). Without a build, `core`
// is null and `needsCore` is the reason the tests that use it skip; a build older than the facade
// they call is an error saying to rebuild.
import { existsSync, readFileSync } from 'node:fs';

const PKG = new URL('../../dist/pkg-st/', import.meta.url);

async function load() {
  if (!existsSync(new URL('gradlab_bg.wasm', PKG))) return null;
  const m = await import(new URL('gradlab.js', PKG).href);
  m.initSync({ module: readFileSync(new URL('gradlab_bg.wasm', PKG)) });
  for (const f of ['parseRace', 'applyRace', 'addRun']) {
    if (typeof m[f] !== 'function') throw new Error(`dist/pkg-st has no ${f}: rebuild it (bash scripts/build dist)`);
  }
  return m;
}

export const core = await load();
/** The `skip` option of a test that needs the core: false, or why it cannot run. */
export const needsCore = core ? false : 'needs the core built into dist/ (bash scripts/build dist)';

/** One run added to a race, as the worker's `run-add` (one call, the text parsed once): {patch, config}. */
export const addRun = (base, text, n = 1) => JSON.parse(core.addRun(JSON.stringify(base), text, n));
/** The config of run `n`'s text applied to `base` (the core's `addRun`). */
export const applyRun = (base, text, n = 1) => addRun(base, text, n).config;
/** Every run of a `?race=` text applied to `base` by the core, as the worker's `race-apply`: [config…]. */
export const applyRace = (base, text) => JSON.parse(core.applyRace(JSON.stringify(base), text)).configs;
