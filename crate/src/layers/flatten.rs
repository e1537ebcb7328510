//! `Flatten`: `[batch, d1, d2, …]` → `[batch, d1·d2·…]` in row-major (NHWC)
//! order, as Keras' `Flatten` with `channels_last`; backward restores the shape.

use serde::{Deserialize, Serialize};

use crate::layers::activation::{check_build_shape, check_sample_shape};
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::Layer;
use crate::problem::Problem;
use crate::rng::Rng;
use crate::tensor::{batch_shape, ensure_shape, keras_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;

/// `keras.layers.Flatten()`: `(None, d1, d2, …)` → `(None, d1·d2·…)`, no parameters.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct FlattenConfig {}

impl LayerKind for FlattenConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "Flatten",
            doc: "keras.layers.Flatten: turns each sample (e.g. a 28x28x1 image) into one flat row",
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

#[derive(Clone, Debug)]
pub struct Flatten {
    input_shape: Vec<usize>,
    output_shape: Vec<usize>,
    built: bool,
    out: Tensor,
    dx: Tensor,
}

impl Flatten {
    pub fn new() -> Flatten {
        Flatten {
            input_shape: Vec::new(),
            output_shape: Vec::new(),
            built: false,
            out: Tensor::zeros(IxDyn(&[0])),
            dx: Tensor::zeros(IxDyn(&[0])),
        }
    }
}

impl Default for Flatten {
    fn default() -> Self {
        Flatten::new()
    }
}

/// Copy `src` into `dst` (same number of elements) in row-major order.
fn copy_flat(src: &Tensor, dst: &mut Tensor) {
    match (src.as_slice(), dst.as_slice_mut()) {
        (Some(s), Some(d)) => d.copy_from_slice(s),
        (_, Some(d)) => d.iter_mut().zip(src.iter()).for_each(|(d, s)| *d = *s),
        _ => dst.iter_mut().zip(src.iter()).for_each(|(d, s)| *d = *s),
    }
}

impl Layer for Flatten {
    fn kind(&self) -> &'static str {
        "Flatten"
    }

    fn build(&mut self, input_shape: &[usize], _rng: &mut Rng) -> Result<Vec<usize>> {
        check_build_shape("Flatten", input_shape)?;
        let n = flat_size(input_shape).ok_or_else(|| {
            Error::Shape(format!(
                "Flatten of {} has too many values per sample",
                keras_shape(input_shape)
            ))
        })?;
        self.input_shape = input_shape.to_vec();
        self.output_shape = vec![n];
        self.built = true;
        Ok(self.output_shape.clone())
    }

    fn output_shape(&self) -> &[usize] {
        &self.output_shape
    }

    fn forward(&mut self, x: &Tensor, _training: bool) -> Result<&Tensor> {
        check_sample_shape("Flatten", self.built, &self.input_shape, x)?;
        // Compared in place: no shape `Vec` per batch in the steady state.
        if self.out.shape().split_first() != Some((&x.shape()[0], &self.output_shape[..])) {
            ensure_shape(&mut self.out, &batch_shape(x.shape()[0], &self.output_shape));
        }
        copy_flat(x, &mut self.out);
        Ok(&self.out)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        if !self.built || grad_out.shape() != self.out.shape() {
            return Err(Error::Shape(format!(
                "Flatten backward: the gradient has shape {:?} but the output has {:?}",
                grad_out.shape(),
                self.out.shape()
            )));
        }
        if self.dx.shape().split_first() != Some((&grad_out.shape()[0], &self.input_shape[..])) {
            ensure_shape(&mut self.dx, &batch_shape(grad_out.shape()[0], &self.input_shape));
        }
        copy_flat(grad_out, &mut self.dx);
        Ok(&self.dx)
    }
}
