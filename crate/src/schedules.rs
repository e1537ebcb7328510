//! Learning-rate schedules, as `keras/src/optimizers/schedules/learning_rate_schedule.py`
//! plus the classic step decay written with `keras.callbacks.LearningRateScheduler`.
//!
//! JSON: `{"type":"exponential_decay","initial_learning_rate":0.1,"decay_steps":1000,
//! "decay_rate":0.96,"staircase":false}`; `staircase` and `alpha` are optional
//! (Keras defaults false and 0.0); unknown fields are an error.
//!
//! `step` is Keras' `optimizer.iterations`: the number of updates already
//! applied, so the first batch uses step 0. `epoch` is 0-based, as
//! `LearningRateScheduler` passes it.

use crate::error::config_err;
use crate::Result;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Schedule {
    /// Keras `ExponentialDecay`: `lr0 · decay_rate^(step / decay_steps)`, with
    /// the exponent floored when `staircase`.
    ExponentialDecay {
        initial_learning_rate: f32,
        decay_steps: u64,
        decay_rate: f32,
        #[serde(default)]
        staircase: bool,
    },
    /// Keras `CosineDecay`. Without warmup, with `s = min(step, decay_steps)`:
    /// `lr0 · ((1 − alpha) · 0.5·(1 + cos(π·s / decay_steps)) + alpha)`.
    /// With `warmup_target` (Keras 3): `s = min(step, warmup_steps + decay_steps)`;
    /// for `s < warmup_steps` the rate rises linearly,
    /// `lr0 + (warmup_target − lr0)·s / warmup_steps`, then decays as above from
    /// `warmup_target` over `s − warmup_steps`.
    CosineDecay {
        initial_learning_rate: f32,
        decay_steps: u64,
        #[serde(default)]
        alpha: f32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        warmup_target: Option<f32>,
        #[serde(default, skip_serializing_if = "is_zero")]
        warmup_steps: u64,
    },
    /// Step decay: `lr0 · factor^⌊epoch / every_epochs⌋` — the rate is multiplied
    /// by `factor` after every `every_epochs` completed epochs (epochs
    /// 0..every_epochs−1 use lr0). (The often-copied
    /// `drop ** floor((1 + epoch) / epochs_drop)` drops one epoch earlier.)
    StepDecay {
        initial_learning_rate: f32,
        factor: f32,
        every_epochs: u32,
    },
}

impl Schedule {
    /// Check the parameters; the error names the field and its valid range.
    pub fn validate(&self) -> Result<()> {
        let lr0 = match *self {
            Schedule::ExponentialDecay {
                initial_learning_rate,
                decay_steps,
                decay_rate,
                ..
            } => {
                if decay_steps == 0 {
                    return config_err("exponential_decay: decay_steps must be > 0, e.g. 1000");
                }
                if !(decay_rate.is_finite() && decay_rate > 0.0) {
                    return config_err(format!(
                        "exponential_decay: decay_rate must be a finite number > 0, e.g. 0.96; got {decay_rate}"
                    ));
                }
                initial_learning_rate
            }
            Schedule::CosineDecay {
                initial_learning_rate,
                decay_steps,
                alpha,
                warmup_target,
                warmup_steps,
            } => {
                if decay_steps == 0 {
                    return config_err("cosine_decay: decay_steps must be > 0, e.g. 1000");
                }
                if !(0.0..=1.0).contains(&alpha) {
                    return config_err(format!(
                        "cosine_decay: alpha (the final fraction of the rate) must be in [0, 1]; got {alpha}"
                    ));
                }
                match warmup_target {
                    Some(t) if !(t.is_finite() && t > 0.0) => {
                        return config_err(format!(
                            "cosine_decay: warmup_target must be a finite number > 0, e.g. 0.1; got {t}"
                        ))
                    }
                    // Warming up from 0 is the usual use.
                    Some(_) if initial_learning_rate.is_finite() && initial_learning_rate >= 0.0 => return Ok(()),
                    None if warmup_steps > 0 => {
                        return config_err("cosine_decay: warmup_steps needs a warmup_target (the rate to reach)")
                    }
                    _ => {}
                }
                initial_learning_rate
            }
            Schedule::StepDecay {
                initial_learning_rate,
                factor,
                every_epochs,
            } => {
                if every_epochs == 0 {
                    return config_err("step_decay: every_epochs must be >= 1, e.g. 10");
                }
                if !(factor.is_finite() && factor > 0.0) {
                    return config_err(format!(
                        "step_decay: factor must be a finite number > 0, e.g. 0.5; got {factor}"
                    ));
                }
                initial_learning_rate
            }
        };
        if !(lr0.is_finite() && lr0 > 0.0) {
            return config_err(format!(
                "{}: initial_learning_rate must be a finite number > 0, e.g. 0.01; got {lr0}",
                self.type_name()
            ));
        }
        Ok(())
    }

    /// The JSON `"type"`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Schedule::ExponentialDecay { .. } => "exponential_decay",
            Schedule::CosineDecay { .. } => "cosine_decay",
            Schedule::StepDecay { .. } => "step_decay",
        }
    }

    /// The learning rate for the update after `step` updates, in epoch `epoch`
    /// (computed in f64, returned as f32).
    pub fn learning_rate(&self, step: u64, epoch: u32) -> f32 {
        let lr = match *self {
            Schedule::ExponentialDecay {
                initial_learning_rate,
                decay_steps,
                decay_rate,
                staircase,
            } => {
                let mut p = step as f64 / decay_steps.max(1) as f64;
                if staircase {
                    p = p.floor();
                }
                initial_learning_rate as f64 * (decay_rate as f64).powf(p)
            }
            Schedule::CosineDecay {
                initial_learning_rate,
                decay_steps,
                alpha,
                warmup_target,
                warmup_steps,
            } => {
                let (lr0, d, alpha) = (initial_learning_rate as f64, decay_steps.max(1) as f64, alpha as f64);
                let cosine = |from: f64, s: f64| {
                    let c = 0.5 * (1.0 + (std::f64::consts::PI * s / d).cos());
                    from * ((1.0 - alpha) * c + alpha)
                };
                match warmup_target {
                    None => cosine(lr0, (step as f64).min(d)),
                    Some(target) => {
                        let (target, w) = (target as f64, warmup_steps as f64);
                        let s = (step as f64).min(d + w);
                        if s < w {
                            (target - lr0) * (s / w) + lr0
                        } else {
                            cosine(target, s - w)
                        }
                    }
                }
            }
            Schedule::StepDecay {
                initial_learning_rate,
                factor,
                every_epochs,
            } => {
                let k = epoch / every_epochs.max(1);
                initial_learning_rate as f64 * (factor as f64).powi(k.min(i32::MAX as u32) as i32)
            }
        };
        lr as f32
    }
}

fn is_zero(x: &u64) -> bool {
    *x == 0
}

#[cfg(test)]
#[path = "schedules_tests.rs"]
mod tests;
