//! `Dropout` (inverted dropout, as Keras): in training each value is kept with
//! probability `1 − rate` and scaled by `1/(1 − rate)`, else set to 0:
//! `y = x·m`, `m = [u ≥ rate]/(1 − rate)`, `u ~ U[0, 1)` from the layer's
//! noise generator; so `E[y] = x`. At inference `y = x`. Backward: `dx = g·m`.
//! The generator comes from `Layer::set_noise`; without one it is `Rng::new(0)`.

use serde::{Deserialize, Serialize};

use crate::layers::activation::{check_build_shape, check_sample_shape};
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::Layer;
use crate::problem::Problem;
use crate::rng::Rng;
use crate::spec::{Arg, ArgType};
use crate::tensor::{copy_to, ensure_shape, Tensor};
use crate::{Error, Result};
use ndarray::{IxDyn, Zip};

#[derive(Clone, Debug)]
pub struct Dropout {
    rate: f32,
    noise: Option<Rng>,
    shape: Vec<usize>,
    built: bool,
    out: Tensor,
    /// `m` of the last training forward pass (0 or `1/(1 − rate)`).
    mask: Tensor,
    masked: bool,
    dx: Tensor,
}

/// The message for a rate outside [0, 1).
pub(crate) fn check_rate(rate: f32) -> Result<()> {
    if !(0.0..1.0).contains(&rate) {
        return Err(Error::Config(format!(
            "the Dropout rate is the fraction of inputs to drop and must be at least 0 and below \
             1, got {rate}"
        )));
    }
    Ok(())
}

/// `keras.layers.Dropout(rate)`: same shape out, no parameters.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DropoutConfig {
    pub rate: f32,
}

impl LayerKind for DropoutConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "Dropout",
            doc: "keras.layers.Dropout: while training, zeroes a random fraction `rate` of the values",
            images_only: false,
            args: vec![
                Arg::required("rate", ArgType::Float, "fraction of inputs to drop, in [0, 1)")
                    .min(0.0)
                    .max(1.0),
            ],
        }
    }

    fn kind(&self) -> &'static str {
        "Dropout"
    }

    fn check(&self) -> Vec<Problem> {
        check_rate(self.rate)
            .err()
            .map(|e| Problem::new("rate", e.message()))
            .into_iter()
            .collect()
    }

    fn output_shape(&self, input: &[usize]) -> std::result::Result<Vec<usize>, Problem> {
        Ok(input.to_vec())
    }

    fn passes_activation_through(&self) -> bool {
        true
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(Dropout::new(self.rate))
    }
}

impl Dropout {
    pub fn new(rate: f32) -> Dropout {
        let empty = || Tensor::zeros(IxDyn(&[0]));
        Dropout {
            rate,
            noise: None,
            shape: Vec::new(),
            built: false,
            out: empty(),
            mask: empty(),
            masked: false,
            dx: empty(),
        }
    }

    pub fn rate(&self) -> f32 {
        self.rate
    }
}

impl Layer for Dropout {
    fn kind(&self) -> &'static str {
        "Dropout"
    }

    fn output(&self) -> Option<&Tensor> {
        Some(&self.out)
    }

    fn build(&mut self, input_shape: &[usize], _rng: &mut Rng) -> Result<Vec<usize>> {
        check_rate(self.rate)?;
        check_build_shape("Dropout", input_shape)?;
        self.shape = input_shape.to_vec();
        self.built = true;
        self.masked = false;
        Ok(self.shape.clone())
    }

    fn output_shape(&self) -> &[usize] {
        &self.shape
    }

    fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor> {
        check_sample_shape("Dropout", self.built, &self.shape, x)?;
        ensure_shape(&mut self.out, x.shape());
        self.masked = training && self.rate > 0.0;
        if !self.masked {
            copy_to(self.out.view_mut(), x.view());
            return Ok(&self.out);
        }
        ensure_shape(&mut self.mask, x.shape());
        let rng = self.noise.get_or_insert_with(|| Rng::new(0));
        let (rate, scale) = (self.rate, 1.0 / (1.0 - self.rate));
        Zip::from(&mut self.out)
            .and(&mut self.mask)
            .and(x)
            .for_each(|o, m, &xi| {
                *m = if rng.uniform() >= rate { scale } else { 0.0 };
                *o = xi * *m;
            });
        Ok(&self.out)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        if !self.built || grad_out.shape() != self.out.shape() {
            return Err(Error::Shape(format!(
                "Dropout backward: the gradient has shape {:?} but the output has {:?}",
                grad_out.shape(),
                self.out.shape()
            )));
        }
        ensure_shape(&mut self.dx, grad_out.shape());
        if self.masked {
            Zip::from(&mut self.dx)
                .and(grad_out)
                .and(&self.mask)
                .for_each(|d, &g, &m| *d = g * m);
        } else {
            copy_to(self.dx.view_mut(), grad_out.view());
        }
        Ok(&self.dx)
    }

    fn set_noise(&mut self, rng: Rng) {
        self.noise = Some(rng);
    }
}

#[cfg(test)]
#[path = "dropout_tests.rs"]
mod tests;
