//! `Dense`: a fully connected layer, `y = act(x·W + b)` (Keras layout: kernel
//! `W` is `[in, units]`, bias `b` is `[units]`, input `x` is `[batch, in]`).
//!
//! Backward, with `g = dLoss/dy` and `dZ = act'(·) ⊙ g` (row-wise
//! vector–Jacobian product for softmax, see [`Activation`]):
//! `dW = xᵀ·dZ`, `db = Σ_rows dZ`, `dx = dZ·Wᵀ`. All three products go
//! through [`sgemm`]; `dZ` and `db` come from one pass over `g`
//! ([`bias_act::grad_and_bias_sum`]; from the logits `dZ` is `g` itself) and
//! the two gradient products run side by side ([`threads::join_if`], when
//! together they are worth waking the pool: [`parallel_pays`]). `dW`'s store
//! measures its largest `|g|` as each row is stored (and `db`'s is measured
//! after its pass), the bound the optimizer certifies its step with
//! (`Param::grad_max`). Every buffer is reused between batches of the same size.
//! After `set_input_grad_needed(false)` (the model's first trainable layer)
//! `dx` is not computed — a third of the layer's backward arithmetic — and
//! `backward` returns an empty tensor of shape `[0]` instead.
//! In a model, `x` for `dW` is the input the model hands back
//! ([`Layer::backward_lent`]); a Dense used on its own keeps a copy of it.

