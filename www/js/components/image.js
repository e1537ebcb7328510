// Small image helpers shared by the gallery and the dataset preview: raw
// pixels (u8 0..255, or floats) → a <canvas> of the image's own size, scaled
// up by CSS with `image-rendering: pixelated`.

/**
 * Grey levels 0..255 of `pixels` (h·w·channels values). u8 arrays are used as they
 * are; float arrays in 0..1 are scaled by 255; other float ranges are stretched
 * min..max → 0..255 (e.g. standardised features).
 */
export function toBytes(pixels) {
  if (pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray) return pixels;
  let lo = Infinity, hi = -Infinity;
  for (const v of pixels) { if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
  const out = new Uint8ClampedArray(pixels.length);
  if (!Number.isFinite(lo)) return out;
  const [a, b] = lo >= 0 && hi <= 1 ? [0, 1] : lo >= 0 && hi <= 255 ? [0, 255] : [lo, hi];
  const span = b - a || 1;
  for (let i = 0; i < pixels.length; i += 1) out[i] = Number.isFinite(pixels[i]) ? ((pixels[i] - a) / span) * 255 : 0;
  return out;
}

/** Draws h×w pixels (1 channel grey, or 3 = RGB interleaved) into `canvas` (resized to w×h). */
export function drawPixels(canvas, pixels, h, w, channels = 1) {
  if (!(h > 0 && w > 0) || pixels.length < h * w * channels) {
    throw new Error(`image: ${pixels.length} pixel values do not fill ${h}×${w}×${channels}`);
  }
  const bytes = toBytes(pixels);
  if (canvas.width !== w) canvas.width = w;   // putImageData below covers every pixel: no reset needed
  if (canvas.height !== h) canvas.height = h;
  const g = canvas.getContext('2d');
  const img = g.createImageData(w, h);
  for (let i = 0; i < h * w; i += 1) {
    const o = i * 4;
    if (channels === 3) {
      img.data[o] = bytes[i * 3]; img.data[o + 1] = bytes[i * 3 + 1]; img.data[o + 2] = bytes[i * 3 + 2];
    } else {
      img.data[o] = img.data[o + 1] = img.data[o + 2] = bytes[i * channels];
    }
    img.data[o + 3] = 255;
  }
  g.putImageData(img, 0, 0);
  return canvas;
}
