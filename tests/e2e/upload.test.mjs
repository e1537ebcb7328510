// "Upload data…" (issue 13): a generated CSV is previewed, its label column
// picked, trained on, kept over a reload and asked for where it is not stored;
// a broken CSV shows its line and column and changes nothing; an IDX pair
// (images gzipped) uploads; the export of an experiment on the CSV reads that
// file with pandas and compiles (`python3 -m py_compile`, skipped without python3);
// a dropped file is previewed; IDX files other than a link's are said to differ
// and can still be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { link, openPlayground, ready, shot, state, until, waitFor } from './playground-lib.mjs';

/** 60 rows, the label first ("species": 3 names), 3 numeric features that separate the classes. */
function flowersCsv() {
  const names = ['setosa', 'versicolor', 'virginica'];
  const lines = ['species,sepal,petal,width'];
  for (let i = 0; i < 60; i += 1) {
    const k = i % 3;
    lines.push(`${names[k]},${(k * 2 + (i % 7) / 10).toFixed(1)},${(k + (i % 5) / 10).toFixed(1)},${(0.5 + k + (i % 3) / 10).toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}
const CSV = { name: 'flowers.csv', mimeType: 'text/csv', buffer: Buffer.from(flowersCsv()) };

const choose = (page, files) => page.setInputFiles('#upload-data-input', files);
const previewShown = (page) => waitFor(page, () => !document.getElementById('upload-preview').hidden, undefined, 60_000);

test('a CSV is previewed, its label column picked, trained on and kept over a reload', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    await choose(page, CSV);
    await previewShown(page);
    // Without a label/target/class/y column the core suggests the last one.
    assert.match(await page.textContent('#upload-label'), /suggested: width/);
    assert.equal(await page.locator('.preview-table th').first().textContent(), 'species');
    await page.selectOption('#upload-label', '0');
    await waitFor(page, () => /3 classes: setosa, versicolor, virginica/.test(document.getElementById('upload-facts')?.textContent));
    // 60 rows, 20 % stratified to test: 4 of each class.
    assert.match(await page.textContent('#upload-facts'), /60 rows \(48 train, 12 test\) · 3 features/);
    await shot(page, 'upload-preview', { clip: await page.locator('#data-card').boundingBox() });
    await page.click('#upload-use');
    await waitFor(page, () => window.gradlab.store.get().config.dataset.startsWith('upload:flowers.csv@'));
    await ready(page);
    let s = await state(page);
    // The name says how the file was read (what the dialog detected and chose).
    assert.match(s.config.dataset, /^upload:flowers\.csv@[0-9a-f]{12}\(skip_lines=0,header=true,label=species,task=classification\)$/);
    assert.equal(s.inspection.ok, true, JSON.stringify(s.inspection?.problems));
    assert.equal(s.config.layers.at(-1).units, 3, 'the output layer adapted to the 3 classes');
    assert.equal(s.dataInfo.numClasses, 3);
    assert.deepEqual(s.dataInfo.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.ok(decodeURIComponent(page.url()).includes(`dataset=${s.config.dataset}`), 'the link names the file, hash and options');
    await page.click('#start');
    await until(page, 'finished', 120_000);
    assert.ok((await state(page)).step > 0);
    const dataset = s.config.dataset;

    await page.reload();
    await ready(page);
    s = await state(page);
    assert.equal(s.config.dataset, dataset);
    assert.equal(s.inspection.ok, true, JSON.stringify(s.inspection?.problems));
    assert.equal(s.dataInfo.numClasses, 3, 'the data came back from IndexedDB');
    assert.deepEqual(b.errors, []);

    // Elsewhere (a fresh browser profile) the link asks for the file by name and hash.
    const url = page.url();
    const other = await openPlayground({ hash: url.slice(url.indexOf('#')) });
    try {
      const notice = await other.page.textContent('#notice-text');
      assert.match(notice, /flowers\.csv \(sha256 [0-9a-f]{12}…\).*choose the file/);
      const o = await state(other.page);
      assert.equal(o.inspection.ok, false);
      assert.match(o.inspection.problems[0].message, /flowers\.csv.*not loaded here/);
      // Choosing the file there: tests/e2e/upload-link.test.mjs.
    } finally {
      await other.close();
    }
  } finally {
    await b.close();
  }
});

test('a broken CSV names its line and column and changes nothing', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    const before = (await state(page)).config;
    await choose(page, { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,label\n1,2,0\n3,x,1\n4,5,0\n') });
    await previewShown(page);
    const err = await page.textContent('#upload-preview-error');
    assert.match(err, /line 3/);
    assert.match(err, /column 2/);
    assert.equal(await page.isDisabled('#upload-use'), true);
    // A file that is not text at all: the error names it and the preview stays closed.
    await choose(page, { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from([0xff, 0xfe, 0, 1]) });
    await waitFor(page, () => /UTF-8/.test(document.getElementById('upload-preview-error')?.textContent ?? ''));
    assert.deepEqual((await state(page)).config, before);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

/** An IDX pair: `n` 8×8 images (class 1 bright, class 0 dark), images gzipped. */
function idxPair(n) {
  const images = Buffer.alloc(16 + n * 64);
  images.writeUInt32BE(0x00000803, 0);
  images.writeUInt32BE(n, 4);
  images.writeUInt32BE(8, 8);
  images.writeUInt32BE(8, 12);
  const labels = Buffer.alloc(8 + n);
  labels.writeUInt32BE(0x00000801, 0);
  labels.writeUInt32BE(n, 4);
  for (let i = 0; i < n; i += 1) {
    labels[8 + i] = i % 2;
    images.fill(i % 2 ? 200 + (i % 50) : i % 50, 16 + i * 64, 16 + (i + 1) * 64);
  }
  return [{ name: 'shapes-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: gzipSync(images) },
    { name: 'shapes-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: labels }];
}

test('an IDX images + labels pair uploads (gzip or not) and survives an engine restart', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    await choose(page, idxPair(50));
    await waitFor(page, () => window.gradlab.store.get().config.dataset.startsWith('upload:shapes-images'), undefined, 60_000);
    await ready(page);
    const s = await state(page);
    assert.equal(s.inspection.ok, true, JSON.stringify(s.inspection?.problems));
    // 50 images, 25 per class; 20 % of each class (5) to test.
    assert.deepEqual([s.dataInfo.sampleShape, s.dataInfo.numClasses, s.dataInfo.test], [[8, 8, 1], 2, 10]);
    // After a crash the engine is replaced (engine.js); the upload is sent again before the run is rebuilt.
    await page.click('#step');
    await waitFor(page, () => window.gradlab.store.get().step === 1);
    await page.evaluate(() => window.gradlab.engine.restart('a simulated crash'));
    const text = await waitFor(page, () => /restarted/.test(window.gradlab.store.get().runError ?? '')
      && window.gradlab.store.get().runError, undefined, 60_000);
    assert.match(text, /Rebuilt the model/);
    assert.doesNotMatch(text, /could not be rebuilt/);
    await ready(page);
    const step = (await state(page)).step;
    await page.click('#step');
    await waitFor(page, (n) => window.gradlab.store.get().step === n + 1, step);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

const hasPython = () => { try { execFileSync('python3', ['--version']); return true; } catch { return false; } };

test('the export of an experiment on an uploaded CSV reads it with pandas and compiles', async () => {
  const b = await openPlayground();
  const { page } = b;
  const dir = await mkdtemp(join(tmpdir(), 'gradlab-upload-e2e-'));
  try {
    await choose(page, CSV);
    await previewShown(page);
    await page.selectOption('#upload-label', '0');
    await page.selectOption('#upload-scaling', 'min_max');
    await waitFor(page, () => /3 classes/.test(document.getElementById('upload-facts')?.textContent));
    await page.click('#upload-use');
    await waitFor(page, () => window.gradlab.store.get().config.dataset.startsWith('upload:'));
    await ready(page);
    const files = [];
    const got = new Promise((resolve) => {
      page.on('download', async (d) => {
        files.push({ name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') });
        if (files.length === 2) resolve();
      });
    });
    await page.click('#export-keras');
    await got;
    const nbFile = files.find((f) => f.name.endsWith('.ipynb'));
    assert.equal(nbFile.name, 'gradlab-flowers.ipynb');
    const nb = JSON.parse(nbFile.text);
    assert.equal(nb.nbformat, 4);
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n\n');
    assert.match(code, /read_csv/);
    assert.match(code, /flowers\.csv/);
    assert.match(code, /species/);
    if (hasPython()) {
      await writeFile(join(dir, 'nb.py'), code);
      execFileSync('python3', ['-m', 'py_compile', join(dir, 'nb.py')]);
    }
    assert.match(await page.textContent('#export-note'), /Put flowers\.csv beside them/);
    assert.deepEqual(b.errors, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await b.close();
  }
});

test('a CSV dropped on the upload zone is previewed like a chosen one', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      document.getElementById('upload-data').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, flowersCsv());
    await previewShown(page);
    assert.match(await page.textContent('#upload-preview h4'), /^dropped\.csv sha256 [0-9a-f]{12}…/);
    assert.match(await page.textContent('#upload-facts'), /60 rows/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('IDX files other than a link\'s are said to differ and can still be used', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'upload:shapes-images-idx3-ubyte.gz@0123456789ab' }) });
  const { page } = b;
  try {
    await choose(page, idxPair(50));
    await waitFor(page, () => /Use these files anyway/.test(document.getElementById('notice-actions').textContent));
    assert.match(await page.textContent('#notice-text'), /but the experiment uses shapes-images-idx3-ubyte\.gz@0123456789ab: the results will differ/);
    assert.equal((await state(page)).config.dataset, 'upload:shapes-images-idx3-ubyte.gz@0123456789ab', 'nothing changed yet');
    await page.getByRole('button', { name: 'Use these files anyway' }).click();
    await waitFor(page, () => /^upload:shapes-images-idx3-ubyte\.gz@(?!0123456789ab)[0-9a-f]{12}$/.test(window.gradlab.store.get().config.dataset),
      undefined, 60_000);
    await ready(page);
    assert.equal((await state(page)).inspection.ok, true);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
