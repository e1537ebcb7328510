//! Hyper-parameter checks. Keras rejects few values itself (SGD momentum
//! outside [0, 1], several clip options at once); the other ranges here are
//! the ones for which the update formulas stay finite and meaningful.
//!
//! - learning_rate: finite, > 0
//! - momentum (sgd, rmsprop), beta_1, beta_2: in [0, 1)
//! - rho: in (0, 1)
//! - epsilon: finite, > 0 (0 would give 0/0 for a zero gradient)
//! - initial_accumulator_value: finite, >= 0
//! - clipnorm, clipvalue, global_clipnorm: finite, > 0, at most one of them

use super::{OptimizerConfig, OptimizerKind};
use crate::error::config_err;
use crate::Result;

pub(crate) fn validate(c: &OptimizerConfig) -> Result<()> {
    let name = c.name();
    learning_rate(name, c.learning_rate())?;
    match c.kind {
        OptimizerKind::Sgd { momentum, .. } => unit_interval(name, "momentum", momentum)?,
        OptimizerKind::Adam {
            beta_1,
            beta_2,
            epsilon,
            ..
        }
        | OptimizerKind::Nadam {
            beta_1,
            beta_2,
            epsilon,
            ..
        } => {
            unit_interval(name, "beta_1", beta_1)?;
            unit_interval(name, "beta_2", beta_2)?;
            positive(name, "epsilon", epsilon)?;
        }
        OptimizerKind::Rmsprop {
            rho, momentum, epsilon, ..
        } => {
            if !(rho > 0.0 && rho < 1.0) {
                return config_err(format!("{name}: rho must be in (0, 1), e.g. 0.9; got {rho}"));
            }
            unit_interval(name, "momentum", momentum)?;
            positive(name, "epsilon", epsilon)?;
        }
        OptimizerKind::Adagrad {
            initial_accumulator_value: a,
            epsilon,
            ..
        } => {
            if !(a.is_finite() && a >= 0.0) {
                return config_err(format!(
                    "{name}: initial_accumulator_value must be a finite number >= 0, e.g. 0.1; got {a}"
                ));
            }
            positive(name, "epsilon", epsilon)?;
        }
    }
    let clips = [
        ("clipnorm", c.clipnorm),
        ("clipvalue", c.clipvalue),
        ("global_clipnorm", c.global_clipnorm),
    ];
    let set: Vec<&str> = clips.iter().filter(|(_, v)| v.is_some()).map(|(n, _)| *n).collect();
    if set.len() > 1 {
        return config_err(format!(
            "{name}: only one of clipnorm, clipvalue and global_clipnorm can be set, got {}; remove all but one",
            set.join(" and ")
        ));
    }
    for (field, v) in clips {
        if let Some(v) = v {
            positive(name, field, v)?;
        }
    }
    Ok(())
}

pub(crate) fn learning_rate(name: &str, lr: f32) -> Result<()> {
    if lr.is_finite() && lr > 0.0 {
        Ok(())
    } else {
        config_err(format!(
            "{name}: learning_rate must be a finite number > 0, e.g. 0.001; got {lr}"
        ))
    }
}

/// `x` in [0, 1).
pub(crate) fn unit_interval(name: &str, field: &str, x: f32) -> Result<()> {
    if (0.0..1.0).contains(&x) {
        Ok(())
    } else {
        config_err(format!("{name}: {field} must be >= 0 and < 1, e.g. 0.9; got {x}"))
    }
}

fn positive(name: &str, field: &str, x: f32) -> Result<()> {
    if x.is_finite() && x > 0.0 {
        return Ok(());
    }
    let hint = if field.contains("clip") {
        "leave it out to disable clipping"
    } else {
        "leave it out for the default"
    };
    config_err(format!("{name}: {field} must be a finite number > 0; got {x} ({hint})"))
}
