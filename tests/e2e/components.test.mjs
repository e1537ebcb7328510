/* global components -- the test page (www/dev/components.html) puts its components on window for page.evaluate */
// The playground components on www/dev/components.html (fake data, no wasm):
// chart points + tooltip + log toggle + 100k points, drawing pad strokes →
// onChange and a centred 28×28 preview, probabilities, confusion table,
// gallery dialog, dataset previews, and no horizontal scroll at 375 px.
// Serves www/ directly (the components need no build). Screenshots go to
// $GRADLAB_SHOTS (default: the OS temp dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../server.mjs';

const WWW = resolve(import.meta.dirname, '..', '..', 'www');
const SHOTS = process.env.GRADLAB_SHOTS ?? tmpdir();
let server, context, profile;

before(async () => {
  server = await startServer({ root: WWW });
  profile = await mkdtemp(join(tmpdir(), 'gradlab-components-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1280, height: 900 },
  });
});
after(async () => {
  await context?.close();
  await server?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** Opens the component page; returns { page, errors }. */
async function openPage(viewport, colorScheme = 'light') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  if (viewport) await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme });
  await page.goto(`${server.url}dev/components.html`);
  await page.waitForFunction(() => window.components, null, { timeout: 10_000 });
  return { page, errors };
}

test('chart: points arrive, hover shows epoch/step/value, log toggle, keyboard, 120k points', async () => {
  const { page, errors } = await openPage();
  try {
    assert.deepEqual(await page.evaluate(() => [components.loss.pointCount('train'), components.loss.pointCount('val')]),
      [1500, 5]);
    const canvas = page.locator('#loss canvas');
    // Something was drawn in the series colour (not just the axes).
    const inked = await page.evaluate(() => {
      const c = document.querySelector('#loss canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let blue = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && d[i + 2] > 150 && d[i] < 60) blue += 1;
      return blue;
    });
    assert.ok(inked > 200, `only ${inked} series-coloured pixels`);

    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
    const tip = page.locator('#loss .gl-chart-tip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.textContent();
    assert.match(text, /epoch [1-5] · step \d+/);
    assert.match(text, /training: [\d.]+ · smoothed [\d.]+/);
    assert.match(text, /validation \(epoch \d\): [\d.]+/);
    await page.screenshot({ path: join(SHOTS, 'components-chart-hover.png'), clip: { x: 0, y: 0, width: 1280, height: 420 } });
    await page.mouse.move(0, 0);
    await tip.waitFor({ state: 'hidden' });

    const logBtn = page.getByRole('button', { name: 'log scale' });
    await logBtn.click();
    assert.equal(await logBtn.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => components.loss.isLog()), true);
    await page.waitForFunction(() => /log scale/.test(document.querySelector('#loss canvas').getAttribute('aria-label')));

    // Keyboard: focus the plot, End then ArrowLeft moves the cursor to the previous step.
    await canvas.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await tip.waitFor({ state: 'visible' });
    // The tip is redrawn on the next frame: wait for ArrowLeft's text (End's 1500 may still show).
    await page.waitForFunction(() => /epoch 5 · step 1499/.test(document.querySelector('#loss .gl-chart-tip').textContent),
      undefined, { timeout: 5000 });

    // 120k more points: the next frame still draws quickly (decimated).
    const ms = await page.evaluate(async () => {
      const pts = Array.from({ length: 120_000 }, (_, i) => ({ x: 2000 + i, y: 1 / Math.sqrt(i + 1) + Math.random() * 0.1,
        epoch: 6 + Math.floor(i / 20_000) }));
      components.loss.addPoints('train', pts);
      await new Promise(requestAnimationFrame);
      const t0 = performance.now();
      components.loss.addPoints('train', [{ x: 200_000, y: 0.1, epoch: 11 }]);
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      return performance.now() - t0;
    });
    assert.equal(await page.evaluate(() => components.loss.pointCount('train')), 121_501);
    assert.ok(ms < 250, `two frames with 121k points took ${ms} ms`);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('chart: two charts fed together redraw their data in turns, never both in one animation frame; the font follows <body>\'s class', async () => {
  const { page, errors } = await openPage();
  try {
    const frames = await page.evaluate(async () => {
      const { mountChart } = await import('../js/components/chart.js');
      const charts = [0, 1].map((k) => {
        const box = document.createElement('div');
        box.style.width = '500px';
        document.body.prepend(box);
        return mountChart(box, { title: `chart ${k}` });
      });
      window.__charts = charts;
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      await frame();
      await frame();
      const out = [];
      for (let f = 0; f < 30; f += 1) {
        charts.forEach((c) => c.addPoints('train', [{ x: f, y: Math.random(), epoch: 1 }]));
        const before = charts.map((c) => c.stats().dataDraws);
        await frame();
        out.push(charts.map((c, k) => c.stats().dataDraws - before[k]));
      }
      return out;
    });
    assert.ok(frames.every(([a, b]) => a + b <= 1), `both charts redrew their data in one frame: ${JSON.stringify(frames)}`);
    // The theme is read once, and again when <body>'s class changes the chart font (the classroom view).
    const fonts = await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const style = document.createElement('style');
      style.textContent = 'body.big-font .gl-chart { --gl-chart-font: 31px serif; }';
      document.head.append(style);
      const c = window.__charts[0];
      const before = c.stats().font;
      document.body.classList.add('big-font');
      for (let f = 0; f < 4; f += 1) await frame();
      const after = c.stats().font;
      document.body.classList.remove('big-font');
      return [before, after];
    });
    assert.notEqual(fonts[0], '31px serif');
    assert.equal(fonts[1], '31px serif', 'the chart kept its old font after <body>\'s class changed it');
    for (const k of [0, 1]) {
      const n = frames.reduce((sum, f) => sum + f[k], 0);
      assert.ok(n >= 5, `chart ${k} redrew its data only ${n} times in 30 frames: ${JSON.stringify(frames)}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('drawing pad: mouse strokes call onChange during the stroke; the preview is centred; Delete clears', async () => {
  const { page, errors } = await openPage();
  try {
    const pad = page.locator('.gl-drawpad-canvas');
    const box = await pad.boundingBox();
    // A "7" drawn small in the top-left corner: far from the centre on purpose.
    const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
    await page.mouse.move(...at(0.08, 0.1));
    await page.mouse.down();
    for (let k = 1; k <= 12; k += 1) { await page.mouse.move(...at(0.08 + 0.3 * k / 12, 0.1)); await page.waitForTimeout(20); }
    for (let k = 1; k <= 12; k += 1) { await page.mouse.move(...at(0.38 - 0.2 * k / 12, 0.1 + 0.35 * k / 12)); await page.waitForTimeout(20); }
    const during = await page.evaluate(() => components.padResults.length);
    await page.mouse.up();
    assert.ok(during >= 2, `onChange ran ${during} times during the stroke`);
    const last = await page.evaluate(() => components.padResults.at(-1));
    assert.equal(last.empty, false);
    assert.ok(Math.abs(last.cx - 14) <= 0.5 && Math.abs(last.cy - 14) <= 0.5, JSON.stringify(last));

    // The preview shows the same: centre of mass of its grey blocks (sampled off the marker lines).
    const com = await page.evaluate(() => {
      const c = components.pad.preview28;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const z = c.width / 28;
      let m = 0, mx = 0, my = 0;
      for (let y = 0; y < 28; y += 1) for (let x = 0; x < 28; x += 1) {
        const o = ((y * z + 1) * c.width + (x * z + 1)) * 4;
        const v = d[o + 1] / 255; // green channel: grey pixels only carry ink
        m += v; mx += v * x; my += v * y;
      }
      return { x: mx / m, y: my / m, mass: m, cx: Number(c.dataset.cx), cy: Number(c.dataset.cy) };
    });
    assert.ok(com.mass > 10, 'the preview shows ink');
    assert.ok(Math.abs(com.x - 14) <= 1 && Math.abs(com.y - 14) <= 1, JSON.stringify(com));
    await page.locator('.gl-drawpad').screenshot({ path: join(SHOTS, 'components-drawpad.png') });

    // The probability bars followed the drawing; Delete on the focused pad clears everything.
    assert.match(await page.locator('.gl-probs-top').textContent(), /^Prediction: \d$/);
    await pad.focus();
    await page.keyboard.press('Delete');
    assert.equal(await page.evaluate(() => components.padResults.at(-1).empty), true);
    assert.equal(await page.evaluate(() => components.pad.preview28.dataset.empty), 'true');
    assert.equal(await page.locator('.gl-probs-top').textContent(), 'Prediction: –');

    // Touch pointer events and drawStroke() take the same path.
    const n0 = await page.evaluate(() => components.padResults.length);
    await page.evaluate(() => {
      const c = document.querySelector('.gl-drawpad-canvas');
      const r = c.getBoundingClientRect();
      const ev = (type, fx, fy) => c.dispatchEvent(new PointerEvent(type, { pointerId: 7, pointerType: 'touch',
        isPrimary: true, bubbles: true, clientX: r.left + fx * r.width, clientY: r.top + fy * r.height }));
      ev('pointerdown', 0.8, 0.5);
      for (let k = 1; k <= 10; k += 1) ev('pointermove', 0.8, 0.5 + k * 0.04);
      ev('pointerup', 0.8, 0.9);
    });
    const touched = await page.evaluate(() => components.padResults.at(-1));
    assert.ok(touched.empty === false && (await page.evaluate(() => components.padResults.length)) > n0);
    const r = await page.evaluate(() => {
      components.pad.clear();
      const res = components.pad.drawStroke([[0.5, 0.2], [0.5, 0.8]]);
      return { empty: res.empty, w: res.scaled.w, h: res.scaled.h, len: res.pixels.length };
    });
    assert.deepEqual([r.empty, r.h, r.len], [false, 20, 784]);
    assert.ok(r.w <= 8, `a vertical bar stays thin, got ${r.w} px`);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.gl-drawpad-canvas')).touchAction), 'none');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('probabilities, confusion table, gallery dialog, dataset previews', async () => {
  const { page, errors } = await openPage();
  try {
    const top = page.locator('.gl-prob.gl-top');
    assert.equal(await top.count(), 1);
    assert.equal(await top.locator('.gl-prob-label').textContent(), '3');
    assert.equal(await top.locator('.gl-prob-value').textContent(), '87.0%');

    // Confusion: 10 rows of 10 counts + recall; recall = diag / row sum, computed here from the table.
    const rows = await page.$$eval('.gl-confusion-table tbody tr',
      (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.equal(rows.length, 10);
    rows.forEach((cells, i) => {
      assert.equal(cells.length, 11);
      const counts = cells.slice(0, 10).map(Number);
      const recall = counts[i] / counts.reduce((a, b) => a + b, 0);
      assert.equal(cells[10], `${(recall * 100).toFixed(1)}%`);
    });
    assert.equal(await page.locator('.gl-confusion-table th[scope=col]').count(), 12);

    // Gallery: Enter on a thumbnail opens it larger; Escape closes and gives focus back.
    const thumbs = page.locator('.gl-thumb');
    assert.equal(await thumbs.count(), 8);
    await thumbs.first().focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.gl-gallery-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.locator('figcaption').textContent(), /^pred 4 · true 9 — confidence 81%$/);
    await page.screenshot({ path: join(SHOTS, 'components-gallery-dialog.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('gl-thumb')), true);

    // Previews: 12 images with their classes; a 6-row table with class names.
    assert.equal(await page.locator('#samples-img canvas').count(), 12);
    assert.equal(await page.locator('#samples-img figcaption').nth(3).textContent(), '3');
    assert.equal(await page.locator('#samples-tab tbody tr').count(), 6);
    assert.equal(await page.locator('#samples-tab tbody tr').first().locator('.gl-samples-label').textContent(), 'setosa');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('layout: no horizontal scroll at 375 px (light and dark); screenshots', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, errors } = await openPage({ width: 375, height: 800 }, scheme);
    try {
      await page.waitForTimeout(200);
      const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth,
        cw: document.documentElement.clientWidth }));
      assert.ok(sw <= cw, `${scheme}: page is ${sw} px wide in a ${cw} px viewport`);
      await page.screenshot({ path: join(SHOTS, `components-375-${scheme}.png`), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  }
  const { page } = await openPage({ width: 1280, height: 900 }, 'dark');
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(SHOTS, 'components-1280-dark.png'), fullPage: true });
  await page.close();
  const light = await openPage({ width: 1280, height: 900 });
  await light.page.waitForTimeout(200);
  await light.page.screenshot({ path: join(SHOTS, 'components-1280-light.png'), fullPage: true });
  await light.page.close();
});
