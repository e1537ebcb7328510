//! `MaxPooling2D`, `AveragePooling2D` and `GlobalAveragePooling2D` on NHWC
//! images, as Keras (`channels_last`).
//!
//! The 2-D pools take `pool_size` (default (2, 2)), `strides` (default
//! `None` = `pool_size`) and `padding` ("valid" or "same"); output sizes as
//! Conv2D's ([`crate::kernels::im2col`]): valid `floor((n − p) / s) + 1`, same
//! `ceil(n / s)` with the extra padding at the bottom/right. Per channel `c`,
//! over the cells `W(oy, ox)` of the window that lie inside the image:
//!
//! ```text
//! MaxPooling2D:      y = max_{W} x        dx[argmax] += g   (first maximum in row-major order)
//! AveragePooling2D:  y = Σ_{W} x / |W|    dx[cell]  += g / |W|
//! ```
//!
//! so "same" padding never pools padding cells (TensorFlow's average counts
//! only the valid cells). `GlobalAveragePooling2D`: `[b, h, w, c] → [b, c]`,
//! `y = Σ_{h,w} x / (h·w)`, `dx = g / (h·w)`.

use crate::kernels::im2col::{Padding, Window};
use crate::layers::activation::{check_build_shape, check_sample_shape};
use crate::layers::Layer;
use crate::rng::Rng;
use crate::tensor::{batch_shape, ensure_shape, keras_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;
use rayon::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolKind {
    Max,
    Average,
}

#[derive(Clone, Debug)]
pub struct Pooling2D {
    pool: PoolKind,
    pool_size: (usize, usize),
    strides: (usize, usize),
    padding: Padding,
    window: Window,
    input_shape: Vec<usize>,
    output_shape: Vec<usize>,
    built: bool,
    out: Tensor,
    /// MaxPooling2D: index within its sample of the input cell each output came from.
    argmax: Vec<u32>,
    dx: Tensor,
    ready_for_backward: bool,
}

fn empty() -> Tensor {
    Tensor::zeros(IxDyn(&[0]))
}

impl Pooling2D {
    /// `strides = None` means `pool_size`, as Keras.
    pub fn new(pool: PoolKind, pool_size: (usize, usize), strides: Option<(usize, usize)>, padding: Padding) -> Self {
        Pooling2D {
            pool,
            pool_size,
            strides: strides.unwrap_or(pool_size),
            padding,
            window: Window::default(),
            input_shape: Vec::new(),
            output_shape: Vec::new(),
            built: false,
            out: empty(),
            argmax: Vec::new(),
            dx: empty(),
            ready_for_backward: false,
        }
    }

    /// `MaxPooling2D(pool_size)` with Keras' other defaults.
    pub fn max(pool_size: (usize, usize)) -> Self {
        Pooling2D::new(PoolKind::Max, pool_size, None, Padding::Valid)
    }

    /// `AveragePooling2D(pool_size)` with Keras' other defaults.
    pub fn average(pool_size: (usize, usize)) -> Self {
        Pooling2D::new(PoolKind::Average, pool_size, None, Padding::Valid)
    }

    /// Forward of one sample: `out` is `rows × c`, `arg` the max cells (Max only).
    fn sample_forward(&self, x: &[f32], out: &mut [f32], arg: &mut [u32]) {
        let w = &self.window;
        let c = w.channels;
        for oy in 0..w.out_h {
            for ox in 0..w.out_w {
                let o = (oy * w.out_w + ox) * c;
                let y = &mut out[o..o + c];
                if self.pool == PoolKind::Max {
                    max_window(w, x, oy, ox, y, &mut arg[o..o + c]);
                    continue;
                }
                let mut count = 0usize;
                y.fill(0.0);
                for iy in (0..w.kh).filter_map(|dy| w.in_y(oy, dy)) {
                    for ix in (0..w.kw).filter_map(|dx| w.in_x(ox, dx)) {
                        let cell = (iy * w.in_w + ix) * c;
                        y.iter_mut().zip(&x[cell..cell + c]).for_each(|(s, v)| *s += v);
                        count += 1;
                    }
                }
                y.iter_mut().for_each(|s| *s /= count as f32);
            }
        }
    }

    /// Backward of one sample: overwrite `dx` from the output gradient `g`.
    fn sample_backward(&self, g: &[f32], arg: &[u32], dx: &mut [f32]) {
        if self.pool == PoolKind::Max {
            if tiles(&self.window) {
                max_backward_tiled(&self.window, g, arg, dx);
            } else {
                dx.fill(0.0);
                arg.iter().zip(g).for_each(|(&i, g)| dx[i as usize] += g);
            }
            return;
        }
        dx.fill(0.0);
        let w = &self.window;
        let c = w.channels;
        for oy in 0..w.out_h {
            for ox in 0..w.out_w {
                let o = (oy * w.out_w + ox) * c;
                let rows = (0..w.kh).filter_map(|dy| w.in_y(oy, dy));
                let count = rows.clone().count() * (0..w.kw).filter_map(|dx| w.in_x(ox, dx)).count();
                for iy in rows {
                    for ix in (0..w.kw).filter_map(|dx| w.in_x(ox, dx)) {
                        let cell = (iy * w.in_w + ix) * c;
                        let d = &mut dx[cell..cell + c];
                        d.iter_mut().zip(&g[o..o + c]).for_each(|(d, g)| *d += g / count as f32);
                    }
                }
            }
        }
    }
}

/// Max and first argmax (strictly greater replaces: the first maximum in
/// row-major order) of every channel over the window of output `(oy, ox)`:
/// each window cell is one contiguous run of channels, compared with selects
/// (the loop vectorises). No cell inside the image: 0 and index 0.
#[inline]
fn max_window(w: &Window, x: &[f32], oy: usize, ox: usize, y: &mut [f32], a: &mut [u32]) {
    let c = w.channels;
    let mut first = true;
    for iy in w.in_rows(oy) {
        for ix in w.in_cols(ox) {
            let cell = (iy * w.in_w + ix) * c;
            let v = &x[cell..cell + c];
            // Indices within the sample fit in u32 (checked at build).
            let base = cell as u32;
            if first {
                y.copy_from_slice(v);
                a.iter_mut().enumerate().for_each(|(j, a)| *a = base + j as u32);
                first = false;
                continue;
            }
            // `if v > y { (v, index) } else { (y, a) }` as bit masks (the same
            // values; integer selects vectorise on every target).
            let (y, a) = (&mut y[..c], &mut a[..c]);
            for j in 0..c {
                let m = u32::from(v[j] > y[j]).wrapping_neg();
                y[j] = f32::from_bits((v[j].to_bits() & m) | (y[j].to_bits() & !m));
                a[j] = ((base + j as u32) & m) | (a[j] & !m);
            }
        }
    }
    if first {
        y.fill(0.0);
        a.fill(0);
    }
}

/// True when the windows tile the image without overlap from its top-left
/// corner (strides = pool_size, no padding before: Keras' default pools):
/// every input cell is under at most one window.
fn tiles(w: &Window) -> bool {
    w.sh == w.kh && w.sw == w.kw && w.pad_top == 0 && w.pad_left == 0
}

/// MaxPooling2D backward when the windows [`tiles`]: each input cell is
/// written once, `0 + g` at its window's argmax and 0 elsewhere (the bits of
/// zero-fill-then-scatter, without the second pass over `dx`).
fn max_backward_tiled(w: &Window, g: &[f32], arg: &[u32], dx: &mut [f32]) {
    let c = w.channels;
    let covered = (w.out_w * w.kw).min(w.in_w) * c;
    for (iy, line) in dx.chunks_exact_mut(w.in_w * c).enumerate() {
        let oy = iy / w.kh;
        if oy >= w.out_h {
            line.fill(0.0);
            continue;
        }
        let (inside, rest) = line.split_at_mut(covered);
        rest.fill(0.0);
        for (ix, d) in inside.chunks_exact_mut(c).enumerate() {
            let o = (oy * w.out_w + ix / w.kw) * c;
            let (g, a) = (&g[o..o + c], &arg[o..o + c]);
            let base = ((iy * w.in_w + ix) * c) as u32;
            // `if a == index { 0 + g } else { 0 }` as a bit mask (+0.0 is all zero bits).
            for j in 0..c {
                let m = u32::from(a[j] == base + j as u32).wrapping_neg();
                d[j] = f32::from_bits((0.0 + g[j]).to_bits() & m);
            }
        }
    }
}

impl Layer for Pooling2D {
    fn kind(&self) -> &'static str {
        match self.pool {
            PoolKind::Max => "MaxPooling2D",
            PoolKind::Average => "AveragePooling2D",
        }
    }

    fn output(&self) -> Option<&Tensor> {
        Some(&self.out)
    }

    fn build(&mut self, input_shape: &[usize], _rng: &mut Rng) -> Result<Vec<usize>> {
        let kind = self.kind();
        let ((ph, pw), (sh, sw)) = (self.pool_size, self.strides);
        if ph == 0 || pw == 0 || sh == 0 || sw == 0 {
            return Err(Error::Config(format!(
                "{kind} needs pool_size and strides of at least 1, got pool_size=({ph}, {pw}), strides=({sh}, {sw})"
            )));
        }
        let &[h, w, c] = input_shape else {
            return Err(Error::Config(format!(
                "{kind} expects images of shape (None, height, width, channels), but its input has shape {}",
                keras_shape(input_shape)
            )));
        };
        check_build_shape(kind, input_shape)?;
        self.window = Window::new((h, w, c), self.pool_size, self.strides, self.padding)
            .filter(|win| {
                win.rows().checked_mul(c).is_some_and(|n| n <= u32::MAX as usize) && h * w * c <= u32::MAX as usize
            })
            .ok_or_else(|| {
                Error::Config(format!(
                    "{kind}'s {ph}×{pw} pool does not fit the {h}×{w} feature map with padding='{}'; \
                     use padding='same', a smaller pool_size or fewer pooling layers before it",
                    self.padding.name()
                ))
            })?;
        self.input_shape = input_shape.to_vec();
        self.output_shape = vec![self.window.out_h, self.window.out_w, c];
        self.built = true;
        self.ready_for_backward = false;
        Ok(self.output_shape.clone())
    }

    fn output_shape(&self) -> &[usize] {
        &self.output_shape
    }

    fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor> {
        check_sample_shape(self.kind(), self.built, &self.input_shape, x)?;
        let batch = x.shape()[0];
        let (in_len, out_len) = (self.window.input_len(), self.window.rows() * self.window.channels);
        let xs = x.as_standard_layout();
        let xs = xs.as_slice().ok_or_else(|| Error::State("pooling input".into()))?;
        let mut out = std::mem::replace(&mut self.out, empty());
        let mut arg = std::mem::take(&mut self.argmax);
        if out.shape().split_first() != Some((&batch, &self.output_shape[..])) {
            ensure_shape(&mut out, &batch_shape(batch, &self.output_shape));
        }
        arg.resize(if self.pool == PoolKind::Max { batch * out_len } else { 0 }, 0);
        let arg_len = if self.pool == PoolKind::Max { out_len } else { 0 };
        let o = out
            .as_slice_mut()
            .ok_or_else(|| Error::State("pooling output".into()))?;
        let me = &*self;
        if arg_len == 0 {
            xs.par_chunks(in_len)
                .zip(o.par_chunks_mut(out_len))
                .for_each(|(x, y)| me.sample_forward(x, y, &mut []));
        } else {
            xs.par_chunks(in_len)
                .zip(o.par_chunks_mut(out_len))
                .zip(arg.par_chunks_mut(arg_len))
                .for_each(|((x, y), a)| me.sample_forward(x, y, a));
        }
        self.out = out;
        self.argmax = arg;
        self.ready_for_backward = training;
        Ok(&self.out)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        if !self.ready_for_backward || grad_out.shape() != self.out.shape() {
            return Err(Error::Shape(format!(
                "{} backward needs a training forward pass and a gradient of the output's shape {:?}, got {:?}",
                self.kind(),
                self.out.shape(),
                grad_out.shape()
            )));
        }
        let batch = grad_out.shape()[0];
        let (in_len, out_len) = (self.window.input_len(), self.window.rows() * self.window.channels);
        let g = grad_out.as_standard_layout();
        let g = g.as_slice().ok_or_else(|| Error::State("pooling gradient".into()))?;
        let mut dx = std::mem::replace(&mut self.dx, empty());
        if dx.shape().split_first() != Some((&batch, &self.input_shape[..])) {
            ensure_shape(&mut dx, &batch_shape(batch, &self.input_shape));
        }
        let d = dx.as_slice_mut().ok_or_else(|| Error::State("pooling dx".into()))?;
        let me = &*self;
        if self.pool == PoolKind::Max {
            g.par_chunks(out_len)
                .zip(self.argmax.par_chunks(out_len))
                .zip(d.par_chunks_mut(in_len))
                .for_each(|((g, a), d)| me.sample_backward(g, a, d));
        } else {
            g.par_chunks(out_len)
                .zip(d.par_chunks_mut(in_len))
                .for_each(|(g, d)| me.sample_backward(g, &[], d));
        }
        self.dx = dx;
        Ok(&self.dx)
    }
}

#[cfg(test)]
#[path = "pooling_tests.rs"]
mod tests;
