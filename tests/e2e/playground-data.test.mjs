// Playground, datasets: every catalogue dataset can be picked; the page's
// facts about it (the core's schema, www/js/schema.js: classes, input shape) match what
// the worker loads; the adapted default model is valid for it (Start enabled);
// full MNIST shows a download progress bar; a regression set trains and is
// tested with MAE, not accuracy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, ready, state, until, waitFor, link, shot } from './playground-lib.mjs';

const pick = async (page, name) => {
  await page.selectOption('#dataset', name);
  await waitFor(page, (n) => {
    const s = window.gradlab.store.get();
    return s.dataInfo?.name === n && !s.checking && !s.busy && s.status;
  }, name, 180_000);
  return ready(page);
};

test('every dataset: facts match the worker, the adapted model is valid, samples are shown', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    const facts = Object.fromEntries((await page.evaluate(() => window.gradlab.store.get().mode.schema.datasets))
      .map((d) => [d.name, { classes: d.num_classes, shape: d.sample_shape }]));
    const names = Object.keys(facts).filter((n) => !n.endsWith('-full'));
    for (const name of names) {
      const status = await pick(page, name);
      const s = await state(page);
      assert.equal(status, 'idle', `${name}: ${JSON.stringify(s.inspection?.problems)}`);
      assert.equal(s.dataInfo.numClasses ?? null, facts[name].classes, `${name} classes`);
      assert.deepEqual(s.dataInfo.sampleShape, facts[name].shape, `${name} shape`);
      assert.equal(await page.locator('#start').isEnabled(), true, `${name}: Start enabled`);
      await waitFor(page, () => document.querySelector('#samples table, #samples canvas, #samples img'));
    }
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('full MNIST downloads with a progress bar', async () => {
  const b = await openPlayground();
  const { page } = b;
  try {
    await page.selectOption('#dataset', 'mnist-full');
    await waitFor(page, () => !document.getElementById('dataset-progress').hidden
      && /Downloading mnist-full/.test(document.getElementById('dataset-progress-text').textContent));
    await shot(page, 'playground-download', { clip: { x: 0, y: 0, width: 1280, height: 500 } });
    await waitFor(page, () => window.gradlab.store.get().dataInfo?.name === 'mnist-full', undefined, 180_000);
    await ready(page);
    const s = await state(page);
    // 60,000 training images, all trained on: the default validates on the test set, not on a split.
    assert.equal(s.dataInfo.train, 60000);
    assert.equal(s.dataInfo.test, 10000);
    assert.equal(await page.locator('#dataset-progress').isHidden(), true);
  } finally {
    await b.close();
  }
});

test('a regression data set (diabetes) trains and is tested with MAE', async () => {
  const hash = link({ dataset: 'diabetes', layers: 'Dense(32,relu);Dense(1,linear)', loss: 'mean_squared_error',
    optimizer: 'adam(learning_rate=0.01)', epochs: 30, validation_split: 0.1 }).replace('&batch_size', '&metrics=mae&batch_size');
  const b = await openPlayground({ hash });
  const { page } = b;
  try {
    await page.click('#start');
    await until(page, 'finished', 300_000);
    const result = await waitFor(page, () => document.getElementById('test-accuracy')?.textContent);
    assert.match(result, /^MAE \d/);
    assert.match(await page.locator('#chart-metric').textContent(), /MAE/);
    assert.equal(await page.locator('#confusion').isHidden(), true);
    const rows = await page.evaluate(() => window.gradlab.watch.history());
    // The diabetes targets have a standard deviation of about 77 (sklearn's data): a trained model's MAE is well below.
    assert.ok(rows.at(-1).logs.val_mae < 77, `val_mae ${rows.at(-1).logs.val_mae}`);
    assert.ok(rows.at(-1).logs.loss < rows[0].logs.loss, 'the loss went down');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
