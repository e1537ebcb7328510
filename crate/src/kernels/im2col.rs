//! Sliding-window geometry (Conv2D and the pooling layers) and the im2col /
//! col2im kernels that turn a convolution into one GEMM.
//!
//! Sizes along one axis of length `n`, window `k`, stride `s` (Keras /
//! TensorFlow, `keras.src.ops.operation_utils.compute_conv_output_shape`):
//!
//! ```text
//! padding="valid":  out = floor((n − k) / s) + 1          (needs k ≤ n), no padding
//! padding="same":   out = ceil(n / s),
//!                   pad = max((out − 1)·s + k − n, 0),
//!                   pad_before = floor(pad / 2), pad_after = pad − pad_before
//! ```
//!
//! so an odd padding puts the extra row at the bottom and the extra column
//! on the right, as TensorFlow does.
//!
//! im2col on NHWC: for one sample, row `r = oy·out_w + ox` of the column
//! matrix holds the window under output pixel `(oy, ox)` in kernel order,
//! column `(dy·kw + dx)·C + c` = `x[oy·sh + dy − pad_top, ox·sw + dx − pad_left, c]`
//! (0 in the padding). With the Keras kernel `(kh, kw, C, F)` read row-major as
//! a `(kh·kw·C) × F` matrix, the convolution of a sample is `col · W`.
//! [`col2im`] is the adjoint: it sums each column entry back into the input
//! cell it was copied from (the input gradient of a convolution).
//!
//! Both kernels split a batch over rayon's pool by sample; each sample is
//! written by one task in a fixed order, so results do not depend on the
//! number of threads.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Keras `padding`: "valid" (no padding) or "same" (output size `ceil(n / s)`).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Padding {
    #[default]
    Valid,
    Same,
}

impl Padding {
    pub fn name(&self) -> &'static str {
        match self {
            Padding::Valid => "valid",
            Padding::Same => "same",
        }
    }
}

/// A 2-D size (`kernel_size`, `pool_size`, `strides`) as Keras accepts it:
/// one whole number for both axes (`3`) or `[rows, columns]` (`[3, 2]`).
/// Written back as a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size2(pub usize, pub usize);

impl Size2 {
    pub fn pair(self) -> (usize, usize) {
        (self.0, self.1)
    }
}

impl Serialize for Size2 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.0, self.1].serialize(s)
    }
}

