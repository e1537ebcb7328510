// A large CSV upload (issue 13.1) is parsed in the worker in slices: the bar
// shows the bytes parsed (a percentage that moves), the page answers other
// controls meanwhile (an edit is checked by the worker between slices), and
// Cancel stops it with nothing changed. The test file is a few MB read in
// 16 KiB slices (testing.js uploadSlice) so it takes hundreds of steps; the
// 50 MB case is measured by `node tests/e2e/upload-bench.mjs 50`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPlayground, waitFor } from './playground-lib.mjs';

/** About `mb` MB of a 6-column numeric table with a label column. */
function bigCsv(mb) {
  const rows = ['a,b,c,d,e,label\n'];
  let size = 0;
  for (let i = 0; size < mb * 1e6; i += 1) {
    const l = `${(i % 97) / 10},${(i % 89) / 7},${(i % 83) / 3},${(i % 79) / 11},${(i % 73) / 13},${i % 3}\n`;
    rows.push(l);
    size += l.length;
  }
  return rows.join('');
}

test('a large CSV shows real parse progress, the page answers meanwhile, and Cancel changes nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gradlab-upload-progress-'));
  const path = join(dir, 'big.csv');
  await writeFile(path, bigCsv(12));
  const b = await openPlayground();
  const { page } = b;
  try {
    await page.evaluate(() => window.gradlab.uploadSlice(16 * 1024));
    const before = await page.evaluate(() => window.gradlab.store.get().config);
    await page.evaluate(() => {
      window.seen = [];
      const el = document.getElementById('upload-progress-text');
      new MutationObserver(() => window.seen.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.setInputFiles('#upload-data-input', path);
    await waitFor(page, () => /^Parsing big\.csv: \d+ %/.test(document.getElementById('upload-progress-text').textContent));

    // Another control while parsing: the edit reaches the store and the worker checks it between slices.
    await page.evaluate(() => { window.inspectionBefore = window.gradlab.store.get().inspection; });
    await page.fill('#fit-epochs', '7');
    await waitFor(page, () => {
      const s = window.gradlab.store.get();
      return s.config.epochs === 7 && !s.checking && s.inspection !== window.inspectionBefore;
    });
    assert.equal(await page.isVisible('#upload-progress'), true, 'the edit was answered while the file was still parsed');
    assert.match(await page.textContent('#upload-progress-text'), /^Parsing big\.csv/);

    await page.click('#upload-cancel');
    await waitFor(page, () => document.getElementById('upload-progress').hidden);
    const percents = await page.evaluate(() => [...new Set(window.seen.map((t) => /^Parsing big\.csv: (\d+) %/.exec(t)?.[1])
      .filter(Boolean).map(Number))]);
    assert.ok(percents.length >= 2, `the percentage moved: ${percents}`);
    assert.ok(percents.every((p, i) => i === 0 || p > percents[i - 1]), `and only forwards: ${percents}`);
    // Nothing changed: the experiment (with the edit made meanwhile), no preview, no error; the worker
    // answers (a round trip after the cancel) and still shows no preview.
    await page.evaluate(() => window.gradlab.engine.request('stats'));
    assert.deepEqual(await page.evaluate(() => window.gradlab.store.get().config), { ...before, epochs: 7 });
    assert.equal(await page.isHidden('#upload-preview'), true);
    assert.equal(await page.isHidden('#upload-error'), true);
    // The next file is read as usual.
    await page.setInputFiles('#upload-data-input', { name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(bigCsv(0.01)) });
    await waitFor(page, () => !document.getElementById('upload-preview').hidden, undefined, 60_000);
    assert.match(await page.textContent('#upload-facts'), /3 classes/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await rm(dir, { recursive: true, force: true });
  }
});
