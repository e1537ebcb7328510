//! Losses with Keras names, defaults and formulas (`keras/src/losses/losses.py`,
//! `keras/src/backend/*/nn.py`).
//!
//! Every loss is first computed per row (the last axis holds the `k` values
//! of one sample) and then reduced with Keras' default `"sum_over_batch_size"`:
//! `loss = (1/N) Σ_rows row_loss` with `N` the number of rows (the batch size
//! for `[batch, k]` predictions). `ε = 1e-7` is `keras.backend.epsilon()`.
//! `t` is the target row, `p` the prediction row, `x` a logit row.
//!
//! | name | row loss |
//! |------|----------|
//! | `mean_squared_error` | `mean_j (p_j − t_j)²` |
//! | `mean_absolute_error` | `mean_j |p_j − t_j|` |
//! | `huber` | `mean_j h(p_j − t_j)`, `h(e) = ½e²` if `|e| ≤ δ` else `δ·|e| − ½δ²` (δ = `delta`, default 1) |
//! | `categorical_crossentropy` | probabilities: `q = clip(p / Σp, ε, 1−ε)`, `−Σ_j t_j·log q_j`; logits: `−Σ_j t_j·log_softmax(x)_j` |
//! | `sparse_categorical_crossentropy` | the same with `t = one_hot(label)` (targets are class indices) |
//! | `binary_crossentropy` | probabilities: `q = clip(p, ε, 1−ε)`, `mean_j −(t_j·log q_j + (1−t_j)·log(1−q_j))`; logits: `mean_j max(x,0) − x·t + log(1 + e^−|x|)` |
//! | `hinge` | `mean_j max(1 − t_j·p_j, 0)`; if every target in the batch is 0 or 1 they become `2t − 1` |
//! | `categorical_hinge` | `max(neg − pos + 1, 0)`, `pos = Σ t_j p_j`, `neg = max_j (1 − t_j)·p_j` |
//! | `kl_divergence` | `Σ_j t'_j·log(t'_j / p'_j)`, `t' = clip(t, ε, 1)`, `p' = clip(p, ε, 1)` |
//!
//! `label_smoothing` (crossentropies only): categorical `t ← t·(1−s) + s/k`,
//! binary `t ← t·(1−s) + s/2`.
//!
//! Gradients (`dLoss/dp`) are the exact derivatives of these expressions,
//! including the clips (zero gradient where a value was clipped, as for
//! `clip_by_value`) and the normalisation `p / Σp` of categorical crossentropy:
//! with `p̂ = p/S`, `S = Σp`, `g_j = ∂row/∂p̂_j`: `∂row/∂p_i = (g_i − Σ_j g_j·p̂_j) / S`.
//! With logits: `∂row/∂x_i = softmax(x)_i·Σ_j t_j − t_i` (categorical) and
//! `(sigmoid(x_i) − t_i)/k` (binary). These logit forms follow the TensorFlow
//! and JAX backends (no clipping); with probabilities all backends clip.
//! Categorical hinge sends the `neg` gradient to the first maximising index.
//!
//! A crossentropy of a softmax or sigmoid *output* is computed through its
//! logits, unclipped, as Keras (TensorFlow backend) does:
//! see [`Loss::through_logits_of`] and [`Loss::compute_from_logits`] (`logits.rs`).

mod crossentropy;
mod hinge;
mod logits;
mod regression;
mod serde_impl;

use crate::tensor::{ensure_shape, keras_shape, Tensor};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// `keras.backend.epsilon()`.
pub const EPSILON: f32 = 1e-7;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LossName {
    #[serde(alias = "mse")]
    MeanSquaredError,
    #[serde(alias = "mae")]
    MeanAbsoluteError,
    #[serde(alias = "huber_loss")]
    Huber,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    BinaryCrossentropy,
    Hinge,
    CategoricalHinge,
    #[serde(alias = "kld", alias = "kullback_leibler_divergence")]
    KlDivergence,
}

impl LossName {
    pub const ALL: [LossName; 9] = [
        LossName::MeanSquaredError,
        LossName::MeanAbsoluteError,
        LossName::Huber,
        LossName::CategoricalCrossentropy,
        LossName::SparseCategoricalCrossentropy,
        LossName::BinaryCrossentropy,
        LossName::Hinge,
        LossName::CategoricalHinge,
        LossName::KlDivergence,
    ];

