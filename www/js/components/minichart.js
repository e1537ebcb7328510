// A small multi-series line chart on a <canvas> (loss vs step of several
// optimizers): shared axes, log y when every value is > 0, colour + dash per
// series, a label on the last point. Redrawn whole on every update (a few
// hundred points per series).
//
//   const m = mountMiniChart(el, { label: 'loss per step' });
//   m.update([{ ys: [...], color, dash }], { yLabel: 'f − f*', log: true, range: [lo, hi] (linear scale only), xLabel });
import { fitCanvas } from './contour.js';
import { fmt } from '../dom.js';

const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches;

export function mountMiniChart(el, { label = 'chart', aspect = 0.45 } = {}) {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  el.classList.add('gl-minichart');
  el.append(canvas);
  let last = { series: [], opts: {} };

  // The box's width as its ResizeObserver reports it; until its first report (the next frame) there is
  // nothing to draw yet: reading el.clientWidth forced a layout of the whole page (issue 14.4).
  let boxWidth = null;
  function draw() {
    if (boxWidth === null) return;
    const { series, opts } = last;
    const w = Math.max(200, Math.floor(boxWidth || 400));
    const h = Math.max(120, Math.round(w * aspect));
    const g = fitCanvas(canvas, w, h);
    g.clearRect(0, 0, w, h);
    const fg = dark() ? '#c9ced6' : '#4a525c';
    const L = 52; const R = w - 8; const T = 8; const B = h - 24;
    const log = opts.log && series.every((s) => s.ys.every((v) => !Number.isFinite(v) || v > 0));
    const f = (v) => (log ? Math.log10(v) : v);
    let lo = Infinity; let hi = -Infinity; let n = 1;
    for (const s of series) {
      n = Math.max(n, s.ys.length - 1);
      for (const v of s.ys) if (Number.isFinite(f(v))) { lo = Math.min(lo, f(v)); hi = Math.max(hi, f(v)); }
    }
    // A caller's range (e.g. the values seen on the plot) keeps runaway paths from flattening the rest.
    if (!log && opts.range) { lo = Math.max(lo, opts.range[0]); hi = Math.min(hi, opts.range[1]); }
    if (!(hi > lo)) { hi = (Number.isFinite(hi) ? hi : 0) + 1; lo = hi - 2; }
    const sx = (i) => L + ((R - L) * i) / n;
    const sy = (v) => B - ((B - T) * (f(v) - lo)) / (hi - lo);
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = fg; g.strokeStyle = 'rgb(128 128 128 / .35)'; g.lineWidth = 1;
    g.textAlign = 'right'; g.textBaseline = 'middle';
    const ticks = log ? Array.from({ length: Math.floor(hi) - Math.ceil(lo) + 1 }, (_, k) => Math.ceil(lo) + k) : [lo, (lo + hi) / 2, hi];
    const every = Math.max(1, Math.ceil(ticks.length / 5));
    ticks.forEach((t, k) => {
      if (k % every) return;
      const y = Math.round(B - ((B - T) * (t - lo)) / (hi - lo)) + 0.5;
      g.beginPath(); g.moveTo(L, y); g.lineTo(R, y); g.stroke();
      g.fillText(log ? `1e${t}` : fmt(t, 3), L - 4, y);
    });
    g.textAlign = 'center'; g.textBaseline = 'top';
    g.fillText('0', L, B + 4); g.fillText(opts.xLabel ?? `${n} steps`, R - 24, B + 4);
    if (opts.yLabel) { g.textAlign = 'right'; g.fillText(opts.yLabel + (log ? ' (log)' : ''), R - 2, T); }
    g.save();
    g.beginPath(); g.rect(L, T - 2, R - L, B - T + 4); g.clip();
    for (const s of series) {
      g.strokeStyle = s.color; g.lineWidth = 2; g.setLineDash(s.dash ?? []);
      g.beginPath();
      let pen = false;
      s.ys.forEach((v, i) => {
        if (!Number.isFinite(f(v))) { pen = false; return; }
        if (pen) g.lineTo(sx(i), sy(v)); else g.moveTo(sx(i), sy(v));
        pen = true;
      });
      g.stroke();
    }
    g.restore();
  }

  new ResizeObserver(([entry]) => { boxWidth = entry.contentRect.width; draw(); }).observe(el);
  return {
    canvas,
    update(series, opts = {}) { last = { series, opts }; draw(); },
  };
}
