// Live training chart on a <canvas>: per-batch training series (smoothed line
// over the faint raw one), per-epoch validation (markers + line) on the same
// axes, x = step with epoch bands, auto-scaled y, optional log scale, hover /
// touch / keyboard tooltip; several named series (colour, dash, legend) and
// vertical markers. Redraws at most once per animation frame (the data only
// when it changed; hovering copies the last data frame),
// decimates to the pixel width (100k+ points), DPR-aware, follows the
// container size and the light/dark theme.
//
//   const c = mountChart(el, { title: 'Loss', yLabel: 'loss', logToggle: true });
//   c.addPoints('train', [{ x: step, y: loss, epoch }]);  c.addPoints('val', [{ x, y, epoch }]);
//   c.setSeries('run2', { label: 'lr=0.1', color: '#D55E00', dash: [8, 4] });   // several series (race mode)
//   c.addMarker({ x: step, label: 'lr 0.01 → 0.1', color });                     // vertical marker + label
import { nearestIndex, formatValue } from './chart-math.js';
import { drawChart, drawHover } from './chart-draw.js';
import { newSeries, pushPoint, sortSeries, rebuild } from './chart-series.js';
import { readTheme, onThemeChange } from './chart-theme.js';

let uid = 0;
// The animation frame (its timestamp) in which a chart of this page last redrew its data. At most one
// chart redraws its data per frame; the others copy their last frame and redraw in the next one, so
// charts fed together (race mode's loss and metric) never stack their data frames into one long task.
let dataFrameStamp = -1;
const esc = (t) => String(t).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function mountChart(el, { title = '', yLabel = '', logToggle = false, percent = false } = {}) {
  const id = `gl-chart-${uid += 1}`;
  const root = document.createElement('figure');
  root.className = 'gl-chart';
  root.innerHTML = `<figcaption class="gl-chart-head"><span class="gl-chart-title" id="${id}-t"></span>
    <span class="gl-chart-legend"></span></figcaption>
    <div class="gl-chart-plot"><canvas tabindex="0" role="img"></canvas>
    <div class="gl-chart-tip" role="status" aria-live="polite" hidden></div></div>`;
  root.querySelector('.gl-chart-title').textContent = title;
  const legend = root.querySelector('.gl-chart-legend');
  const plot = root.querySelector('.gl-chart-plot');
  const canvas = root.querySelector('canvas');
  const tip = root.querySelector('.gl-chart-tip');
  canvas.setAttribute('aria-describedby', `${id}-t`);
  let logBtn = null;
  if (logToggle) {
    logBtn = document.createElement('button');
    logBtn.type = 'button';
    logBtn.className = 'gl-chart-log';
    logBtn.textContent = 'log scale';
    logBtn.setAttribute('aria-pressed', 'false');
    logBtn.title = `Show ${title || 'the values'} on a logarithmic y axis`;
    logBtn.onclick = () => setLog(!log);
    root.querySelector('.gl-chart-head').append(logBtn);
  }
  el.append(root);

  const series = new Map([['train', newSeries('train')], ['val', newSeries('val')]]);
  const marks = [];         // vertical markers {x, label, color}
  const epochs = new Map(); // epoch → {start, end} in steps
  let log = false, queued = 0, layout = null, hoverX = null, size = { w: 0, h: 0 }, destroyed = false;

  const get = (name) => {
    if (typeof name !== 'string' || !name) throw new Error(`chart: series name must be a string like 'train' or 'val', got ${name}`);
    if (!series.has(name)) series.set(name, newSeries(name));
    return series.get(name);
  };
  const primary = () => [...series.values()].reduce((a, b) => (b.n > a.n ? b : a));

  const resolveColors = () => { for (const s of series.values()) s.resolvedColor = s.color ?? th.vars[s.colorVar] ?? '#0072B2'; };

  let legendKey = '';
  function renderLegend() {
    const shown = [...series.values()].filter((s) => s.n > 0 && s.legend);
    const key = shown.map((s) => `${s.label}|${s.resolvedColor}|${s.markers}|${s.dash}`).join(';');
    if (key === legendKey) return;
    legendKey = key;
    legend.replaceChildren(...shown.map((s) => {
      const item = document.createElement('span');
      item.className = `gl-chart-key${s.markers ? ' gl-marker' : ''}${s.dash ? ' gl-dashed' : ''}`;
      item.style.setProperty('--key', s.resolvedColor);
      item.dataset.series = s.name;
      item.textContent = s.label;
      return item;
    }));
  }

  function hoverPoints() {
    if (hoverX === null) return null;
    return [...series.values()].filter((s) => s.n > 0).map((s) => {
      const i = nearestIndex(s.xs, s.n, hoverX);
      return { s, i, x: s.xs[i], y: s.ys[i], shown: s.smooth > 0 ? s.sm[i] : s.ys[i], color: s.resolvedColor };
    });
  }

  function showTip(pts) {
    if (!pts || !layout) {
      if (!tip.hidden) tip.hidden = true;   // (setting it anyway would restyle the page every frame)
      return;
    }
    const p = primary();
    const j = nearestIndex(p.xs, p.n, hoverX);
    const ep = p.ep[j];
    const head = `${Number.isFinite(ep) ? `epoch ${ep} · ` : ''}step ${hoverX}`;
    const lines = pts.map(({ s, i, y, shown }) => {
      const where = s === p ? '' : ` (${Number.isFinite(s.ep[i]) ? `epoch ${s.ep[i]}` : `step ${s.xs[i]}`})`;
      const sm = s.smooth > 0 ? ` · smoothed ${formatValue(shown, percent)}` : '';
      const note = s.notes.get(i) ? ` · ${s.notes.get(i)}` : '';
      return `<div><i></i>${esc(s.label)}${where}: <b>${formatValue(y, percent)}</b>${sm}${esc(note)}</div>`;
    });
    tip.innerHTML = `<div class="gl-chart-tip-head">${head}</div>${lines.join('')}`;
    // The key colours are set through the CSSOM: the page's CSP forbids inline style attributes.
    tip.querySelectorAll('i').forEach((key, k) => key.style.setProperty('--key', pts[k].color));
    tip.hidden = false;
    const px = layout.sx(hoverX);
    const tw = tip.offsetWidth;
    tip.style.left = `${Math.max(0, Math.min(size.w - tw, px + 12 + tw > size.w ? px - 12 - tw : px + 12))}px`;
    tip.style.top = `${layout.T}px`;
  }

  // The data frame is drawn into `frame` only when the data, size, scale or theme changed (`dirty`);
  // a frame where only the hover moved copies it and draws the cursor on top.
  const frame = document.createElement('canvas');
  let dirty = true;
  let nextDataAt = 0;
  let dataDrawn = 0;
  let th = null;
  const stats = { draws: 0, dataDraws: 0, lastMs: 0, maxMs: 0, totalMs: 0 };
  function draw(stamp) {
    queued = 0;
    if (destroyed || size.w === 0) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const bw = Math.round(size.w * dpr), bh = Math.round(size.h * dpr);
    const resized = canvas.width !== bw || canvas.height !== bh;
    if (resized) { canvas.width = bw; canvas.height = bh; dirty = true; }
    // Duty cycle: a slow data frame (many series, many points) is followed by frames that only copy it,
    // so drawing takes at most ~1/4 of the main thread while training streams in.
    // And another chart's data frame in this animation frame defers this one to the next.
    if (dirty && !resized && (t0 < nextDataAt || stamp === dataFrameStamp)) { schedule(); if (hoverX === null) return; } else if (dirty) {
      dataFrameStamp = stamp;
      if (frame.width !== bw || frame.height !== bh) { frame.width = bw; frame.height = bh; }
      const f = frame.getContext('2d');
      f.setTransform(dpr, 0, 0, dpr, 0, 0);
      th ??= readTheme(root);   // (read again only after restyle: chart-theme.js)
      resolveColors();
      layout = drawChart({ g: f, w: size.w, h: size.h, series: [...series.values()], log, percent, yLabel,
        theme: th, epochs, marks, hover: null });
      dirty = false;
      stats.dataDraws += 1;
      renderLegend();
      const last = [...series.values()].filter((s) => s.n > 0)
        .map((s) => `last ${s.label} ${formatValue(s.ys[s.n - 1], percent)}`).join(', ');
      canvas.setAttribute('aria-label', `${title || 'Chart'}${log ? ' (log scale)' : ''}: ${last || 'no data yet'}. `
        + 'Arrow keys move the cursor.');
    }
    const g = canvas.getContext('2d');
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, bw, bh);
    g.drawImage(frame, 0, 0);   // (rasterises a new data frame: part of its cost)
    if (!dirty && stats.dataDraws !== dataDrawn) { dataDrawn = stats.dataDraws; nextDataAt = t0 + 4 * (performance.now() - t0); }
    const pts = hoverPoints();
    if (pts && layout && th) { g.setTransform(dpr, 0, 0, dpr, 0, 0); drawHover(g, layout, { x: hoverX, points: pts }, th); }
    showTip(pts);
    stats.draws += 1;
    stats.lastMs = performance.now() - t0;
    stats.maxMs = Math.max(stats.maxMs, stats.lastMs);
    stats.totalMs += stats.lastMs;
  }
  const schedule = () => { if (!queued && !destroyed) queued = requestAnimationFrame(draw); };
  /** Data, scale, size or theme changed: the next frame redraws the data. */
  const changed = () => { dirty = true; schedule(); };

  /** The colour scheme, <body>'s class or the size changed: read the theme again, redraw the data. */
  const restyle = () => { th = null; changed(); };
  const ro = new ResizeObserver(([entry]) => {
    const r = entry.contentRect;
    size = { w: Math.floor(r.width), h: Math.floor(r.height) };
    restyle();
  });
  ro.observe(plot);
  const stopTheme = onThemeChange(restyle);

  function hoverAt(clientX) {
    const p = primary();
    if (!layout || p.n === 0) return;
    const x = layout.toX(clientX - canvas.getBoundingClientRect().left);
    hoverX = p.xs[nearestIndex(p.xs, p.n, x)];
    schedule();
  }
  const hide = () => { hoverX = null; tip.hidden = true; schedule(); };
  canvas.addEventListener('pointermove', (ev) => hoverAt(ev.clientX));
  canvas.addEventListener('pointerdown', (ev) => hoverAt(ev.clientX));
  canvas.addEventListener('pointerleave', (ev) => { if (ev.pointerType === 'mouse') hide(); });
  canvas.addEventListener('pointercancel', hide);
  canvas.addEventListener('blur', hide);
  canvas.addEventListener('keydown', (ev) => {
    const p = primary();
    if (p.n === 0) return;
    let j = hoverX === null ? p.n - 1 : nearestIndex(p.xs, p.n, hoverX);
    const big = Math.max(1, Math.round(p.n / 10));
    if (ev.key === 'ArrowLeft') j -= ev.shiftKey ? big : 1;
    else if (ev.key === 'ArrowRight') j += ev.shiftKey ? big : 1;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = p.n - 1;
    else if (ev.key === 'Escape') { hide(); return; } else return;
    ev.preventDefault();
    hoverX = p.xs[Math.max(0, Math.min(p.n - 1, j))];
    schedule();
  });

  function addPoints(name, points) {
    const s = get(name);
    if (!Array.isArray(points)) throw new Error('chart.addPoints: points must be an array of {x, y, epoch}');
    let unsorted = false;
    for (const p of points) {
      const x = Number(p?.x);
      if (!Number.isFinite(x)) continue;
      const y = p.y === null || p.y === undefined ? NaN : Number(p.y);
      const ep = p.epoch === undefined || p.epoch === null ? NaN : Number(p.epoch);
      if (s.n > 0 && x < s.xs[s.n - 1]) unsorted = true;
      pushPoint(s, x, y, ep, p.label ? String(p.label) : null);
      if (Number.isFinite(ep)) {
        const span = epochs.get(ep);
        if (span) { span.start = Math.min(span.start, x); span.end = Math.max(span.end, x); } else epochs.set(ep, { start: x, end: x });
      }
    }
    if (unsorted) sortSeries(s);
    changed();
  }

  function setSeries(name, opts = {}) {
    const s = get(name);
    if (opts.color !== undefined) s.color = opts.color || null;
    if (opts.dash !== undefined) s.dash = Array.isArray(opts.dash) ? opts.dash : opts.dash ? [6, 4] : null;
    if (opts.label !== undefined) s.label = String(opts.label);
    if (opts.legend !== undefined) s.legend = Boolean(opts.legend);
    if (opts.markers !== undefined) s.markers = Boolean(opts.markers);
    if (opts.smooth !== undefined) {
      const f = Number(opts.smooth);
      if (!(f >= 0 && f < 1)) throw new Error(`chart.setSeries: smooth must be in [0, 1), got ${opts.smooth}`);
      s.smooth = f;
      rebuild(s);
    }
    changed();
  }

  function setLog(on) {
    log = Boolean(on);
    logBtn?.setAttribute('aria-pressed', String(log));
    root.classList.toggle('gl-log', log);
    changed();
  }

  function clear() {
    for (const [name, s] of series) {
      const fresh = newSeries(name);
      Object.assign(s, { n: 0, xs: fresh.xs, ys: fresh.ys, sm: fresh.sm, ep: fresh.ep, notes: fresh.notes,
        ema: fresh.ema, min: Infinity, max: -Infinity, minPos: Infinity });
    }
    epochs.clear();
    marks.length = 0;
    dirty = true;
    hide();
  }

  /** A vertical marker at step `x` with a short label (a live learning-rate or momentum change). */
  function addMarker({ x, label = '', color = null }) {
    if (!Number.isFinite(Number(x))) throw new Error(`chart.addMarker: x must be a step number, got ${x}`);
    marks.push({ x: Number(x), label: String(label), color });
    changed();
  }

  /** Forgets series `name` (a removed run). */
  function removeSeries(name) {
    series.delete(name);
    legendKey = '';
    changed();
  }

  function destroy() {
    destroyed = true;
    if (queued) cancelAnimationFrame(queued);
    ro.disconnect();
    stopTheme();
    root.remove();
  }

  return { addPoints, setSeries, addMarker, removeSeries, clear, setLog, destroy, element: root,
    pointCount: (name) => series.get(name)?.n ?? 0, isLog: () => log, seriesNames: () => [...series.keys()]
      .filter((n) => series.get(n).n > 0), markers: () => marks.map((m) => ({ ...m })),
    /** Frames drawn, data frames drawn, the last / longest frame and the total drawing time in ms; the font drawn with. */
    stats: () => ({ ...stats, font: th?.font ?? null }) };
}
