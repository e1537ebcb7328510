//! `Conv2D`'s backward pass (the formulas are in the layer's module doc):
//! `dZ` and `db` in one pass over the gradient, then dK beside dx on the
//! im2col chunks ([`crate::kernels::conv::ConvGemm::backward`]), from the
//! input the model hands back or the copy `forward` kept.

use super::{empty, slice, Conv2D};
use crate::activations::step_has_no_gradient;
use crate::layers::{backward_input, bias_act, check_backward};
use crate::tensor::{ensure_shape, Tensor};
use crate::{Error, Result};

impl Conv2D {
    /// The backward pass (see the module doc); `input`: the input of the last
    /// forward pass as the model hands it back, or `None` for the copy
    /// `forward` kept. Every argument is checked before anything is written.
    pub(super) fn backward_pass(&mut self, input: Option<&Tensor>, grad_out: &Tensor) -> Result<&Tensor> {
        check_backward("Conv2D", self.ready_for_backward, grad_out, &self.out)?;
        if !self.activation.has_gradient() {
            return Err(step_has_no_gradient());
        }
        self.check_params()?;
        let win = *self.window();
        let (batch, f) = (self.out.shape()[0], self.filters);
        let shape = [batch, win.in_h, win.in_w, win.channels];
        let x = backward_input("Conv2D", input, self.input_lent, &self.input, &shape)?;
        let xs = x.as_standard_layout();
        let xs = xs
            .as_slice()
            .ok_or_else(|| Error::State("Conv2D: the input is not contiguous".into()))?;
        let kshape = self.kernel_shape();
        ensure_shape(&mut self.weights.kernel.grad, &kshape);
        ensure_shape(&mut self.weights.bias.grad, &[f]);
        self.dz.resize(batch * win.rows() * f, 0.0);
        let g = grad_out.as_standard_layout();
        let g = g
            .as_slice()
            .ok_or_else(|| Error::State("Conv2D: the gradient is not contiguous".into()))?;
        let db = self.weights.bias_grad_mut("Conv2D")?;
        bias_act::grad_and_bias_sum(self.activation, slice(&self.out, "output")?, g, &mut self.dz, db, f)?;
        let dx = if self.input_grad_needed {
            ensure_shape(&mut self.dx, &shape);
            Some(self.dx.as_slice_mut().ok_or_else(|| Error::State("Conv2D dx".into()))?)
        } else {
            if !self.dx.is_empty() {
                self.dx = empty();
            }
            None
        };
        let k = slice(&self.weights.kernel.value, "kernel")?;
        let kgrad = self
            .weights
            .kernel
            .grad
            .as_slice_mut()
            .ok_or_else(|| Error::State("Conv2D dK".into()))?;
        self.gemm.backward(xs, &self.dz, k, kgrad, dx);
        Ok(&self.dx)
    }
}
