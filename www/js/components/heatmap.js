// Decision-boundary heat map on a <canvas>: a model's class probabilities on
// an n×n grid over the input plane (row 0 = y_min) shaded in colour-blind-safe
// Okabe–Ito class colours — the colour of the likelier class, paler where the
// model is unsure — with the data points on top (training: filled discs,
// test: rings). DPR-aware; follows the container width and light/dark theme.
//
//   const m = mountHeatmap(el, { label });
//   m.draw({ probs, k, n, bounds: [x0, x1, y0, y1], points: [{ x, y, label, test }] });
//   → { correct } the share of points whose grid cell's likeliest class is their label.
import { fitCanvas } from './contour.js';

export const CLASS_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const rgbOf = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const RGB = CLASS_COLORS.map(rgbOf);
const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches;

/** Probabilities of every class at grid cell `c`: k = 1 is a sigmoid output (P(class 1)), else one value per class. */
export function cellProbs(probs, k, c) {
  if (k === 1) { const p = probs[c]; return [1 - p, p]; }
  return Array.from(probs.subarray(c * k, c * k + k));
}

const argmax = (a) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);

/** The grid cell (nearest grid node) of a point, row 0 = y_min. */
export function cellOf(x, y, n, [x0, x1, y0, y1]) {
  const i = Math.min(n - 1, Math.max(0, Math.round(((x - x0) / (x1 - x0)) * (n - 1))));
  const j = Math.min(n - 1, Math.max(0, Math.round(((y - y0) / (y1 - y0)) * (n - 1))));
  return j * n + i;
}

export function mountHeatmap(el, { label = 'decision boundary', aspect = null } = {}) {
  const canvas = document.createElement('canvas');
  canvas.className = 'gl-heatmap-canvas';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  el.classList.add('gl-heatmap');
  el.append(canvas);
  const cells = document.createElement('canvas');
  let last = null;
  let draws = 0;
  // The box's width as its ResizeObserver last reported it (reading el.clientWidth forces a layout of
  // the page when the DOM has just changed); read directly only before the first report.
  let boxWidth = null;

  function draw(frame = last) {
    if (!frame) return { correct: null };
    last = frame;
    const { probs, k, n, bounds, points } = frame;
    const base = dark() ? [26, 29, 34] : [255, 255, 255];
    const classes = k === 1 ? 2 : k;
    if (cells.width !== n) { cells.width = n; cells.height = n; }
    const img = new ImageData(n, n);
    for (let j = 0; j < n; j += 1) {
      for (let i = 0; i < n; i += 1) {
        const p = cellProbs(probs, k, j * n + i);
        const best = argmax(p);
        const conf = Math.max(0, Math.min(1, (p[best] - 1 / classes) / (1 - 1 / classes)));
        const mix = 0.08 + 0.42 * conf;
        const col = RGB[best % RGB.length];
        const o = ((n - 1 - j) * n + i) * 4;
        for (let c = 0; c < 3; c += 1) img.data[o + c] = Math.round(base[c] + (col[c] - base[c]) * mix);
        img.data[o + 3] = 255;
      }
    }
    cells.getContext('2d').putImageData(img, 0, 0);
    const [x0, x1, y0, y1] = bounds;
    const w = Math.max(200, Math.floor((boxWidth ?? el.clientWidth) || 400));
    // Equal scales on both axes (circles stay round), within 1:2 … 1:1.
    const h = Math.round(w * (aspect ?? Math.min(1, Math.max(0.5, (y1 - y0) / (x1 - x0)))));
    const g = fitCanvas(canvas, w, h);
    g.imageSmoothingEnabled = true;
    g.drawImage(cells, 0, 0, w, h);
    let good = 0;
    const outline = dark() ? '#f4f4f4' : '#111';
    // One path per class and kind (training discs, test rings): a few draw calls for hundreds of points.
    const groups = new Map();
    for (const pt of points) {
      if (argmax(cellProbs(probs, k, cellOf(pt.x, pt.y, n, bounds))) === pt.label) good += 1;
      const key = `${pt.test ? 't' : 'f'}${pt.label}`;
      if (!groups.has(key)) groups.set(key, { test: pt.test, color: CLASS_COLORS[pt.label % CLASS_COLORS.length], path: new Path2D() });
      const px = ((pt.x - x0) / (x1 - x0)) * w;
      const py = (1 - (pt.y - y0) / (y1 - y0)) * h;
      const r = pt.test ? 4 : 3.5;
      const path = groups.get(key).path;
      path.moveTo(px + r, py);
      path.arc(px, py, r, 0, 2 * Math.PI);
    }
    for (const { test, color, path } of groups.values()) {
      if (test) {
        g.lineWidth = 3; g.strokeStyle = outline; g.stroke(path);
        g.lineWidth = 1.6; g.strokeStyle = color; g.stroke(path);
      } else {
        g.fillStyle = color; g.fill(path);
        g.lineWidth = 0.8; g.strokeStyle = dark() ? 'rgb(255 255 255 / .6)' : 'rgb(0 0 0 / .55)'; g.stroke(path);
      }
    }
    const correct = points.length ? good / points.length : null;
    draws += 1;
    canvas.dataset.draws = String(draws);
    canvas.dataset.correct = correct === null ? '' : correct.toFixed(4);
    return { correct };
  }

  new ResizeObserver(([entry]) => { boxWidth = entry.contentRect.width; draw(); }).observe(el);
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => draw());
  return { canvas, draw, draws: () => draws };
}
