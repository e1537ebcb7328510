// Playground, "Keep & share": reload restores the trained model (identical
// predictions), its history and charts; model files download and upload; bad
// files are rejected with a message and change nothing; a saved model for a
// different link is offered; "Start fresh" forgets everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openPlayground, ready, state, until, waitFor, link, shot } from './playground-lib.mjs';

/** The model's outputs for the first 3 test images (u8 / 255, the dataset's scaling). */
const predictFixed = (page) => page.evaluate(async () => {
  const e = window.gradlab.engine;
  const s = await e.request('samples', { split: 'test', indices: [0, 1, 2] });
  const { output } = await e.request('predict', { input: Float32Array.from(s.x, (v) => v / 255) });
  return Array.from(output);
});

const upload = (page, name, text) => page.setInputFiles('#upload', { name, mimeType: 'application/json', buffer: Buffer.from(text) });

test('reload restores the trained model; files download and upload; bad files change nothing', async () => {
  const hash = link({ epochs: 1 });
  const b = await openPlayground({ hash });
  const { page } = b;
  try {
    await page.click('#start');
    await until(page, 'finished', 600_000);
    await waitFor(page, () => /Saved in this browser/.test(document.getElementById('keep-status').textContent));
    const before = await predictFixed(page);
    const steps = (await state(page)).step;
    assert.equal(steps, 282);  // ceil(9,000 / 32)

    await page.reload();
    await ready(page);
    await waitFor(page, () => /Restored your model/.test(document.getElementById('keep-status').textContent));
    const s = await state(page);
    assert.deepEqual([s.status, s.step, s.epoch], ['finished', 282, 1]);
    assert.deepEqual(await predictFixed(page), before, 'same predictions after reload');
    assert.equal(await page.locator('#history-table tbody tr').count(), 1);
    assert.equal(await page.evaluate(() => window.gradlab.watch.charts().loss.pointCount('train')), 282);

    // Download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.equal(download.suggestedFilename(), 'gradlab-mnist-step282.json');
    const file = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(file.format, 'gradlab-model');
    assert.equal(file.step, 282);

    // Bad files: each rejected with its reason; the model is untouched.
    await upload(page, 'notes.json', 'hello');
    await waitFor(page, () => !document.getElementById('keep-error').hidden);
    assert.match(await page.locator('#keep-error').textContent(), /notes\.json was not loaded: .*not valid JSON.*Nothing was changed/);
    await upload(page, 'keras.json', JSON.stringify({ format: 'keras', version: 1 }));
    await waitFor(page, () => /format is "keras"/.test(document.getElementById('keep-error').textContent));
    const broken = structuredClone(file);
    broken.weights[0].data = broken.weights[0].data.slice(0, 100);
    await upload(page, 'broken.json', JSON.stringify(broken));
    await waitFor(page, () => /broken\.json was not loaded/.test(document.getElementById('keep-error').textContent), undefined, 120_000);
    await ready(page);
    assert.match(await page.locator('#keep-error').textContent(), /weight 0/);
    const after = await state(page);
    assert.deepEqual([after.status, after.step], ['finished', 282]);
    assert.deepEqual(await predictFixed(page), before, 'a rejected file changed the model');
    await shot(page, 'playground-bad-file', { fullPage: false, clip: await page.locator('#keep').boundingBox() });

    // A good file of another experiment loads with its own setup (here: the same model, uploaded back).
    const other = structuredClone(file);
    await upload(page, 'good.json', JSON.stringify(other));
    await waitFor(page, () => /Loaded good\.json/.test(document.getElementById('keep-status').textContent), undefined, 120_000);
    assert.deepEqual(await predictFixed(page), before);
    assert.deepEqual(b.errors, []);

    // A record saved by an earlier version holds the file as text (`json`), not as a Blob: it still comes back.
    const legacy = await page.evaluate(async () => {
      const db = await new Promise((ok, ko) => { const r = indexedDB.open('gradient-lab', 1); r.onsuccess = () => ok(r.result); r.onerror = ko; });
      const rec = await new Promise((ok) => { const r = db.transaction('kv').objectStore('kv').get('model'); r.onsuccess = () => ok(r.result); });
      const { file, ...rest } = rec;
      const json = await file.text();
      await new Promise((ok) => { const t = db.transaction('kv', 'readwrite'); t.objectStore('kv').put({ ...rest, json }, 'model'); t.oncomplete = ok; });
      return file instanceof Blob;
    });
    assert.equal(legacy, true, 'the model file is kept as a Blob');

    // Another link: the saved model is offered, not forced.
    await page.goto('about:blank');   // a new page load (changing only the hash would not reload)
    await page.goto(`${b.server.url}${link({ epochs: 2, seed: 7 })}`);
    await ready(page);
    await waitFor(page, () => !document.getElementById('notice').hidden);
    assert.match(await page.locator('#notice-text').textContent(), /saved in this browser/);
    assert.equal((await state(page)).step, 0);
    await page.click('#notice-actions button');
    await waitFor(page, () => window.gradlab.store.get().step === 282);
    assert.match(page.url(), /epochs=1&/);
    assert.deepEqual(await predictFixed(page), before, 'the record saved as text came back');

    // Start fresh: everything forgotten, defaults back.
    page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForEvent('load'), page.click('#start-fresh')]);
    await ready(page);
    const fresh = await state(page);
    // The default experiment: the small CNN's 2 epochs (the link had 1).
    assert.deepEqual([fresh.step, fresh.config.epochs, fresh.config.layers[0].type, fresh.status], [0, 2, 'Conv2D', 'idle']);
    assert.match(await page.locator('#keep-status').textContent(), /Nothing saved/);
  } finally {
    await b.close();
  }
});
