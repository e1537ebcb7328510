//! A layer's kernel and optional bias, for Dense and Conv2D: their options as
//! Keras names them (`use_bias`, `kernel_initializer`, `bias_initializer`,
//! `kernel_regularizer`, `bias_regularizer`; schema in [`super::weight_options`]),
//! how they are made when the layer is built, checked before use and handed
//! to the optimizer (the kernel, then the bias when there is one).

use crate::initializers::InitializerConfig;
use crate::layers::Param;
use crate::regularizers::RegularizerConfig;
use crate::rng::Rng;
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::IxDyn;

#[derive(Clone, Debug)]
pub(crate) struct Weights {
    pub use_bias: bool,
    kernel_initializer: InitializerConfig,
    bias_initializer: InitializerConfig,
    kernel_regularizer: Option<RegularizerConfig>,
    bias_regularizer: Option<RegularizerConfig>,
    pub kernel: Param,
    /// Shape `[units]`; zeros and never trained or reported when `!use_bias`.
    pub bias: Param,
}

fn empty() -> Tensor {
    Tensor::zeros(IxDyn(&[0]))
}

impl Weights {
    /// Not built yet: empty kernel and bias, no regularizers.
    pub fn new(use_bias: bool, kernel_initializer: InitializerConfig, bias_initializer: InitializerConfig) -> Weights {
        Weights {
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer: None,
            bias_regularizer: None,
            kernel: Param::new("kernel", empty()),
            bias: Param::new("bias", empty()),
        }
    }

    /// Keras `kernel_regularizer` / `bias_regularizer` (set before [`build`](Self::build)).
    pub fn with_regularizers(self, kernel: Option<RegularizerConfig>, bias: Option<RegularizerConfig>) -> Weights {
        Weights {
            kernel_regularizer: kernel,
            bias_regularizer: bias,
            ..self
        }
    }

    /// A fresh kernel of `shape` drawn by its initializer with `fans` (fan in,
    /// fan out), then a bias of `units` values (drawn only when used, as in
    /// Keras, so a layer without bias leaves the random stream where it was),
    /// each with its regularizer.
    pub fn build(&mut self, shape: &[usize], fans: (usize, usize), units: usize, rng: &mut Rng) {
        let mut kernel = Tensor::zeros(IxDyn(shape));
        self.kernel_initializer.fill(&mut kernel, fans.0, fans.1, rng);
        self.kernel = Param::new("kernel", kernel);
        self.kernel.regularizer = self.kernel_regularizer;
        let mut bias = Tensor::zeros(IxDyn(&[units]));
        if self.use_bias {
            self.bias_initializer.fill(&mut bias, units, units, rng);
        }
        self.bias = Param::new("bias", bias);
        self.bias.regularizer = self.bias_regularizer.filter(|_| self.use_bias);
    }

    pub fn bias(&self) -> Option<&Param> {
        self.use_bias.then_some(&self.bias)
    }

    /// The bias gradient to write (`None` without bias); `layer` names the
    /// layer in the error.
    pub fn bias_grad_mut(&mut self, layer: &str) -> Result<Option<&mut [f32]>> {
        if !self.use_bias {
            return Ok(None);
        }
        let db = self.bias.grad.as_slice_mut();
        db.map(Some)
            .ok_or_else(|| Error::State(format!("{layer}: the bias gradient is not contiguous")))
    }

    /// The params are public to the optimizers and the model loader: a
    /// replaced tensor of the wrong shape must be an error, not a panic.
    pub fn check(&self, layer: &str, shape: &[usize], units: usize) -> Result<()> {
        if self.kernel.value.shape() != shape || (self.use_bias && self.bias.value.shape() != [units]) {
            return Err(Error::State(format!(
                "{layer}: the kernel must have shape {shape:?} and the bias [{units}], but they have {:?} and {:?}",
                self.kernel.value.shape(),
                self.bias.value.shape()
            )));
        }
        Ok(())
    }

    /// [`crate::layers::Layer::for_each_param_mut`]: the kernel, then the bias if used.
    pub fn for_each_param_mut<'a>(&'a mut self, f: &mut dyn FnMut(&'a mut Param) -> Result<()>) -> Result<()> {
        f(&mut self.kernel)?;
        if self.use_bias {
            f(&mut self.bias)?;
        }
        Ok(())
    }

    pub fn params(&self) -> Vec<&Param> {
        if self.use_bias {
            vec![&self.kernel, &self.bias]
        } else {
            vec![&self.kernel]
        }
    }

    pub fn params_mut(&mut self) -> Vec<&mut Param> {
        if self.use_bias {
            vec![&mut self.kernel, &mut self.bias]
        } else {
            vec![&mut self.kernel]
        }
    }
}
