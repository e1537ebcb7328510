//! `Flatten`: `[batch, d1, d2, …]` → `[batch, d1·d2·…]` in row-major (NHWC)
//! order, as Keras' `Flatten` with `channels_last`; backward restores the shape.

use serde::{Deserialize, Serialize};

use crate::layers::activation::check_build_shape;
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::relayout::Relayout;
use crate::layers::Layer;
use crate::problem::Problem;
use crate::rng::Rng;
use crate::tensor::{keras_shape, Tensor};
use crate::{Error, Result};

/// `keras.layers.Flatten()`: `(None, d1, d2, …)` → `(None, d1·d2·…)`, no parameters.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct FlattenConfig {}

impl LayerKind for FlattenConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "Flatten",
            doc: "keras.layers.Flatten: turns each sample (e.g. a 28x28x1 image) into one flat row",
            images_only: false,
            args: Vec::new(),
        }
    }

    fn kind(&self) -> &'static str {
        "Flatten"
    }

    fn output_shape(&self, input: &[usize]) -> std::result::Result<Vec<usize>, Problem> {
        flat_size(input).map(|n| vec![n]).ok_or_else(|| {
            Problem::new(
                "",
                format!(
                    "Flatten of {} would have more values per sample than this machine can count: \
                     use a smaller input",
                    keras_shape(input)
                ),
            )
        })
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(Flatten::new())
    }
}

/// The product of the axes, `None` on overflow.
pub(crate) fn flat_size(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d))
}

/// The layer: [`Relayout`] with the flat shape.
#[derive(Clone, Debug)]
pub struct Flatten(Relayout);

impl Flatten {
    pub fn new() -> Flatten {
        Flatten(Relayout::new("Flatten"))
    }
}

impl Default for Flatten {
    fn default() -> Self {
        Flatten::new()
    }
}

impl Layer for Flatten {
    fn kind(&self) -> &'static str {
        "Flatten"
    }

    fn output(&self) -> Option<&Tensor> {
        Some(self.0.output())
    }

    fn build(&mut self, input_shape: &[usize], _rng: &mut Rng) -> Result<Vec<usize>> {
        check_build_shape("Flatten", input_shape)?;
        let n = flat_size(input_shape).ok_or_else(|| {
            Error::Shape(format!(
                "Flatten of {} has too many values per sample",
                keras_shape(input_shape)
            ))
        })?;
        Ok(self.0.build(input_shape, vec![n]))
    }

    fn output_shape(&self) -> &[usize] {
        self.0.output_shape()
    }

    fn forward(&mut self, x: &Tensor, _training: bool) -> Result<&Tensor> {
        self.0.forward(x)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        self.0.backward(grad_out)
    }
}
