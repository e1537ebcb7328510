// Benchmark (not a test): a large CSV upload (issue 13, ≥ 50 MB) in headless
// Chromium on the built site:
//   node tests/e2e/upload-bench.mjs [megabytes=50]
// Prints the seconds until the preview shows and until "Use this data" is
// checked, how many distinct parse percentages the bar showed, and the longest
// gaps between animation frames on the main thread during the whole upload
// (the page must keep painting: the worker parses in slices).
// Compare with the same gaps on an idle page: node tests/e2e/upload-bench.mjs 0
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, waitFor } from './browser.mjs';

const MB = Number(process.argv[2] ?? 50);
const dir = await mkdtemp(join(tmpdir(), 'gradlab-upload-bench-'));
const path = join(dir, 'big.csv');
const rows = ['a,b,c,d,e,label\n'];
let size = 0;
for (let i = 0; size < MB * 1e6; i += 1) {
  const l = `${(i % 97) / 10},${(i % 89) / 7},${(i % 83) / 3},${(i % 79) / 11},${(i % 73) / 13},${i % 3}\n`;
  rows.push(l);
  size += l.length;
}
await writeFile(path, rows.join(''));
const b = await open({});
try {
  await b.page.goto(b.server.url);
  await waitFor(b.page, () => ['idle', 'paused'].includes(window.gradlab?.store.get().status), undefined, 120_000);
  await b.page.evaluate(() => {
    window.__gaps = [];
    let last = performance.now();
    const f = (t) => { window.__gaps.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(f); };
    requestAnimationFrame(f);
    window.__texts = [];
    const el = document.getElementById('upload-progress-text');
    new MutationObserver(() => window.__texts.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
  const t0 = Date.now();
  if (MB > 0) {
    await b.page.setInputFiles('#upload-data-input', path, { timeout: 300_000 });
    await waitFor(b.page, () => !document.getElementById('upload-preview').hidden
      || !document.getElementById('upload-error').hidden, undefined, 600_000);
    const t1 = Date.now();
    const err = await b.page.textContent('#upload-error');
    if (err) throw new Error(err);
    console.log(`${(size / 1e6).toFixed(1)} MB, ${rows.length - 1} rows: preview after ${((t1 - t0) / 1e3).toFixed(1)} s`);
    const pct = await b.page.evaluate(() => new Set(window.__texts.filter((t) => t.startsWith('Parsing')).map((t) => /(\d+) %/.exec(t)?.[1])).size);
    console.log(`the bar showed ${pct} distinct parse percentages before the preview`);
    await b.page.click('#upload-use');
    await waitFor(b.page, () => window.gradlab.store.get().inspection?.ok
      && window.gradlab.store.get().config.dataset.startsWith('upload:'), undefined, 600_000);
    console.log(`used (imported, registered, checked) ${((Date.now() - t1) / 1e3).toFixed(1)} s later`);
  } else await new Promise((r) => { setTimeout(r, 30_000); });
  const gaps = await b.page.evaluate(() => { window.__stop = true; return window.__gaps; });
  gaps.sort((x, y) => y - x);
  console.log(`${gaps.length} frames in ${((Date.now() - t0) / 1e3).toFixed(1)} s; longest gaps between frames (ms): `
    + `${gaps.slice(0, 5).map((g) => g.toFixed(0)).join(', ')}; page errors: ${b.errors.length}`);
} finally {
  await b.close();
  await rm(dir, { recursive: true, force: true });
}
