//! Activation functions with Keras names and defaults, and their derivatives.
//!
//! | name         | forward `y = f(x)`                          | derivative, written with the output `y` |
//! |--------------|---------------------------------------------|------------------------------------------|
//! | `linear`     | `x`                                         | `1`                                      |
//! | `relu`       | `max(x, 0)`                                 | `1` if `y > 0` (i.e. `x > 0`) else `0`   |
//! | `leaky_relu` | `x` if `x > 0` else `0.2·x` (Keras' `keras.activations.leaky_relu` default `negative_slope=0.2`) | `1` if `y > 0` else `0.2` |
//! | `elu`        | `x` if `x > 0` else `α·(eˣ − 1)`, `α = 1`   | `1` if `y > 0` else `y + α` (= `α·eˣ`)   |
//! | `sigmoid`    | `1 / (1 + e⁻ˣ)`                             | `y·(1 − y)`                              |
//! | `tanh`       | `tanh(x)`                                   | `1 − y²`                                 |
//! | `softmax`    | row-wise over the last axis: `yᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m)`, `m = maxⱼ xⱼ` (numerically stable) | vector–Jacobian product `dxᵢ = yᵢ·(gᵢ − Σⱼ gⱼ·yⱼ)` |
//! | `step`       | `1` if `x ≥ 0` else `0` (Heaviside, the classic perceptron; not a Keras activation) | none: training with backpropagation is refused |
//!
//! Every derivative is written in terms of the output `y`, so a layer only has
//! to keep its output for the backward pass (relu and leaky relu: `y > 0`
//! exactly when `x > 0`, the convention of TensorFlow's gradients at 0).
//!
//! `e^x`, `tanh` and `sigmoid` are the vectorisable kernels of
//! `kernels::elementwise` (max error 0.96, 1.29 and 2.18 ulp; the library
//! `f32::tanh` measures 2.13 ulp on the same points).

use serde::{Deserialize, Serialize};

use crate::kernels::elementwise::{
    exp_f32, map_in_place, sigmoid_f32, sigmoid_in_place, tanh_f32, tanh_in_place, zip_map_in_place,
};
use crate::{Error, Result};

/// Negative slope of `leaky_relu` (Keras: `keras.activations.leaky_relu(x, negative_slope=0.2)`).
pub const LEAKY_RELU_SLOPE: f32 = 0.2;
/// `alpha` of `elu` (Keras default 1.0).
pub const ELU_ALPHA: f32 = 1.0;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    #[default]
    Linear,
    Relu,
    LeakyRelu,
    Elu,
    Sigmoid,
    Tanh,
    Softmax,
    Step,
}

impl Activation {
    /// Every activation, in a stable order (for menus and tests).
    pub const ALL: [Activation; 8] = [
        Activation::Linear,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Elu,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Softmax,
        Activation::Step,
    ];

