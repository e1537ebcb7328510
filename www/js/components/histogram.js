// A small histogram on a <canvas> (one of the "inside the network" small
// multiples): fixed bins over [min, max] as the core computed them
// (crate/src/inside.rs), bars scaled to the tallest, the range written under
// them. DPR-aware; redrawn whole on every update.
//
//   const hg = mountHistogram(el, { label: 'dense_1 weights', color: '#0072B2' });
//   hg.update({ min, max, counts: [...], nonfinite });
import { fitCanvas } from './contour.js';
import { fmt } from '../dom.js';

const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches;

export function mountHistogram(el, { label = 'histogram', color = '#0072B2', width = 150, height = 70 } = {}) {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  canvas.className = 'gl-histogram';
  el.append(canvas);
  let last = null;

  function draw() {
    const g = fitCanvas(canvas, width, height);
    g.clearRect(0, 0, width, height);
    if (!last) return;
    const { min, max, counts, nonfinite } = last;
    const B = height - 14;
    const top = Math.max(1, ...counts);
    const bw = width / Math.max(1, counts.length);
    g.fillStyle = color;
    counts.forEach((c, i) => {
      const bh = (B - 2) * (c / top);
      g.fillRect(i * bw + 0.5, B - bh, Math.max(1, bw - 1), bh);
    });
    g.fillStyle = dark() ? '#c9ced6' : '#4a525c';
    g.font = '10px system-ui, sans-serif';
    g.textBaseline = 'bottom';
    g.textAlign = 'left'; g.fillText(fmt(min, 2), 0, height);
    g.textAlign = 'right'; g.fillText(fmt(max, 2) + (nonfinite ? ` · ${nonfinite} NaN/∞` : ''), width, height);
  }

  return {
    canvas,
    update(hist) { last = hist; draw(); },
  };
}
