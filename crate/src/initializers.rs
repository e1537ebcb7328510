//! Weight initializers with Keras names and defaults
//! (`keras/src/initializers/random_initializers.py`, `constant_initializers.py`).
//!
//! | name             | distribution                                                        |
//! |------------------|---------------------------------------------------------------------|
//! | `zeros`, `ones`  | constant 0 / 1                                                       |
//! | `constant`       | `value` (Keras `Constant(value=0.0)`)                                 |
//! | `random_uniform` | `U[minval, maxval)` (Keras `minval=-0.05, maxval=0.05`)              |
//! | `random_normal`  | `N(mean, stddev²)` (Keras `mean=0, stddev=0.05`, not truncated)      |
//! | `truncated_normal` | `N(mean, stddev²)` redrawn beyond `mean ± 2·stddev` (Keras `mean=0, stddev=0.05`) |
//! | `glorot_uniform` | `U[-l, l)`, `l = sqrt(6 / (fan_in + fan_out))`                       |
//! | `glorot_normal`  | truncated normal, `σ = sqrt(2 / (fan_in + fan_out)) / 0.87962566103423978` |
//! | `he_uniform`     | `U[-l, l)`, `l = sqrt(6 / fan_in)`                                   |
//! | `he_normal`      | truncated normal, `σ = sqrt(2 / fan_in) / 0.87962566103423978`       |
//! | `lecun_normal`   | truncated normal, `σ = sqrt(1 / fan_in) / 0.87962566103423978`       |
//!
//! These are Keras' `VarianceScaling(scale, mode, distribution)`: with
//! `n = max(1, fan_in)`, `max(1, fan_out)` or `max(1, (fan_in + fan_out) / 2)`
//! by mode, uniform uses `limit = sqrt(3·scale/n)` and truncated normal
//! `stddev = sqrt(scale/n) / 0.87962566103423978`, drawn from `N(0, stddev²)`
//! truncated to ±2·stddev. 0.8796… is the standard deviation of a unit normal
//! truncated to [-2, 2], so the values end up with standard deviation `sqrt(scale/n)`.
//! Fans follow Keras' `compute_fans`, see [`compute_fans`].
//!
//! The arguments (`minval`, `stddev`, …) live in [`InitializerConfig`]
//! (`initializer_config.rs`); an [`Initializer`] alone has Keras' defaults.

use serde::{Deserialize, Serialize};

use crate::rng::Rng;
use crate::tensor::Tensor;

pub use crate::initializer_config::InitializerConfig;

/// Standard deviation of a standard normal truncated to [-2, 2] (Keras' constant).
pub const TRUNCATED_NORMAL_STDDEV: f64 = 0.879_625_661_034_239_8;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Initializer {
    Zeros,
    Ones,
    Constant,
    RandomUniform,
    RandomNormal,
    TruncatedNormal,
    GlorotUniform,
    GlorotNormal,
    HeUniform,
    HeNormal,
    LecunNormal,
}

/// `(fan_in, fan_out)` of a weight shape, as Keras' `compute_fans`: `[]` → (1, 1);
/// `[n]` → (n, n); `[in, out]` → (in, out); convolution kernels
/// `[..spatial, in, out]` → (in·r, out·r) with `r` the product of the spatial dims.
pub fn compute_fans(shape: &[usize]) -> (usize, usize) {
    match shape.len() {
        0 => (1, 1),
        1 => (shape[0], shape[0]),
        2 => (shape[0], shape[1]),
        n => {
            let r: usize = shape[..n - 2].iter().product();
            (shape[n - 2] * r, shape[n - 1] * r)
        }
    }
}

pub(crate) enum Dist {
    Constant(f32),
    /// `U[-l, l)`.
    Uniform(f32),
    /// `U[lo, hi)`.
    UniformRange(f32, f32),
    /// `N(0, s²)`.
    Normal(f32),
    /// `N(0, s²)` truncated to ±2s.
    TruncatedNormal(f32),
    /// `mean + stddev·z`, `z` normal (`truncated`: within ±2).
    Shifted {
        mean: f32,
        stddev: f32,
        truncated: bool,
    },
}

impl Initializer {
    pub const ALL: [Initializer; 11] = [
        Initializer::Zeros,
        Initializer::Ones,
        Initializer::Constant,
        Initializer::RandomUniform,
        Initializer::RandomNormal,
        Initializer::TruncatedNormal,
        Initializer::GlorotUniform,
        Initializer::GlorotNormal,
        Initializer::HeUniform,
        Initializer::HeNormal,
        Initializer::LecunNormal,
    ];

