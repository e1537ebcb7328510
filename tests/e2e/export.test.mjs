// "Export to Keras": the button downloads a Python script and a Jupyter
// notebook; the notebook's JSON parses (nbformat 4), the script is the
// notebook's code, and both compile with `python3 -m py_compile` (skipped when
// python3 is missing). After training, the current weights are embedded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPlayground, link, until, waitFor } from './playground-lib.mjs';

function hasPython() {
  try { execFileSync('python3', ['--version']); return true; } catch { return false; }
}

/** Clicks Export and returns the two downloads' texts by extension. */
async function exportFiles(page) {
  const files = [];
  const got = new Promise((resolve) => {
    page.on('download', async (d) => {
      files.push({ name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') });
      if (files.length === 2) resolve();
    });
  });
  await page.click('#export-keras');
  await got;
  await waitFor(page, () => /Downloaded/.test(document.getElementById('export-note').textContent));
  return Object.fromEntries(files.map((f) => [f.name.split('.').pop(), f]));
}

async function pyCompile(dir, name, code) {
  if (!hasPython()) return;
  const path = join(dir, name);
  await writeFile(path, code);
  execFileSync('python3', ['-m', 'py_compile', path]);
}

test('Export to Keras downloads a script and a notebook that compile', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'iris', layers: 'Dense(16,relu);Dense(3,softmax)', epochs: 2,
    validation_split: 0, batch_size: 16 }) });
  const { page } = b;
  const dir = await mkdtemp(join(tmpdir(), 'gradlab-export-e2e-'));
  try {
    const { py, ipynb } = await exportFiles(page);
    assert.equal(py.name, 'gradlab-iris.py');
    assert.equal(ipynb.name, 'gradlab-iris.ipynb');
    const nb = JSON.parse(ipynb.text);
    assert.equal(nb.nbformat, 4);
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n\n');
    assert.match(code, /layers\.Dense\(16, activation="relu"\)/);
    assert.match(code, /load_iris/);
    assert.doesNotMatch(code, /set_weights/, 'untrained: no weights embedded');
    for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) {
      assert.ok(py.text.includes(cell.source.join('').trimEnd()), 'the script holds every code cell');
    }
    await pyCompile(dir, 'script.py', py.text);
    await pyCompile(dir, 'notebook.py', code);

    await page.click('#start');
    await until(page, 'finished', 120_000);
    const trained = await exportFiles(page);
    assert.match(trained.py.text, /model\.layers\[0\]\.set_weights\(/);
    assert.match(await page.textContent('#export-note'), /with the weights of step 16/);
    await pyCompile(dir, 'trained.py', trained.py.text);
    assert.deepEqual(b.errors, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await b.close();
  }
});

// The round trip back: the file the exported notebook's last cell wrote in a
// Keras 3.15.1 / TF 2.21 run of tests/golden/diabetes-sgd.py (720 steps) is
// uploaded; the page builds its experiment and predicts with Keras' weights.
// The file keeps its "checksum" (CRC-32 of the weights, contracts §5), which the page checks.
test('a model file written by the exported notebook loads in the page', async () => {
  const fixture = join(import.meta.dirname, '..', '..', 'crate', 'tests', 'golden', 'keras-diabetes-model.json');
  const file = JSON.parse(await readFile(fixture, 'utf8'));
  const b = await openPlayground();
  const { page } = b;
  try {
    await page.setInputFiles('#upload', { name: 'gradlab-model.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)) });
    await waitFor(page, () => /Loaded gradlab-model\.json/.test(document.getElementById('keep-status').textContent),
      undefined, 120_000);
    const s = await page.evaluate(() => window.gradlab.store.get());
    assert.deepEqual([s.config.dataset, s.step, s.config.layers.length], ['diabetes', 720, 3]);
    // Its prediction for an all-zero (= mean, standardised) patient is Keras' bias path:
    // relu(b0) · W2 + b2, with the weights from the file.
    const f32 = (w) => new Float32Array(Uint8Array.from(Buffer.from(w.data, 'base64')).buffer);
    const [b0, w2, b2] = [f32(file.weights[1]), f32(file.weights[2]), f32(file.weights[3])];
    let want = b2[0];
    for (let j = 0; j < b0.length; j++) want += Math.max(0, b0[j]) * w2[j];
    const { output } = await page.evaluate(() => window.gradlab.engine.request('predict', { input: new Float32Array(10) }));
    assert.ok(Math.abs(output[0] - want) < 1e-3 * Math.max(1, Math.abs(want)), `${output[0]} vs ${want}`);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
