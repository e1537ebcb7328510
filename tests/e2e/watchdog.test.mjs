// The engine's watchdog (www/js/watchdog.js) against the real training worker, in
// headless Chromium with Playwright's fake clock moving the page's time on:
// - a worker that is really stuck is replaced, and a setup that gets it stuck
//   twice is not rebuilt again;
// - one that is busy in a long step (the kernels' heartbeat moving) is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, ready, waitFor, link } from './playground-lib.mjs';

/**
 * Makes the training worker really stuck: through the DevTools protocol (as a debugger would), its
 * thread waits on an atomic that nothing will ever notify, so it answers nothing, exactly as when a
 * panic killed one of its pool threads and it waits forever for that thread's part. Then the page's
 * clock (Playwright's fake clock, installed before the page loaded) moves on, one ping interval at a
 * time, until the engine gives up on the worker and restarts it: 60 s of the page's time after the
 * first ping the stuck worker did not answer (the worker takes the wait between two chunks, so a ping
 * sent just before may still be answered). `stuck`: the workers made stuck before (the engine
 * terminated them, but they may still be listed for a while, and not always before the new one:
 * one run picked the old one again and nothing got stuck). Returns the page's seconds it took.
 */
async function stickWorker(page, stuck = new Set()) {
  const worker = page.workers().filter((w) => new URL(w.url()).pathname.endsWith('/js/worker.js') && !stuck.has(w)).at(-1);
  assert.ok(worker, `the training worker is among ${page.workers().map((w) => w.url())}`);
  stuck.add(worker);
  const restarts = await page.evaluate(() => window.gradlab.engine.restarts);
  // Never settles while the worker lives (the engine terminates it).
  worker.evaluate(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)).catch(() => {});
  for (let s = 5; s <= 120; s += 5) {
    await page.clock.runFor(5_000);
    if (await page.evaluate((n) => window.gradlab.engine.restarts > n, restarts)) return s;
  }
  assert.fail('the engine never gave up on the stuck worker (120 s of the page\'s time)');
}

test('a worker that stops answering while the model trains is replaced; after the second time the model is not rebuilt and the page says why', async () => {
  const b = await open({});
  const { page } = b;
  try {
    await page.clock.install();
    // One step per epoch (the 4 rows of xor): enough epochs that the run is still training when it gets stuck.
    await page.goto(b.server.url + link({ dataset: 'xor', layers: 'Dense(8,tanh);Dense(2,softmax)', epochs: 1_000_000,
      validation_split: 0, batch_size: 4 }));
    await ready(page);
    await page.click('#start');
    await waitFor(page, () => window.gradlab.state.running && window.gradlab.state.step > 0);
    const stuck = new Set();
    const took = await stickWorker(page, stuck);
    assert.ok(took >= 60, `given up after ${took} s, not before the limit`);
    const said = await waitFor(page, () => window.gradlab.store.get().runError?.includes('restarted') && window.gradlab.store.get().runError);
    assert.match(said, /stopped answering for 6\d s/);
    assert.match(said, /Rebuilt the model/);
    await waitFor(page, () => window.gradlab.engine.restarts === 1);
    await ready(page);
    // It trains again in the new worker, and that one gets stuck too.
    await page.click('#start');
    await waitFor(page, () => window.gradlab.state.running && window.gradlab.state.step > 0);
    await stickWorker(page, stuck);
    const again = await waitFor(page, () => window.gradlab.engine.restarts === 2
      && window.gradlab.store.get().runError?.includes('Not rebuilt') && window.gradlab.store.get().runError);
    assert.match(again, /Not rebuilt: the model — it crashed the engine twice; change its setup/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('a step that computes for longer than the watchdog waits is busy, not stuck: the worker is kept and the step completes', async () => {
  const b = await open({});
  const { page } = b;
  try {
    await page.clock.install();
    // One step of ~0.3 TFLOP (8,192 images through two Dense(2048)): seconds inside one call into the core.
    await page.goto(b.server.url + link({ layers: 'Flatten;Dense(2048,relu);Dense(2048,relu);Dense(10,softmax)',
      batch_size: 8192, epochs: 1, validation_split: 0 }));
    await ready(page);
    await page.click('#step');
    // 80 s of the page's time while the worker computes: a ping goes out every 5 s, none is answered.
    for (let i = 0; i < 16; i += 1) {
      await page.clock.runFor(5_000);
      await new Promise((r) => { setTimeout(r, 50); });
    }
    const mid = await page.evaluate(() => ({ step: window.gradlab.state.step, restarts: window.gradlab.engine.restarts }));
    assert.deepEqual(mid, { step: 0, restarts: 0 }, 'still inside the step, and the worker was kept');
    await waitFor(page, () => window.gradlab.state.step === 1, undefined, 300_000);
    const after = await page.evaluate(() => ({ restarts: window.gradlab.engine.restarts, error: window.gradlab.store.get().runError ?? null }));
    assert.deepEqual(after, { restarts: 0, error: null });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