use crate::activations::{step_has_no_gradient, Activation};
use crate::initializers::{Initializer, InitializerConfig};
use crate::kernels::elementwise::max_magnitude;
use crate::kernels::gemm::{sgemm, sgemm_then};
use crate::kernels::par_threshold::parallel_pays;
use crate::kernels::threads;
use crate::layers::weights::Weights;
use crate::layers::{bias_act, keeps_logits, Layer, Param};
use crate::regularizers::RegularizerConfig;
use crate::rng::Rng;
use crate::tensor::{copy_to, ensure_shape, keras_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;
use std::sync::atomic::{AtomicI32, Ordering};

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
    /// Set while `forward_with_logits` / `backward_from_logits` run.
    keep_logits: bool,
    from_logits: bool,
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
            from_logits: false,
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
        self.backward_given(None, grad_out)
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
        self.backward_lent_or_kept(None, grad_logits, true)
    }

    fn output(&self) -> Option<&Tensor> {
        Some(&self.out)
    }

    fn lend_input(&mut self) {
        self.input_lent = true;
        self.input = empty();
    }

    fn backward_lent(&mut self, input: &Tensor, grad_out: &Tensor, from_logits: bool) -> Result<&Tensor> {
        self.backward_lent_or_kept(Some(input), grad_out, from_logits)
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

impl Dense {
    /// `backward` (from the logits when `from_logits`) with the input handed
    /// back (`Some`) or the copy `forward` kept (`None`).
    fn backward_lent_or_kept(&mut self, input: Option<&Tensor>, grad: &Tensor, from_logits: bool) -> Result<&Tensor> {
        self.from_logits = from_logits;
        let r = self.backward_given(input, grad).map(|_| ());
        self.from_logits = false;
        r?;
        Ok(&self.dx)
    }

    /// The backward pass (see the module doc); `input`: the input of the
    /// last forward pass, or `None` for the copy `forward` kept.
    fn backward_given(&mut self, input: Option<&Tensor>, grad_out: &Tensor) -> Result<&Tensor> {
        if !self.ready_for_backward {
            return Err(Error::State(
                "Dense.backward needs a forward pass in training mode first".into(),
            ));
        }
        if grad_out.shape() != self.out.shape() {
            return Err(Error::Shape(format!(
                "Dense backward: the gradient has shape {:?} but the output has {:?}",
                grad_out.shape(),
                self.out.shape()
            )));
        }
        if !self.activation.has_gradient() && !self.from_logits {
            return Err(step_has_no_gradient());
        }
        self.check_params()?;
        let (batch, n_in, units) = (self.out.shape()[0], self.input_dim, self.units);
        ensure_shape(&mut self.weights.kernel.grad, &[n_in, units]);
        ensure_shape(&mut self.weights.bias.grad, &[units]);
        let g = grad_out.as_standard_layout();
        let g = g
            .as_slice()
            .ok_or_else(|| Error::State("Dense: the gradient is not contiguous".into()))?;
        self.weights.kernel.grad_max = None;
        self.weights.bias.grad_max = None;
        let db = match self.weights.use_bias {
            true => Some(
                self.weights
                    .bias
                    .grad
                    .as_slice_mut()
                    .ok_or_else(|| Error::State("Dense db".into()))?,
            ),
            false => None,
        };
        // dZ = g ⊙ act'(y) and db = Σ_rows dZ in one pass; from the logits dZ is g itself (no copy).
        let dz: &[f32] = if self.from_logits {
            if let Some(db) = db {
                bias_act::bias_sum(g, db);
                self.weights.bias.grad_max = Some(max_magnitude(db));
            }
            g
        } else {
            ensure_shape(&mut self.dz, &[batch, units]);
            let dz = self.dz.as_slice_mut().ok_or_else(|| Error::State("Dense dZ".into()))?;
            bias_act::grad_and_bias_sum(self.activation, slice(&self.out, "output")?, g, dz, db, units)?;
            if let Some(db) = self
                .weights
                .use_bias
                .then(|| self.weights.bias.grad.as_slice())
                .flatten()
            {
                self.weights.bias.grad_max = Some(max_magnitude(db));
            }
            dz
        };
        let x = match input {
            Some(t) => t,
            None if self.input_lent => {
                return Err(Error::State(
                    "Dense.backward: the model hands this layer its input back; call the model's backward".into(),
                ))
            }
            None => &self.input,
        };
        if x.shape() != [batch, n_in] {
            return Err(Error::Shape(format!(
                "Dense backward: the input has shape {:?} but the last forward pass had [{batch}, {n_in}]",
                x.shape()
            )));
        }
        let xs = x.as_standard_layout();
        let x = xs
            .as_slice()
            .ok_or_else(|| Error::State("Dense: the input is not contiguous".into()))?;
        let kgrad = self
            .weights
            .kernel
            .grad
            .as_slice_mut()
            .ok_or_else(|| Error::State("Dense dW".into()))?;
        // dW[in, units] = xᵀ[in, batch] · dZ[batch, units], its largest |g| measured in the store.
        let dw_max = AtomicI32::new(0);
        let measure = |row: &mut [f32], _: usize| {
            dw_max.fetch_max(max_magnitude(row).to_bits() as i32, Ordering::Relaxed);
        };
        let mut dw = move || {
            sgemm_then(
                true,
                false,
                n_in,
                units,
                batch,
                1.0,
                x,
                n_in,
                dz,
                units,
                0.0,
                kgrad,
                units,
                Some(&measure),
            )
        };
        let kernel_max = || Some(f32::from_bits(dw_max.load(Ordering::Relaxed) as u32));
        if !self.input_grad_needed {
            dw();
            self.weights.kernel.grad_max = kernel_max();
            if !self.dx.is_empty() {
                self.dx = empty();
            }
            return Ok(&self.dx);
        }
        ensure_shape(&mut self.dx, &[batch, n_in]);
        let w = slice(&self.weights.kernel.value, "kernel")?;
        let dx = self.dx.as_slice_mut().ok_or_else(|| Error::State("Dense dx".into()))?;
        // dx[batch, in] = dZ[batch, units] · Wᵀ[units, in], beside dW (one parallel region) when the
        // two are worth the pool's wake-up.
        let dx_product = || sgemm(false, true, batch, n_in, units, 1.0, dz, units, w, units, 0.0, dx, n_in);
        let flops = batch.saturating_mul(n_in).saturating_mul(units).saturating_mul(4);
        threads::join_if(parallel_pays(flops), dw, dx_product);
        self.weights.kernel.grad_max = kernel_max();
        Ok(&self.dx)
    }
}

#[cfg(test)]
#[path = "dense_tests.rs"]
mod tests;
