// Playground, "Build": the layer editor, live summary, URL state, invalid
// stacks, pickers, dataset switching, bad links and the phone layout.
// Parameter counts are computed by hand: Dense n→u has n·u + u params.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, ready, state, shot, waitFor, hasHorizontalScroll, link } from './playground-lib.mjs';

/** The default experiment's link (state.js defaultConfig). */
const DEFAULT_LINK = '#v=1&dataset=mnist&layers=Conv2D(12,5,2,activation=relu);Conv2D(24,3,activation=relu);MaxPooling2D(2);'
  + 'Flatten;Dense(10,softmax)&loss=categorical_crossentropy&optimizer=adam(learning_rate=0.003)&metrics=accuracy'
  + '&batch_size=16&epochs=2&validation_split=0&seed=42&validation_data=test';
const total = (page) => page.locator('#total-params').textContent();
const waitTotal = (page, text) => waitFor(page, (t) => document.getElementById('total-params')?.textContent.startsWith(t)
  && !window.gradlab.store.get().checking, text);

test('editing the stack updates the summary and the URL; a bad stack disables Start with the reason in place', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    // Default, the small CNN: Conv2D 5·5·1·12+12 = 312 → 12×12×12 (stride 2); Conv2D 3·3·12·24+24 = 2,616 → 10×10×24;
    // MaxPool → 5×5×24 = 600; Dense 600·10+10 = 6,010. Total 8,938.
    assert.match(await total(page), /^8,938\b/);
    assert.match(page.url(), /#v=1&dataset=mnist&layers=Conv2D\(12,5,2,activation=relu\);Conv2D\(24,3,activation=relu\);MaxPooling2D\(2\);Flatten;Dense\(10,softmax\)&loss=categorical_crossentropy/);
    assert.match(page.url(), /optimizer=adam\(learning_rate=0\.003\).*batch_size=16&epochs=2&validation_split=0&seed=42&validation_data=test/);
    assert.equal(await page.locator('#start').isEnabled(), true);
    await shot(page, 'playground-build', { fullPage: true });

    // An MLP from a link: Flatten → Dense(128, relu) → Dense(10, softmax): 784·128+128 + 128·10+10 = 101,770.
    await page.evaluate((h) => { location.hash = h; }, link());
    await waitTotal(page, '101,770');

    // Add a Dense layer (64 relu, goes above the output): + 128·64+64 = 8,256, output 64·10+10 = 650 → 109,386.
    await page.selectOption('#add-kind', 'Dense');
    await page.click('#add-layer');
    await waitTotal(page, '109,386');
    assert.match(page.url(), /layers=Flatten;Dense\(128,relu\);Dense\(64,relu\);Dense\(10,softmax\)/);
    const rows = await page.locator('#summary-table tbody tr td:first-child').allTextContents();
    assert.deepEqual(rows.map((r) => r.trim()), ['flatten (Flatten)', 'dense (Dense)', 'dense_1 (Dense)', 'dense_2 (Dense)']);

    // Keyboard: Alt+↑ in the new layer moves it up: 784·64+64 + 64·128+128 + 1,290 = 59,850.
    await page.locator('#layer-2-units').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await waitTotal(page, '59,850');
    assert.match(page.url(), /layers=Flatten;Dense\(64,relu\);Dense\(128,relu\);Dense\(10,softmax\)/);
    // Focus stays on the moved layer (its ↑ button), so repeated moves work from the keyboard.
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Move layer 2 (Dense) up');

    // Typing units: 784·32+32 + 32·128+128 + 1,290 = 30,634.
    await page.fill('#layer-1-units', '32');
    await waitTotal(page, '30,634');
    // Not a number: flagged in place, Start disabled.
    await page.fill('#layer-1-units', '');
    await waitFor(page, () => document.getElementById('start').disabled);
    assert.match(await page.locator('#layer-1-units-err').textContent(), /enter a number/);
    await page.fill('#layer-1-units', '32');
    await waitFor(page, () => !document.getElementById('start').disabled);

    // Remove Flatten: Dense on 28×28×1 images is invalid → explained on the layer, Start disabled.
    await page.click('button[aria-label="Remove layer 1 (Flatten)"]');
    await waitFor(page, () => window.gradlab.store.get().status === 'invalid');
    assert.equal(await page.locator('#start').isDisabled(), true);
    const problem = await page.locator('.layer[data-index="0"] .layer-problem').first().textContent();
    assert.match(problem, /Flatten/);
    assert.equal(await page.locator('#problems').isVisible(), true);
    await shot(page, 'playground-invalid', { fullPage: false });

    // A link pasted into the address bar (hashchange) replaces the experiment.
    await page.evaluate((h) => { location.hash = h; }, link({ layers: 'Flatten;Dense(16,tanh);Dense(10,softmax)' }));
    await waitTotal(page, '12,730');  // 784·16+16 = 12,560; 16·10+10 = 170
    assert.equal((await ready(page)), 'idle');

    // Optimizer picker: only SGD's own hyper-parameters, with Keras' defaults.
    await page.selectOption('#optimizer', 'sgd');
    await waitFor(page, () => location.hash.includes('optimizer=sgd(learning_rate=0.01)'));
    assert.equal(await page.inputValue('#opt-learning_rate'), '0.01');
    assert.equal(await page.inputValue('#opt-momentum'), '0');
    assert.equal(await page.locator('#opt-nesterov').isChecked(), false);
    assert.equal(await page.locator('#opt-beta_1').count(), 0);
    await page.selectOption('#optimizer', 'adam');
    assert.equal(await page.inputValue('#opt-beta_2'), '0.999');
    assert.equal(await page.inputValue('#opt-epsilon'), '1e-7');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('switching datasets adapts the output layer and shows samples; regression gets MSE/MAE', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    await page.selectOption('#dataset', 'iris');
    await waitFor(page, () => window.gradlab.store.get().dataInfo?.name === 'iris' && window.gradlab.store.get().status === 'idle');
    const s = await state(page);
    assert.equal(s.config.layers.at(-1).units, 3);
    // The default CNN's convolutions and pooling need images: dropped, with a hidden Dense put in.
    assert.match(await page.locator('#adapt-note').textContent(), /removed Conv2D, Conv2D, MaxPooling2D .*units 10 → 3/);
    // 4 features → 32 → 3: 4·32+32 + 32·3+3 = 160 + 99 = 259.
    await waitTotal(page, '259');
    await waitFor(page, () => document.querySelector('#samples table, #samples canvas, #samples img'));
    assert.match(await page.locator('#dataset-info').textContent(), /3 classes · input 4/);

    // Back to images, but 8×8 ones: the default's convolutions do not fit them (the core says so), so they go too.
    await page.selectOption('#dataset', 'mnist');
    await waitFor(page, () => window.gradlab.store.get().dataInfo?.name === 'mnist' && window.gradlab.store.get().status === 'idle');
    await page.evaluate((h) => { location.hash = h; }, DEFAULT_LINK);   // the default experiment again
    await waitTotal(page, '8,938');
    await page.selectOption('#dataset', 'digits');
    await waitFor(page, () => window.gradlab.store.get().dataInfo?.name === 'digits' && window.gradlab.store.get().status === 'idle');
    assert.match(await page.locator('#adapt-note').textContent(),
      /removed Conv2D, Conv2D, MaxPooling2D \(they do not fit the 8×8 images of digits\)/);
    // 64 pixels → 32 → 10: 64·32+32 + 32·10+10 = 2,080 + 330 = 2,410.
    await waitTotal(page, '2,410');
    assert.equal(await page.locator('#start').isEnabled(), true);

    await page.selectOption('#dataset', 'diabetes');
    await waitFor(page, () => window.gradlab.store.get().dataInfo?.name === 'diabetes' && window.gradlab.store.get().status === 'idle');
    const d = await state(page);
    assert.equal(d.config.loss, 'mean_squared_error');
    assert.deepEqual(d.config.metrics, ['mae']);
    assert.match(await page.locator('#chart-metric').textContent(), /MAE/);
  } finally {
    await b.close();
  }
});

