//! One optimizer step of the [`Trainer`], and the Keras-style running means.
//!
//! Running means (Keras `Mean` metrics weighted by batch size):
//! `loss = Σ_b n_b·L_b / Σ_b n_b`, `accuracy = Σ correct / Σ n`,
//! `mse = Σ (ŷ−y)² / (Σ n · width)`, `mae = Σ |ŷ−y| / (Σ n · width)`.

use std::collections::BTreeMap;

use ndarray::IxDyn;

use super::callbacks::scheduled_learning_rate;
use super::trainer::{epoch_permutation, BatchLog, Trainer};
use crate::data::{Dataset, LabelEncoding, Task};
use crate::kernels::elementwise::{all_finite, copy};
use crate::metrics::{accuracy_counts, sum_absolute_error, sum_squared_error, Metric};
use crate::optimizers::{OptimizerConfig, OptimizerKind};
use crate::tensor::{ensure_shape, Tensor};
use crate::{Error, Result};

/// Reused batch buffers: no allocation per batch in the steady state.
pub struct Buffers {
    pub x: Tensor,
    pub y: Tensor,
    pub tmp: Tensor,
    pub grad: Tensor,
    /// A param's values before its update, to undo a non-finite update
    /// (as long as the largest param; only its first `len` values are used).
    pub backup: Vec<f32>,
}

impl Default for Buffers {
    fn default() -> Self {
        let e = || Tensor::zeros(IxDyn(&[0]));
        Buffers {
            x: e(),
            y: e(),
            tmp: e(),
            grad: e(),
            backup: Vec::new(),
        }
    }
}

/// Targets of `idx` as the loss expects them: one-hot `[b, k]`, sparse
/// `[b]`, regression `[b, dim]`, or — for a 1-unit output on a two-class
/// set (`binary`) — the class column `[b, 1]` with values 0/1.
pub fn gather_targets(ds: &Dataset, idx: &[usize], enc: LabelEncoding, binary: bool, y: &mut Tensor, tmp: &mut Tensor) {
    if binary && ds.task() == Task::Classification {
        ds.gather_y(idx, LabelEncoding::Sparse, tmp);
        ensure_shape(y, &[idx.len(), 1]);
        for (d, s) in y.iter_mut().zip(tmp.iter()) {
            *d = *s;
        }
    } else {
        ds.gather_y(idx, enc, y);
    }
}

/// Metric sums of one batch.
#[derive(Clone, Copy, Debug, Default)]
pub struct BatchStats {
    pub n: usize,
    pub correct: usize,
    pub counted: usize,
    pub sse: f64,
    pub sae: f64,
    pub elems: usize,
}

impl BatchStats {
    pub fn measure(metrics: &[Metric], y_pred: &Tensor, y_true: &Tensor) -> Result<BatchStats> {
        let n = y_pred.shape().first().copied().unwrap_or(0);
        let mut s = BatchStats {
            n,
            elems: y_pred.len(),
            ..Default::default()
        };
        for m in metrics {
            match m {
                Metric::Accuracy => (s.correct, s.counted) = accuracy_counts(y_pred, y_true)?,
                Metric::Mse => s.sse = sum_squared_error(y_pred, y_true)?,
                Metric::Mae => s.sae = sum_absolute_error(y_pred, y_true)?,
            }
        }
        Ok(s)
    }

    fn value(&self, m: Metric) -> f64 {
        let ratio = |a: f64, b: usize| if b == 0 { 0.0 } else { a / b as f64 };
        match m {
            Metric::Accuracy => ratio(self.correct as f64, self.counted),
            Metric::Mse => ratio(self.sse, self.elems),
            Metric::Mae => ratio(self.sae, self.elems),
        }
    }
}

/// Running sums over an epoch (or an evaluation).
#[derive(Clone, Debug, Default)]
pub struct Accumulator {
    pub loss_sum: f64,
    pub stats: BatchStats,
}

impl Accumulator {
    pub fn add(&mut self, loss: f32, b: &BatchStats) {
        self.loss_sum += f64::from(loss) * b.n as f64;
        let s = &mut self.stats;
        s.n += b.n;
        s.correct += b.correct;
        s.counted += b.counted;
        s.sse += b.sse;
        s.sae += b.sae;
        s.elems += b.elems;
    }

    pub fn loss(&self) -> f64 {
        if self.stats.n == 0 {
            0.0
        } else {
            self.loss_sum / self.stats.n as f64
        }
    }

    /// `{"loss": …, "accuracy": …, …}`.
    pub fn logs(&self, metrics: &[Metric]) -> BTreeMap<String, f64> {
        let mut logs = BTreeMap::new();
        logs.insert("loss".to_string(), self.loss());
        for m in metrics {
            logs.insert(m.name().to_string(), self.stats.value(*m));
        }
        logs
    }
}

/// Set the rate a schedule computed (which may legitimately reach 0 at the
/// end of a cosine decay, so no `> 0` check here).
fn set_scheduled_lr(opt: &mut OptimizerConfig, lr: f32) {
    match &mut opt.kind {
        OptimizerKind::Sgd { learning_rate, .. }
        | OptimizerKind::Adam { learning_rate, .. }
        | OptimizerKind::Rmsprop { learning_rate, .. }
        | OptimizerKind::Adagrad { learning_rate, .. }
        | OptimizerKind::Nadam { learning_rate, .. } => *learning_rate = lr,
    }
}

