// Shared helpers for the playground browser tests (tests/e2e/playground*.test.mjs).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { open, waitFor } from './browser.mjs';

export { open, waitFor };
// Screenshots of the main states go to tests/artifacts/ (git-ignored); run the
// suite with GRADLAB_DOCS=1 to refresh the committed ones in docs/.
export const DOCS = join(import.meta.dirname, '..', '..', process.env.GRADLAB_DOCS ? 'docs' : 'tests/artifacts');

/** The hash for a config written in the link format (see www/js/url.js). */
export function link({ dataset = 'mnist', layers = 'Flatten;Dense(128,relu);Dense(10,softmax)',
  loss = 'categorical_crossentropy', optimizer = 'adam(learning_rate=0.001)', batch_size = 32, epochs = 5,
  validation_split = 0.1, seed = 42 } = {}) {
  return `#v=1&dataset=${dataset}&layers=${layers}&loss=${loss}&optimizer=${optimizer}`
    + `&batch_size=${batch_size}&epochs=${epochs}&validation_split=${validation_split}&seed=${seed}`;
}

/** Opens the playground (optionally at a link) and waits until the model is built and checked. */
export async function openPlayground({ hash = '', viewport, coi = true } = {}) {
  const b = await open({ coi, viewport });
  await b.page.goto(b.server.url + hash);
  await ready(b.page);
  return b;
}

/** Waits for the worker's model to be built and idle/paused/finished (not checking or building). */
export async function ready(page, timeout = 120_000) {
  const status = await waitFor(page, () => {
    const g = window.gradlab;
    if (!g?.store) return false;
    const s = g.store.get();
    return !s.checking && !s.busy && ['idle', 'paused', 'stopped', 'finished', 'invalid'].includes(s.status) && s.status;
  }, undefined, timeout);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return status;
}

export const state = (page) => page.evaluate(() => {
  const s = window.gradlab.store.get();
  return { status: s.status, step: s.step, epoch: s.epoch, running: s.running, config: s.config,
    summary: s.summary, inspection: s.inspection, dataInfo: s.dataInfo, fieldErrors: s.fieldErrors };
});

/** Saves a screenshot to docs/<name>.png. */
export async function shot(page, name, opts = {}) {
  await mkdir(DOCS, { recursive: true });
  await page.screenshot({ path: join(DOCS, `${name}.png`), ...opts });
}

/** Waits until `status` is reached. */
export const until = (page, status, timeout = 180_000) =>
  waitFor(page, (st) => window.gradlab.store.get().status === st, status, timeout);

/** True when the document is wider than the viewport (horizontal scroll). */
export const hasHorizontalScroll = (page) => page.evaluate(() =>
  document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);

/** Builds the optimizer race (six runs: the "Compare optimizers" variation), starts it and waits until every run is past step 20. */
export async function startOptimizerRace(page) {
  await page.click('#race-optimizers');
  await waitFor(page, () => {
    const rs = window.gradlab.store.get().runs.filter((r) => r.id !== 'main');
    return rs.length === 6 && rs.every((r) => r.built && !r.building);
  }, undefined, 180_000);
  await page.click('#race-start');
  await waitFor(page, () => window.gradlab.store.get().runs.filter((r) => r.id !== 'main').every((r) => r.step > 20));
}