test('a bad or old link shows a clear message and loads the defaults', async () => {
  const b = await openPlayground({ hash: '#v=1&dataset=mnist&layers=Dense(10&loss=mse&optimizer=adam' });
  try {
    const text = await b.page.locator('#notice-text').textContent();
    assert.match(text, /could not be read: layer 1 "Dense\(10" is not like Name/);
    assert.equal(await b.page.locator('#notice').isVisible(), true);
    assert.match(b.page.url(), /layers=Conv2D\(12,5,2,activation=relu\);Conv2D\(24,3,activation=relu\);MaxPooling2D\(2\);Flatten;Dense\(10,softmax\)/);
    assert.equal((await state(b.page)).status, 'idle');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }

  const c = await openPlayground({ hash: '#v=7&dataset=mnist' });
  try {
    assert.match(await c.page.locator('#notice-text').textContent(), /version 7/);
  } finally {
    await c.close();
  }
});

test('375 px wide: one column, no horizontal scroll', async () => {
  const b = await openPlayground({ viewport: { width: 375, height: 800 } });
  try {
    assert.equal(await hasHorizontalScroll(b.page), false);
    await b.page.locator('details.more').first().evaluate((d) => { d.open = true; });
    assert.equal(await hasHorizontalScroll(b.page), false, 'open layer options overflow');
    await shot(b.page, 'playground-phone', { fullPage: false });
    // Training on a phone: charts, history, confusion matrix and gallery fit the width too.
    await b.page.click('#start');
    await waitFor(b.page, () => window.gradlab.store.get().epoch >= 1, undefined, 300_000);
    await b.page.click('#stop');
    await waitFor(b.page, () => document.querySelectorAll('#gallery button').length > 0);
    assert.equal(await hasHorizontalScroll(b.page), false, 'overflow after training');
    await b.page.locator('#train-h').scrollIntoViewIfNeeded();
    await b.page.evaluate(() => document.getElementById('train').scrollIntoView());
    await shot(b.page, 'playground-phone-train', { fullPage: false });
  } finally {
    await b.close();
  }
});

