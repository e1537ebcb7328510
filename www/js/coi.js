// Classic script, loaded first. Registers the service worker (sw.js) that adds
// the cross-origin isolation headers a static host cannot send, and reloads
// the page at most ONCE when that worker has just taken control. If the page
// is still not isolated after that reload, it runs single-threaded and says so
// (no reload loop). Set `window.GRADLAB_NO_SW = true` before this script to skip it.
(function () {
  const KEY = 'gradlab-coi-reloaded';
  if (window.GRADLAB_NO_SW || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const swUrl = new URL('../sw.js', document.currentScript.src);
  // A page about to reload for isolation leaves the offline copy to the reloaded page,
  // which knows which wasm build this browser runs.
  const willReload = !window.crossOriginIsolated && !sessionStorage.getItem(KEY);
  // boot.js holds the app back while a reload is coming; 'gradlab-coi-no-reload' releases it.
  window.gradlabCoiReload = willReload;
  const noReload = () => window.dispatchEvent(new Event('gradlab-coi-no-reload'));
  // Once the page is ready (Start enabled: the wasm and the default dataset are in, so the
  // HTTP cache holds them; at most 30 s) and idle, ask the worker to complete the offline copy,
  // naming the wasm build the training worker loaded (app.js sets data-wasm; js/wasm-build.js) and
  // the files of the datasets its models were built on (data-offline, also set by app.js).
  navigator.serviceWorker.addEventListener('message', ({ data }) => {
    if (data?.type === 'precached') window.dispatchEvent(new CustomEvent('gradlab-offline-ready', { detail: data }));
  });
  const askPrecache = () => {
    const idle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
    const send = () => idle(() => navigator.serviceWorker.ready.then((reg) =>
      reg.active?.postMessage({ type: 'precache', isolated: window.crossOriginIsolated,
        build: document.documentElement.dataset.wasm,
        files: (document.documentElement.dataset.offline ?? '').split(' ').filter(Boolean) })), { timeout: 5000 });
    const since = Date.now();
    const poll = setInterval(() => {
      const start = document.getElementById('start');
      if ((start && !start.disabled) || Date.now() - since > 30_000) { clearInterval(poll); send(); }
    }, 250);
  };
  if (!willReload) {
    if (document.readyState === 'complete') askPrecache(); else window.addEventListener('load', askPrecache, { once: true });
  }
  navigator.serviceWorker.register(swUrl, { scope: new URL('./', swUrl).pathname }).then(() => {
    if (window.crossOriginIsolated) { sessionStorage.removeItem(KEY); return; }
    if (!willReload) return; // reloaded once already: use the fallback
    const reloadOnce = () => { sessionStorage.setItem(KEY, '1'); location.reload(); };
    if (navigator.serviceWorker.controller) reloadOnce();
    else navigator.serviceWorker.addEventListener('controllerchange', reloadOnce, { once: true });
  }).catch((err) => { console.warn('service worker not registered:', err); noReload(); });
})();
