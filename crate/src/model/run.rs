//! [`Run`]: one training run over SHARED data — the model, its
//! [`Optimizer`], the [`Cursor`], the [`History`], the callbacks and views
//! of the data. Many runs over one dataset hold one copy of it: the data is
//! an `Arc<Dataset>`, and the run's training and validation parts are
//! [`DataView`]s of it (Keras' `validation_split` tail).
//!
//! The impl is split by concept: construction and settings here; the
//! training engine (`train_batches`, `fit`) in [`super::engine`]; one step
//! in [`super::step`]; evaluation in [`super::evaluate`]; resuming from a
//! model file in [`super::resume`].

use std::sync::Arc;

use super::callbacks::EarlyStopping;
use super::cursor::Cursor;
use super::diagnosis::{Diagnosis, Monitor};
use super::history::History;
use super::probe::Probe;
use super::sequential::Sequential;
use super::step::Buffers;
use crate::config::{ExperimentConfig, ValidationData};
use crate::data::{DataView, Dataset, LabelEncoding};
use crate::layers::Param;
use crate::metrics::Metric;
use crate::optimizers::{Optimizer, OptimizerConfig, Trainable};
use crate::{Error, Result};

/// The name the CLI, the benchmarks and older code use.
pub type Trainer = Run;

/// The data a run reads, all views of shared datasets.
#[derive(Clone, Debug)]
pub struct RunData {
    pub train: DataView,
    /// Keras' `validation_split` tail of the training data, or the whole test
    /// split for `validation_data: "test"`, if any.
    pub val: Option<DataView>,
    pub test: Option<Arc<Dataset>>,
}

/// How a batch's targets and metrics are formed from the data.
#[derive(Clone, Debug)]
pub struct Targets {
    pub enc: LabelEncoding,
    /// 1-unit output on a 2-class set: targets are the label column `[b, 1]`.
    pub binary: bool,
    pub metrics: Vec<Metric>,
}

pub struct Run {
    /// The experiment as given. Its `optimizer` is only the starting point:
    /// the live hyper-parameters are `optimizer`'s ([`Run::config`] combines them).
    pub(super) config: ExperimentConfig,
    pub(super) data: RunData,
    pub(super) targets: Targets,
    pub(super) model: Sequential,
    pub(super) optimizer: Optimizer,
    pub(super) cursor: Cursor,
    pub(super) history: History,
    pub(super) early: Option<EarlyStopping>,
    pub(super) bufs: Buffers,
    /// Divergence / chance / plateau watch (`diagnosis.rs`).
    pub(super) monitor: Monitor,
    /// Gradient-norm probe (off unless [`Run::set_probe`]; see [`super::probe`]).
    pub(super) probe: Probe,
}

impl Trainable for Sequential {
    fn each_param_mut<'a>(&'a mut self, f: &mut dyn FnMut(&'a mut Param) -> Result<()>) -> Result<()> {
        self.for_each_param_mut(f)
    }
}

fn param_lens(model: &Sequential) -> Vec<usize> {
    model.params().iter().map(|p| p.len()).collect()
}

impl Run {
    /// A run owning its data (wrapped in `Arc`s); see [`Run::with_data`].
    pub fn new(config: ExperimentConfig, train: Dataset, test: Option<Dataset>) -> Result<Run> {
        Run::with_data(config, Arc::new(train), test.map(Arc::new))
    }

    /// Validate `config` against `train`, take the validation tail as a view
    /// (Keras `validation_split`), and build the model from the seed. The
    /// datasets are shared, never copied.
    pub fn with_data(config: ExperimentConfig, train: Arc<Dataset>, test: Option<Arc<Dataset>>) -> Result<Run> {
        config.validate(&train)?;
        let all = DataView::all(train);
        let data = if config.validation_data == Some(ValidationData::Test) {
            let Some(t) = test.clone() else {
                return Err(Error::Config(format!(
                    "validation_data is \"test\" but {} has no test split here: use validation_split instead",
                    all.dataset().name
                )));
            };
            RunData {
                train: all,
                val: Some(DataView::all(t)),
                test,
            }
        } else if config.validation_split > 0.0 {
            let (t, v) = all.split_tail(config.validation_split)?;
            RunData {
                train: t,
                val: Some(v),
                test,
            }
        } else {
            RunData {
                train: all,
                val: None,
                test,
            }
        };
        let shape = data.train.dataset().sample_shape.clone();
        let model = Sequential::new(&shape, &config.layers, config.seed)?;
        let ds = data.train.dataset();
        let targets = Targets {
            enc: config.effective_label_encoding(),
            binary: ds.num_classes().is_some() && model.output_shape() == [1],
            metrics: config.effective_metrics(ds.task()),
        };
        let optimizer = Optimizer::new(
            config.optimizer.clone(),
            config.lr_schedule.clone(),
            &param_lens(&model),
        );
        let mut run = Run {
            config,
            data,
            targets,
            model,
            optimizer,
            cursor: Cursor::default(),
            history: History::new(),
            early: None,
            bufs: Buffers::default(),
            monitor: Monitor::default(),
            probe: Probe::default(),
        };
        run.restart()?;
        Ok(run)
    }

