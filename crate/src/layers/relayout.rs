//! `Relayout`: the part `Flatten` and `Reshape` share — the same values per
//! sample in row-major (NHWC) order under a new shape. Forward copies the
//! input into the output shape, backward copies the gradient back into the
//! input shape; both buffers are reused across batches (no allocation in
//! the steady state).

use crate::layers::activation::check_sample_shape;
use crate::tensor::{batch_shape, ensure_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;

#[derive(Clone, Debug)]
pub(crate) struct Relayout {
    kind: &'static str,
    input_shape: Vec<usize>,
    output_shape: Vec<usize>,
    built: bool,
    out: Tensor,
    dx: Tensor,
}

impl Relayout {
    pub(crate) fn new(kind: &'static str) -> Relayout {
        Relayout {
            kind,
            input_shape: Vec::new(),
            output_shape: Vec::new(),
            built: false,
            out: Tensor::zeros(IxDyn(&[0])),
            dx: Tensor::zeros(IxDyn(&[0])),
        }
    }

    /// Fixes the per-sample shapes (the caller checked they hold the same number of values).
    pub(crate) fn build(&mut self, input_shape: &[usize], output_shape: Vec<usize>) -> Vec<usize> {
        self.input_shape = input_shape.to_vec();
        self.output_shape = output_shape;
        self.built = true;
        self.output_shape.clone()
    }

    pub(crate) fn output_shape(&self) -> &[usize] {
        &self.output_shape
    }

    pub(crate) fn forward(&mut self, x: &Tensor) -> Result<&Tensor> {
        check_sample_shape(self.kind, self.built, &self.input_shape, x)?;
        // Compared in place: no shape `Vec` per batch in the steady state.
        if self.out.shape().split_first() != Some((&x.shape()[0], &self.output_shape[..])) {
            ensure_shape(&mut self.out, &batch_shape(x.shape()[0], &self.output_shape));
        }
        copy_values(x, &mut self.out);
        Ok(&self.out)
    }

    /// The output of the last forward pass.
    pub(crate) fn output(&self) -> &Tensor {
        &self.out
    }

    pub(crate) fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        if !self.built || grad_out.shape() != self.out.shape() {
            return Err(Error::Shape(format!(
                "{} backward: the gradient has shape {:?} but the output has {:?}",
                self.kind,
                grad_out.shape(),
                self.out.shape()
            )));
        }
        if self.dx.shape().split_first() != Some((&grad_out.shape()[0], &self.input_shape[..])) {
            ensure_shape(&mut self.dx, &batch_shape(grad_out.shape()[0], &self.input_shape));
        }
        copy_values(grad_out, &mut self.dx);
        Ok(&self.dx)
    }
}

/// Copies `src` into `dst` (same number of values) in row-major order.
fn copy_values(src: &Tensor, dst: &mut Tensor) {
    match (src.as_slice(), dst.as_slice_mut()) {
        (Some(s), Some(d)) => d.copy_from_slice(s),
        _ => dst.iter_mut().zip(src.iter()).for_each(|(d, s)| *d = *s),
    }
}
