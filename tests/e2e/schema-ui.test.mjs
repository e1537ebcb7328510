// The page's schema-driven editor and problem placement in a real browser,
// against a stand-in engine (tests/unit/fixtures/mock-gradlab.js) that speaks
// the facade's contract: a layer kind only the schema knows (LocallyConnected2D,
// which the core's schema lacks) gets its
// controls and live output shape; a problem with path layers[i].units is shown
// under that layer's units input; a bad link's explanation stays when another
// notice follows; on a 375 px phone Start and the drawing are one tap away.
// Needs no wasm build: the site is www/ plus the stand-in package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
let site;
let open;
let waitFor;

before(async () => {
  site = await mkdtemp(join(tmpdir(), 'gradlab-schema-ui-'));
  await cp(join(ROOT, 'www'), site, { recursive: true });
  const schema = JSON.parse(await readFile(join(ROOT, 'tests/unit/fixtures/schema.json'), 'utf8'));
  // Keras 2's LocallyConnected2D: gone from Keras 3, so the core (whose schema the fixture is) has no such kind.
  assert.ok(!schema.layers.some((l) => l.kind === 'LocallyConnected2D'), 'the core has LocallyConnected2D now: pick another kind');
  schema.layers.push({ kind: 'LocallyConnected2D', doc: 'keras.layers.LocallyConnected2D: 2-D convolution, unshared weights', args: [
    { name: 'filters', type: 'int', default: null, required: true, min: 1, doc: 'output channels' },
    { name: 'kernel_size', type: 'int_list', default: null, required: true, doc: 'window height and width' },
    { name: 'padding', type: 'enum', default: 'valid', required: false, choices: ['valid', 'same'], doc: 'valid or same' },
    { name: 'activation', type: 'enum', default: 'linear', required: false, choices_from: 'activations', doc: 'activation' },
  ] });
  for (const d of schema.datasets) d.files = [];   // the stand-in needs no data files
  const mock = (await readFile(join(ROOT, 'tests/unit/fixtures/mock-gradlab.js'), 'utf8'))
    .replace('const SCHEMA = /* schema */ null;', `const SCHEMA = ${JSON.stringify(schema)};`);
  for (const pkg of ['pkg-threads-relaxed', 'pkg-threads', 'pkg-st']) {
    await mkdir(join(site, pkg));
    await writeFile(join(site, pkg, 'gradlab.js'), mock);
  }
  process.env.GRADLAB_DIST = site;
  ({ open, waitFor } = await import('./browser.mjs'));
});
after(() => rm(site, { recursive: true, force: true }));

const CNN = '#v=1&dataset=mnist&layers=LocallyConnected2D(8,(3,3),activation=relu);Flatten;Dense(10,softmax)'
  + '&loss=categorical_crossentropy&optimizer=adam(learning_rate=0.001)&batch_size=32&epochs=1&validation_split=0.1&seed=1';

const settled = (page) => waitFor(page, () => {
  const s = window.gradlab?.store?.get();
  return s && !s.checking && !s.busy && ['idle', 'invalid'].includes(s.status) && s.status;
});

test('a schema-only layer kind is edited with its own controls; a problem lands under the field its path names', async () => {
  const b = await open();
  const { page } = b;
  try {
    await page.goto(b.server.url + CNN);
    assert.equal(await settled(page), 'idle');
    assert.ok((await page.locator('#add-kind option').allTextContents()).includes('LocallyConnected2D'));
    assert.equal(await page.inputValue('#layer-0-filters'), '8');
    assert.equal(await page.inputValue('#layer-0-kernel_size'), '3, 3');
    assert.equal(await page.inputValue('#layer-0-activation'), 'relu');
    await waitFor(page, () => document.querySelector('.layer[data-index="0"] .layer-shape')?.textContent.includes('(None, 26, 26, 8)'));

    await page.fill('#layer-2-units', '5000');
    assert.equal(await settled(page), 'invalid');
    const slot = page.locator('#layer-2-units-problem');
    await waitFor(page, () => !document.getElementById('layer-2-units-problem').hidden);
    // The mock's two problems both have the path layers[2].units: both sit under that input.
    assert.match(await slot.textContent(), /use at most 1000 units/);
    assert.match(await slot.textContent(), /set units to 10/);
    assert.match(await page.locator('#problems').textContent(), /layer 3 \(Dense\) units: use at most 1000 units/);
    assert.equal(await page.locator('#start').isDisabled(), true);

    await page.fill('#layer-2-units', '10');
    assert.equal(await settled(page), 'idle');
    assert.equal(await slot.isHidden(), true);
    assert.equal(await page.locator('#problems').isHidden(), true);
    assert.match(page.url(), /layers=LocallyConnected2D\(8,\(3,3\),activation=relu\);Flatten;Dense\(10,softmax\)/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('a bad link explains itself, also when a saved model is offered; 20,000 layers are refused before any DOM is built', async () => {
  const b = await open();
  const { page } = b;
  try {
    // A model saved in this browser for another experiment (issue 15.12: its offer must not hide the link's problem).
    await page.goto(b.server.url + CNN);
    await settled(page);
    await page.evaluate(() => new Promise((resolve, reject) => {
      const req = indexedDB.open('gradient-lab', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('kv');
      req.onsuccess = () => {
        const config = { ...window.gradlab.store.get().config, dataset: 'circles' };
        const tx = req.result.transaction('kv', 'readwrite');
        tx.objectStore('kv').put({ json: '{}', config, step: 5, epoch: 1, points: null, savedAt: Date.now() }, 'model');
        tx.oncomplete = () => { req.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }));
    const tab = await b.context.newPage();   // the bad link opened fresh, as from a chat message
    await tab.goto(`${b.server.url}#v=1&dataset=mnist&layers=Nope(3)&loss=categorical_crossentropy&optimizer=adam`);
    await settled(tab);
    await waitFor(tab, () => /saved in this browser/.test(document.getElementById('notice-text').textContent));
    const both = await tab.locator('#notice-text').textContent();
    assert.match(both, /This link's experiment could not be read: layer 1: unknown layer type "Nope"/);
    assert.match(both, /saved in this browser/);
    await tab.close();

    const layers = Array.from({ length: 20000 }, () => 'Dense(1)').join(';');
    await page.goto(`${b.server.url}#v=1&dataset=iris&layers=${layers}&loss=mean_squared_error&optimizer=sgd`);
    await settled(page);
    assert.match(await page.locator('#notice-text').textContent(), /20,000 layers; Gradient Lab builds at most 100/);
    assert.ok(await page.locator('.layer').count() < 10);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('375 px phone: Start and the drawing are reachable from the bottom bar without scrolling past the editor', async () => {
  const b = await open({ viewport: { width: 375, height: 740 } });
  const { page } = b;
  try {
    await page.goto(b.server.url + CNN);
    await settled(page);
    const bar = await page.locator('#mini-run').boundingBox();
    assert.ok(bar && bar.y + bar.height <= 740, `Start in the first screen (y = ${bar?.y})`);
    assert.equal(await page.locator('#mini-run').isEnabled(), true);
    assert.equal(await page.locator('#mini-run').textContent(), 'Start');
    await page.click('#minibar a[href="#draw"]');
    await waitFor(page, () => {
      const r = document.getElementById('probs').getBoundingClientRect();
      return r.top >= 0 && r.top < innerHeight - 60;
    });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, 'no horizontal scroll');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
