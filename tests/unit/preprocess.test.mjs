// mnistPreprocess on synthetic drawings. Expected values come from the MNIST
// procedure itself (20-px box, centre of mass at (14,14) in index coordinates),
// checked with an independent f64 centre-of-mass / bounding-box computation below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mnistPreprocess, mnistPreprocessStrokes, areaWeights, PEN_PX } from '../../www/js/components/preprocess.js';

/** A w×h Float32Array with ink 1 where fill(x, y) is true. */
function draw(w, h, fill) {
  const a = new Float32Array(w * h);
  for (let y = 0; y < h; y += 1) for (let x = 0; x < w; x += 1) if (fill(x, y)) a[y * w + x] = 1;
  return a;
}

/** Independent reference: centre of mass (index coordinates, f64) of the 28×28 result. */
function com(p) {
  let m = 0, mx = 0, my = 0;
  for (let i = 0; i < 784; i += 1) { m += p[i]; mx += p[i] * (i % 28); my += p[i] * Math.floor(i / 28); }
  return { x: mx / m, y: my / m };
}

/** Bounding box of non-zero pixels of the 28×28 result. */
function bbox(p) {
  let x0 = 28, y0 = 28, x1 = -1, y1 = -1;
  for (let i = 0; i < 784; i += 1) {
    if (p[i] > 0) {
      const x = i % 28, y = Math.floor(i / 28);
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  return { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

const inRange = (p) => p.every((v) => Number.isFinite(v) && v >= 0 && v <= 1);

test('a centred square stays centred and fills the 20-px box', () => {
  // 21×21 square in the middle of 101×101: scale 20/21 → a 20×20 block of full ink.
  const r = mnistPreprocess(draw(101, 101, (x, y) => x >= 40 && x <= 60 && y >= 40 && y <= 60), 101, 101);
  assert.equal(r.empty, false);
  assert.deepEqual(r.box, { x: 40, y: 40, w: 21, h: 21 });
  const b = bbox(r.pixels);
  assert.deepEqual([b.w, b.h], [20, 20]);
  // Area averaging of an all-ink region is all ink.
  for (let y = b.y0; y < b.y0 + 20; y += 1) {
    for (let x = b.x0; x < b.x0 + 20; x += 1) assert.ok(Math.abs(r.pixels[y * 28 + x] - 1) < 1e-6);
  }
  // A 20-wide block has its centre at index 9.5: the best integer shift puts it 0.5 px off (14, 14).
  const c = com(r.pixels);
  assert.ok(Math.abs(c.x - 14) <= 0.5 && Math.abs(c.y - 14) <= 0.5, JSON.stringify(c));
  assert.ok(Math.abs(r.centerOfMass.x - c.x) < 1e-4 && Math.abs(r.centerOfMass.y - c.y) < 1e-4);
});

test('an off-centre, lopsided blob is moved so its centre of mass is within 0.5 px of (14,14)', () => {
  // An "L" in the bottom-left corner of a 200×200 pad: its mass sits far from its box centre.
  const L = (x, y) => (x >= 10 && x < 30 && y >= 100 && y < 190) || (x >= 10 && x < 80 && y >= 170 && y < 190);
  const r = mnistPreprocess(draw(200, 200, L), 200, 200);
  const c = com(r.pixels);
  assert.ok(Math.abs(c.x - 14) <= 0.5, `cx ${c.x}`);
  assert.ok(Math.abs(c.y - 14) <= 0.5, `cy ${c.y}`);
  // The whole digit is still inside the frame: total ink is preserved by area averaging,
  // (ink area 20·90 + 50·20 = 2800 px²) · (20/90)² px of the 28×28 output.
  const total = r.pixels.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(total - 2800 * (20 / 90) ** 2) < 2800 * (20 / 90) ** 2 * 0.04, `ink ${total}`);
  // A disc far off-centre too.
  const d = mnistPreprocess(draw(300, 200, (x, y) => (x - 250) ** 2 + (y - 30) ** 2 <= 400), 300, 200);
  const cd = com(d.pixels);
  assert.ok(Math.abs(cd.x - 14) <= 0.5 && Math.abs(cd.y - 14) <= 0.5, JSON.stringify(cd));
});

test('the longer side becomes 20 px (±1), whichever it is', () => {
  const wide = mnistPreprocess(draw(200, 200, (x, y) => x >= 20 && x < 140 && y >= 50 && y < 110), 200, 200);
  const bw = bbox(wide.pixels);
  assert.ok(Math.abs(bw.w - 20) <= 1, `wide ${bw.w}`);
  assert.ok(Math.abs(bw.h - 10) <= 1, `120×60 keeps 2:1, got height ${bw.h}`);
  const small = mnistPreprocess(draw(50, 50, (x, y) => x >= 20 && x < 25 && y >= 20 && y < 30), 50, 50);
  const bs = bbox(small.pixels);
  assert.ok(Math.abs(bs.h - 20) <= 1 && Math.abs(bs.w - 10) <= 1, `a 5×10 drawing is scaled up: ${bs.w}×${bs.h}`);
});

test('a tall thin stroke keeps its aspect ratio', () => {
  // 8 px wide, 160 px tall: scale 1/8 → 1 × 20.
  const r = mnistPreprocess(draw(280, 280, (x, y) => x >= 100 && x < 108 && y >= 60 && y < 220), 280, 280);
  const b = bbox(r.pixels);
  assert.ok(Math.abs(b.h - 20) <= 1, `height ${b.h}`);
  assert.ok(b.w <= 2, `width ${b.w} should stay ~1 px`);
  assert.deepEqual(r.scaled, { w: 1, h: 20 });
  const c = com(r.pixels);
  assert.ok(Math.abs(c.x - 14) <= 0.5 && Math.abs(c.y - 14) <= 0.5);
});

test('an empty drawing gives empty: true, zeros and no NaN', () => {
  for (const input of [new Float32Array(280 * 280), new Uint8ClampedArray(100 * 50)]) {
    const w = input.length === 280 * 280 ? 280 : 100;
    const r = mnistPreprocess(input, w, input.length / w);
    assert.equal(r.empty, true);
    assert.equal(r.pixels.length, 784);
    assert.ok(r.pixels.every((v) => v === 0));
    assert.ok(Number.isFinite(r.centerOfMass.x) && Number.isFinite(r.centerOfMass.y));
  }
  // Faint noise below the ink threshold is still empty.
  assert.equal(mnistPreprocess(new Float32Array(100).fill(0.01), 10, 10).empty, true);
});

test('values stay within [0, 1], also for noisy, out-of-range or NaN input', () => {
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const noisy = Float32Array.from({ length: 90 * 70 }, () => rand());
  assert.ok(inRange(mnistPreprocess(noisy, 90, 70).pixels));
  const wild = Float32Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? NaN : i % 5 === 0 ? -3 : 300));
  assert.ok(inRange(mnistPreprocess(wild, 20, 20).pixels));
});

test('0..255 input (Uint8ClampedArray or floats) gives the same result as 0..1', () => {
  const shape = (x, y) => (x - 60) ** 2 / 900 + (y - 70) ** 2 / 2500 <= 1 && (x + y) % 3 !== 0;
  const unit = draw(140, 140, shape);
  const bytes = Uint8ClampedArray.from(unit, (v) => v * 255);
  const floats255 = Float32Array.from(unit, (v) => v * 255);
  const a = mnistPreprocess(unit, 140, 140).pixels;
  for (const other of [mnistPreprocess(bytes, 140, 140).pixels, mnistPreprocess(floats255, 140, 140).pixels]) {
    for (let i = 0; i < 784; i += 1) assert.ok(Math.abs(a[i] - other[i]) < 1e-6);
  }
});

test('area averaging: a 40×40 checkerboard halves to a uniform 0.5 grey', () => {
  // Each output pixel covers exactly one 2×2 block holding two ink pixels: mean 0.5.
  const r = mnistPreprocess(draw(40, 40, (x, y) => (x + y) % 2 === 0), 40, 40);
  const b = bbox(r.pixels);
  assert.deepEqual([b.w, b.h], [20, 20]);
  for (let y = b.y0; y < b.y0 + 20; y += 1) {
    for (let x = b.x0; x < b.x0 + 20; x += 1) assert.ok(Math.abs(r.pixels[y * 28 + x] - 0.5) < 1e-6);
  }
});

test('areaWeights: footprints cover the span, weights sum to 1', () => {
  const cells = areaWeights(3, 7, 4); // cells 1.75 px wide starting at 3
  assert.equal(cells.length, 4);
  for (const c of cells) assert.ok(Math.abs(c.reduce((s, [, w]) => s + w, 0) - 1) < 1e-12);
  // First cell [3, 4.75): all of pixel 3 (1/1.75) and 3/4 of pixel 4 (0.75/1.75).
  assert.deepEqual(cells[0].map(([s]) => s), [3, 4]);
  assert.ok(Math.abs(cells[0][0][1] - 1 / 1.75) < 1e-12 && Math.abs(cells[0][1][1] - 0.75 / 1.75) < 1e-12);
});

test('bad sizes are rejected with a message', () => {
  assert.throws(() => mnistPreprocess(new Float32Array(4), 0, 4), /positive integers/);
  assert.throws(() => mnistPreprocess(new Float32Array(4), 3, 3), /need 9 ink values/);
});

// ---- Drawings kept as vectors (the drawing pad) ----

/** A "6": a hook down the left into a closed loop at the bottom, as [x, y] in a unit square. */
function six() {
  const pts = [[0.7, 0.05], [0.45, 0.15], [0.3, 0.35], [0.25, 0.6]];
  for (let a = Math.PI; a <= 3 * Math.PI + 1e-9; a += Math.PI / 12) {
    pts.push([0.5 + 0.25 * Math.cos(a), 0.72 + 0.2 * Math.sin(a)]);
  }
  return [pts];
}
const place = (strokes, scale, dx, dy) => strokes.map((st) => st.map(([x, y]) => [dx + x * scale, dy + y * scale]));

/** The old way: rasterise with a fixed pen on a side×side pad, then preprocess the bitmap. */
function bitmapOf(strokes, side, pen) {
  const a = new Float32Array(side * side);
  const segs = [];
  for (const st of strokes) for (let i = 1; i < st.length; i += 1) segs.push([...st[i - 1], ...st[i]].map((v) => v * side));
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) {
      for (const [ax, ay, bx, by] of segs) {
        const dx = bx - ax, dy = by - ay;
        const t = Math.min(1, Math.max(0, ((x + 0.5 - ax) * dx + (y + 0.5 - ay) * dy) / (dx * dx + dy * dy)));
        if ((x + 0.5 - ax - t * dx) ** 2 + (y + 0.5 - ay - t * dy) ** 2 <= (pen / 2) ** 2) { a[y * side + x] = 1; break; }
      }
    }
  }
  return mnistPreprocess(a, side, side);
}
const ink = (p) => p.reduce((s, v) => s + v, 0);

