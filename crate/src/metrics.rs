//! Metrics, as Keras computes them (keras/src/metrics/, and the resolution of
//! the string "accuracy" in keras/src/trainers/compile_utils.py).
//!
//! The functions return per-batch sums and counts, so that epoch values are
//! exact sample-weighted means however the data is batched.

use crate::error::shape_err;
use crate::tensor::Tensor;
use crate::Result;
use serde::{Deserialize, Serialize};

/// A metric named in `compile(metrics=[...])`. JSON: "accuracy" (or "acc"),
/// "mse" (or "mean_squared_error"), "mae" (or "mean_absolute_error").
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    #[serde(alias = "acc")]
    Accuracy,
    #[serde(alias = "mean_squared_error")]
    Mse,
    #[serde(alias = "mean_absolute_error")]
    Mae,
}

impl Metric {
    /// Every metric, in the order the page lists them.
    pub const ALL: [Metric; 3] = [Metric::Accuracy, Metric::Mse, Metric::Mae];

    /// The key in the training history: "accuracy", "mse", "mae".
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::Mse => "mse",
            Metric::Mae => "mae",
        }
    }
}

/// Rows (samples) and units per row of a prediction tensor: the last axis is
/// the units, every axis before it counts samples; a 1-D tensor is one unit per sample.
fn rows_units(y_pred: &Tensor) -> (usize, usize) {
    match y_pred.shape() {
        [] => (1, 1),
        [n] => (*n, 1),
        s => {
            let k = s[s.len() - 1];
            (y_pred.len().checked_div(k).unwrap_or(0), k)
        }
    }
}

/// Index of the largest value, the first one on ties (numpy/Keras `argmax`);
/// the first NaN if there is one.
fn argmax<'a>(row: impl Iterator<Item = &'a f32>) -> usize {
    let (mut best, mut best_v) = (0, f32::NEG_INFINITY);
    for (i, &v) in row.enumerate() {
        if v.is_nan() {
            return i;
        }
        if v > best_v || i == 0 {
            (best, best_v) = (i, v);
        }
    }
    best
}

/// Accuracy for one output unit with −1/+1 targets (`label_encoding: "plus_minus_one"`):
/// `(ŷ > 0) == (y > 0)`, sign agreement, as the course reads a tanh perceptron's output.
/// (Keras' own "accuracy" would be binary accuracy, `(ŷ > 0.5) == y`, which never matches
/// a −1 target; Gradient Lab documents and uses sign agreement instead.)
pub fn sign_accuracy_counts(y_pred: &Tensor, y_true: &Tensor) -> Result<(usize, usize)> {
    let (rows, k) = rows_units(y_pred);
    if k != 1 || y_true.len() != rows {
        return label_shape_err(y_pred, y_true, "one −1/+1 target per sample for one output unit");
    }
    let correct = y_pred
        .iter()
        .zip(y_true.iter())
        .filter(|(&p, &t)| (p > 0.0) == (t > 0.0))
        .count();
    Ok((correct, rows))
}

/// Keras "accuracy": `(correct, n)` over the `n` samples of a batch.
///
/// - one output unit (`[batch, 1]` or `[batch]`): binary accuracy,
///   `(ŷ > 0.5) == y` with labels 0/1 (`[batch]` or `[batch, 1]`);
/// - k > 1 units and labels of the same shape (one-hot):
///   `argmax(ŷ) == argmax(y)` (categorical accuracy);
/// - k > 1 units and one label per sample (`[batch]` or `[batch, 1]`, class
///   indices): `argmax(ŷ) == y` (sparse categorical accuracy).
pub fn accuracy_counts(y_pred: &Tensor, y_true: &Tensor) -> Result<(usize, usize)> {
    let (rows, k) = rows_units(y_pred);
    if k == 0 {
        return shape_err(format!(
            "accuracy: the predictions {:?} have no output units",
            y_pred.shape()
        ));
    }
    let (p, t) = (y_pred.as_standard_layout(), y_true.as_standard_layout());
    let (p, t) = (p.as_slice().unwrap_or(&[]), t.as_slice().unwrap_or(&[]));
    if k == 1 {
        if t.len() != rows {
            return label_shape_err(y_pred, y_true, "0/1 labels");
        }
        let correct = p
            .iter()
            .zip(t)
            .filter(|(&p, &t)| f32::from(u8::from(p > 0.5)) == t)
            .count();
        return Ok((correct, rows));
    }
    let preds = p.chunks_exact(k).map(|r| argmax(r.iter()));
    let correct = if y_true.shape() == y_pred.shape() {
        preds
            .zip(t.chunks_exact(k))
            .filter(|(c, r)| *c == argmax(r.iter()))
            .count()
    } else if t.len() == rows {
        preds.zip(t).filter(|(c, &l)| *c as f32 == l).count()
    } else {
        return label_shape_err(
            y_pred,
            y_true,
            "one-hot labels of the same shape, or one class index per sample",
        );
    };
    Ok((correct, rows))
}

