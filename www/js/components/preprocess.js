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

export const SIZE = 28;
export const BOX = 20;
export const TARGET = 14;
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
  const pixels = new Float32Array(SIZE * SIZE);
  const ink = normalisedInk(alpha, w * h);
  const box = inkBox(ink, w, h);
  if (!box) {
    return { pixels, box: null, centerOfMass: { x: TARGET, y: TARGET }, scaled: { w: 0, h: 0 },
      offset: { x: 0, y: 0 }, empty: true };
  }
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
