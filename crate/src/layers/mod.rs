//! Layers. Each kind's config (what the JSON says, its shape rule and
//! parameter count) implements [`LayerKind`] in the layer's own file and is
//! registered in [`config`]; [`plan`] works a stack out from configs alone.
//!
//! A built layer owns its parameters, keeps the buffers that its forward
//! pass fills and its backward pass needs, and reports its output shape and
//! parameter count.
//!
//! Contract used by `model::Sequential`:
//! 1. `build(input_shape, rng)` once, with the per-sample input shape (no
//!    batch axis); it initialises the params from `rng` and returns the
//!    per-sample output shape, or a `Config`/`Shape` error that says what to change.
//! 2. `forward(x, training)` with `x` of shape `[batch] ++ input_shape`; it
//!    returns a reference to its own output buffer (reused between batches).
//! 3. `backward(grad_out)` after a `forward(_, true)`: it *overwrites* each
//!    param's `grad` with dLoss/dParam for that batch and returns dLoss/dInput
//!    in its own buffer (unless `set_input_grad_needed(false)` was called:
//!    then the param grads are still exact but the returned tensor is not
//!    dLoss/dInput).

pub mod activation;
pub mod batch_norm;
pub mod batch_norm_config;
pub(crate) mod bias_act;
pub mod config;
pub mod conv2d;
pub mod conv2d_config;
pub mod dense;
pub mod dense_config;
pub mod dropout;
pub mod flatten;
pub mod global_pooling;
pub mod kind;
pub mod plan;
pub mod pooling;
pub mod pooling_config;
pub(crate) mod relayout;
pub mod reshape;
pub mod softmax;
pub(crate) mod weight_options;
pub(crate) mod weights;

pub use activation::{ActivationConfig, ActivationLayer};
pub use config::{output_activation, LayerConfig};
pub use dense::Dense;
pub use dense_config::DenseConfig;
pub use dropout::{Dropout, DropoutConfig};
pub use flatten::{Flatten, FlattenConfig};
pub use kind::{LayerKind, LayerSpec};
pub use plan::{Plan, PlannedLayer};
pub use softmax::{Softmax, SoftmaxConfig};

use crate::activations::Activation;
use crate::rng::Rng;
use crate::tensor::Tensor;
use crate::{Error, Result};

/// What Dense, Conv2D and the activation layers check before their backward
/// pass: a training forward pass came first (`ready`) and `grad_out` has the
/// output's shape. `kind` names the layer in the message.
pub(crate) fn check_backward(kind: &str, ready: bool, grad_out: &Tensor, out: &Tensor) -> Result<()> {
    if !ready {
        return Err(Error::State(format!(
            "{kind}.backward needs a forward pass in training mode first"
        )));
    }
    if grad_out.shape() != out.shape() {
        return Err(Error::Shape(format!(
            "{kind} backward: the gradient has shape {:?} but the output has {:?}",
            grad_out.shape(),
            out.shape()
        )));
    }
    Ok(())
}

/// The input a backward pass reads (Dense and Conv2D: their kernel's
/// gradient needs it): `given`, handed back by the model
/// ([`Layer::backward_lent`]), or else the copy `kept` in forward, which a
/// layer whose input is `lent` does not keep; its shape must be `shape`, the
/// last forward pass's.
pub(crate) fn backward_input<'a>(
    kind: &str,
    given: Option<&'a Tensor>,
    lent: bool,
    kept: &'a Tensor,
    shape: &[usize],
) -> Result<&'a Tensor> {
    let x = match given {
        Some(t) => t,
        None if lent => {
            return Err(Error::State(format!(
                "{kind}.backward: the model hands this layer its input back; call the model's backward"
            )))
        }
        None => kept,
    };
    if x.shape() != shape {
        return Err(Error::Shape(format!(
            "{kind} backward: the input has shape {:?} but the last forward pass had {shape:?}",
            x.shape()
        )));
    }
    Ok(x)
}

/// Whether a layer ending in `activation` keeps its logits in
/// `forward_with_logits`: the two activations whose logits Keras' crossentropies
/// use (they store `_keras_logits`, see `losses::logits`).
pub(crate) fn keeps_logits(activation: Activation) -> bool {
    matches!(activation, Activation::Softmax | Activation::Sigmoid)
}

