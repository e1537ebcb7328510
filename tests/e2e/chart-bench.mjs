// Benchmark (not a test): the chart's cost per frame with 6 series of 10k
// points, as race mode draws them, in headless Chromium on the built site.
//   node tests/e2e/chart-bench.mjs
// Prints, for 120 frames that each append one point to every series: the
// drawing time per animation frame (data frames are redrawn at most at a 1/4
// duty cycle, the others copy the last one) and the cost of a data frame; and
// for 120 frames where only the hover moves (the data frame is copied): median
// and max ms per frame, measured inside draw().
import { open } from './browser.mjs';

const b = await open({ viewport: { width: 1280, height: 720 } });
try {
  await b.page.goto(`${b.server.url}dev/components.html`);
  const out = await b.page.evaluate(async () => {
    const { mountChart } = await import('../js/components/chart.js');
    const box = document.createElement('div');
    box.style.width = '600px';
    document.body.prepend(box);
    const c = mountChart(box, { title: 'race', logToggle: true });
    const colors = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
    const N = 10_000;
    colors.forEach((color, k) => {
      c.setSeries(`r${k}`, { label: `run ${k}`, color, dash: k ? [6, 3] : null, smooth: 0.6 });
      c.addPoints(`r${k}`, Array.from({ length: N }, (_, i) => ({ x: i + 1, y: 2 * Math.exp(-i / (2000 + 300 * k)) + Math.random() * 0.1,
        epoch: Math.floor(i / 282) + 1 })));
    });
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    await frame();
    const append = [];
    const before = c.stats();
    const t0 = performance.now();
    for (let f = 0; f < 120; f += 1) {
      colors.forEach((_, k) => c.addPoints(`r${k}`, [{ x: N + f + 1, y: 0.1 + Math.random() * 0.05, epoch: 40 }]));
      const n = c.stats().dataDraws;
      await frame();
      if (c.stats().dataDraws > n) append.push(c.stats().lastMs);
    }
    const after = c.stats();
    const perFrame = (after.totalMs - before.totalMs) / 120;
    const wall = performance.now() - t0;
    const canvas = box.querySelector('canvas');
    const r = canvas.getBoundingClientRect();
    const hover = [];
    for (let f = 0; f < 120; f += 1) {
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: r.left + 60 + f * 4, clientY: r.top + 50, pointerType: 'mouse' }));
      await frame();
      hover.push(c.stats().lastMs);
    }
    const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
    return { perFrame, wall, dataFrames: after.dataDraws - before.dataDraws, append: { median: med(append), max: Math.max(...append) }, hover: { median: med(hover), max: Math.max(...hover) },
      stats: c.stats() };
  });
  console.log(`6 series × 10,000 points, 600 px wide chart, one point per series appended every frame (120 frames, ${out.wall.toFixed(0)} ms):
  drawing per animation frame: ${out.perFrame.toFixed(2)} ms on average (${out.dataFrames} of 120 frames redrew the data)
  a data frame (redrawn, rasterised): median ${out.append.median.toFixed(2)} ms, max ${out.append.max.toFixed(2)} ms
  hover only (frame copied):      median ${out.hover.median.toFixed(2)} ms, max ${out.hover.max.toFixed(2)} ms per frame
  frames ${out.stats.draws}, data frames ${out.stats.dataDraws}`);
} finally {
  await b.close();
}
