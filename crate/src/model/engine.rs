//! ONE training engine for `fit()` (CLI, tests) and for the browser's
//! chunked training (`train_batches(n)` between messages): `fit` is
//! `train_batches(1)` in a loop, so both give bit-identical weights.
//!
//! One optimizer step (Keras `train_step` + `optimizer.apply`):
//! `ŷ = model(x, training)`, `L = loss(y, ŷ)` and `∂L/∂ŷ`; if `L` is not
//! finite → `Error::Diverged` before any weight changes; backward; then the
//! [`Optimizer`](crate::optimizers::Optimizer) clips, updates every
//! trainable param and counts the step — or rolls the whole step back.
//! The batch size of the last batch of an epoch may be smaller (Keras keeps it).

use std::ops::ControlFlow;

use super::callbacks::TrainEvent;
use super::diagnosis::Facts;
use super::history::History;
use super::logs::{ChunkReport, EpochLog};
use super::run::Run;
use crate::Result;

impl Run {
    /// Advance up to `n` batches; stops early at the end of training. An
    /// error (e.g. divergence) after `k` good batches is returned as is;
    /// use [`train_chunk`](Self::train_chunk) to get those `k` batches too.
    pub fn train_batches(&mut self, n: usize) -> Result<ChunkReport> {
        let mut report = self.train_chunk(n);
        match report.error.take() {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Advance up to `n` batches and report them. When a batch fails (the
    /// run is then as before that batch), the report still holds the good
    /// batches before it, and `error` says why it stopped.
    pub fn train_chunk(&mut self, n: usize) -> ChunkReport {
        crate::kernels::threads::on_pool(|| self.train_chunk_here(n))
    }

    /// [`train_chunk`](Self::train_chunk) on the calling thread.
    fn train_chunk_here(&mut self, n: usize) -> ChunkReport {
        let mut report = ChunkReport {
            step: self.step(),
            epoch: self.cursor.epoch,
            batch_in_epoch: 0,
            batches_per_epoch: self.batches_per_epoch(),
            batches: Vec::new(),
            epochs: Vec::new(),
            finished: self.cursor.finished,
            stopped_early: self.cursor.stopped_early,
            early_stopping: None,
            samples: 0,
            error: None,
            diagnosis: None,
        };
        for _ in 0..n {
            if self.cursor.finished {
                break;
            }
            let log = match self.train_one_batch() {
                Ok(log) => log,
                Err(e) => {
                    report.error = Some(e);
                    break;
                }
            };
            report.samples += log.size;
            report.batches.push(log);
            if self.cursor.pos >= self.data.train.len() {
                match self.end_epoch() {
                    Ok(e) => report.epochs.push(e),
                    Err(e) => {
                        report.error = Some(e);
                        break;
                    }
                }
            }
        }
        report.step = self.step();
        report.epoch = self.cursor.epoch;
        report.batch_in_epoch = self.cursor.pos.div_ceil(self.config.batch_size.max(1));
        report.finished = self.cursor.finished;
        report.stopped_early = self.cursor.stopped_early;
        if report.finished {
            report.early_stopping = self.early_stopping_report();
        }
        report.diagnosis = self.monitor.current().cloned();
        report
    }

    /// Validation, History row, EarlyStopping; the cursor moves to the next epoch.
    fn end_epoch(&mut self) -> Result<EpochLog> {
        let mut logs = self.cursor.acc.logs(&self.targets.metrics);
        if let Some(val) = self.data.val.clone() {
            let ev = self.evaluate_view(&val)?;
            logs.insert("val_loss".into(), ev.loss);
            for (k, v) in ev.metrics {
                logs.insert(format!("val_{k}"), v);
            }
        }
        // The rate the epoch's last batch used (Keras logs the optimizer's rate).
        logs.insert("lr".into(), f64::from(self.optimizer.learning_rate()));
        let epoch = self.cursor.epoch;
        self.history.push(epoch, &logs);
        self.diagnose_epoch(&logs);
        let model = &self.model;
        let stop = match self.early.as_mut() {
            Some(es) => es.on_epoch_end(epoch, &logs, || model.weights()),
            None => false,
        };
        self.cursor.next_epoch();
        if stop || self.cursor.epoch >= self.config.epochs {
            self.cursor.finished = true;
            self.cursor.stopped_early = stop;
            if let Some(best) = self.early.as_mut().and_then(|es| es.take_best_weights()) {
                self.model.set_weights(&best)?;
            }
        }
        Ok(EpochLog { epoch, logs })
    }

    /// The epoch-end rules of the diagnosis (`diagnosis.rs`) on this epoch's logs.
    fn diagnose_epoch(&mut self, logs: &std::collections::BTreeMap<String, f64>) {
        let view = self.data.val.as_ref().unwrap_or(&self.data.train);
        let accuracy = logs.get("val_accuracy").or_else(|| logs.get("accuracy")).copied();
        let ds = view.dataset();
        let mut shares = vec![0.0; ds.num_classes().unwrap_or(0)];
        if accuracy.is_some() && !view.is_empty() {
            for i in 0..view.len() {
                if let Some(s) = ds.label(view.index(i)).and_then(|l| shares.get_mut(l as usize)) {
                    *s += 1.0;
                }
            }
            shares.iter_mut().for_each(|s| *s /= view.len() as f64);
        }
        let facts = Facts {
            optimizer: self.optimizer.config(),
            class_shares: shares,
            accuracy,
            losses: self.history.get("loss").unwrap_or(&[]),
            batches_per_epoch: self.data.train.len().div_ceil(self.config.batch_size.max(1)),
        };
        self.monitor.on_epoch_end(&facts);
    }

    /// Train until finished; `on_event` sees every batch and epoch end and
    /// may return `ControlFlow::Break(())` to stop (resumable later).
    pub fn fit(&mut self, mut on_event: impl FnMut(&TrainEvent) -> ControlFlow<()>) -> Result<&History> {
        'outer: while !self.cursor.finished {
            let r = self.train_batches(1)?;
            let events = r
                .batches
                .into_iter()
                .map(TrainEvent::Batch)
                .chain(r.epochs.into_iter().map(TrainEvent::EpochEnd));
            for ev in events {
                if on_event(&ev).is_break() {
                    break 'outer;
                }
            }
        }
        Ok(&self.history)
    }
}
