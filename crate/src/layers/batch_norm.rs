//! `BatchNormalization` over the last axis (Keras `axis=-1`, the channels of
//! NHWC images or the features of a flat input). With `N` values per channel
//! in the batch (batch · h · w):
//!
//! ```text
//! training:   μ = Σ x / N,   σ² = Σ (x − μ)² / N            (biased, as keras.ops.moments)
//!             x̂ = (x − μ) / √(σ² + ε),   y = γ·x̂ + β
//!             moving_mean     ← moving_mean · momentum + μ  · (1 − momentum)
//!             moving_variance ← moving_variance · momentum + σ² · (1 − momentum)
//! inference:  y = γ·(x − moving_mean) / √(moving_variance + ε) + β
//! backward (training statistics), with ĝ = g·γ:
//!             dγ = Σ g·x̂,   dβ = Σ g,
//!             dx = (1/√(σ² + ε)) · (ĝ − Σĝ / N − x̂ · Σ(ĝ·x̂) / N)
//! ```
//!
//! Defaults as Keras: momentum 0.99, epsilon 1e-3, center (β) and scale (γ)
//! on; γ starts at 1, β at 0, the moving mean at 0 and the moving variance at 1.
//! Weights in Keras order: gamma, beta, moving_mean, moving_variance; the moving
//! statistics are non-trainable params (saved with the model, never updated by
//! the optimizer; their gradients stay 0). Sums run in f64.

