//! `Activation` layer: applies an [`Activation`] to its input, any shape
//! (softmax over the last axis). Backward uses the derivative written with the
//! output (see `activations`); `step` refuses to backpropagate.

use serde::{Deserialize, Serialize};

use crate::activations::Activation;
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::{check_backward, keeps_logits, Layer};
use crate::problem::Problem;
use crate::rng::Rng;
use crate::spec::{Arg, ArgType};
use crate::tensor::{batch_shape, copy_to, ensure_shape, keras_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;

/// `keras.layers.Activation(activation)`: same shape out, no parameters.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ActivationConfig {
    pub activation: Activation,
}

impl LayerKind for ActivationConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "Activation",
            doc: "keras.layers.Activation: applies an activation function to every value",
            images_only: false,
            args: vec![Arg::required("activation", ArgType::Enum, "the function to apply").choices_from("activations")],
        }
    }

    fn kind(&self) -> &'static str {
        "Activation"
    }

    fn output_shape(&self, input: &[usize]) -> std::result::Result<Vec<usize>, Problem> {
        Ok(input.to_vec())
    }

    fn activation(&self) -> Option<Activation> {
        Some(self.activation)
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(ActivationLayer::new(self.activation))
    }
}

#[derive(Clone, Debug)]
pub struct ActivationLayer {
    kind: &'static str,
    activation: Activation,
    shape: Vec<usize>,
    built: bool,
    out: Tensor,
    dx: Tensor,
    ready_for_backward: bool,
    /// The input of the last `forward_with_logits` (softmax / sigmoid only).
    logits: Tensor,
}

/// Check `x` is `[batch] ++ shape` for a built shape-preserving layer.
pub(crate) fn check_sample_shape(kind: &str, built: bool, shape: &[usize], x: &Tensor) -> Result<()> {
    if !built {
        return Err(Error::State(format!(
            "the {kind} layer must be built before it is called"
        )));
    }
    if x.ndim() != shape.len() + 1 || &x.shape()[1..] != shape {
        return Err(Error::Shape(format!(
            "{kind} expects inputs of shape {}, got {}",
            keras_shape(shape),
            keras_shape(x.shape().get(1..).unwrap_or(&[]))
        )));
    }
    Ok(())
}

/// Check a per-sample shape has no empty axis.
pub(crate) fn check_build_shape(kind: &str, shape: &[usize]) -> Result<()> {
    if shape.contains(&0) {
        return Err(Error::Config(format!(
            "{kind} got an input of shape {} with an empty axis",
            keras_shape(shape)
        )));
    }
    Ok(())
}

impl ActivationLayer {
    pub fn new(activation: Activation) -> ActivationLayer {
        ActivationLayer::with_kind("Activation", activation)
    }

    /// Same layer reported under another Keras class name (used by `Softmax`).
    pub(crate) fn with_kind(kind: &'static str, activation: Activation) -> ActivationLayer {
        let empty = || Tensor::zeros(IxDyn(&[0]));
        ActivationLayer {
            kind,
            activation,
            shape: Vec::new(),
            built: false,
            out: empty(),
            dx: empty(),
            ready_for_backward: false,
            logits: empty(),
        }
    }

    pub fn activation(&self) -> Activation {
        self.activation
    }

    fn row_len(&self) -> usize {
        self.shape.last().copied().unwrap_or(1)
    }
}

impl Layer for ActivationLayer {
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn output(&self) -> Option<&Tensor> {
        Some(&self.out)
    }

    fn build(&mut self, input_shape: &[usize], _rng: &mut Rng) -> Result<Vec<usize>> {
        check_build_shape(self.kind, input_shape)?;
        self.shape = input_shape.to_vec();
        self.built = true;
        self.ready_for_backward = false;
        Ok(self.shape.clone())
    }

    fn output_shape(&self) -> &[usize] {
        &self.shape
    }

    fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor> {
        check_sample_shape(self.kind, self.built, &self.shape, x)?;
        ensure_shape(&mut self.out, x.shape());
        copy_to(self.out.view_mut(), x.view());
        let row = self.row_len();
        let out = self
            .out
            .as_slice_mut()
            .ok_or_else(|| Error::State("activation output".into()))?;
        self.activation.apply(out, row);
        self.ready_for_backward = training;
        Ok(&self.out)
    }

    fn output_activation(&self) -> Option<Activation> {
        Some(self.activation)
    }

    /// Keeps the input (the logits) when the activation is softmax or sigmoid.
    fn forward_with_logits(&mut self, x: &Tensor, training: bool) -> Result<(&Tensor, Option<&Tensor>)> {
        let keep = keeps_logits(self.activation);
        if keep {
            ensure_shape(&mut self.logits, x.shape());
            copy_to(self.logits.view_mut(), x.view());
        }
        self.forward(x, training)?;
        Ok((&self.out, keep.then_some(&self.logits)))
    }

    /// dLoss/dInput is the given dLoss/dLogits itself.
    fn backward_from_logits(&mut self, grad_logits: &Tensor) -> Result<&Tensor> {
        check_backward(self.kind, self.ready_for_backward, grad_logits, &self.out)?;
        ensure_shape(&mut self.dx, grad_logits.shape());
        copy_to(self.dx.view_mut(), grad_logits.view());
        Ok(&self.dx)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        check_backward(self.kind, self.ready_for_backward, grad_out, &self.out)?;
        ensure_shape(&mut self.dx, &batch_shape(grad_out.shape()[0], &self.shape));
        copy_to(self.dx.view_mut(), grad_out.view());
        let row = self.row_len();
        let (Some(y), Some(dx)) = (self.out.as_slice(), self.dx.as_slice_mut()) else {
            return Err(Error::State("activation buffers are not contiguous".into()));
        };
        self.activation.backward_in_place(y, dx, row)?;
        Ok(&self.dx)
    }
}
