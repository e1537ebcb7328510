// Lessons (issue 10.7) in headless Chromium: three course programs opened from
// the Lessons picker (a single run, a full-MNIST MLP, a race), each trained
// briefly and paused, with the book's number shown beside ours; and the
// early-stopping sentence (issue 10.3) when EarlyStopping ends a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, ready, shot, waitFor } from './playground-lib.mjs';

const text = (page, sel) => page.locator(sel).textContent();
const mainStep = (page) => page.evaluate(() => window.gradlab.store.get().step);

/** Picks lesson `id` in the picker (a page load) and waits until its experiment is built. */
async function pick(page, id) {
  await Promise.all([page.waitForURL((u) => u.searchParams.get('lesson') === id, { timeout: 60_000 }),
    page.selectOption('#lesson', id)]);
  await waitFor(page, () => Boolean(window.gradlab?.store), undefined, 60_000);
  await ready(page, 240_000);
}

/** Ten batches of the main run (Step ×10: trains and stops by itself, so a fast toy run cannot finish first). */
async function trainBriefly(page) {
  const before = await mainStep(page);
  await page.click('#step10');
  await waitFor(page, (n) => window.gradlab.store.get().step >= n && !window.gradlab.store.get().running, before + 10, 120_000);
}

test('three lessons open from the picker, train a few batches and show the book number', async () => {
  const b = await open();
  const { page } = b;
  try {
    // A hand-written ?lesson= link (no experiment in the hash) opens the lesson's setup.
    await page.goto(`${b.server.url}?lesson=perceptron-or`);
    await ready(page);
    let s = await page.evaluate(() => window.gradlab.store.get().config);
    assert.equal(s.dataset, 'or');
    assert.equal(s.epochs, 500, 'the course’s epoch count');
    assert.equal(await page.locator('#lesson').inputValue(), 'perceptron-or');
    await waitFor(page, () => document.getElementById('lesson-book').textContent.includes('book: 100%'));
    await trainBriefly(page);
    assert.ok((await mainStep(page)) > 0);
    // Ours beside the book once an epoch ended (OR: one batch of 4 is one epoch).
    await waitFor(page, () => /ours: \d/.test(document.getElementById('lesson-book').textContent));

    await pick(page, 'mlp-mnist');
    s = await page.evaluate(() => window.gradlab.store.get());
    assert.equal(s.config.dataset, 'mnist-full');
    assert.deepEqual(s.config.layers.map((l) => l.units ?? l.type), ['Flatten', 1024, 10]);
    assert.equal(s.config.layers[1].kernel_initializer, 'random_uniform');
    assert.equal(s.config.batch_size, 128);
    assert.equal(s.config.epochs, 30);
    assert.match(await text(page, '#lesson-book'), /book: 97\.65% test accuracy/);
    assert.match(await text(page, '#lesson-text'), /1024 tanh units/);
    await trainBriefly(page);
    await page.locator('#lesson-book').scrollIntoViewIfNeeded();
    await shot(page, 'lesson-mlp');

    await pick(page, 'mse-vs-ce');
    await waitFor(page, () => {
      const rs = window.gradlab.store.get().runs.filter((r) => r.id !== 'main');
      return rs.length === 2 && rs.every((r) => r.built && !r.building);
    }, undefined, 240_000);
    assert.ok(await page.evaluate(() => document.body.classList.contains('classroom')), 'a race lesson opens in classroom view');
    const books = await page.locator('#race-table td[data-key="book"]').allTextContents();
    assert.deepEqual(books, ['98.09%', '98.24%']);
    assert.match(await text(page, '#lesson-book'), /book: 98\.09% vs 98\.24%/);
    await page.click('#race-step1');
    await waitFor(page, () => window.gradlab.store.get().runs.filter((r) => r.id !== 'main').every((r) => r.step === 1),
      undefined, 120_000);
    await shot(page, 'lesson-race');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('when EarlyStopping ends a run, the page says why and where the best weights were', async () => {
  const b = await open();
  const { page } = b;
  try {
    // mode max on a falling loss: epoch 1 stays the best; patience 1 → stop at the end of epoch 2, restore epoch 1.
    const es = encodeURIComponent(JSON.stringify({ monitor: 'loss', mode: 'max', patience: 1, restore_best_weights: true }));
    await page.goto(`${b.server.url}#v=1&dataset=iris&layers=Dense(8,relu);Dense(3,softmax)&loss=categorical_crossentropy`
      + `&optimizer=adam(learning_rate=0.01)&batch_size=16&epochs=20&validation_split=0&seed=1&early_stopping=${es}`);
    await ready(page);
    await page.click('#start');
    await waitFor(page, () => window.gradlab.store.get().status === 'finished', undefined, 120_000);
    await waitFor(page, () => !document.getElementById('early-note').hidden);
    assert.match(await text(page, '#early-note'),
      /^Stopped early at epoch 2: loss did not improve for 1 epoch; best epoch 1 \(loss [\d.]+\), weights restored from epoch 1\.$/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
