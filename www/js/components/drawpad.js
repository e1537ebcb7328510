// Drawing pad for digits: pointer events (mouse, pen, touch) draw thick round
// strokes, kept as vectors; on every animation frame of a stroke they are run
// through mnistPreprocessStrokes (redrawn at MNIST's 20-px scale with a fixed
// pen width, so a small digit in a corner reads like a large centred one) and
// the result is handed to onChange; a 28×28 preview shows exactly what
// the model gets, with the target centre (14, 14) marked by a cross and the
// drawing's centre of mass by a ring. Keyboard: the pad is focusable, Delete /
// Backspace / Escape clear it (Escape first cancels a stroke in progress).
//
//   const pad = mountDrawpad(el, { onChange: (r) => r.empty ? bars.clear() : predict(r.pixels) });
import { mnistPreprocessStrokes, SIZE, TARGET } from './preprocess.js';

/** Stroke width on screen as a fraction of the pad side (display only: the model input uses PEN_PX). */
const STROKE = 0.08;
const ZOOM = 6; // preview backing pixels per input pixel
let uid = 0;

export function mountDrawpad(el, { onChange = () => {}, size = 280 } = {}) {
  const id = `gl-drawpad-${uid += 1}`;
  const root = document.createElement('div');
  root.className = 'gl-drawpad';
  root.innerHTML = `<div class="gl-drawpad-main">
      <canvas class="gl-drawpad-canvas" tabindex="0" role="img" aria-describedby="${id}-hint"
        aria-label="Drawing pad: draw a digit with the mouse, a pen or a finger"></canvas>
      <p class="gl-hint" id="${id}-hint">Draw a digit 0–9. Delete, Backspace or Escape clears.</p>
    </div>
    <div class="gl-drawpad-side">
      <figure class="gl-drawpad-preview">
        <canvas class="gl-preview28" width="${SIZE * ZOOM}" height="${SIZE * ZOOM}" role="img"
          aria-label="The 28 by 28 pixel input the model sees"></canvas>
        <figcaption>Model input 28×28<br><span class="gl-legend-cross">+</span> centre
          <span class="gl-legend-ring">○</span> ink centre</figcaption>
      </figure>
      <button type="button" class="gl-drawpad-clear">Clear</button>
    </div>`;
  const pad = root.querySelector('.gl-drawpad-canvas');
  const preview28 = root.querySelector('.gl-preview28');
  const main = root.querySelector('.gl-drawpad-main');
  main.style.setProperty('--pad-size', `${size}px`);
  pad.style.touchAction = 'none';
  el.append(root);

  const g = pad.getContext('2d');
  const strokes = []; // each: [[x, y], ...] in 0..1 of the pad side
  let current = null;
  let queued = 0;
  let side = 0; // backing pixels
  let last = mnistPreprocessStrokes([]);

  const inkColour = () => getComputedStyle(root).getPropertyValue('--gl-ink').trim() || '#111';

  function paint(stroke, from = 0) {
    const w = STROKE * side;
    g.strokeStyle = g.fillStyle = inkColour();
    g.lineWidth = w;
    g.lineCap = g.lineJoin = 'round';
    if (stroke.length === 1) {
      g.beginPath(); g.arc(stroke[0][0] * side, stroke[0][1] * side, w / 2, 0, 2 * Math.PI); g.fill();
      return;
    }
    g.beginPath();
    const a = stroke[Math.max(0, from - 1)];
    g.moveTo(a[0] * side, a[1] * side);
    for (let i = Math.max(1, from); i < stroke.length; i += 1) g.lineTo(stroke[i][0] * side, stroke[i][1] * side);
    g.stroke();
  }

  function repaint() {
    g.clearRect(0, 0, pad.width, pad.height);
    for (const s of strokes) paint(s);
    if (current) paint(current);
  }

  function renderPreview(r) {
    const p = preview28.getContext('2d');
    const img = p.createImageData(SIZE * ZOOM, SIZE * ZOOM);
    for (let y = 0; y < SIZE * ZOOM; y += 1) {
      for (let x = 0; x < SIZE * ZOOM; x += 1) {
        const v = Math.round(r.pixels[Math.floor(y / ZOOM) * SIZE + Math.floor(x / ZOOM)] * 255);
        const o = (y * SIZE * ZOOM + x) * 4;
        img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
        img.data[o + 3] = 255;
      }
    }
    p.putImageData(img, 0, 0);
    // Pixel (i, j) covers [i·Z, (i+1)·Z): index coordinate c sits at (c + 0.5)·Z.
    const at = (c) => (c + 0.5) * ZOOM;
    p.strokeStyle = '#56B4E9';
    p.lineWidth = 2;
    p.beginPath();
    p.moveTo(at(TARGET) - 12, at(TARGET)); p.lineTo(at(TARGET) + 12, at(TARGET));
    p.moveTo(at(TARGET), at(TARGET) - 12); p.lineTo(at(TARGET), at(TARGET) + 12);
    p.stroke();
    if (!r.empty) {
      p.strokeStyle = '#E69F00';
      p.beginPath(); p.arc(at(r.centerOfMass.x), at(r.centerOfMass.y), 7, 0, 2 * Math.PI); p.stroke();
    }
    preview28.dataset.cx = r.centerOfMass.x.toFixed(2);
    preview28.dataset.cy = r.centerOfMass.y.toFixed(2);
    preview28.dataset.empty = String(r.empty);
  }

  /** Preprocesses the pad now, updates the preview and calls onChange. */
  function emit() {
    if (queued) { cancelAnimationFrame(queued); queued = 0; }
    // The strokes as vectors, not the pad's pixels: they are redrawn at MNIST's
    // scale with MNIST's pen width, whatever the size of the drawing.
    last = mnistPreprocessStrokes(current ? [...strokes, current] : strokes);
    renderPreview(last);
    onChange(last);
    return last;
  }
  const queueEmit = () => { if (!queued) queued = requestAnimationFrame(emit); };

  // The canvas's border-box width as its ResizeObserver reports it (getBoundingClientRect in every
  // report forced a layout of the page when another panel had just changed the DOM, issue 14.4); read
  // directly only when a stroke comes before the first report.
  function resize(entries) {
    const entry = entries?.[0];
    const css = entry ? entry.borderBoxSize?.[0]?.inlineSize ?? entry.contentRect.width : pad.getBoundingClientRect().width;
    const px = Math.max(1, Math.round(css * (window.devicePixelRatio || 1)));
    if (css === 0 || px === side) return;
    side = px;
    pad.width = pad.height = side;
    repaint();
    if (strokes.length) queueEmit();
  }
  const ro = new ResizeObserver(resize);
  ro.observe(pad);

  const point = (ev) => {
    const r = pad.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width)),
      Math.min(1, Math.max(0, (ev.clientY - r.top) / r.height))];
  };
  pad.addEventListener('pointerdown', (ev) => {
    if (ev.pointerType === 'mouse' && ev.button !== 0) return;
    ev.preventDefault();
    pad.focus({ preventScroll: true });
    if (!side) resize();
    try { pad.setPointerCapture(ev.pointerId); } catch { /* not an active pointer (synthetic event) */ }
    current = [point(ev)];
    paint(current);
    queueEmit();
  });
  pad.addEventListener('pointermove', (ev) => {
    if (!current) return;
    const from = current.length;
    const events = ev.getCoalescedEvents?.() ?? [];
    for (const e of events.length ? events : [ev]) current.push(point(e));
    paint(current, from);
    queueEmit();
  });
  const end = () => {
    if (!current) return;
    strokes.push(current);
    current = null;
    emit();
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  pad.addEventListener('lostpointercapture', end);

  function clear() {
    strokes.length = 0;
    current = null;
    g.clearRect(0, 0, pad.width, pad.height);
    return emit();
  }
  pad.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && current) {
      current = null;
      repaint();
      emit();
    } else if (['Delete', 'Backspace', 'Escape'].includes(ev.key)) {
      clear();
    } else {
      return;
    }
    ev.preventDefault();
  });
  root.querySelector('.gl-drawpad-clear').addEventListener('click', clear);

  /** Draws a whole stroke given as [[x, y], ...] in 0..1, then reports at once. */
  function drawStroke(points) {
    if (!Array.isArray(points) || points.length === 0) throw new Error('drawpad.drawStroke: give an array of [x, y] points in 0..1');
    const s = points.map(([x, y]) => [Math.min(1, Math.max(0, Number(x) || 0)), Math.min(1, Math.max(0, Number(y) || 0))]);
    if (!side) resize();
    strokes.push(s);
    paint(s);
    return emit();
  }

  renderPreview(last);
  return { clear, drawStroke, preview28, element: root, result: () => last,
    destroy() { ro.disconnect(); if (queued) cancelAnimationFrame(queued); root.remove(); } };
}
