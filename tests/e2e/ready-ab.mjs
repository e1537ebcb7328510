// Benchmark (not a test): when Start is enabled on a first visit (issue 14.4: page ready), for two (or
// more) built sites, interleaved (A B B A A B …) so that the host's drift slows them alike:
//   node tests/e2e/ready-ab.mjs DIST_A DIST_B [--rounds 10] [--no-coi] [--settle 1500]
// Each visit: a fresh browser profile (empty caches: the download is included), opened --settle ms
// after the browser started (a visitor's browser is already running), the default page from the local
// server (tests/server.mjs, COOP/COEP unless --no-coi); the time is read in the page (performance.now():
// ms since the navigation started), polled every 5 ms. Prints each site's visits and median.
// A site of an earlier commit: `git worktree add /tmp/old <commit> && (cd /tmp/old && bash scripts/build)`.
import { loadavg } from 'node:os';
import { open } from './browser.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const dists = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const ROUNDS = Number(opt('--rounds', 10));
const SETTLE_MS = Number(opt('--settle', 1500));
const COI = !args.includes('--no-coi');
if (dists.length < 1) throw new Error('give one or more built sites (e.g. dist /tmp/old/dist)');

async function visit(root) {
  const b = await open({ coi: COI, root });
  try {
    await b.page.addInitScript(() => {
      const t = setInterval(() => {
        const start = document.getElementById('start');
        if (start && !start.disabled) { window.__readyMs = performance.now(); clearInterval(t); }
      }, 5);
    });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await b.page.goto(b.server.url);
    await b.page.waitForFunction(() => window.__readyMs, null, { timeout: 60_000, polling: 20 });
    if (b.errors.length) throw new Error(`page errors in ${root}: ${b.errors.join('; ')}`);
    return await b.page.evaluate(() => window.__readyMs);
  } finally {
    await b.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const times = new Map(dists.map((d) => [d, []]));
for (let r = 0; r < ROUNDS; r += 1) {
  for (const d of (r % 2 ? [...dists].reverse() : dists)) times.get(d).push(await visit(d));
}
for (const [d, ms] of times) {
  console.log(`${d}: Start enabled median ${(median(ms) / 1000).toFixed(2)} s over ${ms.length} first visits `
    + `(${ms.map((x) => (x / 1000).toFixed(2)).join(' ')})`);
}
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}${COI ? '' : ' (no COOP/COEP)'}`);
