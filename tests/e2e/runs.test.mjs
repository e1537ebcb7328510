// The runs client (www/js/session.js) in headless Chromium: a link changed
// mid-run saves the trained model under the experiment it was trained with
// (issue 15.10), and the worker's protocol names the run in every message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, ready, waitFor, link } from './playground-lib.mjs';

const savedModel = (page) => page.evaluate(async () => {
  const rec = await new Promise((resolve, reject) => {
    const open = indexedDB.open('gradient-lab', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('kv', 'readonly').objectStore('kv').get('model');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    };
  });
  return rec ? { dataset: rec.config.dataset, step: rec.step, fileDataset: JSON.parse(await rec.file.text()).config.dataset } : null;
});

test('a link changed mid-run saves the trained model under its own experiment, then builds the new one', async () => {
  const b = await openPlayground({ hash: link({ epochs: 50 }) });
  const { page } = b;
  try {
    const messages = [];
    await page.evaluate(() => {
      window.__msgs = [];
      window.gradlab.engine.worker.addEventListener('message', ({ data }) => window.__msgs.push([data.type, data.run]));
    });
    await page.click('#start');
    await waitFor(page, () => window.gradlab.store.get().step >= 30);
    await page.evaluate((h) => { location.hash = h; }, link({ dataset: 'iris', layers: 'Dense(8,relu);Dense(3,softmax)', epochs: 5 }));
    await waitFor(page, () => window.gradlab.store.get().dataInfo?.name === 'iris', undefined, 60_000);
    await ready(page);
    const saved = await savedModel(page);
    assert.ok(saved, 'the trained MNIST model was saved when training paused');
    assert.equal(saved.dataset, 'mnist', 'saved under the experiment it was trained with');
    assert.equal(saved.fileDataset, 'mnist');
    assert.ok(saved.step >= 30);
    messages.push(...await page.evaluate(() => window.__msgs));
    const about = messages.filter(([type]) => ['state', 'progress', 'configured', 'set', 'model'].includes(type));
    assert.ok(about.length > 3);
    assert.ok(about.every(([, run]) => run === 'main'), `a message without its run: ${JSON.stringify(about.find(([, r]) => r !== 'main'))}`);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('an input that panics the core (xor, batch_size 2³² − 1, evaluate) never leaves the page poisoned', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'xor', layers: 'Dense(4,tanh);Dense(2,softmax)', epochs: 5,
    validation_split: 0, batch_size: 4294967295 }) });
  const { page } = b;
  try {
    if (await page.locator('#step').isDisabled()) {
      // The core refuses the setup with a message: nothing can crash.
      assert.equal((await page.evaluate(() => window.gradlab.store.get().status)), 'invalid');
      return;
    }
    await page.click('#step');
    await waitFor(page, () => window.gradlab.store.get().step === 1);
    await page.click('#evaluate');
    // Either the evaluation answers, or the engine crashed and the page said so after restarting it.
    const outcome = await waitFor(page, () => {
      const s = window.gradlab.store.get();
      if (window.gradlab.engine.restarts > 0 && s.runError?.includes('restarted')) return `restarted: ${s.runError}`;
      const t = document.getElementById('test-accuracy')?.textContent || document.getElementById('test-error').textContent;
      return t && `answered: ${t}`;
    }, undefined, 60_000);
    assert.doesNotMatch(outcome, /recursive use|borrowed|Evaluation failed: unreachable/);
    // The engine works afterwards: it validates, builds and trains a fresh experiment.
    await page.evaluate((h) => { location.hash = h; }, link({ dataset: 'xor', layers: 'Dense(4,tanh);Dense(2,softmax)', epochs: 5,
      validation_split: 0, batch_size: 4 }));
    await waitFor(page, () => window.gradlab.store.get().config.batch_size === 4);
    await ready(page);
    await page.click('#step');
    await waitFor(page, () => window.gradlab.store.get().step === 1);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('pace: Step ×10 and One epoch train exactly that many batches; 2 steps/s holds training to that pace', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'iris', layers: 'Dense(8,relu);Dense(3,softmax)', epochs: 100000,
    validation_split: 0, batch_size: 16 }) });
  const { page } = b;
  const step = () => page.evaluate(() => window.gradlab.store.get().step);
  try {
    await page.click('#step10');
    await waitFor(page, () => window.gradlab.store.get().step === 10);
    const bpe = await page.evaluate(() => window.gradlab.store.get().batchesPerEpoch);
    assert.ok(bpe > 1, `batches per epoch ${bpe}`);
    await page.click('#step-epoch');
    await waitFor(page, (n) => window.gradlab.store.get().step === 10 + n, bpe);
    await page.waitForTimeout(300);
    assert.equal(await step(page), 10 + bpe, 'nothing more than asked for');
    assert.equal(await page.evaluate(() => window.gradlab.store.get().status), 'paused');

    await page.selectOption('#speed', '2');
    await waitFor(page, () => window.gradlab.store.get().speed === 2);
    // One pace for every run, shown in both places (the race view redraws on the next frame).
    await waitFor(page, () => document.querySelector('#race-speed').value === '2', undefined, 5000);
    await page.click('#start');
    await waitFor(page, (n) => window.gradlab.store.get().step > n, 10 + bpe);
    const t0 = Date.now();
    const s0 = await step(page);
    await page.waitForTimeout(2000);
    const s1 = await step(page);
    const secs = (Date.now() - t0) / 1000;
    assert.ok(s1 - s0 <= 2 * secs + 2, `${s1 - s0} steps in ${secs.toFixed(1)} s at 2 steps/s`);
    await page.selectOption('#speed', '0');
    await waitFor(page, (s) => window.gradlab.store.get().step > s + 100, s1, 60_000);
    await page.click('#pause');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