fn not_contiguous() -> Error {
    Error::State("a parameter tensor is not contiguous in memory".into())
}

impl Trainer {
    /// Train on the next batch of the cursor and advance it.
    pub(super) fn train_one_batch(&mut self) -> Result<BatchLog> {
        let n = self.train.len();
        if self.perm_epoch != Some(self.epoch) {
            self.perm = epoch_permutation(self.config.seed, self.epoch, n, self.config.shuffle);
            self.perm_epoch = Some(self.epoch);
        }
        let end = (self.pos + self.config.batch_size.max(1)).min(n);
        let idx = &self.perm[self.pos..end];
        if let Some(s) = self.config.lr_schedule.as_ref() {
            let lr = scheduled_learning_rate(Some(s), self.opt.learning_rate(), self.step, self.epoch);
            set_scheduled_lr(&mut self.opt, lr);
        }
        let lr = self.opt.learning_rate();
        let b = &mut self.bufs;
        self.train.gather_x(idx, &mut b.x);
        gather_targets(&self.train, idx, self.enc, self.binary, &mut b.y, &mut b.tmp);
        // A softmax / sigmoid output with its crossentropy goes through the logits, as in Keras.
        let (out, logits) = self.model.forward_with_logits(&b.x, true)?;
        let fused = logits.filter(|(act, _)| self.config.loss.through_logits_of(*act));
        let loss = match fused {
            Some((_, z)) => self.config.loss.compute_from_logits(z, &b.y, Some(&mut b.grad))?,
            None => self.config.loss.compute(out, &b.y, Some(&mut b.grad))?,
        };
        let fused = fused.is_some();
        if !loss.is_finite() {
            return Err(Error::Diverged {
                step: self.step + 1,
                loss,
            });
        }
        let stats = BatchStats::measure(&self.metrics, out, &b.y)?;
        if fused {
            self.model.backward_from_logits(&b.grad)?;
        } else {
            self.model.backward(&b.grad)?;
        }
        self.apply_gradients(loss)?;
        self.acc.add(loss, &stats);
        self.pos = end;
        self.last_lr = lr;
        // Inserted one by one: `collect` into a BTreeMap allocates a sorting Vec too.
        let mut metrics = BTreeMap::new();
        for m in &self.metrics {
            metrics.insert(m.name().to_string(), stats.value(*m) as f32);
        }
        Ok(BatchLog {
            step: self.step,
            epoch: self.epoch,
            loss,
            metrics,
            lr,
            size: stats.n,
        })
    }

    /// Clip, update every trainable param, count the step. Non-finite
    /// gradients stop before any change; a param whose update would make it
    /// non-finite keeps its old values and the step is reported as divergence
    /// (so the weights are always finite). Allocates nothing unless gradient
    /// clipping is on (which needs all gradients together).
    fn apply_gradients(&mut self, loss: f32) -> Result<()> {
        let step = self.step;
        let diverged = || Error::Diverged { step: step + 1, loss };
        let finite = |t: &Tensor| t.as_slice().map_or_else(|| t.iter().all(|v| v.is_finite()), all_finite);
        let mut grads_finite = true;
        self.model.for_each_param_mut(|p| {
            grads_finite &= !p.trainable || finite(&p.grad);
            Ok(())
        })?;
        if !grads_finite {
            return Err(diverged());
        }
        let o = &self.opt;
        if [o.clipnorm, o.global_clipnorm, o.clipvalue]
            .iter()
            .any(|c| c.is_some_and(|c| c > 0.0))
        {
            let mut params = self.model.params_mut();
            let mut grads = Vec::with_capacity(params.len());
            for p in params.iter_mut().filter(|p| p.trainable) {
                grads.push(p.grad.as_slice_mut().ok_or_else(not_contiguous)?);
            }
            self.opt.clip(&mut grads);
        }
        self.opt.begin_step(step, &mut self.global);
        let (opt, global, backup) = (&self.opt, &self.global, &mut self.bufs.backup);
        let mut states = self.states.iter_mut();
        self.model.for_each_param_mut(|p| {
            // Params and states pair up in order (as a zip: extra params are left alone).
            let Some(state) = states.next() else { return Ok(()) };
            if !p.trainable {
                return Ok(());
            }
            let value = p.value.as_slice_mut().ok_or_else(not_contiguous)?;
            let grad = p.grad.as_slice().ok_or_else(not_contiguous)?;
            // The scratch only grows (to the largest param), so the steady
            // state neither allocates nor zero-fills; copies run on every thread.
            if backup.len() < value.len() {
                backup.resize(value.len(), 0.0);
            }
            let saved = &mut backup[..value.len()];
            copy(saved, value);
            opt.update(step, global, value, grad, state);
            if !all_finite(value) {
                copy(value, saved);
                return Err(diverged());
            }
            Ok(())
        })?;
        self.step += 1;
        Ok(())
    }
}
