//! [`Trainer`]: ONE training engine for `fit()` (CLI, tests) and for the
//! browser's chunked training (`train_batches(n)` from an animation frame).
//!
//! Determinism: the state that decides the next batch is a cursor
//! `(epoch, position in that epoch's permutation)` plus the weights and
//! optimizer state; epoch `e`'s order is a permutation drawn from
//! `Rng::stream(seed ⊕ mix(e), Shuffle)` (identity when `shuffle` is false),
//! so the result does not depend on how the batches are grouped into chunks.
//!
//! One optimizer step (Keras `train_step` + `optimizer.apply`):
//! `ŷ = model(x, training)`, `L = loss(y, ŷ)` and `∂L/∂ŷ`; if `L` is not
//! finite → `Error::Diverged` before any weight changes; backward; clip;
//! `begin_step(t)`; `update` every trainable param; `t += 1`.
//! The batch size of the last batch of an epoch may be smaller (Keras keeps it).

use std::ops::ControlFlow;

use super::callbacks::{EarlyStopping, TrainEvent};
use super::history::History;
pub use super::logs::{BatchLog, ChunkReport, EpochLog};
use super::sequential::Sequential;
use super::step::{Accumulator, Buffers};
use crate::config::ExperimentConfig;
use crate::data::{Dataset, LabelEncoding};
use crate::metrics::Metric;
use crate::optimizers::{GlobalState, OptimizerConfig, ParamState};
use crate::rng::{Rng, Stream};
use crate::{Error, Result};

pub struct Trainer {
    pub(super) config: ExperimentConfig,
    pub(super) train: Dataset,
    pub(super) val: Option<Dataset>,
    pub(super) test: Option<Dataset>,
    pub(super) model: Sequential,
    pub(super) opt: OptimizerConfig,
    pub(super) states: Vec<ParamState>,
    pub(super) global: GlobalState,
    pub(super) enc: LabelEncoding,
    /// 1-unit output on a 2-class set: targets are the label column `[b, 1]`.
    pub(super) binary: bool,
    pub(super) metrics: Vec<Metric>,
    pub(super) step: u64,
    pub(super) epoch: u32,
    pub(super) pos: usize,
    pub(super) perm: Vec<usize>,
    pub(super) perm_epoch: Option<u32>,
    pub(super) acc: Accumulator,
    pub(super) last_lr: f32,
    pub(super) history: History,
    pub(super) early: Option<EarlyStopping>,
    pub(super) finished: bool,
    pub(super) stopped_early: bool,
    pub(super) bufs: Buffers,
}

