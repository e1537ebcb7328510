// Service worker: (1) makes the page cross-origin isolated where the host
// cannot send headers (GitHub Pages) by adding COOP/COEP to same-origin
// responses, so wasm threads work; (2) keeps a copy of every same-origin file
// it served, so the playground works offline once loaded (network first,
// cache when offline).
const CACHE = 'gradient-lab-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page asks for the offline copy once it has loaded (js/coi.js), so
// caching never delays the first start: every file in precache.json (written
// by scripts/build) is fetched into the cache. Answers {type:'precached', files}.
let precaching = null; // one download per worker lifetime, shared by all pages

async function precache() {
  const base = self.registration.scope;
  const list = await (await fetch(new URL('precache.json', base), { cache: 'no-cache' })).json();
  const cache = await caches.open(CACHE);
  // '' is the scope itself (…/REPO/), the URL a visitor navigates to.
  await cache.addAll(['', ...list].map((path) => new URL(path, base).href));
  return list.length;
}

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'precache') return;
  precaching ??= precache().catch((err) => { precaching = null; throw err; });
  event.waitUntil(precaching
    .then((files) => event.source?.postMessage({ type: 'precached', files }))
    .catch((err) => event.source?.postMessage({ type: 'precached', error: String(err) })));
});

function isolate(response) {
  if (response.status === 0) return response; // opaque: cannot be changed
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  if (req.cache === 'only-if-cached' && req.mode !== 'same-origin') return;
  event.respondWith((async () => {
    try {
      const res = await fetch(req);
      if (res.ok && !req.headers.has('range')) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(req, copy)).catch(() => {});
      }
      return isolate(res);
    } catch (err) {
      const cached = await caches.match(req, { ignoreSearch: true });
      if (cached) return isolate(cached);
      throw err;
    }
  })());
});