impl<'de> Deserialize<'de> for Size2 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Size2, D::Error> {
        struct V;
        const WANT: &str = "a whole number like 3 or a list of two like [3, 2]";
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Size2;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(WANT)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Size2, E> {
                let v = usize::try_from(v).map_err(|_| E::custom(format!("{v} is too large")))?;
                Ok(Size2(v, v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Size2, E> {
                match u64::try_from(v) {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => Err(E::custom(format!("sizes must be at least 1, got {v}"))),
                }
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Size2, A::Error> {
                use serde::de::Error;
                let mut next = || -> Result<Option<usize>, A::Error> {
                    seq.next_element::<i64>()?
                        .map(|v| {
                            usize::try_from(v)
                                .map_err(|_| A::Error::custom(format!("sizes must be at least 1, got {v}")))
                        })
                        .transpose()
                };
                match (next()?, next()?, next()?) {
                    (Some(a), Some(b), None) => Ok(Size2(a, b)),
                    _ => Err(A::Error::custom(format!("expected {WANT}"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// `(out, pad_before)` along one axis (module formulas), or `None` when the
/// window does not fit (`valid` with `k > n`) or a size is 0.
pub fn output_size(n: usize, k: usize, s: usize, padding: Padding) -> Option<(usize, usize)> {
    if n == 0 || k == 0 || s == 0 {
        return None;
    }
    match padding {
        Padding::Valid => (k <= n).then(|| ((n - k) / s + 1, 0)),
        Padding::Same => {
            let out = n.div_ceil(s);
            let span = (out - 1).checked_mul(s)?.checked_add(k)?;
            Some((out, span.saturating_sub(n) / 2))
        }
    }
}

/// A 2-D sliding window over NHWC samples of shape `(in_h, in_w, channels)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Window {
    pub in_h: usize,
    pub in_w: usize,
    pub channels: usize,
    pub kh: usize,
    pub kw: usize,
    pub sh: usize,
    pub sw: usize,
    pub pad_top: usize,
    pub pad_left: usize,
    pub out_h: usize,
    pub out_w: usize,
}

impl Window {
    /// The window for an input `(h, w, channels)`, or `None` when it does not
    /// fit (see [`output_size`]) or a size would overflow.
    pub fn new(
        (in_h, in_w, channels): (usize, usize, usize),
        (kh, kw): (usize, usize),
        (sh, sw): (usize, usize),
        padding: Padding,
    ) -> Option<Window> {
        let (out_h, pad_top) = output_size(in_h, kh, sh, padding)?;
        let (out_w, pad_left) = output_size(in_w, kw, sw, padding)?;
        // Every size the kernels index with must fit in usize.
        in_h.checked_mul(in_w)?.checked_mul(channels)?;
        out_h
            .checked_mul(out_w)?
            .checked_mul(kh.checked_mul(kw)?.checked_mul(channels)?)?;
        Some(Window {
            in_h,
            in_w,
            channels,
            kh,
            kw,
            sh,
            sw,
            pad_top,
            pad_left,
            out_h,
            out_w,
        })
    }

    /// Values in one input sample: `in_h · in_w · channels`.
    pub fn input_len(&self) -> usize {
        self.in_h * self.in_w * self.channels
    }

    /// Output pixels per sample: `out_h · out_w` (rows of the column matrix).
    pub fn rows(&self) -> usize {
        self.out_h * self.out_w
    }

    /// Values in one window: `kh · kw · channels` (columns of the column matrix).
    pub fn patch_len(&self) -> usize {
        self.kh * self.kw * self.channels
    }

    /// Column-matrix values per sample: `rows · patch_len`.
    pub fn col_len(&self) -> usize {
        self.rows() * self.patch_len()
    }

    /// Input row of window row `dy` under output row `oy`, if inside the image.
    #[inline]
    pub fn in_y(&self, oy: usize, dy: usize) -> Option<usize> {
        (oy * self.sh + dy).checked_sub(self.pad_top).filter(|&y| y < self.in_h)
    }

    /// Input rows under output row `oy` that lie inside the image, ascending
    /// (the `Some` values of [`Window::in_y`] for `dy = 0 .. kh`).
    #[inline]
    pub fn in_rows(&self, oy: usize) -> std::ops::Range<usize> {
        span(oy * self.sh, self.kh, self.pad_top, self.in_h)
    }

    /// Input columns under output column `ox` that lie inside the image, ascending
    /// (the `Some` values of [`Window::in_x`] for `dx = 0 .. kw`).
    #[inline]
    pub fn in_cols(&self, ox: usize) -> std::ops::Range<usize> {
        span(ox * self.sw, self.kw, self.pad_left, self.in_w)
    }

    /// Input column of window column `dx` under output column `ox`, if inside the image.
    #[inline]
    pub fn in_x(&self, ox: usize, dx: usize) -> Option<usize> {
        (ox * self.sw + dx)
            .checked_sub(self.pad_left)
            .filter(|&x| x < self.in_w)
    }
}

/// Padded positions `start .. start + k` that fall inside `pad .. pad + n`, as
/// image positions.
#[inline]
fn span(start: usize, k: usize, pad: usize, n: usize) -> std::ops::Range<usize> {
    let lo = start.max(pad) - pad;
    let hi = (start + k).min(pad + n).saturating_sub(pad);
    lo..hi.max(lo)
}

/// Below this many column values one thread does the whole batch.
const PAR_MIN_LEN: usize = 1 << 15;

/// Run `f(sample_in, sample_out)` on every sample, over rayon's pool when the
/// outputs are long enough.
fn per_sample<A: Sync, B: Send>(a: &[A], a_len: usize, b: &mut [B], b_len: usize, f: impl Fn(&[A], &mut [B]) + Sync) {
    if b.len() >= PAR_MIN_LEN && super::threads::threads() > 1 {
        a.par_chunks(a_len)
            .zip(b.par_chunks_mut(b_len))
            .for_each(|(x, y)| f(x, y));
    } else {
        a.chunks(a_len).zip(b.chunks_mut(b_len)).for_each(|(x, y)| f(x, y));
    }
}

/// Fill `col` (`nb · rows × patch_len`, row-major) with the windows of the `nb`
/// samples in `x` (`nb · input_len`). Panics (a caller bug) on wrong lengths.
pub fn im2col(w: &Window, x: &[f32], col: &mut [f32]) {
    let (in_len, col_len) = (w.input_len(), w.col_len());
    assert!(in_len > 0 && col_len > 0, "im2col: empty window");
    assert_eq!(x.len() / in_len * col_len, col.len(), "im2col: buffer lengths");
    assert_eq!(x.len() % in_len, 0, "im2col: input length");
    per_sample(x, in_len, col, col_len, |x, col| im2col_sample(w, x, col));
}

fn im2col_sample(w: &Window, x: &[f32], col: &mut [f32]) {
    let (c, kwc) = (w.channels, w.kw * w.channels);
    let mut rows = col.chunks_exact_mut(w.patch_len());
    for oy in 0..w.out_h {
        for ox in 0..w.out_w {
            let row = rows.next().expect("im2col: rows");
            let whole_row = match (w.in_x(ox, 0), w.in_x(ox, w.kw - 1)) {
                (Some(ix), Some(_)) => Some(ix),
                _ => None,
            };
            for (dy, dst) in row.chunks_exact_mut(kwc).enumerate() {
                let Some(iy) = w.in_y(oy, dy) else {
                    dst.fill(0.0);
                    continue;
                };
                let line = &x[iy * w.in_w * c..(iy + 1) * w.in_w * c];
                match whole_row {
                    // The whole window row is inside: one contiguous copy.
                    Some(ix) => copy_run(dst, &line[ix * c..ix * c + kwc]),
                    None => {
                        for (dx, d) in dst.chunks_exact_mut(c).enumerate() {
                            match w.in_x(ox, dx) {
                                Some(ix) => d.copy_from_slice(&line[ix * c..(ix + 1) * c]),
                                None => d.fill(0.0),
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Overwrite `dx` (`nb · input_len`) with the adjoint of [`im2col`]: every
/// entry of `col` (`nb · rows × patch_len`) added into the input cell it came
/// from (padding entries are dropped), in row order within each sample.
pub fn col2im(w: &Window, col: &[f32], dx: &mut [f32]) {
    let (in_len, col_len) = (w.input_len(), w.col_len());
    assert!(in_len > 0 && col_len > 0, "col2im: empty window");
    assert_eq!(dx.len() / in_len * col_len, col.len(), "col2im: buffer lengths");
    assert_eq!(dx.len() % in_len, 0, "col2im: input length");
    per_sample(col, col_len, dx, in_len, |col, dx| col2im_sample(w, col, dx));
}

fn col2im_sample(w: &Window, col: &[f32], dx: &mut [f32]) {
    let (c, kwc) = (w.channels, w.kw * w.channels);
    dx.fill(0.0);
    let mut rows = col.chunks_exact(w.patch_len());
    for oy in 0..w.out_h {
        for ox in 0..w.out_w {
            let row = rows.next().expect("col2im: rows");
            for (dy, src) in row.chunks_exact(kwc).enumerate() {
                let Some(iy) = w.in_y(oy, dy) else { continue };
                let line = &mut dx[iy * w.in_w * c..(iy + 1) * w.in_w * c];
                match (w.in_x(ox, 0), w.in_x(ox, w.kw - 1)) {
                    // The whole window row is inside: one contiguous run (its
                    // cells are distinct, so each gets the same sum in the same order).
                    (Some(ix), Some(_)) => add_run(&mut line[ix * c..ix * c + kwc], src),
                    _ => {
                        for (dxi, s) in src.chunks_exact(c).enumerate() {
                            if let Some(ix) = w.in_x(ox, dxi) {
                                add_run(&mut line[ix * c..(ix + 1) * c], s);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `dst = src`; runs of up to 9 values (a 3-wide window on 1–3 channels)
/// as fixed-size moves instead of a `memcpy` call each.
#[inline(always)]
fn copy_run(dst: &mut [f32], src: &[f32]) {
    macro_rules! fixed {
        ($($n:literal)*) => {
            match dst.len() {
                $($n => {
                    let d: &mut [f32; $n] = dst.try_into().expect("run length");
                    *d = src.try_into().expect("run length");
                })*
                _ => dst.copy_from_slice(src),
            }
        };
    }
    fixed!(1 2 3 4 5 6 7 8 9)
}

/// `dst[i] += src[i]`.
#[inline(always)]
fn add_run(dst: &mut [f32], src: &[f32]) {
    dst.iter_mut().zip(src).for_each(|(d, v)| *d += v);
}

#[cfg(test)]
#[path = "im2col_tests.rs"]
mod tests;
