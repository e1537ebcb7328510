//! Validation of the training settings (epochs, validation split, loss
//! options, optimizer, schedule) and of EarlyStopping's monitor, as
//! [`Problem`]s with paths.

use super::{monitor_minimizes, ExperimentConfig};
use crate::data::DatasetFacts;
use crate::problem::Problem;
use crate::Error;

/// A check's error as a problem under `path`. When the message names one of
/// `fields` (`"adam: beta_1 must …"`, `"label_smoothing must …"`), the path
/// goes down to that field and a leading `"<name>: "` is dropped.
pub(super) fn field_problem(path: &str, e: &Error, fields: &[String]) -> Problem {
    let message = e.message();
    let (head, rest) = match message.split_once(": ") {
        Some((h, r)) if !h.contains(' ') => (Some(h), r.to_string()),
        _ => (None, message.clone()),
    };
    let words: Vec<&str> = rest
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let field = words.iter().take(4).find(|w| fields.iter().any(|f| f == *w));
    match field {
        Some(f) => Problem::new(format!("{path}.{f}"), if head.is_some() { rest } else { message }),
        None => Problem::new(path, message),
    }
}

/// The field names of a serialisable object (e.g. the optimizer's).
pub(super) fn keys_of(value: &impl serde::Serialize) -> Vec<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

pub(super) fn check_training(cfg: &ExperimentConfig, ds: &DatasetFacts, p: &mut Vec<Problem>) {
    if cfg.epochs == 0 {
        p.push(Problem::new("epochs", "epochs is 0: set it to 1 or more"));
    }
    let s = cfg.validation_split;
    let n = ds.train_len;
    if cfg.validation_data.is_some() {
        // Keras: validation_data overrides validation_split, whose value is then unused.
    } else if !(s.is_finite() && (0.0..1.0).contains(&s)) {
        p.push(Problem::new(
            "validation_split",
            format!("validation_split is {s}: use a fraction in [0, 1), e.g. 0.1, or 0 for none"),
        ));
    } else if s > 0.0 {
        // As split_tail (and Python): the fraction as the decimal the user wrote.
        let frac: f64 = format!("{s}").parse().unwrap_or(f64::from(s));
        let n_train = (n as f64 * (1.0 - frac)).floor() as usize;
        if n_train == 0 {
            p.push(Problem::new(
                "validation_split",
                format!("validation_split {s} leaves no training samples out of {n}: lower it"),
            ));
        } else if n_train == n {
            p.push(Problem::new(
                "validation_split",
                format!("validation_split {s} of {n} samples leaves no validation sample: raise it or set 0"),
            ));
        }
    }
    if n == 0 {
        p.push(Problem::new(
            "dataset",
            format!("the dataset {} has no samples", ds.name),
        ));
    }
    if let Err(e) = cfg.loss.validate() {
        let fields = ["from_logits", "delta", "label_smoothing"].map(String::from);
        p.push(field_problem("loss", &e, &fields));
    }
    if let Err(e) = cfg.optimizer.validate() {
        p.push(field_problem("optimizer", &e, &keys_of(&cfg.optimizer)));
    }
    if let Some(s) = &cfg.lr_schedule {
        if let Err(e) = s.validate() {
            p.push(field_problem("lr_schedule", &e, &keys_of(s)));
        }
    }
}

pub(super) fn check_early_stopping(cfg: &ExperimentConfig, ds: &DatasetFacts, p: &mut Vec<Problem>) {
    let Some(es) = &cfg.early_stopping else { return };
    let mut keys = vec!["loss".to_string()];
    keys.extend(cfg.effective_metrics(ds.task).iter().map(|m| m.name().to_string()));
    let has_val = cfg.has_validation();
    if has_val {
        let val: Vec<String> = keys.iter().map(|k| format!("val_{k}")).collect();
        keys.extend(val);
    }
    let monitor = "early_stopping.monitor";
    if !keys.contains(&es.monitor) {
        if es.monitor.starts_with("val_") && !has_val && keys.contains(&es.monitor[4..].to_string()) {
            p.push(Problem::new(
                monitor,
                format!(
                    "early_stopping monitors {} but there is no validation data: set validation_split \
                     (e.g. 0.1), validation_data \"test\" or monitor \"{}\"",
                    es.monitor,
                    &es.monitor[4..]
                ),
            ));
        } else {
            p.push(Problem::new(
                monitor,
                format!(
                    "early_stopping monitors \"{}\", which is not logged: use one of {}",
                    es.monitor,
                    keys.join(", ")
                ),
            ));
        }
    } else if let Err(e) = monitor_minimizes(&es.monitor, es.mode) {
        p.push(Problem::new("early_stopping.mode", e.message()));
    }
    if !es.min_delta.is_finite() {
        p.push(Problem::new(
            "early_stopping.min_delta",
            format!(
                "early_stopping.min_delta is {}: use a finite number such as 0.001",
                es.min_delta
            ),
        ));
    }
    if es.baseline.is_some_and(|b| !b.is_finite()) {
        p.push(Problem::new(
            "early_stopping.baseline",
            "early_stopping.baseline must be a finite number or null",
        ));
    }
}

/// The model's file (its weights and the optimizer's values for each weight,
/// [`crate::model::io::saved_bytes`]) must fit
/// [`crate::limits::MAX_MODEL_FILE_BYTES`]: the page saves it while the
/// model trains, and a file it could not write or read back would lose the
/// model. `total` and `trainable` are the plan's parameter counts.
pub(super) fn check_model_file(cfg: &ExperimentConfig, total: u64, trainable: u64) -> Option<Problem> {
    use crate::limits::MAX_MODEL_FILE_BYTES;
    use crate::problem::{group_thousands, megabytes};
    let per_weight = cfg.optimizer.values_per_weight() as u64;
    let values = total.saturating_add(trainable.saturating_mul(per_weight));
    let bytes = crate::model::io::saved_bytes(values);
    if bytes <= MAX_MODEL_FILE_BYTES {
        return None;
    }
    let name = cfg.optimizer.name();
    let keeps = match per_weight {
        0 => String::new(),
        1 => format!(", and {name} keeps 1 more value for each weight"),
        k => format!(", and {name} keeps {k} more values for each weight"),
    };
    let most = MAX_MODEL_FILE_BYTES * 3 / 16 / (1 + per_weight);
    Some(Problem::new(
        "layers",
        format!(
            "this model has {} parameters{keeps}: its model file (written to keep or download the model, \
             and while it trains to recover it after a crash) would be about {} MB, and Gradient Lab \
             writes at most {} MB: use fewer units (at most about {} parameters with {name})",
            group_thousands(total),
            megabytes(bytes),
            megabytes(MAX_MODEL_FILE_BYTES),
            group_thousands(most)
        ),
    ))
}
