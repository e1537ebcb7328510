// MNIST-style preprocessing of a drawing, so a digit drawn on the pad looks
// like the images the model was trained on (LeCun et al., "The MNIST database"):
//
//   1. crop to the bounding box of the ink (pixels with ink > INK_THRESHOLD);
//   2. scale so the longer side is 20 px, keeping the aspect ratio, with
//      area-averaging anti-aliasing: output pixel (i, j) is the mean of the
//      source over its footprint, weighted by overlap area
//          out[j][i] = Σ_src a(src) · |footprint(i,j) ∩ src| / |footprint(i,j)|
//      (separable: overlap area = x-overlap · y-overlap);
//   3. paste into a 28×28 frame so that the centre of mass
//          cx = Σ x·v / Σ v,  cy = Σ y·v / Σ v   (pixel index coordinates)
//      lands on (14, 14): integer shift round(14 − c), clamped so the digit
//      stays inside the frame.
//
// Index coordinates with the target (14, 14) are the convention of the real
// data: the mean centre of mass of the 10,000 MNIST test images, measured in
// index coordinates, is (14.01, 13.99).
// Output polarity and range are the training data's: 0 = background, 1 = ink.
//
// Two entry points: mnistPreprocess for a bitmap (steps 1–3), and
// mnistPreprocessStrokes for a drawing kept as vectors (the drawing pad),
// which draws the strokes at the 20-px scale with a fixed pen width instead
// of scaling a bitmap, then does step 3.

export const SIZE = 28;
export const BOX = 20;
export const TARGET = 14;
/**
 * Pen width of vector drawings in output pixels. Calibrated on ink mass (Σ pixels, 0..1): a straight
 * "1" gets 50.9 and an oval "0" 119.5, where the MNIST test digits average 52.6 and 120.7.
 */
export const PEN_PX = 2.6;
/** Ink (0..1) at or below this counts as background for the bounding box. */
export const INK_THRESHOLD = 0.02;

/** Reads ink amounts as 0..1: u8 arrays are 0..255; other arrays are 0..255 if any value exceeds 1. */
function normalisedInk(alpha, n) {
  const out = new Float32Array(n);
  let scale = 1;
  if (alpha instanceof Uint8ClampedArray || alpha instanceof Uint8Array) {
    scale = 1 / 255;
  } else {
    for (let i = 0; i < n; i += 1) if (alpha[i] > 1) { scale = 1 / 255; break; }
  }
  for (let i = 0; i < n; i += 1) {
    const v = Number(alpha[i]) * scale;
    out[i] = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
  }
  return out;
}

/** Bounding box {x, y, w, h} of pixels above INK_THRESHOLD, or null when there is none. */
export function inkBox(ink, w, h) {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y += 1) {
    const row = y * w;
    for (let x = 0; x < w; x += 1) {
      if (ink[row + x] > INK_THRESHOLD) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * Area-average resampling weights along one axis: source span [start, start+len)
 * onto `out` cells of width len/out. Returns, per output cell, the list of
 * [sourceIndex, weight] with weights summing to 1.
 */
export function areaWeights(start, len, out) {
  const step = len / out;
  const cells = [];
  for (let i = 0; i < out; i += 1) {
    const a = start + i * step;
    const b = a + step;
    const list = [];
    for (let s = Math.floor(a); s < Math.ceil(b - 1e-9); s += 1) {
      const overlap = Math.min(b, s + 1) - Math.max(a, s);
      if (overlap > 1e-9) list.push([s, overlap / step]);
    }
    cells.push(list);
  }
  return cells;
}

/** Centre of mass {x, y, mass} of a w×h image in index coordinates (mass 0 ⇒ the middle). */
export function centreOfMass(img, w, h) {
  let m = 0, mx = 0, my = 0;
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const v = img[y * w + x];
      m += v; mx += v * x; my += v * y;
    }
  }
  return m > 0 ? { x: mx / m, y: my / m, mass: m } : { x: (w - 1) / 2, y: (h - 1) / 2, mass: 0 };
}

/**
 * MNIST preprocessing of a w×h ink map (Float32Array 0..1 or 0..255, or Uint8(Clamped)Array 0..255).
 * Returns { pixels: Float32Array(784) in 0..1, box: ink box in source pixels (null if empty),
 * centerOfMass: {x, y} of the result in 28×28 index coordinates, scaled: {w, h} of the digit
 * after scaling, offset: {x, y} where it was pasted, empty }.
 */
export function mnistPreprocess(alpha, w, h) {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) {
    throw new Error(`mnistPreprocess: width and height must be positive integers, got ${w}×${h}`);
  }
  if (!alpha || typeof alpha.length !== 'number' || alpha.length < w * h) {
    throw new Error(`mnistPreprocess: need ${w * h} ink values for ${w}×${h}, got ${alpha?.length ?? 'none'}`);
  }
  const ink = normalisedInk(alpha, w * h);
  const box = inkBox(ink, w, h);
  if (!box) return EMPTY();
  const s = BOX / Math.max(box.w, box.h);
  const ow = Math.min(BOX, Math.max(1, Math.round(box.w * s)));
  const oh = Math.min(BOX, Math.max(1, Math.round(box.h * s)));
  const wx = areaWeights(box.x, box.w, ow);
  const wy = areaWeights(box.y, box.h, oh);

  // Horizontal pass (rows of the box → ow columns), then vertical (→ oh rows).
  const tmp = new Float32Array(ow * box.h);
  for (let r = 0; r < box.h; r += 1) {
    const row = (box.y + r) * w;
    for (let i = 0; i < ow; i += 1) {
      let acc = 0;
      for (const [sx, wt] of wx[i]) acc += ink[row + sx] * wt;
      tmp[r * ow + i] = acc;
    }
  }
  const small = new Float32Array(ow * oh);
  for (let j = 0; j < oh; j += 1) {
    for (const [sy, wt] of wy[j]) {
      const r = sy - box.y;
      for (let i = 0; i < ow; i += 1) small[j * ow + i] += tmp[r * ow + i] * wt;
    }
  }

  return pasteCentred(small, ow, oh, box);
}

