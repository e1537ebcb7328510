// Gradient Lab side of the browser benchmark, in a module worker: loads the
// given build (threaded or single-threaded), starts the rayon pool, then
// measures the peak mul+add rate, sgemm GFLOP/s and training samples/s.
import { GEMM_SHAPES, rate, repeat } from './common.js';
import { createThreadChooser } from '../../www/js/worker-threads.js';

const log = (msg) => self.postMessage({ log: msg });

/**
 * The page's adaptive threads (issue 14.1) on this trainer: the same chooser as the training worker
 * (www/js/worker-threads.js) over rounds of ~40 ms, as the page's scheduler runs them. Each of `runs`
 * measurements starts a fresh chooser, lets it time both modes and settle, then measures the chosen
 * mode for `minMs`. Returns samples/s (median, min, max) and the modes it chose.
 */
async function adaptive(wasm, t, threads, opt) {
  const bs = t.batchSize;
  const modes = [];
  const r = await repeat(opt.runs, () => {
    const chooser = createThreadChooser({ threads, setParallel: (on) => wasm.setParallel(on) });
    let k = 1;
    const round = () => {
      chooser.before();
      const t0 = performance.now();
      t.train(k);
      const ms = performance.now() - t0;
      chooser.after(k * bs, ms);
      k = Math.max(1, Math.round(k * Math.min(4, Math.max(0.25, 40 / Math.max(ms, 0.1)))));
      return k * bs;
    };
    while (chooser.label.includes('measuring')) round();
    modes.push(chooser.label);
    return rate(opt.minMs, () => {
      chooser.before();
      const t0 = performance.now();
      t.train(k);
      chooser.after(k * bs, performance.now() - t0);
      return k * bs;
    });
  });
  wasm.setParallel(true);
  return { ...r, modes };
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
