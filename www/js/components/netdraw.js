// Drawing for "the network drawn" (js/network.js): the layer graph (nodes per
// layer, edges coloured by the weight's sign, Okabe–Ito blue > 0 / orange < 0,
// width by |w|), a node's own small map (2-D inputs, as TF Playground), and
// weight images (28×28 templates, conv filters, feature maps) in a diverging
// white-centred colour scale. Pure canvas; no DOM strings.
import { fitCanvas } from './contour.js';

export const POS = [0, 114, 178];    // #0072B2
export const NEG = [230, 159, 0];    // #E69F00
const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches;

/** v in [−1, 1] → its RGB written at out[o], out[o + 1], out[o + 2]: white at 0, blue at +1, orange at −1. */
function divergingAt(v, out, o) {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const c = t >= 0 ? POS : NEG;
  const a = Math.abs(t);
  for (let k = 0; k < 3; k += 1) out[o + k] = Math.round(255 + (c[k] - 255) * a);
}

/** v in [−1, 1] → an RGB triple: white at 0, blue at +1, orange at −1. */
export function diverging(v) {
  const rgb = [0, 0, 0];
  divergingAt(v, rgb, 0);
  return rgb;
}

/** Draws `values` (h×w, row-major) as an image scaled by `scale` (symmetric around 0, or [lo, hi] → [−1, 1]). */
export function imageOf(values, w, h, { range = null } = {}) {
  const img = new ImageData(w, h);
  let lo = 0; let hi = 0;
  if (range) [lo, hi] = range;
  else { const m = values.reduce((a, v) => Math.max(a, Math.abs(v)), 0) || 1; lo = -m; hi = m; }
  for (let i = 0; i < w * h; i += 1) {
    divergingAt(hi > lo ? ((values[i] - lo) / (hi - lo)) * 2 - 1 : 0, img.data, i * 4);
    img.data[i * 4 + 3] = 255;
  }
  return img;
}

let scratch = null;   // one canvas of the image's own size, reused: putImageData cannot scale

/** `values` (h×w) painted 1:1 on the shared scratch canvas, to be drawn scaled at once (it is repainted by the next call). */
function painted(values, w, h, opts) {
  scratch ??= document.createElement('canvas');
  if (scratch.width !== w || scratch.height !== h) { scratch.width = w; scratch.height = h; }
  scratch.getContext('2d')?.putImageData(imageOf(values, w, h, opts), 0, 0);
  return scratch;
}

/**
 * A small canvas showing `values` (h×w) at `px` CSS pixels per value. Pass the canvas it returned
 * last time as `into` to repaint that one in place: a view refreshed while training then creates
 * no canvases (each new one costs a context and garbage for the collector, issue 14.5).
 */
export function imageCanvas(values, w, h, px, label, opts, into = null) {
  const small = painted(values, w, h, opts);
  const c = into ?? document.createElement('canvas');
  if (!into) c.setAttribute('role', 'img');
  if (c.getAttribute('aria-label') !== label) c.setAttribute('aria-label', label);
  const g = fitCanvas(c, w * px, h * px);
  g.imageSmoothingEnabled = false;
  g.clearRect(0, 0, w * px, h * px);
  g.drawImage(small, 0, 0, w * px, h * px);
  if (c.style.width !== `${w * px}px`) c.style.width = `${w * px}px`;
  return c;
}

/**
 * The graph. `columns`: [{label, nodes, more}] (more = units not drawn), `edges[k]`: rows×cols weights between
 * column k and k+1 (row-major), `maps[k]`: per node of column k an {values, n} map or null.
 */
export function drawGraph(canvas, { columns, edges, maps = [] }, cssW) {
  const node = 26; const gapY = 8; const top = 22;
  const rows = Math.max(...columns.map((c) => c.nodes), 1);
  const cssH = top + rows * (node + gapY) + 24;
  const g = fitCanvas(canvas, cssW, cssH);
  g.clearRect(0, 0, cssW, cssH);
  const fg = dark() ? '#c9ced6' : '#4a525c';
  const colX = (k) => 30 + ((cssW - 60 - node) * k) / Math.max(1, columns.length - 1);
  const nodeY = (k, i) => top + (rows - columns[k].nodes) * (node + gapY) / 2 + i * (node + gapY);
  let maxW = 0;
  for (const e of edges) for (const v of e?.values ?? []) maxW = Math.max(maxW, Math.abs(v));
  edges.forEach((e, k) => {
    if (!e) return;
    for (let r = 0; r < e.rows; r += 1) {
      for (let c = 0; c < e.cols; c += 1) {
        const w = e.values[r * e.cols + c];
        if (!Number.isFinite(w) || r >= columns[k].nodes || c >= columns[k + 1].nodes) continue;
        const [R, G, B] = w >= 0 ? POS : NEG;
        g.strokeStyle = `rgb(${R} ${G} ${B} / .75)`;
        g.lineWidth = maxW > 0 ? 0.3 + 4 * (Math.abs(w) / maxW) : 0.5;
        g.beginPath();
        g.moveTo(colX(k) + node, nodeY(k, r) + node / 2);
        g.lineTo(colX(k + 1), nodeY(k + 1, c) + node / 2);
        g.stroke();
      }
    }
  });
  g.font = '11px system-ui, sans-serif'; g.textAlign = 'center';
  columns.forEach((col, k) => {
    g.fillStyle = fg; g.textBaseline = 'top';
    g.fillText(col.label, colX(k) + node / 2, 4);
    for (let i = 0; i < col.nodes; i += 1) {
      const x = colX(k); const y = nodeY(k, i);
      const m = maps[k]?.[i];
      if (m) {
        const small = painted(m.values, m.n, m.n, { range: m.range });
        g.save(); g.translate(x, y + node); g.scale(1, -1);   // row 0 is y_min: at the bottom
        g.drawImage(small, 0, 0, node, node); g.restore();
      } else {
        g.fillStyle = dark() ? '#2b3038' : '#eef1f4'; g.fillRect(x, y, node, node);
      }
      g.strokeStyle = fg; g.lineWidth = 1; g.strokeRect(x + 0.5, y + 0.5, node - 1, node - 1);
    }
    if (col.more > 0) { g.fillStyle = fg; g.textBaseline = 'bottom'; g.fillText(`… ${col.more + col.nodes} units`, colX(k) + node / 2, cssH - 2); }
  });
  return { rows, cssH };
}
