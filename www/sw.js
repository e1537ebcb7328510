// Service worker: (1) makes the page cross-origin isolated where the host
// cannot send headers (GitHub Pages) by adding COOP/COEP to same-origin
// responses, so wasm threads work; (2) keeps the offline copy: every
// same-origin file it serves goes into its cache as it serves it (network
// first, cache when offline), and once the page is idle it fetches only what
// is still missing, so the first visit downloads no file twice.
const CACHE = 'gradient-lab-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// Fetches in flight and cache writes pending: the offline copy waits until both are done.
let inflight = 0;
const puts = new Set();
let lastActivity = 0;
const QUIET_MS = 1000;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Resolves once no fetch went through this worker for QUIET_MS and every cache write is done. */
async function quiet() {
  for (;;) {
    await Promise.allSettled([...puts]);
    const idleFor = performance.now() - lastActivity;
    if (inflight === 0 && puts.size === 0 && idleFor >= QUIET_MS) return;
    await sleep(Math.max(100, QUIET_MS - idleFor));
  }
}

// The page asks for the offline copy once it is idle (js/coi.js), naming the
// wasm build its training worker runs (js/wasm-build.js decides) and saying
// whether it is cross-origin isolated. precache.json (written by scripts/build)
// lists the files of all three wasm builds; only the build this browser runs is
// fetched (when the page could not name it: pkg-threads when isolated, pkg-st
// otherwise): an offline reload runs in the same browser, hence with the same
// build. Files already in the cache (served during this visit) are skipped, and
// the missing ones are taken from the HTTP cache when it has them (no request at
// all), so nothing the page loaded is downloaded or even revalidated again.
// The page also names the files of the datasets it built models on: on a first
// visit they may have been fetched before this worker controlled the page.
// Answers {type:'precached', files, fetched}.
let precaching = null; // one run per worker lifetime, shared by all pages
const BUILD = /^pkg-[a-z-]+$/; // a wasm build's folder name, as a page names it
const DATASET_FILE = /^datasets\/[a-z0-9-]+(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)?\.(gz|csv)$/; // as a page names one

async function precache(isolated, build, used) {
  await quiet();
  const base = self.registration.scope;
  const list = await (await fetch(new URL('precache.json', base), { cache: 'no-cache' })).json();
  const cache = await caches.open(CACHE);
  const keep = `${build ?? (isolated ? 'pkg-threads' : 'pkg-st')}/`;
  let fetched = 0;
  // '' is the scope itself (…/REPO/), the URL a visitor navigates to; index.html is the same file.
  for (const path of new Set(['', ...list, ...used])) {
    if (path.startsWith('pkg-') && !path.startsWith(keep)) continue;
    const url = new URL(path, base).href;
    if (await cache.match(url, { ignoreSearch: true })) continue;
    const twin = path === 'index.html' ? base : path === '' ? `${base}index.html` : null;
    const alias = twin && await cache.match(twin);
    if (alias) {
      await cache.put(url, alias);
      continue;
    }
    // 'force-cache': a file the page loaded during this visit is in the HTTP cache, fresh (it was
    // revalidated moments ago): take it from there without asking the server again (a 304 costs
    // a round trip and its headers, ×70 files on a first visit the worker did not yet control).
    const res = await fetch(url, { cache: 'force-cache' });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    await cache.put(url, res);
    fetched += 1;
  }
  return { files: list.length, fetched };
}

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'precache') return;
  const build = BUILD.test(event.data.build ?? '') ? event.data.build : undefined;
  const used = (Array.isArray(event.data.files) ? event.data.files : []).filter((f) => DATASET_FILE.test(f));
  precaching ??= precache(event.data.isolated !== false, build, used).catch((err) => { precaching = null; throw err; });
  event.waitUntil(precaching
    .then((done) => event.source?.postMessage({ type: 'precached', ...done }))
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

/** Keeps a copy of a response it serves (the offline copy), tracked so precache() can wait for it. */
function keep(req, res) {
  if (!res.ok || req.headers.has('range')) return;
  const copy = res.clone();
  const put = caches.open(CACHE).then((c) => c.put(req, copy)).catch(() => {});
  puts.add(put);
  put.finally(() => puts.delete(put));
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  if (req.cache === 'only-if-cached' && req.mode !== 'same-origin') return;
  event.respondWith((async () => {
    inflight += 1;
    lastActivity = performance.now();
    try {
      const res = await fetch(req);
      keep(req, res);
      return isolate(res);
    } catch (err) {
      const cached = await caches.match(req, { ignoreSearch: true });
      if (cached) return isolate(cached);
      throw err;
    } finally {
      inflight -= 1;
      lastActivity = performance.now();
    }
  })());
});
