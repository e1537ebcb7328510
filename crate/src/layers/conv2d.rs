//! `Conv2D` on NHWC images, as `keras.layers.Conv2D` with `data_format="channels_last"`:
//! input `[batch, h, w, c]`, kernel `(kh, kw, c, filters)`, bias `[filters]`,
//! output `[batch, out_h, out_w, filters]` with
//!
//! ```text
//! y[b, oy, ox, f] = act( bias[f] + Σ_{dy, dx, c} x[b, oy·sh + dy − pad_top, ox·sw + dx − pad_left, c] · K[dy, dx, c, f] )
//! ```
//!
//! (0 outside the image). Output sizes, per axis of length `n`, window `k`, stride `s`:
//! `valid` → `floor((n − k) / s) + 1`; `same` → `ceil(n / s)`, padded by
//! `max((out − 1)·s + k − n, 0)` split with the extra row/column at the bottom/right
//! (see [`crate::kernels::im2col`]).
//!
//! The convolution itself runs as packed SGEMMs over im2col chunks
//! ([`ConvGemm`]), the bias and an elementwise activation in the GEMM's store;
//! with `dZ = act'(·) ⊙ dLoss/dy` (one pass that also sums `db = Σ_rows dZ`,
//! [`bias_act`]) the layer hands `dZ` to it for `dK` and `dx` (the latter skipped
//! after `set_input_grad_needed(false)`). dK needs the input again: the
//! model hands it back ([`Layer::backward_lent`]), else the layer keeps a
//! copy. Buffers are reused between batches.

use crate::activations::Activation;
use crate::initializers::{compute_fans, Initializer, InitializerConfig};
use crate::kernels::conv::{ConvGemm, COL_BUDGET, DCOL_BUDGET};
use crate::kernels::im2col::{Padding, Window};
use crate::layers::weights::Weights;
use crate::layers::{bias_act, Layer, Param};
use crate::limits::MAX_LAYER_WEIGHTS;
use crate::regularizers::RegularizerConfig;
use crate::rng::Rng;
use crate::tensor::{copy_to, ensure_shape, keras_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;

#[derive(Clone, Debug)]
pub struct Conv2D {
    filters: usize,
    kernel_size: (usize, usize),
    strides: (usize, usize),
    padding: Padding,
    activation: Activation,
    gemm: ConvGemm,
    output_shape: Vec<usize>,
    /// The kernel `K` and the bias, with their options.
    weights: Weights,
    built: bool,
    /// True after `forward(_, true)`: `gemm`, `input` and `out` belong to the same batch.
    ready_for_backward: bool,
    /// Copy of the last training input, unless the model hands the input
    /// back at backward (`input_lent`).
    input: Tensor,
    input_lent: bool,
    out: Tensor,
    col_budget: usize,
    dcol_budget: usize,
    dz: Vec<f32>,
    dx: Tensor,
    input_grad_needed: bool,
}

fn empty() -> Tensor {
    Tensor::zeros(IxDyn(&[0]))
}

fn slice<'a>(t: &'a Tensor, what: &str) -> Result<&'a [f32]> {
    t.as_slice()
        .ok_or_else(|| Error::State(format!("Conv2D: the {what} is not a contiguous array")))
}

impl Conv2D {
    /// Keras' defaults: strides 1, padding "valid", bias on, glorot_uniform / zeros.
    pub fn new(filters: usize, kernel_size: (usize, usize), activation: Activation) -> Conv2D {
        Conv2D::with_options(
            filters,
            kernel_size,
            (1, 1),
            Padding::Valid,
            activation,
            true,
            Initializer::GlorotUniform,
            Initializer::Zeros,
        )
    }

