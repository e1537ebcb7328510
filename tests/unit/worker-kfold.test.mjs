// The k-fold job of the training worker (www/js/worker-kfold.js) against a fake
// wasm module: every fold × configuration run is built with its fold, trained
// to its end, scored on its fold, and freed; the borrowed data is released;
// progress and results name the job; a failing run ends the job with its name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kfoldHandlers } from '../../www/js/worker-kfold.js';

/** A fake facade: run (config c, fold f) trains `epochs` epochs of 3 batches and scores 0.5 + c/10 + f/100. */
function fakeWasm({ failAt = null } = {}) {
  const built = [];
  let live = 0;
  const Run = {
    forFold(json, data, k, fold) {
      const cfg = JSON.parse(json);
      const c = cfg.tag;
      built.push([c, fold, k, data.name]);
      live += 1;
      let batches = 0;
      const total = cfg.epochs * 3;
      return {
        train(n) {
          batches = Math.min(total, batches + n);
          const failed = failAt && failAt[0] === c && failAt[1] === fold;
          return { epoch: Math.floor(batches / 3), finished: batches >= total, stopped_early: false,
            error: failed ? 'the loss became NaN' : null };
        },
        evaluateValidation: () => ({ loss: 1, metrics: { accuracy: 0.5 + c / 10 + fold / 100 } }),
        free() { live -= 1; },
      };
    },
  };
  // The core's summary (stats::summary) stands in as the scores it was given: the worker passes it on as it is.
  const scoreSummary = (scores) => ({ summarised: [...scores] });
  return { wasm: { Run, scoreSummary }, built, live: () => live };
}

function harness(opts = {}) {
  const fake = fakeWasm(opts);
  const posts = [];
  let released = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  const post = (m) => { posts.push(m); if (m.type === 'kfold-done' || m.type === 'kfold-error') done(m); };
  // The core's estimate of a run's memory: 100 bytes each, beside the table's 300; refused past `opts.memory`.
  const asked = [];
  const runBytes = (json, others) => {
    asked.push([JSON.parse(json).tag, others]);
    if (others + 100 > (opts.memory ?? Infinity)) throw new Error('this run needs about 1 MB while it trains …');
    return 100;
  };
  const table = { bytes: () => 300, borrowData: async () => ({ data: { name: 'DATA', runBytes }, release: () => { released += 1; } }) };
  const h = kfoldHandlers(() => fake.wasm, post, { table: () => table });
  return { fake, posts, h, finished, released: () => released, asked };
}

const configs = [0, 1].map((tag) => ({ dataset: 'iris', seed: 3, epochs: 2, tag }));

test('a k-fold job trains every fold of every configuration and frees them', async () => {
  const t = harness();
  const started = t.h.kfold({ job: 'j1', configs, labels: ['a', 'b'], k: 3 });
  assert.deepEqual(started, { type: 'kfold-started', job: 'j1', k: 3, configs: 2 });
  const end = await t.finished;
  assert.equal(end.type, 'kfold-done');
  // results[config][fold] = 0.5 + c/10 + f/100, as the fake scores them.
  assert.deepEqual(end.results, [[0.5, 0.51, 0.52], [0.6, 0.61, 0.62]]);
  assert.deepEqual(end.summaries, [{ summarised: [0.5, 0.51, 0.52] }, { summarised: [0.6, 0.61, 0.62] }],
    'the core summarises every configuration\'s scores');
  assert.deepEqual(t.fake.built.map(([c, f, k, d]) => `${c}/${f}/${k}/${d}`),
    ['0/0/3/DATA', '1/0/3/DATA', '0/1/3/DATA', '1/1/3/DATA', '0/2/3/DATA', '1/2/3/DATA'], 'fold by fold, one shared Data');
  assert.equal(t.fake.live(), 0, 'every run freed');
  assert.equal(t.released(), 1, 'the borrowed data released once');
  assert.ok(t.posts.every((m) => m.job === 'j1' && m.run === 'kfold:j1'), 'every message names its job and run');
  const folds = t.posts.filter((m) => m.type === 'kfold-fold');
  assert.equal(folds.length, 6);
  assert.deepEqual(folds[0], { type: 'kfold-fold', job: 'j1', run: 'kfold:j1', fold: 0, config: 0, label: 'a', accuracy: 0.5,
    loss: 1, metrics: { accuracy: 0.5 }, epochs: 2, stoppedEarly: false, summary: { summarised: [0.5] } });
  assert.deepEqual(folds.at(-1).summary, { summarised: [0.6, 0.61, 0.62] }, 'each fold\'s message: its configuration\'s scores so far');
  const last = t.posts.filter((m) => m.type === 'kfold-progress').at(-1);
  assert.equal(last.done, last.total, 'progress reaches the total (2 configurations × 2 epochs × 3 folds)');
  assert.equal(last.total, 12);
});

test('a failing run ends the job with a message naming it; nothing is left allocated', async () => {
  const t = harness({ failAt: [1, 1] });
  t.h.kfold({ job: 'j2', configs, labels: ['a', 'b'], k: 3 });
  const end = await t.finished;
  assert.equal(end.type, 'kfold-error');
  assert.match(end.message, /^b, fold 2: the loss became NaN$/);
  assert.equal(t.fake.live(), 0);
  assert.equal(t.released(), 1);
});

test('bad jobs are refused at once', () => {
  const t = harness();
  assert.throws(() => t.h.kfold({ job: 'x', configs, k: 1 }), /from 2 to 10/);
  assert.throws(() => t.h.kfold({ job: 'x', configs: [configs[0], { ...configs[1], dataset: 'or' }], k: 3 }), /same dataset/);
  assert.equal(t.fake.built.length, 0);
});

test('kfold-stop ends the job between chunks and frees its runs and data', async () => {
  const t = harness();
  const long = configs.map((c) => ({ ...c, epochs: 1e9 }));   // never ends by itself
  t.h.kfold({ job: 'j3', configs: long, k: 2 });
  while (!t.posts.some((m) => m.type === 'kfold-progress')) await new Promise((r) => setTimeout(r, 1));
  assert.deepEqual(t.h['kfold-stop']({ job: 'j3' }), { type: 'kfold-stopped', job: 'j3' });
  for (let i = 0; i < 1000 && t.released() === 0; i += 1) await new Promise((r) => setTimeout(r, 1));
  assert.equal(t.released(), 1);
  assert.equal(t.fake.live(), 0);
  assert.ok(!t.posts.some((m) => m.type === 'kfold-done' || m.type === 'kfold-fold'), 'stopped in fold 1, nothing scored');
});

test('configurations whose fold runs would not fit beside the runs on screen are refused before any is built', async () => {
  const ok = harness({ memory: 500 });
  ok.h.kfold({ job: 'j4', configs, labels: ['a', 'b'], k: 2 });
  assert.equal((await ok.finished).type, 'kfold-done');
  assert.deepEqual(ok.asked, [[0, 300], [1, 400]], 'each configuration beside the table\'s runs and the ones before it');
  const t = harness({ memory: 450 });
  t.h.kfold({ job: 'j5', configs, labels: ['a', 'b'], k: 2 });
  const end = await t.finished;
  assert.equal(end.type, 'kfold-error');
  assert.equal(end.message, 'b: this run needs about 1 MB while it trains …');
  assert.equal(t.fake.built.length, 0);
  assert.equal(t.released(), 1);
});
