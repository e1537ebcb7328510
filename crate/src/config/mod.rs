//! The experiment config: THE description of a run, as the page sends it,
//! the URL encodes it and the CLI reads it from a file. The same JSON gives
//! the same weights on every platform (everything random derives from `seed`).
//!
//! ```json
//! {"dataset": "mnist",
//!  "layers": [{"type": "Flatten"},
//!             {"type": "Dense", "units": 128, "activation": "relu"},
//!             {"type": "Dense", "units": 10, "activation": "softmax"}],
//!  "loss": "categorical_crossentropy",
//!  "optimizer": {"name": "adam", "learning_rate": 0.001},
//!  "metrics": ["accuracy"], "batch_size": 32, "epochs": 1, "validation_split": 0.0,
//!  "shuffle": true, "seed": 42}
//! ```
//! `"validation_data": "test"` validates on the test split instead of a tail.
//! Defaults are Keras': `batch_size` 32, `epochs` 1, `validation_split` 0,
//! `shuffle` true; `seed` 42; `metrics` `["accuracy"]` for classification;
//! `label_encoding` sparse for `sparse_categorical_crossentropy`, else one-hot.
//! The input shape is the dataset's (Keras `input_shape`).

mod checks;
mod fields;
mod json_errors;
pub mod memory;
mod parse;
pub mod patch;
pub mod spec;
mod validate;

#[cfg(test)]
mod limits_tests;
#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::data::{Dataset, DatasetFacts};
use crate::data::{LabelEncoding, Task};
use crate::layers::LayerConfig;
use crate::losses::Loss;
use crate::metrics::Metric;
use crate::optimizers::OptimizerConfig;
use crate::schedules::Schedule;
use crate::{Error, Result};

pub use crate::layers::output_activation;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExperimentConfig {
    /// A `data::bundled` name: "mnist", "mnist-full", "iris", "xor", …
    pub dataset: String,
    pub layers: Vec<LayerConfig>,
    pub loss: Loss,
    pub optimizer: OptimizerConfig,
    #[serde(default)]
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub label_encoding: Option<LabelEncoding>,
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    #[serde(default = "default_epochs")]
    pub epochs: u32,
    #[serde(default)]
    pub validation_split: f32,
    #[serde(default = "default_true")]
    pub shuffle: bool,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default)]
    pub early_stopping: Option<EarlyStoppingConfig>,
    #[serde(default)]
    pub lr_schedule: Option<Schedule>,
    /// Keras `fit(validation_data=…)`: `"test"` validates every epoch on the
    /// dataset's test split and overrides `validation_split` (as Keras:
    /// "validation_data will override validation_split"). Absent: the
    /// `validation_split` tail, if any. Left out of the JSON when absent, so
    /// configs and model files from before it read and write as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_data: Option<ValidationData>,
}

/// Where validation data comes from when it is not the `validation_split` tail.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ValidationData {
    /// The dataset's test split: Keras `validation_data=(x_test, y_test)`.
    Test,
}

/// Keras `EarlyStopping(monitor="val_loss", min_delta=0, patience=0,
/// mode="auto", baseline=None, restore_best_weights=False, start_from_epoch=0)`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EarlyStoppingConfig {
    #[serde(default = "default_monitor")]
    pub monitor: String,
    #[serde(default)]
    pub min_delta: f64,
    #[serde(default)]
    pub patience: u32,
    #[serde(default)]
    pub mode: MonitorMode,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub restore_best_weights: bool,
    #[serde(default)]
    pub start_from_epoch: u32,
}

/// Whether the monitored value should go down (`min`), up (`max`), or be
/// inferred from its name (`auto`: losses and errors down, accuracy up).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MonitorMode {
    #[default]
    Auto,
    Min,
    Max,
}

impl Default for EarlyStoppingConfig {
    fn default() -> Self {
        EarlyStoppingConfig {
            monitor: default_monitor(),
            min_delta: 0.0,
            patience: 0,
            mode: MonitorMode::Auto,
            baseline: None,
            restore_best_weights: false,
            start_from_epoch: 0,
        }
    }
}

/// `true` when a smaller value of `monitor` is better, as Keras' `auto` mode decides.
pub fn monitor_minimizes(monitor: &str, mode: MonitorMode) -> Result<bool> {
    match mode {
        MonitorMode::Min => Ok(true),
        MonitorMode::Max => Ok(false),
        MonitorMode::Auto => {
            let base = monitor.strip_prefix("val_").unwrap_or(monitor);
            match base {
                "loss" | "mse" | "mae" => Ok(true),
                "accuracy" => Ok(false),
                _ => Err(Error::Config(format!(
                    "early_stopping cannot tell whether '{monitor}' should go up or down: \
                     set mode to \"min\" or \"max\""
                ))),
            }
        }
    }
}

fn default_batch_size() -> usize {
    32
}
fn default_epochs() -> u32 {
    1
}
fn default_true() -> bool {
    true
}
fn default_seed() -> u64 {
    42
}
fn default_monitor() -> String {
    "val_loss".to_string()
}

impl ExperimentConfig {
    /// A config with Keras' defaults for everything but the essentials.
    pub fn new(dataset: &str, layers: Vec<LayerConfig>, loss: Loss, optimizer: OptimizerConfig) -> Self {
        ExperimentConfig {
            dataset: dataset.to_string(),
            layers,
            loss,
            optimizer,
            metrics: Vec::new(),
            label_encoding: None,
            batch_size: default_batch_size(),
            epochs: default_epochs(),
            validation_split: 0.0,
            shuffle: true,
            seed: default_seed(),
            early_stopping: None,
            lr_schedule: None,
            validation_data: None,
        }
    }

    /// True when epochs end with validation: on the test split
    /// (`validation_data`) or on a `validation_split` tail.
    pub fn has_validation(&self) -> bool {
        self.validation_data.is_some() || self.validation_split > 0.0
    }

    /// Parse the JSON config. Every problem is reported with its field path
    /// (`layers[2].units: …`) and, for unknown fields, the valid names.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        parse::from_json(bytes)
    }

    /// Pretty-printed JSON with every field (defaults written out).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Validate once against the training dataset; `Error::Invalid` with
    /// ALL problems, each with its path and what to change.
    pub fn validate(&self, train: &Dataset) -> Result<()> {
        self.validate_facts(&DatasetFacts::of(train))
    }

    /// [`validate`](Self::validate) against a dataset's facts (no data needed).
    pub fn validate_facts(&self, facts: &DatasetFacts) -> Result<()> {
        crate::error::invalid_unless_empty(self.check(facts).1)
    }

    /// Every problem on a dataset with these facts, and the plan of the layer
    /// stack (shapes and parameter counts, for the summary).
    pub fn check(&self, facts: &DatasetFacts) -> (crate::layers::Plan, Vec<crate::Problem>) {
        validate::validate(self, facts)
    }

    /// `label_encoding`, or its default: sparse for
    /// `sparse_categorical_crossentropy`, one-hot otherwise.
    pub fn effective_label_encoding(&self) -> LabelEncoding {
        self.label_encoding.unwrap_or(if self.loss.uses_sparse_labels() {
            LabelEncoding::Sparse
        } else {
            LabelEncoding::OneHot
        })
    }

    /// `metrics`, or its default: `["accuracy"]` for classification, none for regression.
    pub fn effective_metrics(&self, task: Task) -> Vec<Metric> {
        if self.metrics.is_empty() && task == Task::Classification {
            vec![Metric::Accuracy]
        } else {
            self.metrics.clone()
        }
    }
}
