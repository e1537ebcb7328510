// Gradient Lab side of the browser benchmark, in a module worker: loads the
// given build (threaded or single-threaded), starts the rayon pool, then
// measures the peak mul+add rate, sgemm GFLOP/s and training samples/s.
import { GEMM_SHAPES, rate, repeat, stats } from './common.js';
import { createThreadChooser } from '../../www/js/worker-threads.js';
import { nextChunk } from '../../www/js/worker/scheduler.js';

const log = (msg) => self.postMessage({ log: msg });

/**
 * The page's adaptive threads (issue 14.1) on this trainer: the same chooser as the training worker
 * (www/js/worker-threads.js) over chunks of ~40 ms, as the page's scheduler runs them. Each of
 * `runs` rounds starts a fresh chooser and trains until it has timed both modes and settled; then
 * all threads, one thread and the chooser's mode are measured interleaved, in slices of SLICE_MS
 * in a rotating order (each slice: the mode switched in, one chunk not counted for the pool's
 * wake-up, then ~SLICE_MS counted), `adaptiveMs` each in all. A shared machine's speed drifts over
 * seconds; measured one after the other, the three figures carried that drift into the ratio (the
 * two fixed modes of mlp-small, equally fast, moved by ±8 % from one to the next), interleaved it
 * falls on all three alike. Per round: the chooser's samples/s over the faster fixed mode; the
 * chosen mode's fixed slices over the faster (was the choice right); the chooser's slices over the
 * same mode's fixed slices (the host's noise: the same work measured twice); and the trial's own
 * one/all ratio beside the one measured after it.
 */
const SLICE_MS = 200;

async function adaptive(wasm, t, threads, opt) {
  const bs = t.batchSize;
  // Batches per chunk, per mode, steered to ~40 ms by the page's scheduler's rule.
  const k = { many: 1, one: 1, adaptive: 1 };
  const chunk = (what, before, after) => {
    before();
    const t0 = performance.now();
    t.train(k[what]);
    const ms = performance.now() - t0;
    const samples = k[what] * bs;
    after(samples, ms);
    k[what] = nextChunk(k[what], ms);
    return { samples, ms };
  };
  const none = () => {};
  const rounds = [];
  for (let r = 0; r < opt.runs; r++) {
    const chooser = createThreadChooser({ threads, setParallel: (on) => wasm.setParallel(on) });
    const hooks = [() => chooser.before(), (n, ms) => chooser.after(n, ms)];
    do chunk('adaptive', ...hooks); while (chooser.label.includes('measuring'));
    const trial = chooser.rates;
    const sum = { many: { samples: 0, ms: 0 }, one: { samples: 0, ms: 0 }, adaptive: { samples: 0, ms: 0 } };
    const order = ['many', 'one', 'adaptive'];
    // The first of the order: rotated per round.
    const rotated = [...order.slice(r % 3), ...order.slice(0, r % 3)];
    const slices = Math.max(1, Math.round(opt.adaptiveMs / SLICE_MS));
    for (let i = 0; i < slices; i++) {
      // Reversed every other time, so that all threads and the chooser's mode follow each of the
      // others alike: in one fixed cycle one of them always came after one thread (its pool cold),
      // the other after the first (warm), which biased the chooser's figure by up to 10 %.
      for (const what of i % 2 ? [...rotated].reverse() : rotated) {
        const [before, after] = what === 'adaptive' ? hooks : [none, none];
        wasm.setParallel(what === 'adaptive' ? chooser.parallel : what === 'many');
        chunk(what, before, after);
        const t0 = performance.now();
        do {
          const c = chunk(what, before, after);
          sum[what].samples += c.samples;
          sum[what].ms += c.ms;
        } while (performance.now() - t0 < SLICE_MS);
      }
    }
    const perS = (x) => (1000 * x.samples) / x.ms;
    const got = { many: perS(sum.many), one: perS(sum.one), rate: perS(sum.adaptive), mode: chooser.label };
    const chosen = chooser.parallel ? got.many : got.one;
    rounds.push({
      ...got,
      ratio: got.rate / Math.max(got.many, got.one),
      // Whether the choice was right, measured on the fixed slices of the chosen mode; and the
      // chooser's slices over those of the same mode fixed: the host's noise floor, nothing else.
      decision: chosen / Math.max(got.many, got.one),
      sameMode: got.rate / chosen,
      trialOneOverMany: trial.one / trial.many,
      fixedOneOverMany: got.one / got.many,
    });
  }
  wasm.setParallel(true);
  return {
    ...stats(rounds.map((x) => x.rate)),
    modes: rounds.map((x) => x.mode),
    faster: stats(rounds.map((x) => Math.max(x.many, x.one))),
    ratio: stats(rounds.map((x) => x.ratio)),
    perRound: rounds.map((x) => ({ trial: x.trialOneOverMany, fixed: x.fixedOneOverMany })),
    atLeast95: rounds.filter((x) => x.ratio >= 0.95).length,
    decisions95: rounds.filter((x) => x.decision >= 0.95).length,
    sameMode: stats(rounds.map((x) => x.sameMode)),
    rounds: rounds.length,
  };
}

