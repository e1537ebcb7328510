//! What is wrong with a run that trains without an error (issue 15.15/15.24):
//! the loss blew up, the model sits at chance, or the loss stopped falling
//! where it started. A [`Monitor`] watches the batch losses and the epoch
//! logs (deterministic: batches, never chunks or time) and keeps the current
//! [`Diagnosis`], with a message in the page's words that says what to change.
//!
//! The rules, checked in this order:
//! - **diverged** (per batch): the smoothed loss `s_t = 0.9·s_{t−1} + 0.1·L_t`
//!   (`s_1 = L_1`), after 10 batches, is more than 10× its lowest value so far
//!   AND above the first batch's loss `L_1` (it grew past where it started:
//!   a healthy run's noise near a tiny loss is not flagged). A non-finite loss
//!   is not a diagnosis: the step fails with `Error::Diverged`.
//! - **chance** (at an epoch's end, classification with `accuracy`): the
//!   epoch's accuracy (`val_accuracy` when there is a validation split, else
//!   `accuracy`) is within 1 point of `1/k` or of one class's share of those
//!   samples (predicting one class scores exactly its share), AND the loss
//!   stopped falling: the epoch's mean loss is not 1% below the first batch's
//!   loss, or changed by less than 1% over the last `w` epochs, where
//!   `w = ⌈50 / batches per epoch⌉` (at least 50 batches: a 1-batch toy epoch
//!   is not compared with the one before it).
//! - **plateau** (at an epoch's end, after `w + 1` epochs): the epoch's mean
//!   loss changed by less than 1% over the last `w` epochs and is still at
//!   least 90% of the first batch's loss (the model learned nothing).
//!
//! The advice compares the learning rate with the optimizer's Keras default
//! `d`: above `10·d` it is "far too high" (try `d`–`10·d`), below `d/100` "very
//! low"; otherwise it points at the output/loss pairing and the input scale.

use serde::Serialize;

use crate::optimizers::OptimizerConfig;

/// What kind of trouble (JSON `"diverged"`, `"chance"`, `"plateau"`).
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosisKind {
    Diverged,
    Chance,
    Plateau,
}

/// The current diagnosis of a run: JSON `{"kind": "chance", "message": "…"}`.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Diagnosis {
    pub kind: DiagnosisKind,
    pub message: String,
}

/// The facts about the run that the epoch-end rules need.
pub struct Facts<'a> {
    pub optimizer: &'a OptimizerConfig,
    /// Each class's share of the samples the accuracy is measured on (empty for regression).
    pub class_shares: Vec<f64>,
    /// The epoch's accuracy (`val_accuracy` if there is one), when measured.
    pub accuracy: Option<f64>,
    /// The epoch mean losses so far, oldest first (`History["loss"]`).
    pub losses: &'a [f64],
    pub batches_per_epoch: usize,
}

const SMOOTHING: f64 = 0.1;
const WARMUP_BATCHES: u64 = 10;
const GROWTH: f64 = 10.0;
const FLAT: f64 = 0.01;
const CHANCE_BAND: f64 = 0.01;
const WINDOW_BATCHES: usize = 50;

/// Watches one run's losses; see the module doc for the rules.
#[derive(Clone, Debug, Default)]
pub struct Monitor {
    batches: u64,
    first: f64,
    smooth: f64,
    lowest: f64,
    current: Option<Diagnosis>,
}

impl Monitor {
    /// The diagnosis as of the last batch or epoch end, if any.
    pub fn current(&self) -> Option<&Diagnosis> {
        self.current.as_ref()
    }

    /// One good batch's loss; `optimizer` only words the advice.
    pub fn on_batch(&mut self, loss: f32, optimizer: &OptimizerConfig) {
        let loss = f64::from(loss);
        self.batches += 1;
        if self.batches == 1 {
            self.first = loss;
            self.smooth = loss;
            self.lowest = f64::INFINITY;
        } else {
            self.smooth = (1.0 - SMOOTHING) * self.smooth + SMOOTHING * loss;
        }
        if self.batches < WARMUP_BATCHES {
            return;
        }
        self.lowest = self.lowest.min(self.smooth);
        let diverged = self.smooth > GROWTH * self.lowest && self.smooth > self.first;
        let was = self.current.as_ref().map(|d| d.kind);
        if diverged && was != Some(DiagnosisKind::Diverged) {
            self.current = Some(Diagnosis {
                kind: DiagnosisKind::Diverged,
                message: format!(
                    "Training diverged: the loss grew to {} (more than 10× its lowest, {}). {}",
                    num(self.smooth),
                    num(self.lowest),
                    advice(optimizer, "Lower the learning rate or clip gradients (clipnorm).")
                ),
            });
        } else if !diverged && was == Some(DiagnosisKind::Diverged) {
            self.current = None;
        }
    }

