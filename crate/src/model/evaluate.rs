//! Keras `evaluate` and `predict` on a [`Run`]'s model: inference mode
//! (no dropout), batches of the config's `batch_size`, loss and metrics as
//! batch-size-weighted means (see [`super::step`]), plus — for
//! classification — the confusion matrix and every sample's predicted class
//! (argmax, or `ŷ > 0.5` for a single sigmoid-like unit as Keras'
//! binary accuracy thresholds it). The loss includes the weights'
//! regularization penalties, as Keras' `evaluate` and `val_loss`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::run::Run;
use super::step::{gather_targets, regularization_penalty, Accumulator, BatchStats, Buffers};
use crate::data::{DataView, Dataset, LabelEncoding};
use crate::metrics::{predicted_classes, ConfusionMatrix};
use crate::tensor::Tensor;
use crate::{Error, Result};

#[derive(Serialize, Clone, Debug)]
pub struct Evaluation {
    pub loss: f64,
    /// `"accuracy"`, `"mse"`, `"mae"` as configured.
    pub metrics: BTreeMap<String, f64>,
    pub samples: usize,
    /// Rows = true class, columns = predicted (classification only).
    pub confusion: Option<ConfusionMatrix>,
    /// Predicted class of every sample, in dataset order (classification only).
    pub predicted: Vec<u32>,
}

/// Classes of a batch of outputs: `ŷ > 0.5` for one unit, else argmax.
pub fn classes_of(y_pred: &Tensor) -> Vec<usize> {
    if y_pred.ndim() == 2 && y_pred.shape()[1] == 1 {
        y_pred.iter().map(|&v| usize::from(v > 0.5)).collect()
    } else {
        predicted_classes(y_pred)
    }
}

/// Classes of a 1-unit output with −1/+1 targets: `ŷ > 0` (sign agreement).
pub fn sign_classes_of(y_pred: &Tensor) -> Vec<usize> {
    y_pred.iter().map(|&v| usize::from(v > 0.0)).collect()
}

impl Run {
    /// Loss, metrics, confusion matrix and predicted classes on `ds`.
    pub fn evaluate(&mut self, ds: &Dataset) -> Result<Evaluation> {
        self.evaluate_rows(ds, ds.len(), |i| i)
    }

    /// [`evaluate`](Self::evaluate) on a view (e.g. the validation tail).
    pub fn evaluate_view(&mut self, view: &DataView) -> Result<Evaluation> {
        self.evaluate_rows(view.dataset(), view.len(), |i| view.index(i))
    }

    /// Evaluate on the samples `index(0..n)` of `ds`, in that order.
    fn evaluate_rows(&mut self, ds: &Dataset, n: usize, index: impl Fn(usize) -> usize) -> Result<Evaluation> {
        let own = self.data.train.dataset();
        if ds.sample_shape != own.sample_shape || ds.num_classes() != own.num_classes() {
            return Err(Error::Data(format!(
                "cannot evaluate on {}: its samples {:?} / classes {:?} differ from the training set's {:?} / {:?}",
                ds.name,
                ds.sample_shape,
                ds.num_classes(),
                own.sample_shape,
                own.num_classes()
            )));
        }
        let bs = self.config.batch_size.max(1);
        let mut bufs = std::mem::take(&mut self.bufs);
        let mut acc = Accumulator::default();
        let classes = ds.num_classes();
        let mut confusion = classes.map(ConfusionMatrix::new);
        let mut predicted = Vec::with_capacity(if classes.is_some() { n } else { 0 });
        let mut idx: Vec<usize> = Vec::with_capacity(bs.min(n));
        let mut result = Ok(());
        for start in (0..n).step_by(bs) {
            idx.clear();
            idx.extend((start..(start + bs).min(n)).map(&index));
            let r = self.eval_batch(ds, &idx, &mut bufs, &mut acc, confusion.as_mut(), &mut predicted);
            if let Err(e) = r {
                result = Err(e);
                break;
            }
        }
        self.bufs = bufs;
        result?;
        // Keras' test_step goes through compute_loss too: the penalties are in the evaluated loss.
        let penalty = f64::from(regularization_penalty(&self.model));
        Ok(Evaluation {
            loss: acc.loss() + penalty,
            metrics: acc
                .logs(&self.targets.metrics)
                .into_iter()
                .filter(|(k, _)| k != "loss")
                .collect(),
            samples: n,
            confusion,
            predicted,
        })
    }

    fn eval_batch(
        &mut self,
        ds: &Dataset,
        idx: &[usize],
        b: &mut Buffers,
        acc: &mut Accumulator,
        confusion: Option<&mut ConfusionMatrix>,
        predicted: &mut Vec<u32>,
    ) -> Result<()> {
        ds.gather_x(idx, &mut b.x);
        let t = &self.targets;
        gather_targets(ds, idx, t.enc, t.binary, &mut b.y, &mut b.tmp);
        let (out, logits) = self.model.forward_with_logits(&b.x, false)?;
        let loss = match logits.filter(|(act, _)| self.config.loss.through_logits_of(*act)) {
            Some((_, z)) => self.config.loss.compute_from_logits(z, &b.y, None)?,
            None => self.config.loss.compute(out, &b.y, None)?,
        };
        let sign = t.enc == LabelEncoding::PlusMinusOne;
        let stats = BatchStats::measure(&t.metrics, out, &b.y, sign)?;
        acc.add(loss, &stats);
        if let Some(cm) = confusion {
            let classes = if sign { sign_classes_of(out) } else { classes_of(out) };
            for (&i, c) in idx.iter().zip(classes) {
                if let Some(t) = ds.label(i) {
                    cm.add(t as usize, c);
                }
                predicted.push(c as u32);
            }
        }
        Ok(())
    }

    /// [`evaluate`](Self::evaluate) on the test set given to `new`, if any.
    pub fn evaluate_test(&mut self) -> Result<Option<Evaluation>> {
        let Some(test) = self.data.test.clone() else {
            return Ok(None);
        };
        self.evaluate(&test).map(Some)
    }

    /// Keras `predict`: outputs for `x` (`[n] ++ input_shape`), no dropout.
    pub fn predict(&mut self, x: &Tensor) -> Result<Tensor> {
        let bs = self.config.batch_size;
        self.model.predict(x, bs)
    }
}