test('strokes: a small digit in a corner gives the same input as a large centred one', () => {
  const large = mnistPreprocessStrokes(place(six(), 0.8, 0.1, 0.1));
  const corner = mnistPreprocessStrokes(place(six(), 0.18, 0.02, 0.78));
  assert.equal(large.empty, false);
  let maxDiff = 0;
  for (let i = 0; i < 784; i += 1) maxDiff = Math.max(maxDiff, Math.abs(large.pixels[i] - corner.pixels[i]));
  assert.ok(maxDiff < 1e-4, `max pixel difference ${maxDiff}`);
  const c = com(corner.pixels);
  assert.ok(Math.abs(c.x - 14) <= 0.5 && Math.abs(c.y - 14) <= 0.5, JSON.stringify(c));
  assert.equal(Math.max(bbox(corner.pixels).w, bbox(corner.pixels).h), 20);
  // The bitmap path this replaces (pen 8 % of a 280-px pad): the small drawing's strokes come
  // out ~3× fatter after scaling, and its loop fills in (the loop's centre is ink).
  const oldLarge = bitmapOf(place(six(), 0.8, 0.1, 0.1), 280, 22.4);
  const oldCorner = bitmapOf(place(six(), 0.18, 0.02, 0.78), 280, 22.4);
  assert.ok(ink(oldCorner.pixels) > 1.8 * ink(oldLarge.pixels), `${ink(oldCorner.pixels)} vs ${ink(oldLarge.pixels)}`);
  // In the vector result the loop stays open: the ink-free hole in the loop's middle.
  const hole = (p) => {
    const b = bbox(p);
    // The loop's centre sits at 0.5 of the width and (0.72 − 0.05)/(0.92 − 0.05) of the height.
    const x = Math.round(b.x0 + (0.5 - 0.25) / (0.75 - 0.25) * (b.w - 1));
    const y = Math.round(b.y0 + (0.72 - 0.05) / (0.92 - 0.05) * (b.h - 1));
    return p[y * 28 + x];
  };
  assert.ok(hole(corner.pixels) < 0.05, `vector loop centre ${hole(corner.pixels)}`);
  assert.ok(hole(oldCorner.pixels) > 0.5, `bitmap loop centre ${hole(oldCorner.pixels)}`);
});