    /// At an epoch's end: the chance and plateau rules (a divergence stays until the loss comes back).
    pub fn on_epoch_end(&mut self, facts: &Facts) {
        if self.current.as_ref().is_some_and(|d| d.kind == DiagnosisKind::Diverged) || self.batches == 0 {
            return;
        }
        self.current = None;
        let Some(&loss) = facts.losses.last() else { return };
        let window = WINDOW_BATCHES.div_ceil(facts.batches_per_epoch.max(1));
        let prev = facts.losses.len().checked_sub(window + 1).map(|i| facts.losses[i]);
        let flat_since_prev = prev.is_some_and(|p| (loss - p).abs() <= FLAT * p.abs());
        let not_below_start = loss > (1.0 - FLAT) * self.first;
        if let Some(acc) = facts.accuracy.filter(|_| !facts.class_shares.is_empty()) {
            let k = facts.class_shares.len() as f64;
            let near = |share: f64| (acc - share).abs() <= CHANCE_BAND;
            if (near(1.0 / k) || facts.class_shares.iter().any(|&s| near(s))) && (not_below_start || flat_since_prev) {
                self.current = Some(Diagnosis {
                    kind: DiagnosisKind::Chance,
                    message: format!(
                        "The loss is stuck at {} and accuracy at chance ({:.0}%): the model predicts one class. {}",
                        num(loss),
                        acc * 100.0,
                        advice(facts.optimizer, CHECK_SETUP)
                    ),
                });
                return;
            }
        }
        if flat_since_prev && loss >= 0.9 * self.first {
            self.current = Some(Diagnosis {
                kind: DiagnosisKind::Plateau,
                message: format!(
                    "The loss stopped falling at {} (less than 1% change over the last {window} epoch{}), no better than \
                     where it started ({}): the model is not learning. {}",
                    num(loss),
                    if window == 1 { "" } else { "s" },
                    num(self.first),
                    advice(facts.optimizer, CHECK_SETUP)
                ),
            });
        }
    }
}

const CHECK_SETUP: &str = "Check that the output and the loss fit the task (softmax with categorical_crossentropy \
                           for classes), that the inputs are scaled, or try adam.";
const CHECK_SETUP_ADAM: &str = "Check that the output and the loss fit the task (softmax with \
                                categorical_crossentropy for classes) and that the inputs and targets are scaled.";

/// What to change, from the learning rate against the optimizer's Keras default.
fn advice(o: &OptimizerConfig, otherwise: &str) -> String {
    let lr = o.learning_rate();
    let d = OptimizerConfig::from_name(o.name()).map_or(0.001, |c| c.learning_rate());
    let (lo, hi) = (num(f64::from(d)), num(f64::from(d) * 10.0));
    let name = o.name();
    if lr > 10.0 * d {
        format!(
            "The learning rate {} is far too high for {name}; try {lo}–{hi}.",
            num(f64::from(lr))
        )
    } else if lr < d / 100.0 {
        format!(
            "The learning rate {} is very low for {name}; try {lo}–{hi}.",
            num(f64::from(lr))
        )
    } else if otherwise == CHECK_SETUP && name == "adam" {
        CHECK_SETUP_ADAM.to_string()
    } else {
        otherwise.to_string()
    }
}

/// 3 significant digits, without float noise: 14.5, 0.01, 6.02e16.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-4..1e6).contains(&a) {
        let s = format!("{v:.2e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        return format!("{}e{exp}", trim(mantissa));
    }
    trim(&format!(
        "{:.*}",
        (2 - a.log10().floor().max(-4.0) as i32).max(0) as usize,
        v
    ))
}

/// "2.300" → "2.3", "10.0" → "10", "120" → "120".
fn trim(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
#[path = "diagnosis_tests.rs"]
mod tests;
