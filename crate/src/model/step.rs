//! One training step of a [`Run`], its reused buffers, and the Keras-style running means.
//!
//! Running means (Keras `Mean` metrics weighted by batch size):
//! `loss = Σ_b n_b·L_b / Σ_b n_b`, `accuracy = Σ correct / Σ n`,
//! `mse = Σ (ŷ−y)² / (Σ n · width)`, `mae = Σ |ŷ−y| / (Σ n · width)`.

use std::collections::BTreeMap;

use ndarray::IxDyn;

use super::logs::BatchLog;
use super::run::Run;
use super::sequential::Sequential;
use crate::data::{Dataset, LabelEncoding, Task};
use crate::metrics::{accuracy_counts, sign_accuracy_counts, sum_absolute_error, sum_squared_error, Metric};
use crate::tensor::{ensure_shape, Tensor};
use crate::{Error, Result};

/// Reused batch buffers: no allocation per batch in the steady state.
pub struct Buffers {
    pub x: Tensor,
    pub y: Tensor,
    pub tmp: Tensor,
    pub grad: Tensor,
}

impl Default for Buffers {
    fn default() -> Self {
        let e = || Tensor::zeros(IxDyn(&[0]));
        Buffers {
            x: e(),
            y: e(),
            tmp: e(),
            grad: e(),
        }
    }
}

/// Targets of `idx` as the loss expects them: one-hot `[b, k]`, sparse
/// `[b]`, regression `[b, dim]`, or — for a 1-unit output on a two-class
/// set (`binary`) — the class column `[b, 1]` with values 0/1 (−1/+1 for `plus_minus_one`).
pub fn gather_targets(ds: &Dataset, idx: &[usize], enc: LabelEncoding, binary: bool, y: &mut Tensor, tmp: &mut Tensor) {
    if binary && ds.task() == Task::Classification {
        let column = if enc == LabelEncoding::PlusMinusOne {
            LabelEncoding::PlusMinusOne
        } else {
            LabelEncoding::Sparse
        };
        ds.gather_y(idx, column, tmp);
        ensure_shape(y, &[idx.len(), 1]);
        for (d, s) in y.iter_mut().zip(tmp.iter()) {
            *d = *s;
        }
    } else {
        ds.gather_y(idx, enc, y);
    }
}

/// Every regularized weight's penalty gradient `l1·sign(w) + 2·l2·w` added to its
/// `grad` (after backward); returns `Σ penalties` (see [`crate::regularizers`]). No allocation.
pub fn add_regularization(model: &mut Sequential) -> Result<f32> {
    let mut total = 0.0f32;
    model.for_each_param_mut(|p| {
        if let Some(r) = p.regularizer {
            let not_contiguous = || Error::State(format!("the {} weights are not a contiguous array", p.name));
            let w = p.value.as_slice().ok_or_else(not_contiguous)?;
            let g = p.grad.as_slice_mut().ok_or_else(not_contiguous)?;
            total += r.add_to_grad(w, g);
            p.grad_max = None;
        }
        Ok(())
    })?;
    Ok(total)
}

/// `Σ penalties` of the model's regularized weights as they are now (Keras adds it to
/// the loss of `evaluate` and of validation too).
pub fn regularization_penalty(model: &Sequential) -> f32 {
    model
        .params()
        .iter()
        .filter_map(|p| Some(p.regularizer?.penalty(p.value.as_slice()?)))
        .sum()
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
    /// `sign`: targets are −1/+1 and accuracy is sign agreement (`plus_minus_one`).
    pub fn measure(metrics: &[Metric], y_pred: &Tensor, y_true: &Tensor, sign: bool) -> Result<BatchStats> {
        let n = y_pred.shape().first().copied().unwrap_or(0);
        let mut s = BatchStats {
            n,
            elems: y_pred.len(),
            ..Default::default()
        };
        for m in metrics {
            match m {
                Metric::Accuracy if sign => (s.correct, s.counted) = sign_accuracy_counts(y_pred, y_true)?,
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

impl Run {
    /// Train on the next batch of the cursor and advance it. On any error
    /// the run is as before this batch.
    pub(super) fn train_one_batch(&mut self) -> Result<BatchLog> {
        self.optimizer.prepare(self.cursor.epoch);
        let lr = self.optimizer.learning_rate();
        let cfg = &self.config;
        let train = &self.data.train;
        let idx = self.cursor.next_batch(train, cfg.seed, cfg.shuffle, cfg.batch_size);
        let ds = train.dataset();
        let b = &mut self.bufs;
        let t = &self.targets;
        ds.gather_x(idx, &mut b.x);
        gather_targets(ds, idx, t.enc, t.binary, &mut b.y, &mut b.tmp);
        let n = idx.len();
        // A softmax / sigmoid output with its crossentropy goes through the logits, as in Keras.
        let (out, logits) = self.model.forward_with_logits(&b.x, true)?;
        let fused = logits.filter(|(act, _)| cfg.loss.through_logits_of(*act));
        let loss = match fused {
            Some((_, z)) => cfg.loss.compute_from_logits(z, &b.y, Some(&mut b.grad))?,
            None => cfg.loss.compute(out, &b.y, Some(&mut b.grad))?,
        };
        let fused = fused.is_some();
        if !loss.is_finite() {
            return Err(Error::Diverged {
                step: self.optimizer.next_step()?,
                loss,
            });
        }
        let stats = BatchStats::measure(&t.metrics, out, &b.y, t.enc == LabelEncoding::PlusMinusOne)?;
        if fused {
            self.model.backward_from_logits(&b.x, &b.grad)?;
        } else {
            self.model.backward(&b.x, &b.grad)?;
        }
        // Keras' compute_loss adds the regularization penalties: the logged loss includes them.
        let loss = loss + add_regularization(&mut self.model)?;
        if !loss.is_finite() {
            return Err(Error::Diverged {
                step: self.optimizer.next_step()?,
                loss,
            });
        }
        let probe = self.probe.is_on();
        if probe {
            self.probe.measure(&mut self.model)?;
        }
        self.optimizer.apply(&mut self.model, loss)?;
        if probe {
            self.probe.commit();
        }
        self.cursor.acc.add(loss, &stats);
        self.monitor.on_batch(loss, self.optimizer.config());
        self.cursor.pos += n;
        // Inserted one by one: `collect` into a BTreeMap allocates a sorting Vec too.
        let mut metrics = BTreeMap::new();
        for m in &self.targets.metrics {
            metrics.insert(m.name().to_string(), stats.value(*m) as f32);
        }
        Ok(BatchLog {
            step: self.optimizer.iterations(),
            epoch: self.cursor.epoch,
            loss,
            metrics,
            lr,
            size: stats.n,
        })
    }
}