test('strokes: the pen is PEN_PX wide at the 20-px scale', () => {
  // A vertical line becomes 20 px tall, its centre line 20 − PEN_PX long; across it the ink sums to
  // about PEN_PX (coverage by distance: clamp(PEN_PX/2 + 1/2 − d, 0, 1) over the row's pixels).
  const r = mnistPreprocessStrokes([[[0.3, 0.1], [0.3, 0.9]]]);
  const b = bbox(r.pixels);
  assert.equal(b.h, 20);
  const row = Array.from({ length: 28 }, (_, x) => r.pixels[(b.y0 + 10) * 28 + x]);
  const across = row.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(across - PEN_PX) < 0.5, `ink across the line ${across}`);
  assert.ok(row.filter((v) => v > 0.5).length <= 3);
  assert.ok(inRange(r.pixels));
});

test('strokes: empty, dots and garbage points', () => {
  for (const bad of [[], [[]], null, [[[NaN, 1]]], [['a', 'b']]]) {
    const r = mnistPreprocessStrokes(bad);
    assert.equal(r.empty, true);
    assert.ok(r.pixels.every((v) => v === 0));
  }
  // A single tap is a pen-wide disc, centred.
  const dot = mnistPreprocessStrokes([[[0.9, 0.1]]]);
  assert.equal(dot.empty, false);
  assert.ok(inRange(dot.pixels));
  const total = ink(dot.pixels);
  assert.ok(total > 3 && total < 12, `dot ink ${total}`);
  const c = com(dot.pixels);
  assert.ok(Math.abs(c.x - 14) <= 0.5 && Math.abs(c.y - 14) <= 0.5, JSON.stringify(c));
  // Points with NaN are skipped; the rest still draws.
  const r = mnistPreprocessStrokes([[[0.1, 0.1], [NaN, 0.5], [0.1, 0.9]]]);
  assert.equal(bbox(r.pixels).h, 20);
});