self.onmessage = async ({ data: opt }) => {
  try {
    const wasm = await import(opt.pkg);
    await wasm.default();
    if (wasm.threadedBuild() && opt.threads > 0) await wasm.initThreadPool(opt.threads);
    const threads = wasm.threads();
    const out = { threads, threaded: wasm.threadedBuild(), isolated: self.crossOriginIsolated };
    log(`${out.threaded ? 'threaded' : 'single-threaded'} build, ${threads} thread(s)`);

    // Peak: short calls, so V8 tiers the loop up to optimised code first.
    const iters = 100_000;
    for (let i = 0; i < 40; i++) wasm.benchPeak(iters);
    const flops = wasm.benchPeakFlops(iters);
    out.peak = await repeat(opt.runs, () => rate(300, () => (wasm.benchPeak(iters), flops)) / 1e9);
    // On all threads, calls 20× as long (~4 ms): each call wakes the pool, and at ~0.2 ms per call
    // those wake-ups took a third of the time, so two threads' ceiling read only 1.2-1.4× one's.
    const itersAll = 20 * iters;
    const flopsAll = wasm.benchPeakFlops(itersAll) * threads;
    out.peakAll = await repeat(opt.runs, () => rate(300, () => (wasm.benchPeakAll(itersAll), flopsAll)) / 1e9);
    log(`peak ${out.peak.median.toFixed(1)} GFLOP/s per thread`);

    out.gemm = [];
    if (opt.gemm) {
      for (const [m, n, k, ta, tb, label] of GEMM_SHAPES) {
        const g = new wasm.BenchGemm(m, n, k, ta, tb);
        for (let i = 0; i < 3; i++) g.run(1);
        const f = g.flops();
        const r = await repeat(opt.runs, () => rate(300, () => (g.run(1), f)) / 1e9);
        g.free();
        out.gemm.push({ label, shape: `${m}x${n}x${k}`, ta, tb, ...r });
        log(`gemm ${label} ${r.median.toFixed(1)} GFLOP/s`);
      }
    }

    // A sweep of the parallel threshold in training (run.mjs --par-min-flops N); 0: the core's own.
    if (opt.parMinFlops) wasm.BenchGemm.setParMinFlops(opt.parMinFlops);
    out.models = [];
    for (const name of opt.models) {
      const t = new wasm.BenchTrainer(name, 16);
      t.train(3); // warm-up: buffers, thread pool, optimised code
      const bs = t.batchSize;
      const r = await repeat(opt.runs, () => rate(opt.minMs, () => (t.train(1), bs)));
      out.models.push({ name, batch: bs, ...r, adaptive: threads > 1 ? await adaptive(wasm, t, threads, opt) : null });
      t.free();
      log(`${name} ${r.median.toFixed(0)} samples/s`);
    }
    self.postMessage({ ok: true, result: out });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e?.stack ?? e) });
  }
};
