// Contour plot of a 2-D function on a <canvas>, with optimizer paths on top.
// The value grid (row 0 = y_min, as crate/src/surfaces `grid`) is shaded in
// bands between contour levels (quantiles of the grid, denser near the
// minimum) and the level lines are traced by marching squares; both are drawn
// once per surface into an offscreen canvas, so redrawing paths is cheap.
// DPR-aware, follows the container width and light/dark theme. A click or tap
// picks a point, arrow keys (plot focused) move it: onPick(x, y, byPointer).
//
//   const c = mountContour(el, { label, onPick: (x, y) => … });
//   c.setSurface({ values, nx, ny, bounds: [x0, x1, y0, y1], minimum: [x, y] | null });
//   c.setPaths([{ path: [[x, y]…], color, dash: [6, 3] }], start);   // whole paths at once
//   c.setPaths(paths, start, { animate: true });   // revealed step by step (~STEPS_PER_FRAME a frame)

/** Sizes a canvas to its CSS box × devicePixelRatio; returns the 2-D context scaled to CSS pixels. */
export function fitCanvas(canvas, cssW, cssH) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(cssW * dpr));
  const h = Math.max(1, Math.round(cssH * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  if (canvas.style.height !== `${cssH}px`) canvas.style.height = `${cssH}px`;
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  return g;
}

/** `count` contour levels at quantiles q = (k/(count+1))^1.6 of the finite grid values (denser near the minimum). */
export function contourLevels(values, count = 14) {
  const v = Float64Array.from(values).filter(Number.isFinite).sort();
  if (!v.length) return [];
  const levels = [];
  for (let k = 1; k <= count; k += 1) {
    const q = (k / (count + 1)) ** 1.6;
    const x = v[Math.min(v.length - 1, Math.floor(q * v.length))];
    if (!levels.length || x > levels[levels.length - 1]) levels.push(x);
  }
  return levels;
}

/** Marching squares: the segments [x1, y1, x2, y2] (grid units) where the grid crosses `level`. */
export function isoSegments(values, nx, ny, level) {
  const out = [];
  const at = (i, j) => values[j * nx + i];
  const cross = (a, b) => (level - a) / (b - a);
  for (let j = 0; j + 1 < ny; j += 1) {
    for (let i = 0; i + 1 < nx; i += 1) {
      const a = at(i, j); const b = at(i + 1, j); const c = at(i + 1, j + 1); const d = at(i, j + 1);
      const pts = [];
      if ((a < level) !== (b < level)) pts.push([i + cross(a, b), j]);
      if ((b < level) !== (c < level)) pts.push([i + 1, j + cross(b, c)]);
      if ((c < level) !== (d < level)) pts.push([i + 1 - cross(c, d), j + 1]);
      if ((d < level) !== (a < level)) pts.push([i, j + 1 - cross(d, a)]);
      if (pts.length >= 2) out.push([...pts[0], ...pts[1]]);
      if (pts.length === 4) out.push([...pts[2], ...pts[3]]);
    }
  }
  return out;
}

const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches;
const STEPS_PER_FRAME = 4;

export function mountContour(el, { label = 'contour plot', onPick = () => {}, aspect = 0.62 } = {}) {
  const canvas = document.createElement('canvas');
  canvas.className = 'gl-contour-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  el.classList.add('gl-contour');
  el.append(canvas);
  const bg = document.createElement('canvas');
  let surface = null;
  let paths = [];
  let start = null;
  let draws = 0;
  let shown = Infinity;   // steps of each path drawn (animation)
  let anim = null;
  let size = { w: 0, h: 0 };

  const toPx = ([x, y]) => {
    const [x0, x1, y0, y1] = surface.bounds;
    return [((x - x0) / (x1 - x0)) * size.w, (1 - (y - y0) / (y1 - y0)) * size.h];
  };
  const toPlane = (px, py) => {
    const [x0, x1, y0, y1] = surface.bounds;
    return [x0 + (px / size.w) * (x1 - x0), y0 + (1 - py / size.h) * (y1 - y0)];
  };

  function renderBackground() {
    const { values, nx, ny } = surface;
    const levels = contourLevels(values);
    const isDark = dark();
    const lo = isDark ? [24, 28, 34] : [196, 208, 222];
    const hi = isDark ? [58, 66, 78] : [252, 252, 253];
    const img = new ImageData(nx, ny);
    for (let j = 0; j < ny; j += 1) {
      for (let i = 0; i < nx; i += 1) {
        const v = values[j * nx + i];
        let band = 0;
        while (band < levels.length && v >= levels[band]) band += 1;
        const t = Number.isFinite(v) ? band / Math.max(1, levels.length) : 1;
        const o = ((ny - 1 - j) * nx + i) * 4;
        for (let c = 0; c < 3; c += 1) img.data[o + c] = Math.round(lo[c] + (hi[c] - lo[c]) * t);
        img.data[o + 3] = 255;
      }
    }
    const cells = document.createElement('canvas');
    cells.width = nx; cells.height = ny;
    cells.getContext('2d').putImageData(img, 0, 0);
    const dpr = window.devicePixelRatio || 1;
    bg.width = Math.round(size.w * dpr); bg.height = Math.round(size.h * dpr);
    const g = bg.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(cells, 0, 0, size.w, size.h);
    g.strokeStyle = isDark ? 'rgb(255 255 255 / .22)' : 'rgb(0 0 0 / .22)';
    g.lineWidth = 1;
    const sx = size.w / (nx - 1); const sy = size.h / (ny - 1);
    g.beginPath();
    for (const level of levels) {
      for (const [a, b, c, d] of isoSegments(values, nx, ny, level)) {
        g.moveTo(a * sx, size.h - b * sy);
        g.lineTo(c * sx, size.h - d * sy);
      }
    }
    g.stroke();
  }

  function marker(g, [px, py], kind) {
    g.save();
    g.lineWidth = 2;
    g.strokeStyle = dark() ? '#fff' : '#111';
    g.fillStyle = dark() ? '#111' : '#fff';
    g.beginPath();
    if (kind === 'start') g.arc(px, py, 6, 0, 2 * Math.PI);
    else { g.moveTo(px - 6, py - 6); g.lineTo(px + 6, py + 6); g.moveTo(px + 6, py - 6); g.lineTo(px - 6, py + 6); }
    if (kind === 'start') g.fill();
    g.stroke();
    g.restore();
  }

  function draw() {
    if (!surface) return;
    const g = fitCanvas(canvas, size.w, size.h);
    g.clearRect(0, 0, size.w, size.h);
    g.drawImage(bg, 0, 0, size.w, size.h);
    if (surface.minimum) marker(g, toPx(surface.minimum), 'min');
    g.save();
    g.beginPath(); g.rect(0, 0, size.w, size.h); g.clip();
    g.lineJoin = 'round';
    for (const p of paths) {
      if (!p.path.length) continue;
      g.strokeStyle = p.color;
      g.lineWidth = 2.25;
      g.setLineDash(p.dash ?? []);
      g.beginPath();
      const pts = p.path.slice(0, Math.min(p.path.length, shown + 1));
      pts.forEach((pt, k) => { const [x, y] = toPx(pt); if (k) g.lineTo(x, y); else g.moveTo(x, y); });
      g.stroke();
      g.setLineDash([]);
      const [ex, ey] = toPx(pts[pts.length - 1]);
      g.fillStyle = p.color;
      g.beginPath(); g.arc(ex, ey, 3.5, 0, 2 * Math.PI); g.fill();
    }
    g.restore();
    if (start) marker(g, toPx(start), 'start');
    draws += 1;
    canvas.dataset.draws = String(draws);
  }

  // The box's width as its ResizeObserver reports it (null until the first report, which comes with
  // the next frame): reading el.clientWidth here forced a layout of the whole page whenever another
  // panel had just changed the DOM (~0.1 s at start-up, issue 14.4).
  let boxWidth = null;
  function resize() {
    if (boxWidth === null) return;
    const w = Math.max(200, Math.floor(boxWidth || 600));
    const h = Math.round(w * aspect);
    if (w === size.w && h === size.h) return;
    size = { w, h };
    if (surface) { renderBackground(); draw(); }
  }
  new ResizeObserver(([entry]) => { boxWidth = entry.contentRect.width; resize(); }).observe(el);
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => { if (surface) { renderBackground(); draw(); } });

  canvas.addEventListener('pointerdown', (e) => {
    if (!surface) return;
    const r = canvas.getBoundingClientRect();
    onPick(...toPlane(e.clientX - r.left, e.clientY - r.top), true);
  });
  canvas.addEventListener('keydown', (e) => {
    const dir = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
    if (!dir || !surface || !start) return;
    e.preventDefault();
    const [x0, x1, y0, y1] = surface.bounds;
    onPick(start[0] + (dir[0] * (x1 - x0)) / 40, start[1] + (dir[1] * (y1 - y0)) / 40, false);
  });

  resize();
  return {
    canvas,
    setSurface(s) { surface = s; size = { w: 0, h: 0 }; resize(); },
    setPaths(p, s, { animate = false } = {}) {
      paths = p; start = s;
      if (anim) cancelAnimationFrame(anim);
      anim = null;
      shown = animate ? 0 : Infinity;
      draw();
      const longest = Math.max(0, ...p.map((q) => q.path.length - 1));
      const tick = () => {
        shown += STEPS_PER_FRAME;
        draw();
        anim = shown < longest ? requestAnimationFrame(tick) : null;
        if (!anim) shown = Infinity;
      };
      if (animate && longest > 0) anim = requestAnimationFrame(tick);
    },
    draws: () => draws,
    animating: () => anim !== null,
  };
}