test('dark mode: dark background, readable text; everything reachable with Tab', async () => {
  const b = await openPlayground({ hash: link({ epochs: 1 }) });
  const { page } = b;
  try {
    await page.emulateMedia({ colorScheme: 'dark' });
    // Relative luminance (WCAG) of the page background and text, and their contrast ratio.
    const [bg, fg] = await page.evaluate(() => {
      const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const cs = getComputedStyle(document.body);
      return [rgb(cs.backgroundColor), rgb(cs.color)];
    });
    const lum = ([r, g, bl]) => [r, g, bl].map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
      .reduce((a, c, i) => a + c * [0.2126, 0.7152, 0.0722][i], 0);
    assert.ok(lum(bg) < 0.05, `dark background ${bg}`);
    const contrast = (lum(fg) + 0.05) / (lum(bg) + 0.05);
    assert.ok(contrast > 7, `text contrast ${contrast.toFixed(1)}:1`);
    await page.click('#start');
    await waitFor(page, () => window.gradlab.store.get().status === 'finished', undefined, 300_000);
    await waitFor(page, () => document.querySelectorAll('#gallery button').length > 0);
    await shot(page, 'playground-dark', { fullPage: false });

    // Tab order reaches the main controls of every section.
    const wanted = new Set(['dataset', 'add-layer', 'loss', 'optimizer', 'fit-epochs', 'reset', 'live-lr', 'evaluate',
      'copy-link', 'download', 'upload', 'start-fresh']);
    await page.locator('body').focus();
    for (let i = 0; i < 200 && wanted.size; i += 1) {
      await page.keyboard.press('Tab');
      wanted.delete(await page.evaluate(() => document.activeElement?.id));
    }
    assert.deepEqual([...wanted], [], 'not reachable with Tab');
  } finally {
    await b.close();
  }
});
