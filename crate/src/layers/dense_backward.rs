//! `Dense`'s backward pass (the formulas are in the layer's module doc):
//! `dZ` and `db` in one pass over the gradient, then `dW = xᵀ·dZ` beside
//! `dx = dZ·Wᵀ`, with the gradients' bounds the optimizer certifies with.

use super::{empty, slice, Dense};
use crate::activations::step_has_no_gradient;
use crate::kernels::elementwise::max_magnitude;
use crate::kernels::gemm::{sgemm, sgemm_then};
use crate::kernels::par_threshold::parallel_pays;
use crate::kernels::threads;
use crate::layers::{backward_input, bias_act, check_backward};
use crate::tensor::{ensure_shape, Tensor};
use crate::{Error, Result};
use std::sync::atomic::{AtomicI32, Ordering};

impl Dense {
    /// The backward pass (see [`super`]'s doc), from the logits when
    /// `from_logits` (`grad_out` is then dZ itself); `input`: the input of the
    /// last forward pass as the model hands it back, or `None` for the copy
    /// `forward` kept. Every argument is checked before anything is written.
    pub(super) fn backward_pass(
        &mut self,
        input: Option<&Tensor>,
        grad_out: &Tensor,
        from_logits: bool,
    ) -> Result<&Tensor> {
        check_backward("Dense", self.ready_for_backward, grad_out, &self.out)?;
        if !self.activation.has_gradient() && !from_logits {
            return Err(step_has_no_gradient());
        }
        self.check_params()?;
        let (batch, n_in, units) = (self.out.shape()[0], self.input_dim, self.units);
        let x = backward_input("Dense", input, self.input_lent, &self.input, &[batch, n_in])?;
        let xs = x.as_standard_layout();
        let x = xs
            .as_slice()
            .ok_or_else(|| Error::State("Dense: the input is not contiguous".into()))?;
        ensure_shape(&mut self.weights.kernel.grad, &[n_in, units]);
        ensure_shape(&mut self.weights.bias.grad, &[units]);
        let g = grad_out.as_standard_layout();
        let g = g
            .as_slice()
            .ok_or_else(|| Error::State("Dense: the gradient is not contiguous".into()))?;
        self.weights.kernel.grad_max = None;
        self.weights.bias.grad_max = None;
        let db = self.weights.bias_grad_mut("Dense")?;
        // dZ = g ⊙ act'(y) and db = Σ_rows dZ in one pass; from the logits dZ is g itself (no copy).
        let dz: &[f32] = if from_logits {
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
