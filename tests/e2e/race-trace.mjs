// Profiling aid (not a test, not a benchmark figure): a Chromium trace and a CPU
// profile of the main thread while six race runs train and draw (issue 9.5).
// Prints the script functions by self time, what invalidated style and layout,
// the time per rendering phase (layout, paint, commit, animation frames), the
// largest layouts and the longest tasks with what they were made of. Tracing
// and profiling slow the page: use race-bench.mjs for the figures.
//   node tests/e2e/race-trace.mjs [seconds=8] [--one]     (--one: the main run alone, issue 14.5)
// For readable function names, serve a copy of dist/ whose js/ is bundled
// without --minify (GRADLAB_DIST=that-copy).
import { openPlayground, link, startOptimizerRace, waitFor } from './playground-lib.mjs';

const SECONDS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 8);
const ONE = process.argv.includes('--one');   // the main run alone (Start) instead of the six-run race
const b = await openPlayground({ hash: link({ epochs: 50 }) });
const { page } = b;
try {
  if (ONE) {
    await page.click('#start');
    await waitFor(page, () => window.gradlab.store.get().step > 20);
  } else await startOptimizerRace(page);
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8.execute', 'toplevel', 'disabled-by-default-devtools.timeline.invalidationTracking'] }, transferMode: 'ReportEvents' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(SECONDS * 1000);
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Tracing.end');
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, k) => {
    const n = byId.get(id);
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k + 1] ?? 0));
  });
  console.log('self time (ms):', [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)
    .map(([k, v]) => `\n  ${(v / 1000).toFixed(0).padStart(6)} ${k}`).join(''));
  await done;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'FireAnimationFrame'));
  const on = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = on.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask').sort((a, b) => b.dur - a.dur);
  console.log(`${tasks.length} tasks; > 50 ms: ${tasks.filter((t) => t.dur > 50_000).length}; busy ${(tasks.reduce((a, t) => a + t.dur, 0) / 1000).toFixed(0)} ms of ${SECONDS * 1000}`);
  const inval = new Map();
  for (const e of events.filter((x) => x.pid === main.pid && (x.name === 'InvalidateLayout' || x.name === 'ScheduleStyleRecalculation' || x.name === 'StyleRecalcInvalidationTracking' || x.name === 'LayoutInvalidationTracking'))) {
    const st = e.args?.data?.stackTrace?.[0] ?? e.args?.data?.stackTrace?.[1];
    const key = `${e.name} ${e.args?.data?.reason ?? ''} ${e.args?.data?.nodeName ?? ''} ${st ? `${st.functionName} ${st.url.split('/').pop()}:${st.lineNumber}` : ''}`;
    inval.set(key, (inval.get(key) ?? 0) + 1);
  }
  console.log('invalidations:', [...inval.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `\n  ${v} ${k}`).join(''));
  for (const name of ['Layout', 'UpdateLayoutTree', 'Paint', 'PrePaint', 'Commit', 'FireAnimationFrame']) {
    const d = on.filter((e) => e.name === name).map((e) => e.dur / 1000).sort((a, b) => a - b);
    if (d.length) console.log(`${name}: n ${d.length}, total ${d.reduce((a, b) => a + b, 0).toFixed(0)} ms, median ${d[d.length >> 1].toFixed(2)}, p90 ${d[Math.floor(d.length * 0.9)].toFixed(2)}, max ${d[d.length - 1].toFixed(1)}`);
  }
  const layouts = on.filter((e) => e.name === 'Layout').sort((a, b) => b.dur - a.dur).slice(0, 5);
  console.log('largest layouts:', layouts.map((e) => `${(e.dur / 1000).toFixed(1)} ms ${JSON.stringify(e.args?.beginData ?? {})}`).join('\n  '));
  for (const t of tasks.slice(0, 6)) {
    const inner = on.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > 1000)
      .map((e) => `${e.name}${e.args?.data?.functionName ? `(${e.args.data.functionName})` : ''}${e.args?.data?.url ? ` ${String(e.args.data.url).split('/').pop()}:${e.args.data.lineNumber}` : ''} ${(e.dur / 1000).toFixed(1)}`);
    console.log(`task ${(t.dur / 1000).toFixed(1)} ms: ${inner.join(' | ')}`);
  }
} finally {
  await b.close();
}