/** Step 3: paste an ow×oh image into the 28×28 frame with its centre of mass on (14, 14). */
function pasteCentred(small, ow, oh, box) {
  const pixels = new Float32Array(SIZE * SIZE);
  const com = centreOfMass(small, ow, oh);
  const clamp = (v, hi) => Math.min(hi, Math.max(0, v));
  const ox = clamp(Math.round(TARGET - com.x), SIZE - ow);
  const oy = clamp(Math.round(TARGET - com.y), SIZE - oh);
  for (let j = 0; j < oh; j += 1) {
    for (let i = 0; i < ow; i += 1) {
      pixels[(oy + j) * SIZE + ox + i] = Math.min(1, Math.max(0, small[j * ow + i]));
    }
  }
  const final = centreOfMass(pixels, SIZE, SIZE);
  return { pixels, box, centerOfMass: { x: final.x, y: final.y }, scaled: { w: ow, h: oh },
    offset: { x: ox, y: oy }, empty: false };
}

const EMPTY = () => ({ pixels: new Float32Array(SIZE * SIZE), box: null, centerOfMass: { x: TARGET, y: TARGET },
  scaled: { w: 0, h: 0 }, offset: { x: 0, y: 0 }, empty: true });

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segmentDistance2(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  const ex = px - (ax + t * dx), ey = py - (ay + t * dy);
  return ex * ex + ey * ey;
}

/**
 * MNIST preprocessing of a drawing kept as vectors: `strokes` is a list of
 * strokes, each a list of [x, y] points (any unit, e.g. 0..1 of the pad side).
 * Unlike a bitmap, the pen has no size of its own: the centre lines are scaled
 * so that the drawing's box, pen included, is 20 px on its longer side
 *     s = (BOX − PEN_PX) / max(w, h)   (w, h: extent of the centre lines)
 * and the strokes are drawn PEN_PX wide at that scale, anti-aliased by
 * distance: a pixel whose centre is d px from the nearest centre line gets
 *     ink = clamp(PEN_PX/2 + 1/2 − d, 0, 1)
 * (its coverage by the pen, to first order). So a digit drawn small in a
 * corner and the same digit drawn large in the middle give the same input,
 * with MNIST's 2–3 px strokes, where scaling a bitmap of fixed-width strokes
 * makes small drawings fat (their loops fill in). Then step 3 as for bitmaps.
 * Returns the same fields as mnistPreprocess (`box` in stroke units).
 */
export function mnistPreprocessStrokes(strokes) {
  const lines = (Array.isArray(strokes) ? strokes : [])
    .map((st) => (Array.isArray(st) ? st : [])
      .map((pt) => [Number(pt?.[0]), Number(pt?.[1])])
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)))
    .filter((st) => st.length > 0);
  if (lines.length === 0) return EMPTY();
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const st of lines) {
    for (const [x, y] of st) {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  const extent = Math.max(x1 - x0, y1 - y0);
  // A dot (no extent) is drawn as a pen-wide disc.
  const s = extent > 0 ? (BOX - PEN_PX) / extent : 0;
  const ow = Math.min(BOX, Math.max(1, Math.ceil((x1 - x0) * s + PEN_PX - 1e-9)));
  const oh = Math.min(BOX, Math.max(1, Math.ceil((y1 - y0) * s + PEN_PX - 1e-9)));
  // Centre the drawing in its ow×oh box (the ceil leaves up to 1 px spare).
  const mx = (ow - (x1 - x0) * s) / 2, my = (oh - (y1 - y0) * s) / 2;
  const segs = [];
  for (const st of lines) {
    const pts = st.map(([x, y]) => [(x - x0) * s + mx, (y - y0) * s + my]);
    if (pts.length === 1) segs.push([...pts[0], ...pts[0]]);
    for (let i = 1; i < pts.length; i += 1) segs.push([...pts[i - 1], ...pts[i]]);
  }
  const reach = PEN_PX / 2 + 0.5;
  const small = new Float32Array(ow * oh);
  for (const [ax, ay, bx, by] of segs) {
    // Only the pixels the segment's pen can touch.
    const i0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach)), i1 = Math.min(ow - 1, Math.ceil(Math.max(ax, bx) + reach));
    const j0 = Math.max(0, Math.floor(Math.min(ay, by) - reach)), j1 = Math.min(oh - 1, Math.ceil(Math.max(ay, by) + reach));
    for (let j = j0; j <= j1; j += 1) {
      for (let i = i0; i <= i1; i += 1) {
        const d = Math.sqrt(segmentDistance2(i + 0.5, j + 0.5, ax, ay, bx, by));
        const v = Math.min(1, Math.max(0, reach - d));
        if (v > small[j * ow + i]) small[j * ow + i] = v;
      }
    }
  }
  return pasteCentred(small, ow, oh, { x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
}