    /// Keras name, e.g. "categorical_crossentropy".
    pub fn name(&self) -> &'static str {
        match self {
            LossName::MeanSquaredError => "mean_squared_error",
            LossName::MeanAbsoluteError => "mean_absolute_error",
            LossName::Huber => "huber",
            LossName::CategoricalCrossentropy => "categorical_crossentropy",
            LossName::SparseCategoricalCrossentropy => "sparse_categorical_crossentropy",
            LossName::BinaryCrossentropy => "binary_crossentropy",
            LossName::Hinge => "hinge",
            LossName::CategoricalHinge => "categorical_hinge",
            LossName::KlDivergence => "kl_divergence",
        }
    }

    /// The crossentropies, which accept `from_logits` and (not sparse) `label_smoothing`.
    pub fn is_crossentropy(&self) -> bool {
        matches!(
            self,
            LossName::CategoricalCrossentropy | LossName::SparseCategoricalCrossentropy | LossName::BinaryCrossentropy
        )
    }
}

/// A configured loss. JSON: either a plain string `"categorical_crossentropy"`
/// or `{"name": "...", "from_logits": false, "delta": 1.0, "label_smoothing": 0.0}`
/// (every field but `name` optional; unknown fields are rejected).
#[derive(Clone, Debug, PartialEq)]
pub struct Loss {
    pub name: LossName,
    /// Crossentropies only: `y_pred` holds logits rather than probabilities.
    pub from_logits: bool,
    /// Huber only: the point where the loss turns from quadratic to linear (default 1.0).
    pub delta: f32,
    /// Categorical and binary crossentropy only, in [0, 1] (default 0.0).
    pub label_smoothing: f32,
}

/// One batch flattened to rows of `k` values, handed to the loss kernels.
pub(crate) struct Rows<'a> {
    pub pred: &'a [f32],
    pub truth: &'a [f32],
    pub k: usize,
    /// `1 / rows`, the factor of the "sum_over_batch_size" reduction.
    pub scale: f32,
}

impl Loss {
    pub fn new(name: LossName) -> Loss {
        Loss {
            name,
            from_logits: false,
            delta: 1.0,
            label_smoothing: 0.0,
        }
    }

    /// True only for sparse categorical crossentropy (targets are class indices).
    pub fn uses_sparse_labels(&self) -> bool {
        self.name == LossName::SparseCategoricalCrossentropy
    }

    /// Check the options fit the loss; each message says what to change.
    pub fn validate(&self) -> Result<()> {
        let n = self.name.name();
        if self.from_logits && !self.name.is_crossentropy() {
            return Err(Error::Config(format!(
                "from_logits applies only to the crossentropy losses, not to {n}; remove it"
            )));
        }
        if !(self.delta.is_finite() && self.delta > 0.0) {
            return Err(Error::Config(format!(
                "the huber delta must be a positive number, got {}",
                self.delta
            )));
        }
        if !(0.0..=1.0).contains(&self.label_smoothing) {
            return Err(Error::Config(format!(
                "label_smoothing must be between 0 and 1, got {}",
                self.label_smoothing
            )));
        }
        let smoothable = matches!(
            self.name,
            LossName::CategoricalCrossentropy | LossName::BinaryCrossentropy
        );
        if self.label_smoothing != 0.0 && !smoothable {
            return Err(Error::Config(format!(
                "label_smoothing applies only to categorical_crossentropy and \
                 binary_crossentropy, not to {n}; remove it{}",
                if self.uses_sparse_labels() {
                    " or use categorical_crossentropy with one-hot labels"
                } else {
                    ""
                }
            )));
        }
        Ok(())
    }