    /// Keras `kernel_regularizer` / `bias_regularizer`: penalties whose gradient the
    /// training step adds (see [`crate::regularizers`]). Set before the layer is built.
    pub fn with_regularizers(self, kernel: Option<RegularizerConfig>, bias: Option<RegularizerConfig>) -> Conv2D {
        Conv2D {
            weights: self.weights.with_regularizers(kernel, bias),
            ..self
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn with_options(
        filters: usize,
        kernel_size: (usize, usize),
        strides: (usize, usize),
        padding: Padding,
        activation: Activation,
        use_bias: bool,
        kernel_initializer: impl Into<InitializerConfig>,
        bias_initializer: impl Into<InitializerConfig>,
    ) -> Conv2D {
        Conv2D {
            filters,
            kernel_size,
            strides,
            padding,
            activation,
            gemm: ConvGemm::default(),
            output_shape: Vec::new(),
            weights: Weights::new(use_bias, kernel_initializer.into(), bias_initializer.into()),
            built: false,
            ready_for_backward: false,
            input: empty(),
            input_lent: false,
            out: empty(),
            col_budget: COL_BUDGET,
            dcol_budget: DCOL_BUDGET,
            dz: Vec::new(),
            dx: empty(),
            input_grad_needed: true,
        }
    }

    pub fn kernel(&self) -> &Param {
        &self.weights.kernel
    }

    pub fn bias(&self) -> Option<&Param> {
        self.weights.bias()
    }

    pub fn window(&self) -> &Window {
        self.gemm.window()
    }

    /// Hold at most `values` column-matrix values at once instead of
    /// [`COL_BUDGET`] (tests use it to exercise several chunks per batch).
    pub fn with_col_budget(mut self, values: usize) -> Conv2D {
        self.col_budget = values;
        self
    }

    /// Make at most `values` input-gradient column values at once instead of
    /// [`DCOL_BUDGET`] (tests use it to exercise several per chunk).
    pub fn with_dcol_budget(mut self, values: usize) -> Conv2D {
        self.dcol_budget = values;
        self
    }

    fn kernel_shape(&self) -> [usize; 4] {
        let (kh, kw) = self.kernel_size;
        [kh, kw, self.window().channels, self.filters]
    }

    fn check_params(&self) -> Result<()> {
        self.weights.check("Conv2D", &self.kernel_shape(), self.filters)
    }

    fn check_input(&self, x: &Tensor) -> Result<()> {
        if !self.built {
            return Err(Error::State(
                "the Conv2D layer must be built before it is called".into(),
            ));
        }
        let w = self.window();
        if x.ndim() != 4 || x.shape()[1..] != [w.in_h, w.in_w, w.channels] {
            return Err(Error::Shape(format!(
                "Conv2D expects inputs of shape {}, got {}",
                keras_shape(&[w.in_h, w.in_w, w.channels]),
                keras_shape(x.shape().get(1..).unwrap_or(&[]))
            )));
        }
        self.check_params()
    }
}

impl Layer for Conv2D {
    fn kind(&self) -> &'static str {
        "Conv2D"
    }

    fn output(&self) -> Option<&Tensor> {
        Some(&self.out)
    }

    fn build(&mut self, input_shape: &[usize], rng: &mut Rng) -> Result<Vec<usize>> {
        let (kh, kw) = self.kernel_size;
        let (sh, sw) = self.strides;
        if self.filters == 0 || kh == 0 || kw == 0 || sh == 0 || sw == 0 {
            return Err(Error::Config(format!(
                "Conv2D needs filters, kernel_size and strides of at least 1, got filters={}, \
                 kernel_size=({kh}, {kw}), strides=({sh}, {sw})",
                self.filters
            )));
        }
        let &[h, w, c] = input_shape else {
            return Err(Error::Config(format!(
                "Conv2D expects images of shape (None, height, width, channels), but its input has shape {}; \
                 remove the Flatten (or Dense) layers before it, or add a Reshape",
                keras_shape(input_shape)
            )));
        };
        if c == 0 {
            return Err(Error::Config("Conv2D got an input with 0 channels".into()));
        }
        let window = Window::new((h, w, c), self.kernel_size, self.strides, self.padding).ok_or_else(|| {
            Error::Config(format!(
                "Conv2D's {kh}×{kw} kernel does not fit the {h}×{w} feature map with padding='{}'; \
                 use padding='same', a smaller kernel_size or fewer pooling layers before it",
                self.padding.name()
            ))
        })?;
        let weights = kh
            .checked_mul(kw)
            .and_then(|v| v.checked_mul(c))
            .and_then(|v| v.checked_mul(self.filters))
            .filter(|&n| n as u64 <= MAX_LAYER_WEIGHTS)
            .ok_or_else(|| {
                Error::Config(format!(
                    "a Conv2D kernel of {kh}×{kw}×{c}×{} would have more than the {MAX_LAYER_WEIGHTS} weights \
                     allowed in one layer; use fewer filters or a smaller kernel_size",
                    self.filters
                ))
            })?;
        debug_assert!(weights > 0);
        self.gemm = ConvGemm::new(window, self.filters, self.col_budget, self.dcol_budget);
        let shape = self.kernel_shape();
        self.weights.build(&shape, compute_fans(&shape), self.filters, rng);
        self.output_shape = vec![window.out_h, window.out_w, self.filters];
        self.ready_for_backward = false;
        self.built = true;
        Ok(self.output_shape.clone())
    }

    fn output_shape(&self) -> &[usize] {
        &self.output_shape
    }

    fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor> {
        self.check_input(x)?;
        let win = *self.window();
        let (batch, f) = (x.shape()[0], self.filters);
        let xs = x.as_standard_layout();
        let xs = xs
            .as_slice()
            .ok_or_else(|| Error::State("Conv2D: the input is not contiguous".into()))?;
        ensure_shape(&mut self.out, &[batch, win.out_h, win.out_w, f]);
        let k = slice(&self.weights.kernel.value, "kernel")?;
        let out = self
            .out
            .as_slice_mut()
            .ok_or_else(|| Error::State("Conv2D output".into()))?;
        let bias = if self.weights.use_bias {
            Some(slice(&self.weights.bias.value, "bias")?)
        } else {
            None
        };
        // Bias and an elementwise activation run in the GEMM's store (bias_act);
        // softmax needs whole rows of filters, so it runs after.
        let elementwise = self.activation.is_elementwise();
        let gemm = &mut self.gemm;
        bias_act::with_store(elementwise.then_some(self.activation), bias, |ep| {
            gemm.forward(xs, k, out, Some(ep))
        });
        if !elementwise {
            self.activation.apply(out, f);
        }
        if training && !self.input_lent {
            ensure_shape(&mut self.input, x.shape());
            copy_to(self.input.view_mut(), x.view());
        }
        self.ready_for_backward = training;
        Ok(&self.out)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        self.backward_pass(None, grad_out)
    }

    fn lend_input(&mut self) {
        self.input_lent = true;
        self.input = empty();
    }

    fn backward_lent(&mut self, input: &Tensor, grad_out: &Tensor, from_logits: bool) -> Result<&Tensor> {
        match from_logits {
            true => self.backward_from_logits(grad_out),
            false => self.backward_pass(Some(input), grad_out),
        }
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

#[path = "conv2d_backward.rs"]
mod backward;

#[cfg(test)]
#[path = "conv2d_tests.rs"]
mod tests;
