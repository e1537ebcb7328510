//! `Softmax` layer (Keras `keras.layers.Softmax`, `axis=-1`): a numerically
//! stable softmax over the last axis, `yᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m)` with
//! `m` the row maximum; backward `dxᵢ = yᵢ·(gᵢ − Σⱼ gⱼ·yⱼ)`.
//! It is the `Activation` layer with `softmax`, reported as "Softmax".

use serde::{Deserialize, Serialize};

use crate::activations::Activation;
use crate::layers::activation::ActivationLayer;
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::Layer;
use crate::problem::Problem;
use crate::rng::Rng;
use crate::tensor::Tensor;
use crate::Result;

/// `keras.layers.Softmax()` (axis -1): same shape out, no parameters.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct SoftmaxConfig {}

impl LayerKind for SoftmaxConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "Softmax",
            doc: "keras.layers.Softmax: turns each row into probabilities that sum to 1",
            images_only: false,
            args: Vec::new(),
        }
    }

    fn kind(&self) -> &'static str {
        "Softmax"
    }

    fn output_shape(&self, input: &[usize]) -> std::result::Result<Vec<usize>, Problem> {
        Ok(input.to_vec())
    }

    fn activation(&self) -> Option<Activation> {
        Some(Activation::Softmax)
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(Softmax::new())
    }
}

#[derive(Clone, Debug)]
pub struct Softmax {
    inner: ActivationLayer,
}

impl Softmax {
    pub fn new() -> Softmax {
        Softmax {
            inner: ActivationLayer::with_kind("Softmax", Activation::Softmax),
        }
    }
}

impl Default for Softmax {
    fn default() -> Self {
        Softmax::new()
    }
}

impl Layer for Softmax {
    fn kind(&self) -> &'static str {
        "Softmax"
    }

    fn output(&self) -> Option<&Tensor> {
        self.inner.output()
    }

    fn build(&mut self, input_shape: &[usize], rng: &mut Rng) -> Result<Vec<usize>> {
        self.inner.build(input_shape, rng)
    }

    fn output_shape(&self) -> &[usize] {
        self.inner.output_shape()
    }

    fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor> {
        self.inner.forward(x, training)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        self.inner.backward(grad_out)
    }

    fn output_activation(&self) -> Option<Activation> {
        self.inner.output_activation()
    }

    fn forward_with_logits(&mut self, x: &Tensor, training: bool) -> Result<(&Tensor, Option<&Tensor>)> {
        self.inner.forward_with_logits(x, training)
    }

    fn backward_from_logits(&mut self, grad_logits: &Tensor) -> Result<&Tensor> {
        self.inner.backward_from_logits(grad_logits)
    }
}
