//! Crossentropy of a softmax or sigmoid output computed through its logits,
//! as Keras does with the TensorFlow backend.
//!
//! Keras 3's TensorFlow `softmax(x)` and `sigmoid(x)` (`keras/src/backend/tensorflow/nn.py`)
//! store their input on the output tensor (`output._keras_logits = x`). Every
//! softmax or sigmoid a model computes goes through them: `Dense(activation=
//! "softmax")`, `Activation("softmax")` and the `Softmax` layer alike (and the
//! sigmoid forms). The crossentropies then call `_get_logits(output, …)`: if
//! the output carries `_keras_logits` (or, in a traced graph, is produced by a
//! `Softmax` / `Sigmoid` op) they use those logits and `from_logits = True`.
//! `_get_logits` does not ask which activation stored them, so a sigmoid
//! output with a categorical crossentropy is computed as softmax logits, and a
//! softmax output with binary crossentropy as sigmoid logits (Keras 2's
//! `backend.categorical_crossentropy` had the same rule):
//!
//! | loss | output made by | computed as (TF) |
//! |------|----------------|------------------|
//! | `categorical_crossentropy` | softmax or sigmoid | `softmax_cross_entropy_with_logits(t, z)` = `−Σ_j t_j·log_softmax(z)_j` |
//! | `sparse_categorical_crossentropy` | softmax or sigmoid | `sparse_softmax_cross_entropy_with_logits(c, z)` = `−log_softmax(z)_c` |
//! | `binary_crossentropy` | sigmoid or softmax | `sigmoid_cross_entropy_with_logits(t, z)` = `max(z,0) − z·t + log(1 + e^−|z|)` |
//!
//! No probability is clipped on that path, so a saturated output keeps an
//! unbounded loss and the gradient `dLoss/dz = softmax(z) − t` (sigmoid:
//! `σ(z) − t`, over the row length), where the clipped form
//! `−log clip(p, ε, 1−ε)` caps the loss at `−ln ε ≈ 16.12` and has a zero
//! gradient once the true class's probability is below `ε = 1e-7`.
//! A user's `from_logits = True` on such an output is overridden (Keras warns
//! "received `from_logits=True`, but the `output` argument was produced by a
//! Softmax activation"). Every other pairing — another loss, another output
//! activation (linear, relu, …), or probabilities given directly — keeps the
//! formulas of the parent module (clipped with probabilities).
//!
//! The model side: an output layer whose activation is softmax or sigmoid
//! keeps its pre-activation `z`; when [`Loss::through_logits_of`] says so the
//! trainer calls [`Loss::compute_from_logits`] on `z` and backpropagates the
//! returned `dLoss/dz` from the layer's pre-activation (skipping the
//! activation's own derivative, which the fused gradient already contains).

use super::Loss;
use crate::activations::Activation;
use crate::tensor::Tensor;
use crate::Result;

impl Loss {
    /// Keras' `_get_logits` rule: true when this loss, applied to an output
    /// produced by `output_activation`, is computed from that activation's
    /// input (the logits) — any crossentropy after a softmax or a sigmoid
    /// (the two activations that store `_keras_logits`).
    pub fn through_logits_of(&self, output_activation: Activation) -> bool {
        self.name.is_crossentropy() && matches!(output_activation, Activation::Softmax | Activation::Sigmoid)
    }

    /// The loss of an output `softmax(z)` or `sigmoid(z)` computed from its
    /// logits `z` (see the module table), for a loss where
    /// [`through_logits_of`](Self::through_logits_of) holds. Label smoothing
    /// applies as usual. If `grad` is given it receives `dLoss/dz` — the
    /// gradient at the activation's input, not at its output.
    pub fn compute_from_logits(&self, logits: &Tensor, y_true: &Tensor, grad: Option<&mut Tensor>) -> Result<f32> {
        let fused = Loss {
            from_logits: true,
            ..self.clone()
        };
        fused.compute(logits, y_true, grad)
    }
}