    /// Keras name: "linear", "relu", "leaky_relu", "elu", "sigmoid", "tanh", "softmax", "step".
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Elu => "elu",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Softmax => "softmax",
            Activation::Step => "step",
        }
    }

    /// Parse a Keras name (as in the JSON config).
    pub fn from_name(name: &str) -> Result<Activation> {
        Activation::ALL
            .iter()
            .copied()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Activation::ALL.iter().map(|a| a.name()).collect();
                Error::Config(format!(
                    "unknown activation \"{name}\"; use one of: {}",
                    known.join(", ")
                ))
            })
    }

    /// False only for `step`, whose derivative is zero almost everywhere.
    pub fn has_gradient(&self) -> bool {
        !matches!(self, Activation::Step)
    }

    /// False only for `softmax`, which couples the values of a row.
    pub fn is_elementwise(&self) -> bool {
        !matches!(self, Activation::Softmax)
    }

    /// `f(x)` for one value (elementwise activations only; `None` for softmax).
    pub fn scalar(&self, x: f32) -> Option<f32> {
        Some(match self {
            Activation::Linear => x,
            // Written so that NaN propagates (f32::max would turn NaN into 0 and hide divergence).
            Activation::Relu => {
                if x < 0.0 {
                    0.0
                } else {
                    x
                }
            }
            Activation::LeakyRelu => {
                if x > 0.0 {
                    x
                } else {
                    LEAKY_RELU_SLOPE * x
                }
            }
            Activation::Elu => {
                if x > 0.0 {
                    x
                } else {
                    ELU_ALPHA * x.exp_m1()
                }
            }
            Activation::Sigmoid => sigmoid_f32(x),
            Activation::Tanh => tanh_f32(x),
            Activation::Step => {
                if x >= 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Softmax => return None,
        })
    }

    /// `f'(x)` written with the output `y = f(x)` (elementwise activations; see the table).
    /// `step` has derivative 0 (almost everywhere) here; layers refuse to backpropagate it.
    pub(crate) fn derivative_from_output(&self, y: f32) -> f32 {
        match self {
            Activation::Linear => 1.0,
            Activation::Relu => (y > 0.0) as u8 as f32,
            Activation::LeakyRelu => {
                if y > 0.0 {
                    1.0
                } else {
                    LEAKY_RELU_SLOPE
                }
            }
            Activation::Elu => {
                if y > 0.0 {
                    1.0
                } else {
                    y + ELU_ALPHA
                }
            }
            Activation::Sigmoid => y * (1.0 - y),
            Activation::Tanh => 1.0 - y * y,
            Activation::Step | Activation::Softmax => 0.0,
        }
    }

    /// Apply in place to `x`, a row-major buffer whose last axis has `row_len`
    /// values (softmax normalises each row of `row_len` values).
    pub fn apply(&self, x: &mut [f32], row_len: usize) {
        match self {
            Activation::Linear => {}
            Activation::Softmax => {
                if row_len == 0 {
                    return;
                }
                for row in x.chunks_mut(row_len) {
                    softmax_row(row);
                }
            }
            // Elementwise: split over rayon's pool for long buffers, each value
            // by the same scalar expression (bit-identical for any thread count).
            Activation::Relu => map_in_place(x, |v| if v < 0.0 { 0.0 } else { v }),
            Activation::Sigmoid => sigmoid_in_place(x),
            Activation::Tanh => tanh_in_place(x),
            // Always Some for elementwise activations.
            other => map_in_place(x, |v| other.scalar(v).unwrap_or(v)),
        }
    }

    /// Backward pass in place: turn `grad` (dLoss/dy) into dLoss/dx, given the
    /// forward output `y` (same layout as in [`Activation::apply`]).
    /// `step` returns a `Config` error explaining what to choose instead.
    pub fn backward_in_place(&self, y: &[f32], grad: &mut [f32], row_len: usize) -> Result<()> {
        if y.len() != grad.len() {
            return Err(Error::Shape(format!(
                "{} backward: the gradient has {} values but the output has {}",
                self.name(),
                grad.len(),
                y.len()
            )));
        }
        match self {
            Activation::Step => Err(step_has_no_gradient()),
            Activation::Linear => Ok(()),
            Activation::Softmax => {
                if row_len == 0 {
                    return Ok(());
                }
                for (yr, gr) in y.chunks(row_len).zip(grad.chunks_mut(row_len)) {
                    let dot: f32 = yr.iter().zip(gr.iter()).map(|(a, b)| a * b).sum();
                    for (g, &yi) in gr.iter_mut().zip(yr) {
                        *g = yi * (*g - dot);
                    }
                }
                Ok(())
            }
            other => {
                zip_map_in_place(grad, y, |g, yi| g * other.derivative_from_output(yi));
                Ok(())
            }
        }
    }
}

/// The error returned when a network with a `step` activation is asked for gradients.
pub fn step_has_no_gradient() -> Error {
    Error::Config(
        "the step activation has no gradient (its derivative is 0 everywhere except at 0), so a \
         network using it cannot be trained by gradient descent; use it only for inference or \
         for a perceptron trained with the perceptron rule, or choose sigmoid/tanh to train \
         with backpropagation"
            .into(),
    )
}

/// Numerically stable softmax of one row: `exp(x - max) / sum(exp(x - max))`.
fn softmax_row(row: &mut [f32]) {
    let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0f32;
    for v in row.iter_mut() {
        *v = exp_f32(*v - m);
        sum += *v;
    }
    let inv = 1.0 / sum;
    row.iter_mut().for_each(|v| *v *= inv);
}

#[cfg(test)]
#[path = "activations_tests.rs"]
mod tests;
