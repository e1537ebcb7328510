//! `GlobalAveragePooling2D` (Keras, `channels_last`, `keepdims=False`):
//! `[batch, h, w, c] → [batch, c]`, `y[b, c] = Σ_{i,j} x[b, i, j, c] / (h·w)`;
//! backward `dx[b, i, j, c] = g[b, c] / (h·w)`.

use crate::layers::activation::{check_build_shape, check_sample_shape};
use crate::layers::Layer;
use crate::rng::Rng;
use crate::tensor::{batch_shape, ensure_shape, keras_shape, Tensor};
use crate::{Error, Result};
use ndarray::IxDyn;

#[derive(Clone, Debug)]
pub struct GlobalAveragePooling2D {
    input_shape: Vec<usize>,
    output_shape: Vec<usize>,
    built: bool,
    out: Tensor,
    dx: Tensor,
}

impl GlobalAveragePooling2D {
    pub fn new() -> Self {
        GlobalAveragePooling2D {
            input_shape: Vec::new(),
            output_shape: Vec::new(),
            built: false,
            out: Tensor::zeros(IxDyn(&[0])),
            dx: Tensor::zeros(IxDyn(&[0])),
        }
    }
}

impl Default for GlobalAveragePooling2D {
    fn default() -> Self {
        GlobalAveragePooling2D::new()
    }
}

impl Layer for GlobalAveragePooling2D {
    fn kind(&self) -> &'static str {
        "GlobalAveragePooling2D"
    }

    fn output(&self) -> Option<&Tensor> {
        Some(&self.out)
    }

    fn build(&mut self, input_shape: &[usize], _rng: &mut Rng) -> Result<Vec<usize>> {
        let &[_, _, c] = input_shape else {
            return Err(Error::Config(format!(
                "GlobalAveragePooling2D expects images of shape (None, height, width, channels), \
                 but its input has shape {}",
                keras_shape(input_shape)
            )));
        };
        check_build_shape(self.kind(), input_shape)?;
        self.input_shape = input_shape.to_vec();
        self.output_shape = vec![c];
        self.built = true;
        Ok(self.output_shape.clone())
    }

    fn output_shape(&self) -> &[usize] {
        &self.output_shape
    }

    fn forward(&mut self, x: &Tensor, _training: bool) -> Result<&Tensor> {
        check_sample_shape(self.kind(), self.built, &self.input_shape, x)?;
        let (batch, c) = (x.shape()[0], self.output_shape[0]);
        let n = self.input_shape[0] * self.input_shape[1];
        ensure_shape(&mut self.out, &[batch, c]);
        let xs = x.as_standard_layout();
        let (Some(xs), Some(out)) = (xs.as_slice(), self.out.as_slice_mut()) else {
            return Err(Error::State("GlobalAveragePooling2D buffers are not contiguous".into()));
        };
        for (x, y) in xs.chunks(n * c).zip(out.chunks_mut(c)) {
            y.fill(0.0);
            for cell in x.chunks(c) {
                y.iter_mut().zip(cell).for_each(|(s, v)| *s += v);
            }
            y.iter_mut().for_each(|s| *s /= n as f32);
        }
        Ok(&self.out)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        if !self.built || grad_out.shape() != self.out.shape() {
            return Err(Error::Shape(format!(
                "GlobalAveragePooling2D backward: the gradient has shape {:?} but the output has {:?}",
                grad_out.shape(),
                self.out.shape()
            )));
        }
        let (batch, c) = (grad_out.shape()[0], self.output_shape[0]);
        let n = self.input_shape[0] * self.input_shape[1];
        if self.dx.shape().split_first() != Some((&batch, &self.input_shape[..])) {
            ensure_shape(&mut self.dx, &batch_shape(batch, &self.input_shape));
        }
        let g = grad_out.as_standard_layout();
        let (Some(g), Some(dx)) = (g.as_slice(), self.dx.as_slice_mut()) else {
            return Err(Error::State("GlobalAveragePooling2D buffers are not contiguous".into()));
        };
        for (d, g) in dx.chunks_mut(n * c).zip(g.chunks(c)) {
            for cell in d.chunks_mut(c) {
                cell.iter_mut().zip(g).for_each(|(d, g)| *d = g / n as f32);
            }
        }
        Ok(&self.dx)
    }
}