fn label_shape_err<T>(y_pred: &Tensor, y_true: &Tensor, want: &str) -> Result<T> {
    shape_err(format!(
        "accuracy: predictions of shape {:?} need {want}, but the labels have shape {:?}",
        y_pred.shape(),
        y_true.shape()
    ))
}

/// Shapes equal once trailing axes of size 1 are dropped (`[n]` fits `[n, 1]`).
fn check_same(what: &str, y_pred: &Tensor, y_true: &Tensor) -> Result<()> {
    fn trim(s: &[usize]) -> &[usize] {
        let mut s = s;
        while let [rest @ .., 1] = s {
            s = rest;
        }
        s
    }
    if trim(y_pred.shape()) == trim(y_true.shape()) {
        Ok(())
    } else {
        shape_err(format!(
            "{what}: predictions of shape {:?} and targets of shape {:?} do not match; \
             the targets need one value per output unit",
            y_pred.shape(),
            y_true.shape()
        ))
    }
}

/// `Σ (ŷ − y)²` over all elements, in f64. Divided by the element count it is
/// Keras' "mse" (the mean over the last axis, then over samples).
pub fn sum_squared_error(y_pred: &Tensor, y_true: &Tensor) -> Result<f64> {
    check_same("mse", y_pred, y_true)?;
    Ok(y_pred
        .iter()
        .zip(y_true.iter())
        .map(|(&p, &t)| (p as f64 - t as f64).powi(2))
        .sum())
}

/// `Σ |ŷ − y|` over all elements, in f64 (Keras "mae" times the element count).
pub fn sum_absolute_error(y_pred: &Tensor, y_true: &Tensor) -> Result<f64> {
    check_same("mae", y_pred, y_true)?;
    Ok(y_pred
        .iter()
        .zip(y_true.iter())
        .map(|(&p, &t)| (p as f64 - t as f64).abs())
        .sum())
}

/// The predicted class of each sample: `ŷ > 0.5` for one output unit, else
/// the argmax of the last axis (first maximum on ties).
pub fn predicted_classes(y_pred: &Tensor) -> Vec<usize> {
    let (_, k) = rows_units(y_pred);
    let p = y_pred.as_standard_layout();
    let p = p.as_slice().unwrap_or(&[]);
    match k {
        0 => Vec::new(),
        1 => p.iter().map(|&v| usize::from(v > 0.5)).collect(),
        _ => p.chunks_exact(k).map(|r| argmax(r.iter())).collect(),
    }
}

/// Counts of (true class, predicted class) pairs; row = true, column = predicted.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ConfusionMatrix {
    pub n: usize,
    /// `counts[truth * n + pred]`.
    pub counts: Vec<u64>,
}

impl ConfusionMatrix {
    pub fn new(n: usize) -> Self {
        ConfusionMatrix {
            n,
            counts: vec![0; n * n],
        }
    }

    /// Count one sample. A pair with a class `>= n` is ignored.
    pub fn add(&mut self, truth: usize, pred: usize) {
        if truth < self.n && pred < self.n {
            self.counts[truth * self.n + pred] += 1;
        }
    }

    pub fn get(&self, truth: usize, pred: usize) -> u64 {
        if truth < self.n && pred < self.n {
            self.counts[truth * self.n + pred]
        } else {
            0
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Correct / total (0 when empty).
    pub fn accuracy(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let diag: u64 = (0..self.n).map(|i| self.get(i, i)).sum();
        diag as f64 / total as f64
    }

    /// For each true class, the fraction of its samples predicted as it
    /// (0 for a class without samples, as Keras' `divide_no_nan`).
    pub fn per_class_recall(&self) -> Vec<f64> {
        (0..self.n)
            .map(|i| {
                let row: u64 = (0..self.n).map(|j| self.get(i, j)).sum();
                if row == 0 {
                    0.0
                } else {
                    self.get(i, i) as f64 / row as f64
                }
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;
