//! `ExperimentConfig::validate`: every incompatibility between the config and
//! the dataset's facts, each as a [`Problem`] with its path and the change
//! that fixes it. The layer stack is worked out by [`Plan`] (each layer
//! kind's own shape rule and parameter count, the same check the model
//! builder makes), so what validates is exactly what builds.

use super::checks::{check_early_stopping, check_model_file, check_training};
use super::ExperimentConfig;
use crate::activations::Activation;
use crate::data::{DatasetFacts, LabelEncoding};
use crate::layers::{output_activation, LayerConfig, Plan};
use crate::losses::LossName;
use crate::metrics::Metric;
use crate::problem::{layer_path, Problem};
use crate::tensor::keras_shape;

fn is_classification_loss(name: LossName) -> bool {
    super::spec::loss_task(name) == crate::data::Task::Classification
}

/// The path of the last Dense layer's units (what sets the output width).
fn units_path(cfg: &ExperimentConfig) -> String {
    match cfg.layers.iter().rposition(|l| matches!(l, LayerConfig::Dense(_))) {
        Some(i) => format!("{}.units", layer_path(i)),
        None => "layers".into(),
    }
}

/// Activations without a gradient (step) cannot be trained.
fn check_gradients(cfg: &ExperimentConfig, p: &mut Vec<Problem>) {
    for (i, layer) in cfg.layers.iter().enumerate() {
        if let Some(a) = layer.activation().filter(|a| !a.has_gradient()) {
            p.push(Problem::new(
                format!("{}.activation", layer_path(i)),
                format!(
                    "the {} activation has no gradient, so {} cannot train the model: use sigmoid or tanh instead",
                    a.name(),
                    cfg.optimizer.name()
                ),
            ));
        }
    }
}

fn check_classification(cfg: &ExperimentConfig, ds: &DatasetFacts, k: usize, units: usize, p: &mut Vec<Problem>) {
    let name = cfg.loss.name;
    let loss = name.name();
    let enc = cfg.label_encoding;
    let binary = units == 1;
    let mut push = |path: &str, m: String| p.push(Problem::new(path, m));
    if enc == Some(LabelEncoding::PlusMinusOne) {
        if !(binary && k == 2) {
            push(
                "label_encoding",
                format!(
                    "plus_minus_one targets need 1 output unit on a two-class dataset ({} has {k} classes, \
                     the model {units} outputs): set units to 1 with tanh, or use one_hot",
                    ds.name
                ),
            );
        } else if name.is_crossentropy() {
            push(
                "label_encoding",
                format!("{loss} needs 0/1 targets, not −1/+1: use mean_squared_error, or one_hot labels"),
            );
        }
    }
    if units != k && !(binary && k == 2) {
        let alt = if k == 2 {
            " (or 1 unit with sigmoid for two classes)"
        } else {
            ""
        };
        push(
            &units_path(cfg),
            format!(
                "the last Dense layer has {units} units but {} has {k} classes: set units to {k}{alt}",
                ds.name
            ),
        );
    }
    let act = output_activation(&cfg.layers);
    match name {
        LossName::SparseCategoricalCrossentropy => {
            if enc == Some(LabelEncoding::OneHot) {
                push(
                    "label_encoding",
                    "sparse_categorical_crossentropy needs sparse labels; set label_encoding to sparse \
                     or use categorical_crossentropy"
                        .into(),
                );
            }
            if binary && k > 1 {
                push(
                    "loss",
                    format!(
                        "sparse_categorical_crossentropy needs one output per class: set units to {k} with \
                         softmax, or use binary_crossentropy with 1 sigmoid unit"
                    ),
                );
            }
        }
        LossName::CategoricalCrossentropy | LossName::CategoricalHinge | LossName::KlDivergence => {
            if enc == Some(LabelEncoding::Sparse) {
                push(
                    "label_encoding",
                    format!(
                        "{loss} needs one-hot labels; set label_encoding to one_hot or use \
                         sparse_categorical_crossentropy"
                    ),
                );
            }
            if binary {
                push(
                    "loss",
                    format!(
                        "{loss} needs one output per class: set units to {k} with softmax, or use \
                         binary_crossentropy with 1 sigmoid unit"
                    ),
                );
            }
        }
        _ => {
            if act == Activation::Softmax && name == LossName::BinaryCrossentropy && units > 2 {
                push(
                    "loss",
                    format!("binary_crossentropy with softmax over {units} classes: use categorical_crossentropy"),
                );
            } else if enc == Some(LabelEncoding::Sparse) && !binary {
                push(
                    "label_encoding",
                    format!(
                        "{loss} compares {units} outputs with one-hot labels; set label_encoding to one_hot \
                         (sparse labels only work with sparse_categorical_crossentropy)"
                    ),
                );
            }
        }
    }
    if cfg.effective_label_encoding() == LabelEncoding::Sparse && !binary {
        for m in cfg.metrics.iter().filter(|m| matches!(m, Metric::Mse | Metric::Mae)) {
            push(
                "metrics",
                format!(
                    "the {} metric compares every output with one-hot labels, but the labels are sparse: \
                     remove it or use one-hot labels",
                    m.name()
                ),
            );
        }
    }
    let probabilistic = matches!(
        name,
        LossName::CategoricalCrossentropy | LossName::SparseCategoricalCrossentropy | LossName::KlDivergence
    );
    if probabilistic
        && !cfg.loss.from_logits
        && !matches!(act, Activation::Softmax | Activation::Sigmoid | Activation::Relu)
    {
        push(
            "loss",
            format!(
                "{loss} expects probabilities but the model ends with a {} activation: use softmax on the \
                 last layer (or set from_logits to true)",
                act.name()
            ),
        );
    }
    if name == LossName::BinaryCrossentropy
        && !cfg.loss.from_logits
        && !matches!(act, Activation::Sigmoid | Activation::Softmax)
    {
        push(
            "loss",
            format!(
                "binary_crossentropy expects probabilities in [0, 1] but the model ends with a {} \
                 activation: use sigmoid on the last layer (or set from_logits to true)",
                act.name()
            ),
        );
    }
    let uses_logits = matches!(
        name,
        LossName::CategoricalCrossentropy | LossName::SparseCategoricalCrossentropy | LossName::BinaryCrossentropy
    );
    if uses_logits && cfg.loss.from_logits && matches!(act, Activation::Softmax | Activation::Sigmoid) {
        push(
            "loss",
            format!(
                "{loss} has from_logits true but the model already ends with {}: set from_logits to false \
                 (or make the last layer linear)",
                act.name()
            ),
        );
    }
}

