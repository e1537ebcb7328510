// Benchmark (not a test): where a second thread pays for one sgemm in the
// browser (issue 14.1), to set PAR_MIN_FLOPS (crate/src/kernels/gemm.rs) from
// a measurement. For each product of a sweep, microseconds on all threads and
// on one, alternated round by round; median of --rounds with min–max, and the
// gain (1-thread time / N-thread time) per round.
//
//   GRADLAB_FEATURES=bench bash scripts/build dist
//   node tests/bench/threshold.mjs [--dist DIR] [--rounds 7] [--ms 150] [--threads N] [--threaded pkg-threads]
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { openBenchBrowser, threadedPkg } from './browser.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const DIST = resolve(opt('--dist', process.env.GRADLAB_DIST ?? join(ROOT, 'dist')));
const ROUNDS = Number(opt('--rounds', 7));
const MS = Number(opt('--ms', 150));
const THREADS = Number(opt('--threads', availableParallelism()));
const THREADED = threadedPkg(DIST, opt('--threaded'));
const pkg = join(DIST, THREADED, 'gradlab.js');
if (!existsSync(pkg)) {
  console.error(`${pkg} is missing: run \`GRADLAB_FEATURES=bench bash scripts/build dist\` first (or pass --dist DIR).`);
  process.exit(2);
}

const { server, context, close } = await openBenchBrowser(ROOT);
let res;
try {
  const page = await context.newPage();
  const url = '/' + relative(ROOT, pkg).split('\\').join('/');
  await page.goto(`${server.url}tests/bench/threshold.html?pkg=${url}&threads=${THREADS}&rounds=${ROUNDS}&ms=${MS}`);
  res = await (await page.waitForFunction(() => window.benchResult, null, { timeout: 20 * 60_000, polling: 250 })).jsonValue();
} finally {
  await close();
}
if (!res.ok) {
  console.error(res.error.includes('setParMinFlops') ? `${res.error}\n(build dist with GRADLAB_FEATURES=bench)` : res.error);
  process.exit(1);
}
const r = res.result;
const f = (s, d) => `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
console.log(`sgemm in the browser, threaded build (${THREADED}): µs per product on ${r.threads} threads and on 1, ${ROUNDS} alternated rounds of ${MS} ms (median, min–max)`);
console.log(['product'.padEnd(30), 'shape'.padEnd(18), 'MFLOP'.padStart(6), `1 thread µs`.padStart(24), `${r.threads} threads µs`.padStart(24), 'gain'.padStart(20)].join(' '));
for (const x of r.rows) {
  console.log([x.what.padEnd(30), x.shape.padEnd(18), x.mflops.toFixed(2).padStart(6), f(x.one, 0).padStart(24), f(x.many, 0).padStart(24),
    `${f(x.gain, 2)}×`.padStart(20)].join(' '));
}