/// Epoch `e`'s batch order (see the module doc).
pub fn epoch_permutation(seed: u64, epoch: u32, n: usize, shuffle: bool) -> Vec<usize> {
    if !shuffle {
        return (0..n).collect();
    }
    let mixed = seed ^ (u64::from(epoch) + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
    Rng::stream(mixed, Stream::Shuffle).permutation(n)
}

impl Trainer {
    /// Validate `config` against `train`, split off the validation tail
    /// (Keras `validation_split`), and build the model from the seed.
    pub fn new(config: ExperimentConfig, train: Dataset, test: Option<Dataset>) -> Result<Trainer> {
        config.validate(&train)?;
        let (train, val) = if config.validation_split > 0.0 {
            let (t, v) = train.split_tail(config.validation_split)?;
            (t, Some(v))
        } else {
            (train, None)
        };
        let model = Sequential::new(&train.sample_shape, &config.layers, config.seed)?;
        let binary = train.num_classes().is_some() && model.output_shape() == [1];
        let metrics = config.effective_metrics(train.task());
        let mut t = Trainer {
            enc: config.effective_label_encoding(),
            opt: config.optimizer.clone(),
            last_lr: config.optimizer.learning_rate(),
            early: None,
            config,
            train,
            val,
            test,
            model,
            states: Vec::new(),
            global: GlobalState::default(),
            binary,
            metrics,
            step: 0,
            epoch: 0,
            pos: 0,
            perm: Vec::new(),
            perm_epoch: None,
            acc: Accumulator::default(),
            history: History::new(),
            finished: false,
            stopped_early: false,
            bufs: Buffers::default(),
        };
        t.reset_state()?;
        Ok(t)
    }

    /// Optimizer state, callbacks, history and cursor back to the start.
    fn reset_state(&mut self) -> Result<()> {
        self.opt = self.config.optimizer.clone();
        self.last_lr = self.opt.learning_rate();
        self.states = self
            .model
            .params()
            .iter()
            .map(|p| self.opt.init_state(p.len()))
            .collect();
        self.global = self.opt.init_global();
        self.early = self
            .config
            .early_stopping
            .as_ref()
            .map(EarlyStopping::new)
            .transpose()?;
        self.step = 0;
        self.epoch = 0;
        self.history.clear();
        self.reset_cursor();
        Ok(())
    }

    /// Back to the start of the current epoch, nothing accumulated.
    pub(super) fn reset_cursor(&mut self) {
        self.pos = 0;
        self.perm_epoch = None;
        self.acc = Accumulator::default();
        self.finished = false;
        self.stopped_early = false;
    }

    /// Fresh weights from the same seed, history cleared, cursor at 0.
    pub fn reset(&mut self) -> Result<()> {
        self.model = Sequential::new(&self.train.sample_shape, &self.config.layers, self.config.seed)?;
        self.reset_state()
    }

    pub fn batches_per_epoch(&self) -> usize {
        self.train.len().div_ceil(self.config.batch_size.max(1))
    }

    /// Advance up to `n` batches (see the module doc); stops early at the
    /// end of training.
    pub fn train_batches(&mut self, n: usize) -> Result<ChunkReport> {
        let mut report = ChunkReport {
            step: self.step,
            epoch: self.epoch,
            batch_in_epoch: 0,
            batches_per_epoch: self.batches_per_epoch(),
            batches: Vec::new(),
            epochs: Vec::new(),
            finished: self.finished,
            stopped_early: self.stopped_early,
            samples: 0,
        };
        for _ in 0..n {
            if self.finished {
                break;
            }
            let log = self.train_one_batch()?;
            report.samples += log.size;
            report.batches.push(log);
            if self.pos >= self.train.len() {
                report.epochs.push(self.end_epoch()?);
            }
        }
        report.step = self.step;
        report.epoch = self.epoch;
        report.batch_in_epoch = self.pos.div_ceil(self.config.batch_size.max(1));
        report.finished = self.finished;
        report.stopped_early = self.stopped_early;
        Ok(report)
    }

    /// Validation, History row, EarlyStopping; the cursor moves to the next epoch.
    fn end_epoch(&mut self) -> Result<EpochLog> {
        let mut logs = self.acc.logs(&self.metrics);
        if let Some(val) = self.val.take() {
            let ev = self.evaluate(&val);
            self.val = Some(val);
            let ev = ev?;
            logs.insert("val_loss".into(), ev.loss);
            for (k, v) in ev.metrics {
                logs.insert(format!("val_{k}"), v);
            }
        }
        logs.insert("lr".into(), f64::from(self.last_lr));
        let epoch = self.epoch;
        self.history.push(epoch, &logs);
        let model = &self.model;
        let stop = match self.early.as_mut() {
            Some(es) => es.on_epoch_end(epoch, &logs, || model.weights()),
            None => false,
        };
        self.epoch += 1;
        self.pos = 0;
        self.acc = Accumulator::default();
        if stop || self.epoch >= self.config.epochs {
            self.finished = true;
            self.stopped_early = stop;
            if let Some(best) = self.early.as_mut().and_then(|es| es.take_best_weights()) {
                self.model.set_weights(&best)?;
            }
        }
        Ok(EpochLog { epoch, logs })
    }

    /// Train until finished; `on_event` sees every batch and epoch end and
    /// may return `ControlFlow::Break(())` to stop (resumable later).
    pub fn fit(&mut self, mut on_event: impl FnMut(&TrainEvent) -> ControlFlow<()>) -> Result<&History> {
        'outer: while !self.finished {
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

    pub fn is_finished(&self) -> bool {
        self.finished
    }
    /// Batches applied so far (Keras `optimizer.iterations`).
    pub fn step(&self) -> u64 {
        self.step
    }
    /// The 0-based epoch the cursor is in (= completed epochs).
    pub fn epoch(&self) -> u32 {
        self.epoch
    }
    pub fn stopped_early(&self) -> bool {
        self.stopped_early
    }

    /// Effective from the next batch; recorded in history "lr". Not allowed
    /// while an `lr_schedule` decides the rate. The config's optimizer
    /// follows (so `config()`, saved files and `reset` keep the new rate).
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<()> {
        if self.config.lr_schedule.is_some() {
            return Err(Error::Config(
                "an lr_schedule sets the learning rate; remove lr_schedule from the config to set it by hand".into(),
            ));
        }
        self.opt.set_learning_rate(lr)?;
        self.config.optimizer = self.opt.clone();
        self.last_lr = lr;
        Ok(())
    }

    /// SGD/RMSprop momentum, Adam/Nadam beta_1; effective from the next batch.
    pub fn set_momentum(&mut self, m: f32) -> Result<()> {
        self.opt.set_momentum(m)?;
        self.config.optimizer = self.opt.clone();
        Ok(())
    }

    /// The optimizer as it is now (learning rate and momentum as last set).
    pub fn optimizer(&self) -> &OptimizerConfig {
        &self.opt
    }
    pub fn history(&self) -> &History {
        &self.history
    }
    pub fn model(&self) -> &Sequential {
        &self.model
    }
    pub fn model_mut(&mut self) -> &mut Sequential {
        &mut self.model
    }
    pub fn config(&self) -> &ExperimentConfig {
        &self.config
    }
    /// The training part (after the validation split).
    pub fn train_set(&self) -> &Dataset {
        &self.train
    }
    pub fn validation_set(&self) -> Option<&Dataset> {
        self.val.as_ref()
    }
    pub fn test_set(&self) -> Option<&Dataset> {
        self.test.as_ref()
    }
    pub fn label_encoding(&self) -> LabelEncoding {
        self.enc
    }
}
