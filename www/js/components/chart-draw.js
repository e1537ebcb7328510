// Canvas rendering of the live chart (state kept by chart.js). drawChart draws
// the data frame: grid, axes, epoch bands, each series (decimated), markers;
// drawHover draws the cursor over a copy of it (moving the pointer redraws no data).
import { decimate, niceTicks, logTicks, yRange, formatTick, labelEvery } from './chart-math.js';

const FONT = '13px system-ui, sans-serif';

/** Data extent over all series: {x0, x1, lo, hi} or null when nothing is drawable. */
function extent(series, log, marks = []) {
  let x0 = Infinity, x1 = -Infinity, lo = Infinity, hi = -Infinity;
  for (const s of series) {
    if (s.n === 0) continue;
    x0 = Math.min(x0, s.xs[0]); x1 = Math.max(x1, s.xs[s.n - 1]);
    lo = Math.min(lo, log ? s.minPos : s.min); hi = Math.max(hi, s.max);
  }
  // A marker just after the last point (a change that applies from the next step) stays in view.
  for (const m of marks) if (Number.isFinite(x1) && m.x > x1 && m.x <= x1 + Math.max(1, (x1 - x0) * 0.05)) x1 = m.x;
  if (!Number.isFinite(x0) || !Number.isFinite(lo) || !Number.isFinite(hi) || (log && !(hi > 0))) return null;
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  return { x0, x1, lo, hi };
}

/**
 * Draws a decimated polyline of (xs, vals) through the scales. `bold` strokes the 1 px path twice, one
 * pixel apart: it looks 2 px wide, while a real 2 px stroke of a noisy curve costs a software canvas
 * ~100× more to rasterise (measured: 6 noisy 2,400-point lines, 244 ms at 2 px, 4.5 ms at 1 px).
 */
function polyline(g, s, vals, sx, sy, e, buckets, log, bold = false) {
  const idx = decimate(s.xs, vals, s.n, e.x0, e.x1, buckets, log);
  g.beginPath();
  idx.forEach((i, k) => (k === 0 ? g.moveTo(sx(s.xs[i]), sy(vals[i])) : g.lineTo(sx(s.xs[i]), sy(vals[i]))));
  g.lineWidth = 1;
  g.stroke();
  if (bold) {
    g.translate(0, 1);
    g.stroke();
    g.translate(0, -1);
  }
  return idx;
}

/**
 * Draws the chart. `view` = {g, w, h, series[], log, percent, yLabel, theme:{fg, muted, grid},
 * epochs: Map epoch → {start, end}, hover: {x} | null}. Returns the layout (scales) for hit tests.
 */
