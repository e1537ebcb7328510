// Classic script, loaded first. Registers the service worker (sw.js) that adds
// the cross-origin isolation headers a static host cannot send, and reloads
// the page at most ONCE when that worker has just taken control. If the page
// is still not isolated after that reload, it runs single-threaded and says so
// (no reload loop). Set `window.GRADLAB_NO_SW = true` before this script to skip it.
(function () {
  const KEY = 'gradlab-coi-reloaded';
  if (window.GRADLAB_NO_SW || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const swUrl = new URL('../sw.js', document.currentScript.src);
  // Once loaded, ask the worker to keep an offline copy of the whole page.
  navigator.serviceWorker.addEventListener('message', ({ data }) => {
    if (data?.type === 'precached') window.dispatchEvent(new CustomEvent('gradlab-offline-ready', { detail: data }));
  });
  const askPrecache = () => navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage({ type: 'precache' }));
  if (document.readyState === 'complete') askPrecache(); else window.addEventListener('load', askPrecache, { once: true });
  navigator.serviceWorker.register(swUrl, { scope: new URL('./', swUrl).pathname }).then(() => {
    if (window.crossOriginIsolated) { sessionStorage.removeItem(KEY); return; }
    if (sessionStorage.getItem(KEY)) return; // reloaded once already: use the fallback
    const reloadOnce = () => { sessionStorage.setItem(KEY, '1'); location.reload(); };
    if (navigator.serviceWorker.controller) reloadOnce();
    else navigator.serviceWorker.addEventListener('controllerchange', reloadOnce, { once: true });
  }).catch((err) => console.warn('service worker not registered:', err));
})();
