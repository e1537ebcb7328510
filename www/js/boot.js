// The page's entry module. It loads the app (js/app.js and its module graph)
// unless coi.js is about to reload this page for cross-origin isolation: that
// first, non-isolated load would fetch every module only for the reload to drop
// it, and a module still in flight at the reload is downloaded twice (issue 14.4).
// If the reload does not come (no service worker, or it never takes control),
// the app loads after all and runs single-threaded.
// The training worker starts first, created right here: it fetches and compiles
// the wasm while the app's modules arrive, instead of after them (issue 14.4:
// Start enabled sooner). Not even the engine's module is awaited (it shares a
// chunk with the app: ~0.3 s later on a first visit); engine.js adopts the
// worker together with what it posted meanwhile (window.gradlabWorker). IndexedDB opens here too
// (window.gradlabKv, adopted by app.js): on a first visit creating the database took up to
// ~0.27 s, which the app then waited for before it could read the saved settings.
import { linkDataset } from './link-dataset.js';
import { openStore } from './store.js';
import { workerUrl } from './wasm-build.js';

const WAIT_MS = 5000;
let loaded = false;
const load = () => {
  if (loaded) return;
  loaded = true;
  const worker = new Worker(workerUrl(), { type: 'module' });
  const early = [];
  worker.onmessage = (e) => early.push(e);
  worker.onerror = (e) => early.push(e);
  window.gradlabWorker = { worker, early };
  window.gradlabKv = openStore();
  // The dataset the link names downloads while the wasm compiles (the worker ignores an unknown name).
  const dataset = linkDataset(location.hash, location.search);
  if (dataset) worker.postMessage({ type: 'prefetch', dataset });
  import('./engine.js').then((m) => m.sharedEngine());
  import('./app.js');
};
if (!window.gradlabCoiReload) load();
else {
  window.addEventListener('gradlab-coi-no-reload', load, { once: true });
  setTimeout(load, WAIT_MS);
}