    /// Keras name, e.g. "glorot_uniform".
    pub fn name(&self) -> &'static str {
        match self {
            Initializer::Zeros => "zeros",
            Initializer::Ones => "ones",
            Initializer::Constant => "constant",
            Initializer::RandomUniform => "random_uniform",
            Initializer::RandomNormal => "random_normal",
            Initializer::TruncatedNormal => "truncated_normal",
            Initializer::GlorotUniform => "glorot_uniform",
            Initializer::GlorotNormal => "glorot_normal",
            Initializer::HeUniform => "he_uniform",
            Initializer::HeNormal => "he_normal",
            Initializer::LecunNormal => "lecun_normal",
        }
    }

    /// The distribution for the given fans (see the module table), Keras' default arguments.
    fn dist(&self, fan_in: usize, fan_out: usize) -> Dist {
        InitializerConfig::from(*self).dist(fan_in, fan_out)
    }

    /// The variance-scaling and constant distributions (no arguments); the
    /// others come from [`InitializerConfig`] with their arguments.
    pub(crate) fn fixed_dist(&self, fan_in: usize, fan_out: usize) -> Dist {
        let fan_avg = ((fan_in as f64 + fan_out as f64) / 2.0).max(1.0);
        let fan_in = (fan_in as f64).max(1.0);
        let uniform = |scale: f64, n: f64| Dist::Uniform((3.0 * scale / n).sqrt() as f32);
        let trunc = |scale: f64, n: f64| Dist::TruncatedNormal(((scale / n).sqrt() / TRUNCATED_NORMAL_STDDEV) as f32);
        match self {
            Initializer::Zeros => Dist::Constant(0.0),
            Initializer::Ones => Dist::Constant(1.0),
            // Argument-taking kinds: InitializerConfig::dist decides; these are never reached.
            Initializer::Constant => Dist::Constant(0.0),
            Initializer::RandomUniform => Dist::Uniform(0.05),
            Initializer::RandomNormal => Dist::Normal(0.05),
            Initializer::TruncatedNormal => Dist::TruncatedNormal(0.05),
            Initializer::GlorotUniform => uniform(1.0, fan_avg),
            Initializer::GlorotNormal => trunc(1.0, fan_avg),
            Initializer::HeUniform => uniform(2.0, fan_in),
            Initializer::HeNormal => trunc(2.0, fan_in),
            Initializer::LecunNormal => trunc(1.0, fan_in),
        }
    }

    /// The uniform limit `l` of `U[-l, l)` for these fans (Keras' default arguments), if uniform.
    pub fn uniform_limit(&self, fan_in: usize, fan_out: usize) -> Option<f32> {
        match self.dist(fan_in, fan_out) {
            Dist::Uniform(l) => Some(l),
            _ => None,
        }
    }

    /// The `stddev` parameter of the (possibly truncated) normal for these fans, if normal.
    pub fn normal_stddev(&self, fan_in: usize, fan_out: usize) -> Option<f32> {
        match self.dist(fan_in, fan_out) {
            Dist::Normal(s) | Dist::TruncatedNormal(s) => Some(s),
            _ => None,
        }
    }

    /// Fill `t` (in row-major order) with values drawn from `rng` (Keras' default arguments).
    pub fn fill(&self, t: &mut Tensor, fan_in: usize, fan_out: usize, rng: &mut Rng) {
        fill_with(self.dist(fan_in, fan_out), t, rng);
    }
}

/// Fill `t` in row-major order from `d`. `Uniform`/`Normal`/`TruncatedNormal` draw exactly as
/// before the arguments existed (so the default configs' weights are unchanged).
pub(crate) fn fill_with(d: Dist, t: &mut Tensor, rng: &mut Rng) {
    match d {
        Dist::Constant(c) => t.fill(c),
        Dist::Uniform(l) => t.iter_mut().for_each(|v| *v = rng.uniform_range(-l, l)),
        Dist::UniformRange(lo, hi) => t.iter_mut().for_each(|v| *v = rng.uniform_range(lo, hi)),
        Dist::Normal(s) => t.iter_mut().for_each(|v| *v = s * rng.normal()),
        Dist::TruncatedNormal(s) => t.iter_mut().for_each(|v| *v = s * rng.truncated_normal()),
        Dist::Shifted {
            mean,
            stddev,
            truncated,
        } => t.iter_mut().for_each(|v| {
            let z = if truncated {
                rng.truncated_normal()
            } else {
                rng.normal()
            };
            *v = mean + stddev * z;
        }),
    }
}

#[cfg(test)]
#[path = "initializers_tests.rs"]
mod tests;
