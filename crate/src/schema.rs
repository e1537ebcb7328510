//! The schema: everything the page needs to build its editor, pickers,
//! defaults and link format, made FROM the one place each concept is defined
//! (the layer registry, the activation / initializer / loss / metric enums,
//! the optimizers' Keras defaults, the config's own arguments, the dataset
//! catalogue and the limits). The wasm facade exports it as `schema()`.
//! A test checks that every default in it is what parsing a config without
//! that argument gives, so the two cannot drift.

use serde::Serialize;

use crate::activations::Activation;
use crate::config::spec::{
    early_stopping_args, experiment_args, loss_args, loss_task, momentum_arg, optimizer_args, schedule_args,
};
use crate::data::{catalogue, Task};
use crate::initializers::Initializer;
use crate::layers::{LayerConfig, LayerSpec};
use crate::limits::{limits, Limits};
use crate::losses::LossName;
use crate::metrics::Metric;
use crate::optimizers::OPTIMIZER_NAMES;
use crate::regularizers::Regularizer;
use crate::spec::Arg;

/// The schema's format version.
pub const VERSION: u32 = 1;

/// The gradient-clipping arguments every optimizer takes.
const CLIP_ARGS: [&str; 3] = ["clipnorm", "clipvalue", "global_clipnorm"];

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ActivationInfo {
    pub name: &'static str,
    pub has_gradient: bool,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct InitializerInfo {
    pub name: &'static str,
    pub args: Vec<Arg>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct LossInfo {
    pub name: &'static str,
    pub task: Task,
    pub args: Vec<Arg>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct OptimizerInfo {
    pub name: &'static str,
    /// Keras class name, e.g. "SGD".
    pub keras: &'static str,
    /// Without the clipping arguments (see [`Schema::clipping`]).
    pub args: Vec<Arg>,
    /// The argument the live momentum control sets ("momentum", "beta_1" or none).
    pub momentum_arg: Option<&'static str>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct MetricInfo {
    pub name: &'static str,
    /// "classification", or "any" (regression and one-hot classification).
    pub task: &'static str,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct DatasetInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub group: &'static str,
    pub task: Task,
    pub sample_shape: &'static [usize],
    pub num_classes: Option<usize>,
    pub class_names: &'static [&'static str],
    pub train: usize,
    pub test: usize,
    pub files: &'static [&'static str],
    pub approx_bytes: u64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ScheduleInfo {
    pub name: &'static str,
    pub args: Vec<Arg>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Schema {
    pub version: u32,
    pub layers: Vec<LayerSpec>,
    pub activations: Vec<ActivationInfo>,
    pub initializers: Vec<InitializerInfo>,
    /// `kernel_regularizer` / `bias_regularizer` choices, each with its factors (same shape as initializers).
    pub regularizers: Vec<InitializerInfo>,
    pub losses: Vec<LossInfo>,
    pub optimizers: Vec<OptimizerInfo>,
    pub clipping: Vec<Arg>,
    pub metrics: Vec<MetricInfo>,
    pub datasets: Vec<DatasetInfo>,
    /// The top-level config fields, in order.
    pub experiment: Vec<Arg>,
    pub early_stopping: Vec<Arg>,
    pub schedules: Vec<ScheduleInfo>,
    pub limits: Limits,
}

/// Keras' class name of an optimizer.
fn keras_class(name: &str) -> &'static str {
    match name {
        "sgd" => "SGD",
        "adam" => "Adam",
        "rmsprop" => "RMSprop",
        "adagrad" => "Adagrad",
        _ => "Nadam",
    }
}

fn optimizers() -> Vec<OptimizerInfo> {
    OPTIMIZER_NAMES
        .iter()
        .map(|&name| OptimizerInfo {
            name,
            keras: keras_class(name),
            args: optimizer_args(name)
                .into_iter()
                .filter(|a| !CLIP_ARGS.contains(&a.name))
                .collect(),
            momentum_arg: momentum_arg(name),
        })
        .collect()
}

pub fn schema() -> Schema {
    Schema {
        version: VERSION,
        layers: LayerConfig::specs(),
        activations: Activation::ALL
            .iter()
            .map(|a| ActivationInfo {
                name: a.name(),
                has_gradient: a.has_gradient(),
            })
            .collect(),
        initializers: Initializer::ALL
            .iter()
            .map(|i| InitializerInfo {
                name: i.name(),
                args: i.args(),
            })
            .collect(),
        regularizers: Regularizer::ALL
            .iter()
            .map(|r| InitializerInfo {
                name: r.name(),
                args: r.args(),
            })
            .collect(),
        losses: LossName::ALL
            .iter()
            .map(|&l| LossInfo {
                name: l.name(),
                task: loss_task(l),
                args: loss_args(l),
            })
            .collect(),
        optimizers: optimizers(),
        clipping: optimizer_args("sgd")
            .into_iter()
            .filter(|a| CLIP_ARGS.contains(&a.name))
            .collect(),
        metrics: Metric::ALL
            .iter()
            .map(|m| MetricInfo {
                name: m.name(),
                task: if *m == Metric::Accuracy {
                    "classification"
                } else {
                    "any"
                },
            })
            .collect(),
        datasets: catalogue()
            .iter()
            .map(|d| DatasetInfo {
                name: d.name,
                title: d.title,
                group: d.group,
                task: d.task,
                sample_shape: d.sample_shape,
                num_classes: d.num_classes(),
                class_names: d.class_names,
                train: d.train,
                test: d.test,
                files: d.files,
                approx_bytes: d.approx_bytes,
            })
            .collect(),
        experiment: experiment_args(),
        early_stopping: early_stopping_args(),
        schedules: schedule_args()
            .into_iter()
            .map(|(name, args)| ScheduleInfo { name, args })
            .collect(),
        limits: limits(),
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
