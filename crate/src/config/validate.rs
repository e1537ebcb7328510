//! `ExperimentConfig::validate`: every incompatibility between the config
//! and the dataset, each with the change that fixes it. Shapes are inferred
//! without building the model: Flatten gives `(None, prod(shape))`, Dense
//! needs a flat input and gives `(None, units)`, other layers keep the shape.

use super::checks::{check_early_stopping, check_training, message};
use super::ExperimentConfig;
use crate::activations::Activation;
use crate::data::{Dataset, LabelEncoding};
use crate::layers::LayerConfig;
use crate::losses::LossName;
use crate::metrics::Metric;
use crate::tensor::keras_shape;
use crate::{Error, Result};

/// The activation that produces the model's output: the last Dense's
/// activation, overridden by Activation/Softmax layers after it (Dropout is
/// transparent; Flatten means linear).
pub fn output_activation(layers: &[LayerConfig]) -> Activation {
    for l in layers.iter().rev() {
        match l {
            LayerConfig::Dense { activation, .. } => return *activation,
            LayerConfig::Activation { activation } => return *activation,
            LayerConfig::Softmax => return Activation::Softmax,
            LayerConfig::Dropout { .. } => continue,
            _ => return Activation::Linear,
        }
    }
    Activation::Linear
}

fn loss_label(name: LossName) -> &'static str {
    name.name()
}

fn is_classification_loss(name: LossName) -> bool {
    matches!(
        name,
        LossName::CategoricalCrossentropy
            | LossName::SparseCategoricalCrossentropy
            | LossName::BinaryCrossentropy
            | LossName::Hinge
            | LossName::CategoricalHinge
            | LossName::KlDivergence
    )
}

/// Walk the layers, collecting shape and gradient problems; returns the
/// per-sample output shape.
fn check_layers(cfg: &ExperimentConfig, ds: &Dataset, p: &mut Vec<String>) -> Vec<usize> {
    let mut shape = ds.sample_shape.clone();
    for (i, layer) in cfg.layers.iter().enumerate() {
        let at = format!("layer {} ({})", i + 1, layer.kind());
        if let Err(e) = layer.validate() {
            p.push(format!("{at}: {}", message(&e)));
        }
        let act = match layer {
            LayerConfig::Dense { activation, .. } | LayerConfig::Activation { activation } => Some(*activation),
            _ => None,
        };
        if let Some(a) = act.filter(|a| !a.has_gradient()) {
            p.push(format!(
                "{at} uses the {} activation, which has no gradient, so {} cannot train the model: \
                 use sigmoid or tanh instead",
                a.name(),
                cfg.optimizer.name()
            ));
        }
        match layer {
            LayerConfig::Dense { units, .. } => {
                if shape.len() != 1 {
                    p.push(format!(
                        "{at} gets inputs of shape {} but Dense needs a flat input (None, n): \
                         add {{\"type\": \"Flatten\"}} before it",
                        keras_shape(&shape)
                    ));
                }
                shape = vec![*units];
            }
            LayerConfig::Flatten => shape = vec![shape.iter().product()],
            _ => {}
        }
    }
    shape
}