/// A trainable (or frozen) tensor with its gradient beside it.
#[derive(Clone, Debug)]
pub struct Param {
    /// Keras variable name within its layer: "kernel", "bias", ...
    pub name: &'static str,
    pub value: Tensor,
    /// Same shape as `value`; written by `Layer::backward`.
    pub grad: Tensor,
    /// The largest `|g|` of `grad`, when the layer that wrote it measured it
    /// on the way (Dense: in the gradient product's store), so that the
    /// optimizer can certify its step without a pass of its own
    /// ([`crate::optimizers::pass`]). Whatever else writes `grad` must set it
    /// to `None` (or to a bound that still holds).
    pub grad_max: Option<f32>,
    pub trainable: bool,
    /// Keras `kernel_regularizer` / `bias_regularizer` of this weight, if any.
    pub regularizer: Option<crate::regularizers::RegularizerConfig>,
}

impl Param {
    pub fn new(name: &'static str, value: Tensor) -> Self {
        let grad = Tensor::zeros(value.raw_dim());
        Param {
            name,
            value,
            grad,
            grad_max: None,
            trainable: true,
            regularizer: None,
        }
    }

    pub fn len(&self) -> usize {
        self.value.len()
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

pub trait Layer: Send + Sync {
    /// Keras class name, e.g. "Dense".
    fn kind(&self) -> &'static str;

    /// Initialise parameters and buffers for a per-sample input shape;
    /// returns the per-sample output shape.
    fn build(&mut self, input_shape: &[usize], rng: &mut Rng) -> Result<Vec<usize>>;

    /// Per-sample output shape (after `build`).
    fn output_shape(&self) -> &[usize];

    fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor>;

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor>;

    fn params(&self) -> Vec<&Param> {
        Vec::new()
    }

    fn params_mut(&mut self) -> Vec<&mut Param> {
        Vec::new()
    }

    /// `f` on every param, in the order of `params_mut`, stopping at the
    /// first error. Layers with params override it to avoid building the
    /// `Vec` of `params_mut` (the trainer calls it on every batch).
    fn for_each_param_mut<'a>(&'a mut self, f: &mut dyn FnMut(&'a mut Param) -> Result<()>) -> Result<()> {
        self.params_mut().into_iter().try_for_each(f)
    }

    /// Give a stochastic layer (Dropout) its own noise generator. Sequential
    /// calls this with forks of the `Dropout` stream, so inserting a Dropout
    /// layer never changes the initial weights of the other layers.
    fn set_noise(&mut self, _rng: Rng) {}

    /// Whether `backward` must compute dLoss/dInput (default: yes). The model
    /// calls this with `false` on its first layer with parameters, whose input
    /// gradient nobody reads; a layer may then skip that work (Dense skips its
    /// `dx = dZ·Wᵀ` product) and return any tensor from `backward` (see the layer).
    fn set_input_grad_needed(&mut self, _needed: bool) {}

    /// The activation this layer's output comes out of (Dense's own,
    /// Activation's, Softmax), if it ends in one: with it the model can
    /// compute a crossentropy through the logits as Keras does (`losses::logits`).
    fn output_activation(&self) -> Option<Activation> {
        None
    }

    /// `forward` that also returns the values before the output activation
    /// (the logits) when that activation is softmax or sigmoid; otherwise `None`.
    fn forward_with_logits(&mut self, x: &Tensor, training: bool) -> Result<(&Tensor, Option<&Tensor>)> {
        Ok((self.forward(x, training)?, None))
    }

    /// `backward` after `forward_with_logits(_, true)` returned logits, given
    /// dLoss/dLogits instead of dLoss/dOutput: the activation's own derivative
    /// is skipped (the fused loss gradient already includes it).
    fn backward_from_logits(&mut self, _grad_logits: &Tensor) -> Result<&Tensor> {
        Err(Error::State(format!(
            "{} keeps no logits to backpropagate from",
            self.kind()
        )))
    }

    /// The output of the last forward pass while it is kept (the next
    /// layer's input: the model hands it back to that layer's
    /// [`backward_lent`](Layer::backward_lent), so the next layer need not
    /// copy it). `None`: this layer does not keep its output.
    fn output(&self) -> Option<&Tensor> {
        None
    }

    /// From now on the model hands this layer its input back for every
    /// backward pass ([`backward_lent`](Layer::backward_lent)), so a layer
    /// that needs its input there (Dense: `dW = xᵀ·dZ`) need not keep a copy
    /// of it in `forward`; its `backward` without the input then fails.
    fn lend_input(&mut self) {}

    /// `backward` (or, when `from_logits`, `backward_from_logits`) with
    /// `input` = the input of the last forward pass, handed back by the model.
    fn backward_lent(&mut self, _input: &Tensor, grad_out: &Tensor, from_logits: bool) -> Result<&Tensor> {
        match from_logits {
            true => self.backward_from_logits(grad_out),
            false => self.backward(grad_out),
        }
    }

    fn param_count(&self) -> usize {
        self.params().iter().map(|p| p.len()).sum()
    }
}
