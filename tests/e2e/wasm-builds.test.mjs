// The three wasm builds (scripts/build, www/js/wasm-build.js): an isolated page in Chromium runs
// the relaxed-SIMD threaded build, `?wasm=pkg-threads` the plain one (what a browser without
// relaxed SIMD gets), and the builds' bits: the relaxed build is bit-identical on 1 and 2 threads,
// the two plain builds are bit-identical to each other, and the relaxed one differs from them
// exactly when this CPU fuses relaxed_madd (issue 14.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, waitFor } from './browser.mjs';

const XOR = '#v=1&dataset=xor&layers=Dense(8,tanh);Dense(1,sigmoid)&loss=binary_crossentropy'
  + '&optimizer=adam(learning_rate=0.05)&batch_size=4&epochs=2000&validation_split=0&seed=1';

/** Opens the page (with `search`), waits for its mode, trains XOR to a low loss; returns the mode and its label. */
async function trainXor(search) {
  const b = await open({ coi: true });
  try {
    await b.page.goto(`${b.server.url}${search}${XOR}`);
    const mode = await waitFor(b.page, () => window.gradlab?.state.mode);
    const label = await b.page.locator('#mode').textContent();
    const relaxed = await b.page.evaluate(async () => (await import('/js/wasm-build.js')).relaxedSimd());
    await b.page.locator('#start:not([disabled])').click();
    await waitFor(b.page, () => window.gradlab.state.lastLoss !== null && window.gradlab.state.lastLoss < 0.05);
    assert.deepEqual(b.errors, []);
    return { mode, label, relaxed };
  } finally {
    await b.close();
  }
}

test('an isolated page runs the relaxed-SIMD build where the browser has it, and says so', async () => {
  const { mode, label, relaxed } = await trainXor('');
  assert.equal(relaxed, true, 'this Chromium validates relaxed SIMD');
  assert.equal(mode.build, 'pkg-threads-relaxed');
  assert.equal(mode.threaded, true);
  assert.equal(label, `${mode.threads} thread${mode.threads === 1 ? '' : 's'}${mode.fused ? ', fused multiply-add' : ''}`);
});

test('?wasm=pkg-threads runs the plain threaded build (a browser without relaxed SIMD)', async () => {
  const { mode, label } = await trainXor('?wasm=pkg-threads');
  assert.deepEqual([mode.build, mode.threaded, mode.fused], ['pkg-threads', true, false]);
  assert.match(label, /^\d+ threads?$/);
});

test('?wasm= naming a build this page cannot run (or none) falls back to the best it can', async () => {
  const { mode } = await trainXor('?wasm=pkg-nonsense');
  assert.equal(mode.build, 'pkg-threads-relaxed');
});

// One training in a worker of its own on `build` with `threads` pool threads (0: no pool), the
// parallel kernels on or off: 12 Adam steps of a 2 → 256 → 256 → 2 tanh MLP on `circles`, batch
// 256 (its 256 x 256 x 256 products are over the parallel threshold). Returns the weights' hash.
const WORKER = `
  onmessage = async ({ data: { base, build, threads, parallel } }) => {
    try {
      const wasm = await import(base + build + '/gradlab.js');
      await wasm.default();
      if (threads) await wasm.initThreadPool(threads);
      wasm.setParallel(parallel);
      const config = { dataset: 'circles', seed: 7, batch_size: 256, epochs: 1, validation_split: 0,
        layers: [{ type: 'Dense', units: 256, activation: 'tanh' }, { type: 'Dense', units: 256, activation: 'tanh' },
          { type: 'Dense', units: 2, activation: 'softmax' }],
        loss: 'categorical_crossentropy', optimizer: { name: 'adam', learning_rate: 0.01 } };
      const run = new wasm.Run(JSON.stringify(config), new wasm.Data('circles', [], 7));
      run.train(12);
      postMessage({ hash: run.weightsHash(), relaxed: wasm.relaxedSimdBuild(), pool: wasm.threads() });
    } catch (e) {
      postMessage({ error: String(e?.stack ?? e) });
    }
  };`;

test('bits: relaxed build the same on 1 and 2 threads; plain builds equal; relaxed differs iff FMA fuses', async () => {
  const b = await open({ coi: true });
  try {
    await b.page.goto(`${b.server.url}precache.json`);
    assert.equal(await b.page.evaluate(() => crossOriginIsolated), true);
    const hash = (build, threads, parallel) => b.page.evaluate(async ([code, args]) => {
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
      const out = await new Promise((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => resolve({ error: e.message || 'the worker failed to start' });
        worker.postMessage({ base: new URL('./', location.href).href, ...args });
      });
      worker.terminate();
      return out;
    }, [WORKER, { build, threads, parallel }]);
    const fused = await b.page.evaluate(async () => (await import('/js/wasm-build.js')).fusedMultiplyAdd());
    const relaxed2 = await hash('pkg-threads-relaxed', 2, true);
    const relaxed1 = await hash('pkg-threads-relaxed', 2, false);
    const plain2 = await hash('pkg-threads', 2, true);
    const single = await hash('pkg-st', 0, false);
    for (const r of [relaxed2, relaxed1, plain2, single]) assert.equal(r.error, undefined, r.error);
    assert.deepEqual([relaxed2.relaxed, plain2.relaxed, single.relaxed], [true, false, false]);
    assert.equal(relaxed2.pool, 2);
    assert.equal(relaxed1.hash, relaxed2.hash, 'relaxed build: 1 and 2 threads give the same weights');
    assert.equal(plain2.hash, single.hash, 'the two plain simd128 builds give the same weights');
    if (fused) assert.notEqual(relaxed2.hash, plain2.hash, 'fused multiply-add changes the last bits');
    else assert.equal(relaxed2.hash, plain2.hash, 'without FMA, relaxed_madd is mul + add');
  } finally {
    await b.close();
  }
});
