// A light first visit (issue 14.4). The server counts what crosses the network
// — every request of every target (page, training worker, rayon helper workers,
// service worker and its offline copy), since all of them reach it — and the
// bytes it writes (headers + body, gzipped where GitHub Pages gzips). A first
// visit, the offline copy included, must stay within the budget with the default
// dataset, download no file twice and never fetch another wasm build than the one it runs.
// Issue 14's target is 2.5 MB. Wave 2 session 2 left 2.69 MB (the default dataset 1,943 kB,
// the threaded wasm 527 kB, ~85 JS/CSS files 184 kB, all gzipped, plus ~100 responses' headers).
// Session 3 reached 2.470 MB on both hosts: the dataset recompressed by Zopfli (byte-identical
// after gunzip: 1,838 kB), the page's JS bundled and minified by esbuild in scripts/build (55 +
// 12 modules → 8 files, 92 kB) and the offline copy taking what the HTTP cache holds without
// revalidating it (~70 304s fewer). The budget is the target.
// The total, the requests and bytes per kind, and the time until Start is enabled (with when
// each kind was served before it) are printed as figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, waitFor } from './browser.mjs';

const BUDGET = 2.5e6;

/** One first visit: returns the served requests, the ready time and the precache answer. */
async function firstVisit({ coi }) {
  const served = [];
  let t0 = Date.now();
  const b = await open({ coi, onServe: (r) => served.push({ ...r, atMs: Date.now() - t0 }) });
  try {
    await b.page.addInitScript(() => {
      window.addEventListener('gradlab-offline-ready', (e) => { window.__offline = e.detail; });
    });
    t0 = Date.now();
    await b.page.goto(b.server.url);
    await b.page.locator('#start:not([disabled])').waitFor({ timeout: 60_000 });
    const readyMs = Date.now() - t0;
    const offline = await waitFor(b.page, () => window.__offline);
    const mode = await waitFor(b.page, () => window.gradlab?.state.mode);
    assert.deepEqual(b.errors, []);
    return { served: [...served], readyMs, offline, build: mode.build };
  } finally {
    await b.close();
  }
}

/** The kind of a served path: wasm, data (datasets/), js, css, html, other. */
function kindOf(path) {
  if (path.startsWith('/datasets/')) return 'data';
  if (path.endsWith('/') || path.endsWith('.html')) return 'html';
  const ext = path.slice(path.lastIndexOf('.') + 1);
  return { wasm: 'wasm', js: 'js', mjs: 'js', css: 'css' }[ext] ?? 'other';
}

/** "data 4 × 1838.4 kB, wasm 1 × 526.6 kB, …": requests and bytes per kind, heaviest kind first. */
function breakdown(served) {
  const kinds = new Map();
  for (const r of served) {
    const k = kinds.get(kindOf(r.path)) ?? { n: 0, bytes: 0 };
    k.n += 1;
    k.bytes += r.bytes;
    kinds.set(kindOf(r.path), k);
  }
  return [...kinds].sort((a, b) => b[1].bytes - a[1].bytes)
    .map(([k, { n, bytes }]) => `${k} ${n} × ${(bytes / 1e3).toFixed(1)} kB`).join(', ');
}

/** When the first and last request of each kind finished (ms after navigation), until `untilMs`. */
function timeline(served, untilMs) {
  const at = new Map();
  for (const r of served.filter((s) => s.atMs <= untilMs)) {
    const k = kindOf(r.path);
    const t = at.get(k) ?? [r.atMs, r.atMs];
    at.set(k, [Math.min(t[0], r.atMs), Math.max(t[1], r.atMs)]);
  }
  return [...at].sort((a, b) => a[1][0] - b[1][0]).map(([k, [a, z]]) => `${k} ${a}–${z} ms`).join(', ');
}

function check(label, { served, readyMs, offline, build }) {
  assert.equal(offline.error, undefined, `offline copy failed: ${offline.error}`);
  const bytes = served.reduce((sum, r) => sum + r.bytes, 0);
  const downloads = new Map(); // path → bodies sent (200s); 304s only revalidate
  for (const r of served) if (r.status === 200) downloads.set(r.path, (downloads.get(r.path) ?? 0) + 1);
  const revalidated = served.filter((r) => r.status === 304).length;
  const heavy = [...served].sort((a, b) => b.bytes - a.bytes).slice(0, 5)
    .map((r) => `${r.path} ${(r.bytes / 1e3).toFixed(0)} kB`).join(', ');
  console.log(`# ${label}: ${served.length} requests (${revalidated} revalidated, 304), `
    + `${(bytes / 1e6).toFixed(3)} MB transferred (${bytes} bytes), Start enabled after ${readyMs} ms; `
    + `offline copy fetched ${offline.fetched} of ${offline.files} files; heaviest: ${heavy}`);
  console.log(`#   by kind (requests × bytes): ${breakdown(served)}`);
  console.log(`#   served before Start was enabled (first–last response per kind): ${timeline(served, readyMs)}`);
  const twice = [...downloads].filter(([, n]) => n > 1).map(([p, n]) => `${p} ×${n}`);
  assert.deepEqual(twice, [], 'no file is downloaded twice');
  assert.ok(served.some((r) => r.path === `/${build}/gradlab_bg.wasm`), `the page's own build (${build}) is counted`);
  assert.deepEqual(served.filter((r) => r.path.startsWith('/pkg-') && !r.path.startsWith(`/${build}/`)).map((r) => r.path), [],
    `the page runs ${build} and never fetches another wasm build`);
  assert.ok(served.some((r) => r.path.startsWith('/datasets/mnist-small/')), 'the default dataset is counted');
  assert.ok(bytes <= BUDGET, `first visit ${(bytes / 1e6).toFixed(3)} MB > ${BUDGET / 1e6} MB`);
}

test('first visit on a COOP/COEP server (scripts/serve): within budget, nothing downloaded twice', async () => {
  check('COOP/COEP server', await firstVisit({ coi: true }));
});

test('first visit on a header-less host (GitHub Pages, service worker isolation): within budget, nothing twice', async () => {
  check('header-less host', await firstVisit({ coi: false }));
});
