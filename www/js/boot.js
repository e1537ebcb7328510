// The page's entry module. It loads the app (js/app.js and its module graph)
// unless coi.js is about to reload this page for cross-origin isolation: that
// first, non-isolated load would fetch every module only for the reload to drop
// it, and a module still in flight at the reload is downloaded twice (issue 14.4).
// If the reload does not come (no service worker, or it never takes control),
// the app loads after all and runs single-threaded.
// The training worker starts first (engine.js has no imports: one request): it
// fetches and compiles the wasm while the app's ~55 modules arrive, instead of
// after them (issue 14.4: Start enabled sooner).
const WAIT_MS = 5000;
let loaded = false;
const load = () => {
  if (loaded) return;
  loaded = true;
  import('./engine.js').then((m) => m.sharedEngine());
  import('./app.js');
};
if (!window.gradlabCoiReload) load();
else {
  window.addEventListener('gradlab-coi-no-reload', load, { once: true });
  setTimeout(load, WAIT_MS);
}