    /// Optimizer state, callbacks, history and cursor back to the start
    /// (the optimizer's hyper-parameters as last set are kept).
    fn restart(&mut self) -> Result<()> {
        self.optimizer.restart(&param_lens(&self.model));
        self.early = self
            .config
            .early_stopping
            .as_ref()
            .map(EarlyStopping::new)
            .transpose()?;
        self.history.clear();
        self.monitor = Monitor::default();
        self.cursor = Cursor::default();
        self.optimizer.prepare(0);
        self.probe.clear();
        Ok(())
    }

    /// Fresh weights from the same seed, history cleared, cursor at 0.
    pub fn reset(&mut self) -> Result<()> {
        self.model = Sequential::new(self.model.input_shape(), &self.config.layers, self.config.seed)?;
        self.restart()
    }

    pub fn batches_per_epoch(&self) -> usize {
        self.data.train.len().div_ceil(self.config.batch_size.max(1))
    }

    pub fn is_finished(&self) -> bool {
        self.cursor.finished
    }
    /// Batches applied so far (Keras `optimizer.iterations`).
    pub fn step(&self) -> u64 {
        self.optimizer.iterations()
    }
    /// The 0-based epoch the cursor is in (= completed epochs).
    pub fn epoch(&self) -> u32 {
        self.cursor.epoch
    }
    pub fn stopped_early(&self) -> bool {
        self.cursor.stopped_early
    }
    /// EarlyStopping's stopped/best/restored epochs, when it is configured.
    pub fn early_stopping_report(&self) -> Option<super::callbacks::EarlyStoppingReport> {
        self.early.as_ref().map(|es| es.report())
    }

    /// The learning rate the next batch will use (the schedule's, if any).
    pub fn learning_rate(&self) -> f32 {
        self.optimizer
            .scheduled_learning_rate(self.cursor.epoch)
            .unwrap_or_else(|| self.optimizer.learning_rate())
    }

    /// SGD/RMSprop momentum, Adam/Nadam beta_1; `None` for Adagrad.
    pub fn momentum(&self) -> Option<f32> {
        self.optimizer.momentum()
    }

    /// Effective from the next batch; recorded in history "lr". Not allowed
    /// while an `lr_schedule` decides the rate. Kept by `reset` and saved files.
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<()> {
        self.optimizer.set_learning_rate(lr)
    }

    /// SGD/RMSprop momentum, Adam/Nadam beta_1; effective from the next batch.
    pub fn set_momentum(&mut self, m: f32) -> Result<()> {
        self.optimizer.set_momentum(m)
    }

    /// Set the learning rate and/or momentum together: both are checked
    /// before either changes, so on an error nothing changed.
    pub fn set(&mut self, learning_rate: Option<f32>, momentum: Option<f32>) -> Result<()> {
        let mut check = self.optimizer.clone_config_only();
        if let Some(lr) = learning_rate {
            check.set_learning_rate(lr)?;
        }
        if let Some(m) = momentum {
            check.set_momentum(m)?;
        }
        if let Some(lr) = learning_rate {
            self.optimizer.set_learning_rate(lr)?;
        }
        if let Some(m) = momentum {
            self.optimizer.set_momentum(m)?;
        }
        Ok(())
    }

    /// The optimizer's hyper-parameters as they are now.
    pub fn optimizer_config(&self) -> &OptimizerConfig {
        self.optimizer.config()
    }
    /// The optimizer: hyper-parameters, state, iterations.
    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }
    /// What looks wrong with the training so far (diverged, at chance, plateau), if anything.
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.monitor.current()
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
    /// The experiment as it is now: as given, with the optimizer's live
    /// hyper-parameters (learning rate and momentum as last set or scheduled).
    pub fn config(&self) -> ExperimentConfig {
        ExperimentConfig {
            optimizer: self.optimizer.config().clone(),
            ..self.config.clone()
        }
    }
    /// The data views this run trains, validates and tests on.
    pub fn data(&self) -> &RunData {
        &self.data
    }
    /// The training part (after the validation split), a view of the shared dataset.
    pub fn train_set(&self) -> &DataView {
        &self.data.train
    }
    pub fn validation_set(&self) -> Option<&DataView> {
        self.data.val.as_ref()
    }
    pub fn test_set(&self) -> Option<&Dataset> {
        self.data.test.as_deref()
    }
    pub fn label_encoding(&self) -> LabelEncoding {
        self.targets.enc
    }

    /// FNV-1a 64 of every weight's f32 bits (see [`super::hash`]).
    pub fn weights_hash(&self) -> u64 {
        super::hash::weights_fnv1a64(&self.model)
    }
}