    /// Mean loss over the batch as Keras computes it (see the module table).
    /// `y_pred`: `[batch, k]` (or any rank; the last axis is the row).
    /// `y_true`: same shape, or `[batch]` class indices (as f32) for sparse
    /// categorical crossentropy. If `grad` is given, it is resized to
    /// `y_pred`'s shape and receives `dLoss/dy_pred`.
    pub fn compute(&self, y_pred: &Tensor, y_true: &Tensor, grad: Option<&mut Tensor>) -> Result<f32> {
        self.validate()?;
        let k = check_shapes(self, y_pred.shape(), y_true.shape())?;
        let rows = y_pred.len() / k;
        let pred = y_pred.as_standard_layout();
        let truth = y_true.as_standard_layout();
        // Both are standard layout here, so as_slice always succeeds.
        let (Some(pred_s), Some(truth_s)) = (pred.as_slice(), truth.as_slice()) else {
            return Err(Error::Shape("the loss inputs are not contiguous".into()));
        };
        let r = Rows {
            pred: pred_s,
            truth: truth_s,
            k,
            scale: 1.0 / rows as f32,
        };
        let grad_slice = match grad {
            Some(g) => {
                ensure_shape(g, y_pred.shape());
                if g.as_slice_mut().is_none() {
                    *g = Tensor::zeros(y_pred.raw_dim());
                }
                g.as_slice_mut()
            }
            None => None,
        };
        let sum = match self.name {
            LossName::MeanSquaredError => regression::mse(&r, grad_slice),
            LossName::MeanAbsoluteError => regression::mae(&r, grad_slice),
            LossName::Huber => regression::huber(&r, self.delta, grad_slice),
            LossName::CategoricalCrossentropy => {
                crossentropy::categorical(&r, self.from_logits, self.label_smoothing, grad_slice)
            }
            LossName::SparseCategoricalCrossentropy => crossentropy::sparse(&r, self.from_logits, grad_slice)?,
            LossName::BinaryCrossentropy => {
                crossentropy::binary(&r, self.from_logits, self.label_smoothing, grad_slice)
            }
            LossName::Hinge => hinge::hinge(&r, grad_slice),
            LossName::CategoricalHinge => hinge::categorical_hinge(&r, grad_slice),
            LossName::KlDivergence => crossentropy::kl_divergence(&r, grad_slice),
        };
        Ok((sum / rows as f64) as f32)
    }
}

/// Check that the targets fit the predictions; returns `k`, the row length.
/// Like Keras' `squeeze_or_expand_to_same_rank`, a trailing axis of size 1 on
/// either side is ignored (`(None, 1)` predictions with `(None,)` targets).
fn check_shapes(loss: &Loss, pred: &[usize], truth: &[usize]) -> Result<usize> {
    let name = loss.name.name();
    if pred.is_empty() || pred.contains(&0) {
        return Err(Error::Shape(format!(
            "{name} got predictions of shape {pred:?}: the batch is empty or has no outputs"
        )));
    }
    let k = if pred.len() == 1 { 1 } else { pred[pred.len() - 1] };
    let batch_msg = || {
        if truth.first() != pred.first() {
            format!(
                " (the batch has {} predictions but {} targets)",
                pred[0],
                truth.first().copied().unwrap_or(0)
            )
        } else {
            String::new()
        }
    };
    let show = |s: &[usize]| {
        if s.is_empty() {
            "()".to_string()
        } else {
            keras_shape(&s[1..])
        }
    };
    if loss.uses_sparse_labels() {
        let lead = if pred.len() == 1 { pred } else { &pred[..pred.len() - 1] };
        let fits =
            truth == lead || (truth.len() == lead.len() + 1 && &truth[..lead.len()] == lead && truth[lead.len()] == 1);
        if !fits {
            return Err(Error::Shape(format!(
                "{name} expects one integer class index per sample, targets of shape {}, but got {} \
                 for predictions of shape {}{}; for one-hot targets use categorical_crossentropy",
                show(lead),
                show(truth),
                show(pred),
                batch_msg()
            )));
        }
        return Ok(k);
    }
    let squeeze = |s: &[usize]| -> Vec<usize> {
        if s.len() > 1 && s[s.len() - 1] == 1 {
            s[..s.len() - 1].to_vec()
        } else {
            s.to_vec()
        }
    };
    if truth == pred || squeeze(truth) == squeeze(pred) {
        return Ok(k);
    }
    let hint = if squeeze(truth) == pred[..pred.len() - 1] && k > 1 {
        format!(
            "; the targets look like class indices: use sparse_categorical_crossentropy, or \
             one-hot encode the labels for {name}"
        )
    } else if truth.len() == pred.len() && truth.last() != pred.last() {
        format!(
            "; the model outputs {k} values per sample but the targets have {}: set the units \
             of the last Dense layer to {}",
            truth[truth.len() - 1],
            truth[truth.len() - 1]
        )
    } else {
        String::new()
    };
    Err(Error::Shape(format!(
        "{name} needs targets shaped like the predictions {}, but got {}{}{hint}",
        show(pred),
        show(truth),
        batch_msg()
    )))
}

#[cfg(test)]
mod logits_tests;
#[cfg(test)]
mod tests;
