// Gradient Lab side of the browser benchmark, in a module worker: loads the
// given build (threaded or single-threaded), starts the rayon pool, then
// measures the peak mul+add rate, sgemm GFLOP/s and training samples/s.
import { GEMM_SHAPES, rate, repeat, stats } from './common.js';
import { createThreadChooser } from '../../www/js/worker-threads.js';

const log = (msg) => self.postMessage({ log: msg });

/**
 * The page's adaptive threads (issue 14.1) on this trainer: the same chooser as the training worker
 * (www/js/worker-threads.js) over chunks of ~40 ms, as the page's scheduler runs them. A shared
 * machine's speed drifts between the moments the columns are measured, so each of `runs` rounds
 * measures, back to back and in a rotating order, all threads, one thread and the chooser (a fresh
 * one: it times both modes, settles, then its mode is measured), each for `minMs` in the same
 * ~40 ms chunks. Per round: the chooser's samples/s over the faster fixed mode of that round.
 */
async function adaptive(wasm, t, threads, opt) {
  const bs = t.batchSize;
  /** Samples/s over `minMs` of ~40 ms chunks; `before` / `after` wrap each chunk (the chooser's hooks). */
  const paced = (ms, before = () => {}, after = () => {}, until = null) => {
    let k = 1;
    return rate(ms, () => {
      before();
      const t0 = performance.now();
      t.train(k);
      const took = performance.now() - t0;
      after(k * bs, took);
      const done = k * bs;
      k = Math.max(1, Math.round(k * Math.min(4, Math.max(0.25, 40 / Math.max(took, 0.1)))));
      return done;
    }, until);
  };
  const fixed = (on) => {
    wasm.setParallel(on);
    paced(100);   // the pool wakes up / settles into this mode first
    return paced(opt.minMs);
  };
  const chosen = () => {
    const chooser = createThreadChooser({ threads, setParallel: (on) => wasm.setParallel(on) });
    paced(Infinity, () => chooser.before(), (n, ms) => chooser.after(n, ms), () => !chooser.label.includes('measuring'));
    return { mode: chooser.label, rate: paced(opt.minMs, () => chooser.before(), (n, ms) => chooser.after(n, ms)) };
  };
  const rounds = [];
  for (let r = 0; r < opt.runs; r++) {
    const got = {};
    const order = ['many', 'one', 'adaptive'];
    for (const what of [...order.slice(r % 3), ...order.slice(0, r % 3)]) {
      if (what === 'adaptive') Object.assign(got, chosen());
      else got[what] = fixed(what === 'many');
    }
    rounds.push({ ...got, ratio: got.rate / Math.max(got.many, got.one) });
  }
  wasm.setParallel(true);
  return {
    ...stats(rounds.map((x) => x.rate)),
    modes: rounds.map((x) => x.mode),
    faster: stats(rounds.map((x) => Math.max(x.many, x.one))),
    ratio: stats(rounds.map((x) => x.ratio)),
    atLeast95: rounds.filter((x) => x.ratio >= 0.95).length,
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
    out.peakAll = await repeat(opt.runs, () => rate(300, () => (wasm.benchPeakAll(iters), flops * threads)) / 1e9);
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
