// The dataset a page link names, read by boot.js before the app and the core's
// schema have loaded, so that the training worker fetches its files while the
// wasm compiles (issue 14.4: Start enabled sooner): the `dataset` field of the
// link form (url.js), or the `dataset` of a `#config=` JSON; DEFAULT_DATASET
// when the link names no experiment. Only a hint: the worker ignores a name
// that is not a bundled dataset, and the page still reads the link in full
// (url.js). Pure module.

/** The dataset of the first visit's experiment (state.js defaultConfig). */
export const DEFAULT_DATASET = 'mnist';

/** The dataset `hash` (location.hash) names, DEFAULT_DATASET without one, null when unknown yet (a lesson link). */
export function linkDataset(hash, search = '') {
  if (new URLSearchParams(search).has('lesson')) return null;   // lessons.js names it
  const parts = String(hash ?? '').replace(/^#/, '').split('&').filter(Boolean);
  if (!parts.length) return DEFAULT_DATASET;
  const field = (k) => {
    const p = parts.find((x) => x.startsWith(`${k}=`));
    try { return p === undefined ? null : decodeURIComponent(p.slice(k.length + 1)); } catch { return null; }
  };
  const config = field('config');
  if (config === null) return field('dataset');
  try {
    const d = JSON.parse(config)?.dataset;
    return typeof d === 'string' ? d : null;
  } catch {
    return null;
  }
}
