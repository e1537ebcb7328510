//! `Dense`: a fully connected layer, `y = act(x·W + b)` (Keras layout: kernel
//! `W` is `[in, units]`, bias `b` is `[units]`, input `x` is `[batch, in]`).
//!
//! Backward (in `dense_backward.rs`), with `g = dLoss/dy` and
//! `dZ = act'(·) ⊙ g` (row-wise vector–Jacobian product for softmax, see
//! [`Activation`]): `dW = xᵀ·dZ`, `db = Σ_rows dZ`, `dx = dZ·Wᵀ`. All three
//! products go through [`crate::kernels::gemm::sgemm`]; `dZ` and `db` come
//! from one pass over `g` ([`bias_act::grad_and_bias_sum`]; from the logits
//! `dZ` is `g` itself) and the two gradient products run side by side
//! ([`crate::kernels::threads::join_if`], when together they are worth waking
//! the pool: [`crate::kernels::par_threshold::parallel_pays`]). `dW`'s store
//! measures its largest `|g|` as each row is stored (and `db`'s is measured
//! after its pass), the bound the optimizer certifies its step with
//! (`Param::grad_max`). Every buffer is reused between batches of the same
//! size. After `set_input_grad_needed(false)` (the model's first trainable
//! layer) `dx` is not computed — a third of the layer's backward arithmetic —
//! and `backward` returns an empty tensor of shape `[0]` instead. In a model,
//! `x` for `dW` is the input the model hands back ([`Layer::backward_lent`]);
//! a Dense used on its own keeps a copy of it.

use crate::activations::Activation;
use crate::initializers::{Initializer, InitializerConfig};
use crate::kernels::gemm::sgemm_then;
use crate::layers::weights::Weights;
use crate::layers::{bias_act, keeps_logits, Layer, Param};
use crate::regularizers::RegularizerConfig;
use crate::rng::Rng;
use crate::tensor::{copy_to, ensure_shape, keras_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;

/// Upper bound on one Dense kernel, so a typo like 1000000 units is an error
/// rather than an out-of-memory crash in the browser.
pub const MAX_DENSE_WEIGHTS: usize = crate::limits::MAX_LAYER_WEIGHTS as usize;

#[derive(Clone, Debug)]
pub struct Dense {
    units: usize,
    activation: Activation,
    input_dim: usize,
    output_shape: Vec<usize>,
    /// The kernel `W` and the bias `b`, with their options.
    weights: Weights,
    built: bool,
    /// Copy of the last training input (for `dW = xᵀ·dZ`), unless the
    /// model hands the input back at backward (`input_lent`).
    input: Tensor,
    input_lent: bool,
    /// True after `forward(_, true)`: `input` and `out` belong to the same batch.
    ready_for_backward: bool,
    out: Tensor,
    /// `x·W + b` before the activation, kept while `forward_with_logits` runs.
    logits: Tensor,
    /// Set while `forward_with_logits` runs.
    keep_logits: bool,
    dz: Tensor,
    dx: Tensor,
    /// False: skip `dx` (see the module doc).
    input_grad_needed: bool,
}

fn empty() -> Tensor {
    Tensor::zeros(IxDyn(&[0]))
}

fn slice<'a>(t: &'a Tensor, what: &str) -> Result<&'a [f32]> {
    t.as_slice()
        .ok_or_else(|| Error::State(format!("Dense: the {what} is not a contiguous array")))
}

impl Dense {
    /// A Dense layer with Keras' defaults: bias on, kernel `glorot_uniform`, bias `zeros`.
    pub fn new(units: usize, activation: Activation) -> Dense {
        Dense::with_options(units, activation, true, Initializer::GlorotUniform, Initializer::Zeros)
    }

    /// Keras `kernel_regularizer` / `bias_regularizer`: penalties whose gradient the
    /// training step adds (see [`crate::regularizers`]). Set before the layer is built.
    pub fn with_regularizers(self, kernel: Option<RegularizerConfig>, bias: Option<RegularizerConfig>) -> Dense {
        Dense {
            weights: self.weights.with_regularizers(kernel, bias),
            ..self
        }
    }

    pub fn with_options(
        units: usize,
        activation: Activation,
        use_bias: bool,
        kernel_initializer: impl Into<InitializerConfig>,
        bias_initializer: impl Into<InitializerConfig>,
    ) -> Dense {
        Dense {
            units,
            activation,
            input_dim: 0,
            output_shape: vec![units],
            weights: Weights::new(use_bias, kernel_initializer.into(), bias_initializer.into()),
            built: false,
            input: empty(),
            input_lent: false,
            ready_for_backward: false,
            out: empty(),
            logits: empty(),
            keep_logits: false,
            dz: empty(),
            dx: empty(),
            input_grad_needed: true,
        }
    }

    pub fn units(&self) -> usize {
        self.units
    }

    pub fn activation(&self) -> Activation {
        self.activation
    }

    pub fn kernel(&self) -> &Param {
        &self.weights.kernel
    }

    pub fn bias(&self) -> Option<&Param> {
        self.weights.bias()
    }

    fn check_input(&self, x: &Tensor) -> Result<()> {
        if !self.built {
            return Err(Error::State("the Dense layer must be built before it is called".into()));
        }
        if x.ndim() != 2 || x.shape()[1] != self.input_dim {
            return Err(Error::Shape(format!(
                "Dense expects inputs of shape {}, got {}",
                keras_shape(&[self.input_dim]),
                keras_shape(x.shape().get(1..).unwrap_or(&[]))
            )));
        }
        self.check_params()
    }

