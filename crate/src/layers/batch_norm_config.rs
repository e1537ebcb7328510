//! [`BatchNormalizationConfig`]: `keras.layers.BatchNormalization(axis=-1,
//! momentum=0.99, epsilon=0.001, center=True, scale=True)`. Output shape =
//! input shape; parameters per channel `c` of the last axis: γ (scale) and
//! β (center), trainable, and the moving mean and variance, non-trainable,
//! `c·(2 + center + scale)` in all as Keras counts them.

use serde::{Deserialize, Serialize};

use crate::layers::batch_norm::BatchNormalization;
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::Layer;
use crate::problem::Problem;
use crate::spec::{Arg, ArgType};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BatchNormalizationConfig {
    #[serde(default = "default_axis")]
    pub axis: i64,
    #[serde(default = "default_momentum")]
    pub momentum: f32,
    #[serde(default = "default_epsilon")]
    pub epsilon: f32,
    #[serde(default = "yes")]
    pub center: bool,
    #[serde(default = "yes")]
    pub scale: bool,
}

fn default_axis() -> i64 {
    -1
}

fn default_momentum() -> f32 {
    0.99
}

fn default_epsilon() -> f32 {
    1e-3
}

fn yes() -> bool {
    true
}

impl Default for BatchNormalizationConfig {
    fn default() -> Self {
        BatchNormalizationConfig {
            axis: default_axis(),
            momentum: default_momentum(),
            epsilon: default_epsilon(),
            center: true,
            scale: true,
        }
    }
}

impl BatchNormalizationConfig {
    fn channels(input: &[usize]) -> u64 {
        input.last().copied().unwrap_or(0) as u64
    }
}

impl LayerKind for BatchNormalizationConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "BatchNormalization",
            doc: "keras.layers.BatchNormalization: normalises each channel with the batch's mean and \
                  variance in training, with their moving averages at inference",
            images_only: false,
            args: vec![
                Arg::new(
                    "axis",
                    ArgType::Int,
                    default_axis(),
                    "the channel axis; only -1 (the last) here",
                )
                .min(-1.0)
                .max(-1.0),
                Arg::new(
                    "momentum",
                    ArgType::Float,
                    default_momentum(),
                    "moving = moving·momentum + batch·(1 − momentum)",
                )
                .min(0.0)
                .max(1.0),
                Arg::new(
                    "epsilon",
                    ArgType::Float,
                    default_epsilon(),
                    "added to the variance before the square root",
                )
                .min(0.0),
                Arg::new("center", ArgType::Bool, true, "learn an offset β"),
                Arg::new("scale", ArgType::Bool, true, "learn a scale γ"),
            ],
        }
    }

    fn kind(&self) -> &'static str {
        "BatchNormalization"
    }

    fn check(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.axis != -1 {
            out.push(Problem::new(
                "axis",
                format!(
                    "Gradient Lab normalises over the last axis (the channels) only: use axis -1, got {}",
                    self.axis
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.momentum) {
            out.push(Problem::new(
                "momentum",
                format!(
                    "momentum must be between 0 and 1 (Keras' default is 0.99), got {}",
                    self.momentum
                ),
            ));
        }
        if !(self.epsilon > 0.0 && self.epsilon.is_finite()) {
            out.push(Problem::new(
                "epsilon",
                format!(
                    "epsilon must be a small positive number (Keras' default is 0.001), got {}",
                    self.epsilon
                ),
            ));
        }
        out
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>, Problem> {
        Ok(input.to_vec())
    }

    fn param_count(&self, input: &[usize]) -> Result<u64, Problem> {
        Ok(Self::channels(input) * (2 + self.center as u64 + self.scale as u64))
    }

    fn non_trainable_params(&self, input: &[usize]) -> u64 {
        2 * Self::channels(input)
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(BatchNormalization::with_options(
            self.momentum,
            self.epsilon,
            self.center,
            self.scale,
        ))
    }
}
