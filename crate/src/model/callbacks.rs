//! Callbacks run by a [`Run`](super::Run): Keras' `EarlyStopping`
//! and the events handed to `fit`'s hook.

use std::collections::BTreeMap;

use serde::Serialize;

use super::logs::{BatchLog, EpochLog};
use crate::config::EarlyStoppingConfig;
use crate::tensor::Tensor;
use crate::Result;

/// What `Trainer::fit` reports to its hook after every batch and every
/// epoch; the hook returns `ControlFlow::Break(())` to stop (like setting
/// `model.stop_training` from a Keras callback, but without ending the run:
/// training can resume later).
#[derive(Serialize, Clone, Debug)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TrainEvent {
    Batch(BatchLog),
    EpochEnd(EpochLog),
}

/// Keras `EarlyStopping` (keras/src/callbacks/early_stopping.py), run at
/// each epoch end:
///
/// ```text
/// wait += 1
/// if (current - min_delta·sign) beats best:   # sign = +1 for max, -1 for min
///     best = current; remember weights (restore_best_weights)
///     if baseline is None or current beats baseline: wait = 0
/// elif wait >= patience and epoch > 0: stop
/// ```
/// "beats" is `<` in min mode and `>` in max mode; `auto` picks min for
/// losses/errors (`loss`, `mse`, `mae`, with or without `val_`) and max for
/// `accuracy`. Epochs before `start_from_epoch` are ignored. At the end of
/// training (stopped or not) the best weights are restored when
/// `restore_best_weights` is set and some epoch was monitored (Keras 3).
#[derive(Clone, Debug)]
pub struct EarlyStopping {
    monitor: String,
    minimize: bool,
    /// Signed as Keras does: negative in min mode.
    min_delta: f64,
    patience: u32,
    baseline: Option<f64>,
    restore_best_weights: bool,
    start_from_epoch: u32,
    best: f64,
    wait: u32,
    best_epoch: Option<u32>,
    best_weights: Option<Vec<Tensor>>,
    stopped_epoch: Option<u32>,
    restored_epoch: Option<u32>,
}

/// Why and where EarlyStopping ended (or would have ended) a run, for the
/// page's sentence "Stopped early at epoch 14: val_loss did not improve by
/// more than 0.001 for 5 epochs; best epoch 9 (val_loss 0.123), weights
/// restored from epoch 9". Epochs are 0-based here (Keras' `stopped_epoch`
/// and `best_epoch` attributes); Keras' log lines print them 1-based.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct EarlyStoppingReport {
    pub monitor: String,
    /// `min_delta` as configured (its absolute value).
    pub min_delta: f64,
    pub patience: u32,
    /// The epoch at whose end training stopped; `None` if it ran to `epochs`.
    pub stopped_epoch: Option<u32>,
    /// The epoch with the best monitored value, and that value.
    pub best_epoch: Option<u32>,
    pub best: Option<f64>,
    /// The epoch whose weights the model holds after `restore_best_weights`.
    pub restored_epoch: Option<u32>,
}

pub use crate::config::monitor_minimizes;

impl EarlyStopping {
    pub fn new(cfg: &EarlyStoppingConfig) -> Result<Self> {
        let minimize = monitor_minimizes(&cfg.monitor, cfg.mode)?;
        let d = cfg.min_delta.abs();
        Ok(EarlyStopping {
            monitor: cfg.monitor.clone(),
            minimize,
            min_delta: if minimize { -d } else { d },
            patience: cfg.patience,
            baseline: cfg.baseline,
            restore_best_weights: cfg.restore_best_weights,
            start_from_epoch: cfg.start_from_epoch,
            best: if minimize { f64::INFINITY } else { f64::NEG_INFINITY },
            wait: 0,
            best_epoch: None,
            best_weights: None,
            stopped_epoch: None,
            restored_epoch: None,
        })
    }

    fn improves(&self, value: f64, reference: f64) -> bool {
        if self.minimize {
            value - self.min_delta < reference
        } else {
            value - self.min_delta > reference
        }
    }

    /// Keras `on_epoch_end`. `snapshot` is called only when the weights must
    /// be remembered. Returns `true` when training should stop.
    pub fn on_epoch_end(
        &mut self,
        epoch: u32,
        logs: &BTreeMap<String, f64>,
        snapshot: impl FnOnce() -> Vec<Tensor>,
    ) -> bool {
        let Some(&current) = logs.get(&self.monitor) else {
            return false;
        };
        if epoch < self.start_from_epoch {
            return false;
        }
        let mut snapshot = Some(snapshot);
        if self.restore_best_weights && self.best_weights.is_none() {
            self.best_weights = snapshot.take().map(|f| f());
            self.best_epoch = Some(epoch);
        }
        self.wait += 1;
        if self.improves(current, self.best) {
            self.best = current;
            self.best_epoch = Some(epoch);
            if self.restore_best_weights {
                if let Some(f) = snapshot.take() {
                    self.best_weights = Some(f());
                }
            }
            if self.baseline.is_none_or(|b| self.improves(current, b)) {
                self.wait = 0;
            }
            return false;
        }
        if self.wait >= self.patience && epoch > 0 {
            self.stopped_epoch = Some(epoch);
            return true;
        }
        false
    }

    /// The weights to restore at the end of training (Keras `on_train_end`).
    pub fn take_best_weights(&mut self) -> Option<Vec<Tensor>> {
        if !self.restore_best_weights {
            return None;
        }
        let w = self.best_weights.take();
        if w.is_some() {
            self.restored_epoch = self.best_epoch;
        }
        w
    }

    /// What happened so far, for the page (see [`EarlyStoppingReport`]).
    pub fn report(&self) -> EarlyStoppingReport {
        EarlyStoppingReport {
            monitor: self.monitor.clone(),
            min_delta: self.min_delta.abs(),
            patience: self.patience,
            stopped_epoch: self.stopped_epoch,
            best_epoch: self.best_epoch,
            best: self.best.is_finite().then_some(self.best),
            restored_epoch: self.restored_epoch,
        }
    }

    pub fn best(&self) -> f64 {
        self.best
    }

    /// 0-based epoch of the best monitored value, if any.
    pub fn best_epoch(&self) -> Option<u32> {
        self.best_epoch
    }

    /// 0-based epoch at which training was stopped, if it was.
    pub fn stopped_epoch(&self) -> Option<u32> {
        self.stopped_epoch
    }
}