    fn check_params(&self) -> Result<()> {
        self.weights.check("Dense", &[self.input_dim, self.units], self.units)
    }
}

impl Layer for Dense {
    fn kind(&self) -> &'static str {
        "Dense"
    }

    fn build(&mut self, input_shape: &[usize], rng: &mut Rng) -> Result<Vec<usize>> {
        if self.units == 0 {
            return Err(Error::Config("Dense units must be at least 1, got 0".into()));
        }
        if input_shape.len() != 1 {
            return Err(Error::Config(format!(
                "Dense expects a flat input of shape (None, n); add a Flatten layer before it \
                 (the input here has shape {})",
                keras_shape(input_shape)
            )));
        }
        let n_in = input_shape[0];
        if n_in == 0 {
            return Err(Error::Config("Dense got an input with 0 features".into()));
        }
        if n_in.saturating_mul(self.units) > MAX_DENSE_WEIGHTS {
            return Err(Error::Config(format!(
                "a Dense layer with {} units on {n_in} inputs would have {} weights, more than \
                 the {MAX_DENSE_WEIGHTS} allowed in one layer; use fewer units",
                self.units,
                n_in.saturating_mul(self.units)
            )));
        }
        self.weights
            .build(&[n_in, self.units], (n_in, self.units), self.units, rng);
        self.input_dim = n_in;
        self.output_shape = vec![self.units];
        self.ready_for_backward = false;
        self.built = true;
        Ok(self.output_shape.clone())
    }

    fn output_shape(&self) -> &[usize] {
        &self.output_shape
    }

    fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor> {
        self.check_input(x)?;
        let (batch, n_in, units) = (x.shape()[0], self.input_dim, self.units);
        let xs = x.as_standard_layout();
        let x_slice = xs
            .as_slice()
            .ok_or_else(|| Error::State("Dense: the input is not contiguous".into()))?;
        ensure_shape(&mut self.out, &[batch, units]);
        let w = slice(&self.weights.kernel.value, "kernel")?;
        let out = self
            .out
            .as_slice_mut()
            .ok_or_else(|| Error::State("Dense output".into()))?;
        let bias = if self.weights.use_bias {
            Some(slice(&self.weights.bias.value, "bias")?)
        } else {
            None
        };
        // Bias and (unless the logits are kept or it is softmax, which needs
        // whole rows) the activation run in the GEMM's store: `act(x·W + b)`
        // with the same operations as separate passes, while each tile is in L1.
        let fused = !self.keep_logits && self.activation != Activation::Softmax;
        bias_act::with_store(fused.then_some(self.activation), bias, |ep| {
            sgemm_then(
                false,
                false,
                batch,
                units,
                n_in,
                1.0,
                x_slice,
                n_in,
                w,
                units,
                0.0,
                out,
                units,
                Some(ep),
            )
        });
        if self.keep_logits {
            ensure_shape(&mut self.logits, &[batch, units]);
            copy_to(self.logits.view_mut(), self.out.view());
        }
        if !fused {
            let out = self
                .out
                .as_slice_mut()
                .ok_or_else(|| Error::State("Dense output".into()))?;
            self.activation.apply(out, units);
        }
        if training && !self.input_lent {
            ensure_shape(&mut self.input, x.shape());
            copy_to(self.input.view_mut(), x.view());
        }
        self.ready_for_backward = training;
        Ok(&self.out)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        self.backward_pass(None, grad_out, false)
    }

    fn output_activation(&self) -> Option<Activation> {
        Some(self.activation)
    }

    /// Keeps `x·W + b` when the activation is softmax or sigmoid (one copy of the output).
    fn forward_with_logits(&mut self, x: &Tensor, training: bool) -> Result<(&Tensor, Option<&Tensor>)> {
        self.keep_logits = keeps_logits(self.activation);
        let r = self.forward(x, training).map(|_| ());
        let kept = std::mem::take(&mut self.keep_logits);
        r?;
        Ok((&self.out, kept.then_some(&self.logits)))
    }

    /// `backward` with `grad_logits` taken as dZ directly (no activation derivative).
    fn backward_from_logits(&mut self, grad_logits: &Tensor) -> Result<&Tensor> {
        self.backward_pass(None, grad_logits, true)
    }

    fn output(&self) -> Option<&Tensor> {
        Some(&self.out)
    }

    fn lend_input(&mut self) {
        self.input_lent = true;
        self.input = empty();
    }

    fn backward_lent(&mut self, input: &Tensor, grad_out: &Tensor, from_logits: bool) -> Result<&Tensor> {
        self.backward_pass(Some(input), grad_out, from_logits)
    }

    fn set_input_grad_needed(&mut self, needed: bool) {
        self.input_grad_needed = needed;
    }

    fn for_each_param_mut<'a>(&'a mut self, f: &mut dyn FnMut(&'a mut Param) -> Result<()>) -> Result<()> {
        self.weights.for_each_param_mut(f)
    }

    fn params(&self) -> Vec<&Param> {
        self.weights.params()
    }

    fn params_mut(&mut self) -> Vec<&mut Param> {
        self.weights.params_mut()
    }
}

#[path = "dense_backward.rs"]
mod backward;

#[cfg(test)]
#[path = "dense_tests.rs"]
mod tests;