fn check_regression(cfg: &ExperimentConfig, ds: &DatasetFacts, units: usize, p: &mut Vec<Problem>) {
    let loss = cfg.loss.name.name();
    let dim = ds.target_dim;
    if is_classification_loss(cfg.loss.name) {
        p.push(Problem::new(
            "loss",
            format!(
                "{loss} is a classification loss but {} is a regression dataset: use mean_squared_error, \
                 mean_absolute_error or huber",
                ds.name
            ),
        ));
    }
    if units != dim {
        p.push(Problem::new(
            units_path(cfg),
            format!(
                "the last Dense layer has {units} units but {} has {dim} target value(s) per sample: \
                 set units to {dim}",
                ds.name
            ),
        ));
    }
    if cfg.metrics.contains(&Metric::Accuracy) {
        p.push(Problem::new(
            "metrics",
            format!(
                "the accuracy metric needs a classification dataset and {} is a regression dataset: \
                 use \"mse\" or \"mae\"",
                ds.name
            ),
        ));
    }
}

/// ALL problems of `cfg` on a dataset with these facts, and the plan of its
/// layer stack (for the summary).
pub(crate) fn validate(cfg: &ExperimentConfig, ds: &DatasetFacts) -> (Plan, Vec<Problem>) {
    let mut p = Vec::new();
    check_training(cfg, ds, &mut p);
    let (plan, layer_problems) = Plan::new(&ds.sample_shape, &cfg.layers);
    let layers_ok = layer_problems.is_empty();
    p.extend(layer_problems);
    // The activation bound needs the whole stack; the range does not.
    let out_of_range = cfg.batch_size == 0 || cfg.batch_size > crate::limits::MAX_BATCH_SIZE;
    if layers_ok || out_of_range {
        p.extend(plan.check_batch(cfg.batch_size));
    }
    if layers_ok {
        p.extend(check_model_file(cfg, plan.total_params, plan.trainable_params));
        // Its activations alone within their limit (else that is the problem).
        if !out_of_range && plan.check_batch(cfg.batch_size).is_none() {
            p.extend(super::memory::check_run(cfg, &plan));
        }
    }
    check_gradients(cfg, &mut p);
    if let Some(out) = plan.output_shape() {
        if out.len() != 1 {
            p.push(Problem::new(
                "layers",
                format!(
                    "the model's output has shape {}: end with Flatten and a Dense layer",
                    keras_shape(out)
                ),
            ));
        } else if let Some(k) = ds.num_classes {
            check_classification(cfg, ds, k, out[0], &mut p);
        } else {
            check_regression(cfg, ds, out[0], &mut p);
        }
    }
    check_early_stopping(cfg, ds, &mut p);
    (plan, p)
}
