// Where two threads pay for one sgemm (issue 14.1): in a module worker, the
// threaded build on all threads times each product of a sweep (0.25–33 MFLOP,
// the shapes of small layers and batches) with the pool and on the calling
// thread alone (the core's `setParallel` switch), alternating the two modes
// round by round so the host's drift hits both alike. Every product goes
// parallel here whatever its size (`setParMinFlops(1)`); the core's own
// threshold is PAR_MIN_FLOPS (crate/src/kernels/par_threshold.rs).
import { stats } from './common.js';

/** [m, n, k, transA, transB, what]: forward x·W, dW = xᵀ·dZ, dx = dZ·Wᵀ and im2col shapes. */
const SHAPES = [
  [16, 128, 64, false, false, 'fwd 16·64→128'],
  [16, 128, 128, false, false, 'fwd 16·128→128'],
  [32, 128, 128, false, false, 'fwd 32·128→128'],
  [128, 128, 32, true, false, 'dW 128×128, batch 32'],
  [32, 128, 256, false, false, 'fwd 32·256→128'],
  [32, 256, 128, false, true, 'dx 32·128→256'],
  [2304, 12, 25, false, false, 'conv 5×5×1→12, batch 16'],
  [64, 128, 256, false, false, 'fwd 64·256→128'],
  [32, 128, 784, false, false, 'fwd 32·784→128 (race)'],
  [784, 128, 32, true, false, 'dW 784×128, batch 32 (race)'],
  [1600, 24, 108, false, false, 'conv 3×3×12→24, batch 16'],
  [108, 24, 1600, true, false, 'conv dW 3×3×12→24, batch 16'],
  [2400, 24, 108, false, false, 'conv 3×3×12→24, batch 24'],
  [96, 128, 512, false, false, 'fwd 96·512→128'],
  [128, 128, 512, false, false, 'fwd 128·512→128'],
  [128, 128, 784, false, false, 'fwd 128·784→128'],
  [128, 128, 1024, false, false, 'fwd 128·1024→128'],
];

/** Microseconds per product over windows of `ms`: `run()` repeated, median of the windows. */
function usPer(run, ms) {
  let n = 0;
  const t0 = performance.now();
  do { run(); n += 1; } while (performance.now() - t0 < ms);
  return ((performance.now() - t0) * 1000) / n;
}

self.onmessage = async ({ data: opt }) => {
  try {
    const wasm = await import(opt.pkg);
    await wasm.default();
    await wasm.initThreadPool(opt.threads);
    wasm.BenchGemm.setParMinFlops(1);
    const out = { threads: wasm.threads(), rows: [] };
    for (const [m, n, k, ta, tb, what] of SHAPES) {
      const g = new wasm.BenchGemm(m, n, k, ta, tb);
      for (const on of [true, false, true]) { wasm.setParallel(on); usPer(() => g.run(1), 50); }
      const rounds = [];
      for (let r = 0; r < opt.rounds; r++) {
        const got = {};
        for (const on of r % 2 ? [false, true] : [true, false]) {
          wasm.setParallel(on);
          usPer(() => g.run(1), 10);   // the pool wakes / settles into this mode
          got[on ? 'many' : 'one'] = usPer(() => g.run(1), opt.ms);
        }
        rounds.push(got);
      }
      const flops = g.flops();
      g.free();
      out.rows.push({
        what, shape: `${m}x${n}x${k}${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}`, mflops: flops / 1e6,
        one: stats(rounds.map((x) => x.one)), many: stats(rounds.map((x) => x.many)),
        gain: stats(rounds.map((x) => x.one / x.many)),
      });
    }
    wasm.setParallel(true);
    wasm.BenchGemm.setParMinFlops(0);
    self.postMessage({ ok: true, result: out });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e?.stack ?? e) });
  }
};