use crate::layers::activation::{check_build_shape, check_sample_shape};
use crate::layers::{Layer, Param};
use crate::rng::Rng;
use crate::tensor::{ensure_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;

#[derive(Clone, Debug)]
pub struct BatchNormalization {
    momentum: f32,
    epsilon: f32,
    center: bool,
    scale: bool,
    shape: Vec<usize>,
    built: bool,
    gamma: Param,
    beta: Param,
    moving_mean: Param,
    moving_variance: Param,
    out: Tensor,
    /// x̂ of the last training batch, and 1/√(σ² + ε) per channel.
    xhat: Vec<f32>,
    mean: Vec<f32>,
    inv_std: Vec<f32>,
    /// f64 sums per channel (scratch).
    sum: Vec<f64>,
    sum2: Vec<f64>,
    dx: Tensor,
    ready_for_backward: bool,
}

fn frozen(name: &'static str, value: Tensor) -> Param {
    let mut p = Param::new(name, value);
    p.trainable = false;
    p
}

impl BatchNormalization {
    /// Keras' defaults: momentum 0.99, epsilon 1e-3, center and scale on.
    pub fn new() -> Self {
        BatchNormalization::with_options(0.99, 1e-3, true, true)
    }

    pub fn with_options(momentum: f32, epsilon: f32, center: bool, scale: bool) -> Self {
        let empty = || Tensor::zeros(IxDyn(&[0]));
        BatchNormalization {
            momentum,
            epsilon,
            center,
            scale,
            shape: Vec::new(),
            built: false,
            gamma: Param::new("gamma", empty()),
            beta: Param::new("beta", empty()),
            moving_mean: frozen("moving_mean", empty()),
            moving_variance: frozen("moving_variance", empty()),
            out: empty(),
            xhat: Vec::new(),
            mean: Vec::new(),
            inv_std: Vec::new(),
            sum: Vec::new(),
            sum2: Vec::new(),
            dx: empty(),
            ready_for_backward: false,
        }
    }

    fn channels(&self) -> usize {
        self.shape.last().copied().unwrap_or(0)
    }

    /// γ and β per channel (with scale / center off they stay 1 and 0: they
    /// are then not listed in `params`, so nothing changes them).
    fn affine(&self) -> Result<(&[f32], &[f32])> {
        let c = self.channels();
        match (self.gamma.value.as_slice(), self.beta.value.as_slice()) {
            (Some(g), Some(b)) if g.len() == c && b.len() == c => Ok((g, b)),
            _ => Err(Error::State(format!(
                "BatchNormalization: gamma and beta must have {c} values"
            ))),
        }
    }
}

impl Default for BatchNormalization {
    fn default() -> Self {
        BatchNormalization::new()
    }
}

impl Layer for BatchNormalization {
    fn kind(&self) -> &'static str {
        "BatchNormalization"
    }

    fn output(&self) -> Option<&Tensor> {
        Some(&self.out)
    }

    fn build(&mut self, input_shape: &[usize], _rng: &mut Rng) -> Result<Vec<usize>> {
        check_build_shape("BatchNormalization", input_shape)?;
        if !(0.0..=1.0).contains(&self.momentum) || !(self.epsilon > 0.0 && self.epsilon.is_finite()) {
            return Err(Error::Config(format!(
                "BatchNormalization needs momentum in [0, 1] and a positive epsilon, got momentum={} and epsilon={}",
                self.momentum, self.epsilon
            )));
        }
        let c = *input_shape
            .last()
            .ok_or_else(|| Error::Config("BatchNormalization needs an input with at least one axis".into()))?;
        let filled = |v: f32| Tensor::from_elem(IxDyn(&[c]), v);
        self.gamma = Param::new("gamma", filled(1.0));
        self.beta = Param::new("beta", filled(0.0));
        self.moving_mean = frozen("moving_mean", filled(0.0));
        self.moving_variance = frozen("moving_variance", filled(1.0));
        self.shape = input_shape.to_vec();
        self.built = true;
        self.ready_for_backward = false;
        Ok(self.shape.clone())
    }

    fn output_shape(&self) -> &[usize] {
        &self.shape
    }

    fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor> {
        check_sample_shape("BatchNormalization", self.built, &self.shape, x)?;
        let c = self.channels();
        self.affine()?;
        let xs = x.as_standard_layout();
        let xs = xs
            .as_slice()
            .ok_or_else(|| Error::State("BatchNormalization input".into()))?;
        let n = (xs.len() / c) as f64;
        let (Some(mm), Some(mv)) = (
            self.moving_mean.value.as_slice_mut(),
            self.moving_variance.value.as_slice_mut(),
        ) else {
            return Err(Error::State("BatchNormalization moving statistics".into()));
        };
        if mm.len() != c || mv.len() != c {
            return Err(Error::State(format!(
                "BatchNormalization: the moving statistics must have {c} values"
            )));
        }
        self.mean.resize(c, 0.0);
        self.inv_std.resize(c, 0.0);
        if training {
            let (sum, sq) = (&mut self.sum, &mut self.sum2);
            sum.clear();
            sum.resize(c, 0.0);
            xs.chunks(c)
                .for_each(|r| sum.iter_mut().zip(r).for_each(|(s, v)| *s += *v as f64));
            sum.iter_mut().for_each(|s| *s /= n);
            sq.clear();
            sq.resize(c, 0.0);
            xs.chunks(c).for_each(|r| {
                sq.iter_mut()
                    .zip(r)
                    .zip(sum.iter())
                    .for_each(|((s, v), m)| *s += (*v as f64 - m).powi(2))
            });
            let mom = self.momentum;
            for ch in 0..c {
                let (mean, var) = (sum[ch] as f32, (sq[ch] / n) as f32);
                mm[ch] = mm[ch] * mom + mean * (1.0 - mom);
                mv[ch] = mv[ch] * mom + var * (1.0 - mom);
                self.mean[ch] = mean;
                self.inv_std[ch] = 1.0 / (var + self.epsilon).sqrt();
            }
        } else {
            for ch in 0..c {
                self.mean[ch] = mm[ch];
                self.inv_std[ch] = 1.0 / (mv[ch] + self.epsilon).sqrt();
            }
        }
        ensure_shape(&mut self.out, x.shape());
        self.xhat.resize(if training { xs.len() } else { 0 }, 0.0);
        let out = self
            .out
            .as_slice_mut()
            .ok_or_else(|| Error::State("BatchNormalization output".into()))?;
        let (gamma, beta) = match (self.gamma.value.as_slice(), self.beta.value.as_slice()) {
            (Some(g), Some(b)) => (g, b),
            _ => return Err(Error::State("BatchNormalization gamma/beta".into())),
        };
        for (i, (y, v)) in out.iter_mut().zip(xs).enumerate() {
            let ch = i % c;
            let xhat = (v - self.mean[ch]) * self.inv_std[ch];
            if training {
                self.xhat[i] = xhat;
            }
            *y = gamma[ch] * xhat + beta[ch];
        }
        self.ready_for_backward = training;
        Ok(&self.out)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        if !self.ready_for_backward || grad_out.shape() != self.out.shape() {
            return Err(Error::Shape(format!(
                "BatchNormalization backward needs a training forward pass and a gradient of shape {:?}, got {:?}",
                self.out.shape(),
                grad_out.shape()
            )));
        }
        let c = self.channels();
        self.affine()?;
        let g = grad_out.as_standard_layout();
        let g = g
            .as_slice()
            .ok_or_else(|| Error::State("BatchNormalization gradient".into()))?;
        let n = (g.len() / c) as f64;
        let (sum_g, sum_gx) = (&mut self.sum, &mut self.sum2);
        sum_g.clear();
        sum_g.resize(c, 0.0);
        sum_gx.clear();
        sum_gx.resize(c, 0.0);
        for (gr, xr) in g.chunks(c).zip(self.xhat.chunks(c)) {
            for ch in 0..c {
                sum_g[ch] += gr[ch] as f64;
                sum_gx[ch] += gr[ch] as f64 * xr[ch] as f64;
            }
        }
        for (p, sums) in [(&mut self.gamma, &*sum_gx), (&mut self.beta, &*sum_g)] {
            ensure_shape(&mut p.grad, &[c]);
            p.grad.iter_mut().zip(sums).for_each(|(d, s)| *d = *s as f32);
        }
        for p in [&mut self.moving_mean, &mut self.moving_variance] {
            ensure_shape(&mut p.grad, &[c]);
            p.grad.fill(0.0);
        }
        ensure_shape(&mut self.dx, grad_out.shape());
        let dx = self
            .dx
            .as_slice_mut()
            .ok_or_else(|| Error::State("BatchNormalization dx".into()))?;
        // dx = inv_std·γ·(g − Σg/N − x̂·Σ(g·x̂)/N)  (ĝ = γ·g factored out).
        sum_g.iter_mut().chain(sum_gx.iter_mut()).for_each(|s| *s /= n);
        let gamma = self
            .gamma
            .value
            .as_slice()
            .ok_or_else(|| Error::State("BatchNormalization gamma".into()))?;
        for (i, (d, (gv, xh))) in dx.iter_mut().zip(g.iter().zip(&self.xhat)).enumerate() {
            let ch = i % c;
            *d = self.inv_std[ch] * gamma[ch] * (gv - sum_g[ch] as f32 - xh * sum_gx[ch] as f32);
        }
        Ok(&self.dx)
    }

    fn params(&self) -> Vec<&Param> {
        let mut v = Vec::with_capacity(4);
        if self.scale {
            v.push(&self.gamma);
        }
        if self.center {
            v.push(&self.beta);
        }
        v.push(&self.moving_mean);
        v.push(&self.moving_variance);
        v
    }

    fn params_mut(&mut self) -> Vec<&mut Param> {
        let mut v = Vec::with_capacity(4);
        if self.scale {
            v.push(&mut self.gamma);
        }
        if self.center {
            v.push(&mut self.beta);
        }
        v.push(&mut self.moving_mean);
        v.push(&mut self.moving_variance);
        v
    }

    fn for_each_param_mut<'a>(&'a mut self, f: &mut dyn FnMut(&'a mut Param) -> Result<()>) -> Result<()> {
        if self.scale {
            f(&mut self.gamma)?;
        }
        if self.center {
            f(&mut self.beta)?;
        }
        f(&mut self.moving_mean)?;
        f(&mut self.moving_variance)
    }
}

#[cfg(test)]
#[path = "batch_norm_tests.rs"]
mod tests;
