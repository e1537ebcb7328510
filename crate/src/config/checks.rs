//! Validation of the training settings (batch size, epochs, validation
//! split, loss options, optimizer, schedule) and of EarlyStopping's monitor.

use super::ExperimentConfig;
use crate::data::Dataset;
use crate::model::callbacks::monitor_minimizes;
use crate::Error;

pub(super) fn check_training(cfg: &ExperimentConfig, ds: &Dataset, p: &mut Vec<String>) {
    if cfg.batch_size == 0 {
        p.push("batch_size is 0: set it to 1 or more (Keras' default is 32)".into());
    }
    if cfg.epochs == 0 {
        p.push("epochs is 0: set it to 1 or more".into());
    }
    let s = cfg.validation_split;
    let n = ds.len();
    if !(s.is_finite() && (0.0..1.0).contains(&s)) {
        p.push(format!(
            "validation_split is {s}: use a fraction in [0, 1), e.g. 0.1, or 0 for none"
        ));
    } else if s > 0.0 {
        // As split_tail (and Python): the fraction as the decimal the user wrote.
        let frac: f64 = format!("{s}").parse().unwrap_or(f64::from(s));
        let n_train = (n as f64 * (1.0 - frac)).floor() as usize;
        if n_train == 0 {
            p.push(format!(
                "validation_split {s} leaves no training samples out of {n}: lower it"
            ));
        } else if n_train == n {
            p.push(format!(
                "validation_split {s} of {n} samples leaves no validation sample: raise it or set 0"
            ));
        }
    }
    if n == 0 {
        p.push(format!("the dataset {} has no samples", ds.name));
    }
    if let Err(e) = cfg.loss.validate() {
        p.push(format!("loss: {}", message(&e)));
    }
    if let Err(e) = cfg.optimizer.validate() {
        p.push(format!("optimizer: {}", message(&e)));
    }
    if let Some(s) = &cfg.lr_schedule {
        if let Err(e) = s.validate() {
            p.push(format!("lr_schedule: {}", message(&e)));
        }
    }
}

pub(super) fn check_early_stopping(cfg: &ExperimentConfig, ds: &Dataset, p: &mut Vec<String>) {
    let Some(es) = &cfg.early_stopping else { return };
    let mut keys = vec!["loss".to_string()];
    keys.extend(cfg.effective_metrics(ds.task()).iter().map(|m| m.name().to_string()));
    let has_val = cfg.validation_split > 0.0;
    if has_val {
        let val: Vec<String> = keys.iter().map(|k| format!("val_{k}")).collect();
        keys.extend(val);
    }
    if !keys.contains(&es.monitor) {
        if es.monitor.starts_with("val_") && !has_val && keys.contains(&es.monitor[4..].to_string()) {
            p.push(format!(
                "early_stopping monitors {} but there is no validation data: set validation_split \
                 (e.g. 0.1) or monitor \"{}\"",
                es.monitor,
                &es.monitor[4..]
            ));
        } else {
            p.push(format!(
                "early_stopping monitors \"{}\", which is not logged: use one of {}",
                es.monitor,
                keys.join(", ")
            ));
        }
    } else if let Err(e) = monitor_minimizes(&es.monitor, es.mode) {
        p.push(message(&e));
    }
    if !es.min_delta.is_finite() {
        p.push(format!(
            "early_stopping.min_delta is {}: use a finite number such as 0.001",
            es.min_delta
        ));
    }
    if es.baseline.is_some_and(|b| !b.is_finite()) {
        p.push("early_stopping.baseline must be a finite number or null".into());
    }
}

/// The message of an error without its kind prefix.
pub(super) fn message(e: &Error) -> String {
    match e {
        Error::Config(m) | Error::Data(m) | Error::Shape(m) | Error::ModelFile(m) | Error::State(m) => m.clone(),
        other => other.to_string(),
    }
}