fn check_classification(cfg: &ExperimentConfig, ds: &Dataset, k: usize, units: usize, p: &mut Vec<String>) {
    let name = cfg.loss.name;
    let loss = loss_label(name);
    let enc = cfg.label_encoding;
    let binary = units == 1;
    if units != k && !(binary && k == 2) {
        let alt = if k == 2 {
            " (or 1 unit with sigmoid for two classes)"
        } else {
            ""
        };
        p.push(format!(
            "the last Dense layer has {units} units but {} has {k} classes: set units to {k}{alt}",
            ds.name
        ));
    }
    let act = output_activation(&cfg.layers);
    match name {
        LossName::SparseCategoricalCrossentropy => {
            if enc == Some(LabelEncoding::OneHot) {
                p.push(
                    "sparse_categorical_crossentropy needs sparse labels; set label_encoding to sparse \
                     or use categorical_crossentropy"
                        .into(),
                );
            }
            if binary && k > 1 {
                p.push(format!(
                    "sparse_categorical_crossentropy needs one output per class: set units to {k} with \
                     softmax, or use binary_crossentropy with 1 sigmoid unit"
                ));
            }
        }
        LossName::CategoricalCrossentropy | LossName::CategoricalHinge | LossName::KlDivergence => {
            if enc == Some(LabelEncoding::Sparse) {
                p.push(format!(
                    "{loss} needs one-hot labels; set label_encoding to one_hot or use \
                     sparse_categorical_crossentropy"
                ));
            }
            if binary {
                p.push(format!(
                    "{loss} needs one output per class: set units to {k} with softmax, or use \
                     binary_crossentropy with 1 sigmoid unit"
                ));
            }
        }
        _ => {
            if act == Activation::Softmax && name == LossName::BinaryCrossentropy && units > 2 {
                p.push(format!(
                    "binary_crossentropy with softmax over {units} classes: use categorical_crossentropy"
                ));
            } else if enc == Some(LabelEncoding::Sparse) && !binary {
                p.push(format!(
                    "{loss} compares {units} outputs with one-hot labels; set label_encoding to one_hot \
                     (sparse labels only work with sparse_categorical_crossentropy)"
                ));
            }
        }
    }
    if cfg.effective_label_encoding() == LabelEncoding::Sparse && !binary {
        for m in cfg.metrics.iter().filter(|m| matches!(m, Metric::Mse | Metric::Mae)) {
            p.push(format!(
                "the {} metric compares every output with one-hot labels, but the labels are sparse: \
                 remove it or use one-hot labels",
                m.name()
            ));
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
        p.push(format!(
            "{loss} expects probabilities but the model ends with a {} activation: use softmax on the \
             last layer (or set from_logits to true)",
            act.name()
        ));
    }
    if name == LossName::BinaryCrossentropy
        && !cfg.loss.from_logits
        && !matches!(act, Activation::Sigmoid | Activation::Softmax)
    {
        p.push(format!(
            "binary_crossentropy expects probabilities in [0, 1] but the model ends with a {} \
             activation: use sigmoid on the last layer (or set from_logits to true)",
            act.name()
        ));
    }
    let uses_logits = matches!(
        name,
        LossName::CategoricalCrossentropy | LossName::SparseCategoricalCrossentropy | LossName::BinaryCrossentropy
    );
    if uses_logits && cfg.loss.from_logits && matches!(act, Activation::Softmax | Activation::Sigmoid) {
        p.push(format!(
            "{loss} has from_logits true but the model already ends with {}: set from_logits to false \
             (or make the last layer linear)",
            act.name()
        ));
    }
}

fn check_regression(cfg: &ExperimentConfig, ds: &Dataset, dim: usize, units: usize, p: &mut Vec<String>) {
    let loss = loss_label(cfg.loss.name);
    if is_classification_loss(cfg.loss.name) {
        p.push(format!(
            "{loss} is a classification loss but {} is a regression dataset: use mean_squared_error, \
             mean_absolute_error or huber",
            ds.name
        ));
    }
    if units != dim {
        p.push(format!(
            "the last Dense layer has {units} units but {} has {dim} target value(s) per sample: \
             set units to {dim}",
            ds.name
        ));
    }
    if cfg.metrics.contains(&Metric::Accuracy) {
        p.push(format!(
            "the accuracy metric needs a classification dataset and {} is a regression dataset: \
             use \"mse\" or \"mae\"",
            ds.name
        ));
    }
}

pub(crate) fn validate(cfg: &ExperimentConfig, ds: &Dataset) -> Result<()> {
    let mut p = Vec::new();
    check_training(cfg, ds, &mut p);
    if cfg.layers.is_empty() {
        p.push("the model has no layers: add at least one Dense layer".into());
    } else {
        if let Err(e) = crate::model::sequential::check_size(&ds.sample_shape, &cfg.layers) {
            p.push(message(&e));
        }
        let out = check_layers(cfg, ds, &mut p);
        if out.len() != 1 {
            p.push(format!(
                "the model's output has shape {}: end with Flatten and a Dense layer",
                keras_shape(&out)
            ));
        } else {
            match (ds.num_classes(), &ds.targets) {
                (Some(k), _) => check_classification(cfg, ds, k, out[0], &mut p),
                (None, crate::data::Targets::Values { dim, .. }) => check_regression(cfg, ds, *dim, out[0], &mut p),
                _ => {}
            }
        }
    }
    check_early_stopping(cfg, ds, &mut p);
    if p.is_empty() {
        Ok(())
    } else {
        Err(Error::Config(p.join("\n")))
    }
}