export function drawChart(view) {
  const { g, w, h, series, log, percent, theme } = view;
  g.clearRect(0, 0, w, h);
  g.font = theme.font ?? FONT;
  g.textBaseline = 'middle';
  const e = extent(series, log, view.marks);
  if (!e) {
    g.fillStyle = theme.muted;
    g.textAlign = 'center';
    g.fillText(log ? 'No positive values to show on a log scale' : 'No data yet', w / 2, h / 2);
    return null;
  }
  const [ya, yb] = yRange(e.lo, e.hi, { log, percent });
  const ticks = log ? logTicks(ya, yb, 5) : niceTicks(ya, yb, h < 200 ? 3 : 5);
  const labels = ticks.map((t) => formatTick(t, percent));
  const labelW = Math.max(0, ...labels.map((t) => g.measureText(t).width));
  const L = Math.ceil(labelW + 12 + (view.yLabel ? 18 : 0));
  const T = 10, R = w - 12, B = h - 40;
  if (R - L < 20 || B - T < 20) return null;
  const la = Math.log10(ya), lb = Math.log10(yb);
  const sx = (x) => L + ((x - e.x0) / (e.x1 - e.x0)) * (R - L);
  const sy = log ? (y) => B - ((Math.log10(y) - la) / (lb - la)) * (B - T) : (y) => B - ((y - ya) / (yb - ya)) * (B - T);

  // Horizontal grid + y labels.
  g.lineWidth = 1;
  g.strokeStyle = theme.grid;
  g.fillStyle = theme.muted;
  g.textAlign = 'right';
  ticks.forEach((t, i) => {
    const y = Math.round(sy(t)) + 0.5;
    g.beginPath(); g.moveTo(L, y); g.lineTo(R, y); g.stroke();
    g.fillText(labels[i], L - 6, y);
  });
  if (view.yLabel) {
    g.save();
    g.translate(10, (T + B) / 2);
    g.rotate(-Math.PI / 2);
    g.textAlign = 'center';
    g.fillText(view.yLabel, 0, 0);
    g.restore();
  }

  // x axis: epoch bands when there are several epochs, step ticks otherwise.
  g.textAlign = 'center';
  const epochs = [...view.epochs.entries()].sort((a, b) => a[0] - b[0]);
  if (epochs.length >= 2) {
    const every = labelEvery((R - L) / epochs.length, 40);
    epochs.forEach(([ep, span], k) => {
      const labelled = (k + 1) % every === 0 || (every > 1 && k === 0);
      if (k > 0 && (labelled || (R - L) / epochs.length >= 6)) {
        const x = Math.round(sx(span.start - 0.5)) + 0.5;
        g.strokeStyle = theme.grid;
        g.beginPath(); g.moveTo(x, T); g.lineTo(x, B); g.stroke();
      }
      if (labelled) {
        const end = k + 1 < epochs.length ? epochs[k + 1][1].start - 0.5 : span.end;
        const mid = every === 1 ? (sx(span.start - 0.5) + sx(end)) / 2 : sx(span.start);
        const half = g.measureText(String(ep)).width / 2;
        g.fillText(String(ep), Math.min(w - half - 1, Math.max(L, mid)), B + 12);
      }
    });
  } else {
    for (const t of niceTicks(e.x0, e.x1, Math.max(2, Math.floor((R - L) / 90)))) {
      const text = formatTick(t);
      const half = g.measureText(text).width / 2;
      g.fillText(text, Math.min(w - half - 1, sx(t)), B + 12);
    }
  }
  g.fillText(epochs.length >= 2 ? 'epoch' : 'step', (L + R) / 2, B + 30);
  g.strokeStyle = theme.muted;
  g.beginPath(); g.moveTo(L, B + 0.5); g.lineTo(R, B + 0.5); g.stroke();

  // Series: faint raw line under the smoothed one; markers for sparse series.
  g.save();
  g.beginPath(); g.rect(L - 5, T - 5, R - L + 10, B - T + 10); g.clip();
  g.lineJoin = 'round';
  // Raw values: M4 at one column per pixel. A smoothed line changes slowly, so one column per
  // 3 px is enough. With more than 3 smoothed series the faint raw lines are left out (they
  // would hide each other; 6 runs draw 6 lines, not 12).
  const buckets = Math.max(1, Math.floor(R - L));
  const smoothBuckets = Math.max(1, Math.floor((R - L) / 3));
  const rawLines = series.filter((s) => s.n > 0 && s.smooth > 0).length <= 3;
  for (const s of series) {
    if (s.n === 0) continue;
    g.strokeStyle = s.resolvedColor;
    g.fillStyle = s.resolvedColor;
    g.setLineDash(s.dash ?? []);
    if (s.smooth > 0 && rawLines) {
      g.globalAlpha = 0.25; g.lineWidth = 1;
      polyline(g, s, s.ys, sx, sy, e, buckets, log);
      g.globalAlpha = 1;
    }
    const idx = polyline(g, s, s.smooth > 0 ? s.sm : s.ys, sx, sy, e, s.smooth > 0 ? smoothBuckets : buckets, log, true);
    g.setLineDash([]);
    if (s.markers && idx.length <= (R - L) / 6) {
      for (const i of idx) { g.beginPath(); g.arc(sx(s.xs[i]), sy(s.ys[i]), 3.5, 0, 2 * Math.PI); g.fill(); }
    }
  }
  // Vertical markers (live learning-rate / momentum changes) with their label at the top.
  for (const [k, m] of (view.marks ?? []).entries()) {
    if (m.x < e.x0 || m.x > e.x1) continue;
    const x = Math.round(sx(m.x)) + 0.5;
    g.strokeStyle = m.color ?? theme.fg;
    g.lineWidth = 1.5;
    g.setLineDash([4, 3]);
    g.beginPath(); g.moveTo(x, T); g.lineTo(x, B); g.stroke();
    g.setLineDash([]);
    if (m.label) {
      g.fillStyle = m.color ?? theme.fg;
      const tw = g.measureText(m.label).width;
      g.textAlign = x + 4 + tw > R ? 'right' : 'left';
      g.fillText(m.label, g.textAlign === 'right' ? x - 4 : x + 4, T + 8 + (k % 3) * 15);
    }
  }
  g.restore();
  return { L, R, T, B, x0: e.x0, x1: e.x1, toX: (px) => e.x0 + ((px - L) / (R - L)) * (e.x1 - e.x0), sx, sy, log };
}

/** The hover cursor and a dot on each series, over a drawn frame (`layout` from drawChart). */
export function drawHover(g, layout, hover, theme) {
  const { sx, sy, T, B, L, R, log } = layout;
  g.save();
  g.beginPath(); g.rect(L - 5, T - 5, R - L + 10, B - T + 10); g.clip();
  const x = Math.round(sx(hover.x)) + 0.5;
  g.strokeStyle = theme.fg; g.globalAlpha = 0.5; g.lineWidth = 1;
  g.beginPath(); g.moveTo(x, T); g.lineTo(x, B); g.stroke();
  g.globalAlpha = 1;
  for (const p of hover.points ?? []) {
    const v = p.shown;
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    g.fillStyle = p.color; g.strokeStyle = theme.bg; g.lineWidth = 2;
    g.beginPath(); g.arc(sx(p.x), sy(v), 5, 0, 2 * Math.PI); g.fill(); g.stroke();
  }
  g.restore();
}
