//! Layer configurations as JSON with Keras class names, e.g.
//! `{"type":"Dense","units":128,"activation":"relu"}`, `{"type":"Dropout","rate":0.2}`,
//! `{"type":"Flatten"}`, `{"type":"Activation","activation":"tanh"}`, `{"type":"Softmax"}`.
//!
//! Dense defaults are Keras': `activation` linear (`null` also means linear),
//! `use_bias` true, `kernel_initializer` glorot_uniform, `bias_initializer`
//! zeros. Unknown fields are rejected so typos are reported. New layer kinds
//! (Conv2D, MaxPooling2D on NHWC inputs) are added as further variants.

use serde::{Deserialize, Deserializer, Serialize};

use crate::activations::Activation;
use crate::initializers::Initializer;
use crate::layers::{ActivationLayer, Dense, Dropout, Flatten, Layer, Softmax};
use crate::{Error, Result};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", from = "Repr")]
pub enum LayerConfig {
    Dense {
        units: usize,
        activation: Activation,
        use_bias: bool,
        kernel_initializer: Initializer,
        bias_initializer: Initializer,
    },
    Activation {
        activation: Activation,
    },
    Dropout {
        rate: f32,
    },
    Flatten,
    Softmax,
}

/// What is read from JSON. Serde ignores extra fields on the unit variants of
/// an internally tagged enum, so they are read as empty struct variants here
/// (which do reject unknown fields) and converted.
#[derive(Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum Repr {
    Dense {
        units: usize,
        #[serde(default, deserialize_with = "activation_or_null")]
        activation: Activation,
        #[serde(default = "default_use_bias")]
        use_bias: bool,
        #[serde(default = "default_kernel_initializer")]
        kernel_initializer: Initializer,
        #[serde(default = "default_bias_initializer")]
        bias_initializer: Initializer,
    },
    Activation {
        activation: Activation,
    },
    Dropout {
        rate: f32,
    },
    Flatten {},
    Softmax {},
}

impl From<Repr> for LayerConfig {
    fn from(r: Repr) -> LayerConfig {
        match r {
            Repr::Dense {
                units,
                activation,
                use_bias,
                kernel_initializer,
                bias_initializer,
            } => LayerConfig::Dense {
                units,
                activation,
                use_bias,
                kernel_initializer,
                bias_initializer,
            },
            Repr::Activation { activation } => LayerConfig::Activation { activation },
            Repr::Dropout { rate } => LayerConfig::Dropout { rate },
            Repr::Flatten {} => LayerConfig::Flatten,
            Repr::Softmax {} => LayerConfig::Softmax,
        }
    }
}

fn default_use_bias() -> bool {
    true
}

fn default_kernel_initializer() -> Initializer {
    Initializer::GlorotUniform
}

fn default_bias_initializer() -> Initializer {
    Initializer::Zeros
}

/// Keras accepts `activation=None` for a linear layer.
fn activation_or_null<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Activation, D::Error> {
    Ok(Option::<Activation>::deserialize(d)?.unwrap_or_default())
}

impl LayerConfig {
    /// A Dense layer with Keras' defaults for everything but units and activation.
    pub fn dense(units: usize, activation: Activation) -> LayerConfig {
        LayerConfig::Dense {
            units,
            activation,
            use_bias: true,
            kernel_initializer: default_kernel_initializer(),
            bias_initializer: default_bias_initializer(),
        }
    }

    /// Keras class name: "Dense", "Activation", "Dropout", "Flatten", "Softmax".
    pub fn kind(&self) -> &'static str {
        match self {
            LayerConfig::Dense { .. } => "Dense",
            LayerConfig::Activation { .. } => "Activation",
            LayerConfig::Dropout { .. } => "Dropout",
            LayerConfig::Flatten => "Flatten",
            LayerConfig::Softmax => "Softmax",
        }
    }

    /// The activation this layer applies, if any (`Softmax` → softmax).
    pub fn activation(&self) -> Option<Activation> {
        match self {
            LayerConfig::Dense { activation, .. } | LayerConfig::Activation { activation } => Some(*activation),
            LayerConfig::Softmax => Some(Activation::Softmax),
            _ => None,
        }
    }

    /// Check the values (the shapes are checked when the layer is built).
    pub fn validate(&self) -> Result<()> {
        match self {
            LayerConfig::Dense { units: 0, .. } => Err(Error::Config(
                "Dense units must be at least 1 (the number of outputs of the layer), got 0".into(),
            )),
            LayerConfig::Dropout { rate } => crate::layers::dropout::check_rate(*rate),
            _ => Ok(()),
        }
    }

    /// A new, unbuilt layer; `Sequential` then calls `build`.
    pub fn build_layer(&self) -> Result<Box<dyn Layer>> {
        self.validate()?;
        Ok(match *self {
            LayerConfig::Dense {
                units,
                activation,
                use_bias,
                kernel_initializer,
                bias_initializer,
            } => Box::new(Dense::with_options(
                units,
                activation,
                use_bias,
                kernel_initializer,
                bias_initializer,
            )),
            LayerConfig::Activation { activation } => Box::new(ActivationLayer::new(activation)),
            LayerConfig::Dropout { rate } => Box::new(Dropout::new(rate)),
            LayerConfig::Flatten => Box::new(Flatten::new()),
            LayerConfig::Softmax => Box::new(Softmax::new()),
        })
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
