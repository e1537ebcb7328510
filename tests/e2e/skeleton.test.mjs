// Walking skeleton: the page trains XOR in the worker, in threads mode when
// served with COOP/COEP, and still works (isolated by the service worker after
// at most one reload, or single-threaded) when served without headers from a
// GitHub-Pages-like sub-path. The main thread stays responsive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, waitFor } from './browser.mjs';

const modeText = (page) => page.locator('#mode').textContent();
// The skeleton's experiment, as a playground link (www/js/url.js): XOR, Dense(8, tanh) → Dense(1, sigmoid),
// binary cross-entropy, Adam 0.05, batch 4, 2000 epochs, seed 1.
const xor = (epochs) => '#v=1&dataset=xor&layers=Dense(8,tanh);Dense(1,sigmoid)&loss=binary_crossentropy'
  + `&optimizer=adam(learning_rate=0.05)&batch_size=4&epochs=${epochs}&validation_split=0&seed=1`;
const XOR = xor(2000);
// The core now trains those 2,000 one-batch epochs in about 0.3 s, before a click on Stop can land
// mid-run: the Stop test uses the same experiment with more epochs.
const LONG_EPOCHS = 200000;

test('with COOP/COEP headers: threads mode, XOR loss falls below 0.05, Stop works', async () => {
  const b = await open({ coi: true });
  try {
    await b.page.goto(b.server.url + xor(LONG_EPOCHS));
    const mode = await waitFor(b.page, () => window.gradlab?.state.mode);
    const cores = await b.page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(mode.isolated, true);
    assert.equal(mode.threads, cores, 'rayon pool = hardwareConcurrency');
    assert.match(await modeText(b.page), new RegExp(`^${cores} threads?(, fused multiply-add)?$`));

    await b.page.locator('#start:not([disabled])').click();
    const loss = await waitFor(b.page, () => {
      const s = window.gradlab.state;
      return s.lastLoss !== null && s.lastLoss < 0.05 && s.lastLoss;
    });
    assert.ok(loss < 0.05);
    const curve = await b.page.evaluate(() => window.gradlab.losses.slice());
    assert.ok(curve[0] > 0.5, `first loss ${curve[0]} should be near ln 2`);

    // Stop mid-run (the run has LONG_EPOCHS epochs): the epoch counter freezes.
    await b.page.locator('#stop').click();
    await waitFor(b.page, () => !window.gradlab.state.running);
    const e1 = await b.page.evaluate(() => window.gradlab.state.epoch);
    await b.page.waitForTimeout(500);
    const e2 = await b.page.evaluate(() => window.gradlab.state.epoch);
    assert.equal(e2, e1, 'training continued after Stop');
    assert.ok(e1 < LONG_EPOCHS, 'Stop came before the end of the run');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('without headers, from a sub-path: at most one reload, then it trains and names its mode', async () => {
  const b = await open({ coi: false, prefix: '/gradient-lab/' });
  try {
    let loads = 0;
    b.page.on('load', () => { loads += 1; });
    await b.page.goto(b.server.url + XOR);
    const mode = await waitFor(b.page, () => window.gradlab?.state.mode);
    const text = await modeText(b.page);
    if (mode.isolated) {
      assert.match(text, /^\d+ threads?(, fused multiply-add)?$/);
    } else {
      assert.equal(mode.threads, 1);
      assert.equal(text, '1 thread — page not cross-origin isolated');
    }
    await b.page.locator('#start:not([disabled])').click();
    await waitFor(b.page, () => window.gradlab.state.lastLoss !== null && window.gradlab.state.lastLoss < 0.05);
    await b.page.waitForTimeout(300);
    assert.ok(loads <= 2, `page loaded ${loads} times (more than one reload)`);
    assert.equal(mode.isolated, true, 'the service worker should isolate a header-less localhost page');
  } finally {
    await b.close();
  }
});

test('the main thread has no long task > 200 ms during a 3 s training run', async (t) => {
  const b = await open({ coi: true });
  try {
    await b.page.goto(b.server.url + XOR);
    await waitFor(b.page, () => window.gradlab?.state.mode);
    await b.page.locator('#start:not([disabled])').waitFor();
    const longest = await b.page.evaluate(async () => {
      const tasks = [];
      const obs = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
      obs.observe({ type: 'longtask', buffered: false });
      document.getElementById('start').click();
      let frames = 0;
      const countFrames = () => { frames += 1; if (performance.now() - t0 < 3000) requestAnimationFrame(countFrames); };
      const t0 = performance.now();
      requestAnimationFrame(countFrames);
      await new Promise((r) => setTimeout(r, 3000));
      obs.disconnect();
      return { longest: Math.max(0, ...tasks), frames, running: window.gradlab.state.running,
        batches: window.gradlab.losses.length };
    });
    t.diagnostic(`longest main-thread task ${longest.longest.toFixed(0)} ms, ${longest.frames} frames in 3 s`);
    assert.ok(longest.batches > 0, 'training ran');
    assert.ok(longest.longest <= 200, `a long task took ${longest.longest} ms`);
    assert.ok(longest.frames > 30, `only ${longest.frames} frames in 3 s`);
  } finally {
    await b.close();
  }
});

test('without headers and without the service worker: the single-threaded build trains', async () => {
  const b = await open({ coi: false });
  try {
    await b.page.addInitScript(() => { window.GRADLAB_NO_SW = true; });
    await b.page.goto(b.server.url + XOR);
    const mode = await waitFor(b.page, () => window.gradlab?.state.mode);
    assert.deepEqual([mode.isolated, mode.threads, mode.threaded, mode.build], [false, 1, false, 'pkg-st']);
    assert.equal(await modeText(b.page), '1 thread — page not cross-origin isolated');
    await b.page.locator('#start:not([disabled])').click();
    await waitFor(b.page, () => window.gradlab.state.lastLoss !== null && window.gradlab.state.lastLoss < 0.05);
  } finally {
    await b.close();
  }
});
