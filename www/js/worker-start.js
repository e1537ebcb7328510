// The training worker's entry (boot.js and engine.js create it). It has no static import, so it runs as
// soon as it has arrived (issue 14.4, page ready sooner): it begins the wasm's download at once, keeps
// the page's messages that arrive meanwhile, and loads worker.js, which takes both over
// (self.gradlabStart). Left to worker.js, the download began only after worker.js's module graph,
// then gradlab.js and the rayon snippet it imports, had arrived one after the other (~0.3-0.4 s on a
// first visit). It is the URL the wasm-bindgen bindings would fetch (gradlab_bg.wasm beside
// gradlab.js): the service worker and the HTTP cache see one request.
const pkg = self.crossOriginIsolated ? '../pkg-threads/' : '../pkg-st/';
const early = [];
self.onmessage = (e) => early.push(e);
const wasm = fetch(new URL(`${pkg}gradlab_bg.wasm`, import.meta.url));
wasm.catch(() => {});   // a failed download is reported by worker.js's boot (the bindings' init rethrows it)
self.gradlabStart = { pkg, wasm, early };
import('./worker.js').catch((err) => {
  self.postMessage({ type: 'error', for: 'boot', message: `the training engine could not load (${err?.message ?? err})` });
});
