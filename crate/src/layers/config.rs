//! [`LayerConfig`]: THE registry of layer kinds. JSON with Keras class names,
//! e.g. `{"type":"Dense","units":128,"activation":"relu"}`,
//! `{"type":"Dropout","rate":0.2}`, `{"type":"Flatten"}`,
//! `{"type":"Activation","activation":"tanh"}`, `{"type":"Softmax"}`.
//!
//! Each kind's config struct lives in the layer's own file and implements
//! [`LayerKind`]; adding a kind is that file plus ONE line in
//! `layer_registry!` below. Unknown fields are rejected so typos are reported.
//!
//! Adding a layer kind `Foo`:
//! 1. In `layers/foo.rs`: the layer (`impl Layer`) and `FooConfig`
//!    (`#[derive(Serialize, Deserialize)]`, `#[serde(deny_unknown_fields)]`,
//!    Keras argument names and defaults) implementing [`LayerKind`]: `spec()`
//!    (args with defaults read from the serde defaults, ranges, doc),
//!    `check()` (values alone), `output_shape()` (what to change when the
//!    input does not fit), `param_count()` (u64, checked), `build()`.
//! 2. `pub mod foo;` in `layers/mod.rs` and `Foo(FooConfig),` below.
//!
//! Parsing (with messages and paths), validation, `model.summary()`, the
//! model builder and the schema the page builds its editor from then know it;
//! `schema_tests` checks its defaults against what parsing gives.

use serde::{Deserialize, Serialize};

use crate::activations::Activation;
use crate::layers::activation::ActivationConfig;
use crate::layers::batch_norm_config::BatchNormalizationConfig;
use crate::layers::conv2d_config::Conv2DConfig;
use crate::layers::dense_config::DenseConfig;
use crate::layers::dropout::DropoutConfig;
use crate::layers::flatten::FlattenConfig;
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::pooling_config::{AveragePooling2DConfig, GlobalAveragePooling2DConfig, MaxPooling2DConfig};
use crate::layers::reshape::ReshapeConfig;
use crate::layers::softmax::SoftmaxConfig;
use crate::layers::Layer;
use crate::Result;

/// Declares the enum (one variant per kind, serde-tagged by Keras class
/// name), the single dispatch to [`LayerKind`] and the list of specs.
macro_rules! layer_registry {
    ($($kind:ident($config:ty),)+) => {
        #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
        #[serde(tag = "type")]
        pub enum LayerConfig {
            $($kind($config),)+
        }

        impl LayerConfig {
            /// The kind's [`LayerKind`] (the one dispatch over kinds).
            pub fn as_kind(&self) -> &dyn LayerKind {
                match self {
                    $(LayerConfig::$kind(c) => c,)+
                }
            }

            /// Every kind's spec, in the order of the editor's "add layer" menu.
            pub fn specs() -> Vec<LayerSpec> {
                vec![$(<$config as LayerKind>::spec(),)+]
            }
        }
    };
}

layer_registry! {
    Dense(DenseConfig),
    Flatten(FlattenConfig),
    Dropout(DropoutConfig),
    Activation(ActivationConfig),
    Softmax(SoftmaxConfig),
    Conv2D(Conv2DConfig),
    MaxPooling2D(MaxPooling2DConfig),
    AveragePooling2D(AveragePooling2DConfig),
    GlobalAveragePooling2D(GlobalAveragePooling2DConfig),
    BatchNormalization(BatchNormalizationConfig),
    Reshape(ReshapeConfig),
}

impl LayerConfig {
    /// A Dense layer with Keras' defaults for everything but units and activation.
    pub fn dense(units: usize, activation: Activation) -> LayerConfig {
        LayerConfig::Dense(DenseConfig::new(units, activation))
    }

    /// `Flatten()`.
    pub fn flatten() -> LayerConfig {
        LayerConfig::Flatten(FlattenConfig {})
    }

    /// `Dropout(rate)`.
    pub fn dropout(rate: f32) -> LayerConfig {
        LayerConfig::Dropout(DropoutConfig { rate })
    }

    /// `Activation(activation)`.
    pub fn activation_layer(activation: Activation) -> LayerConfig {
        LayerConfig::Activation(ActivationConfig { activation })
    }

    /// `Softmax()`.
    pub fn softmax() -> LayerConfig {
        LayerConfig::Softmax(SoftmaxConfig {})
    }

    /// Keras class name: "Dense", "Activation", "Dropout", "Flatten", "Softmax", …
    pub fn kind(&self) -> &'static str {
        self.as_kind().kind()
    }

    /// The activation this layer applies, if any (`Softmax` → softmax).
    pub fn activation(&self) -> Option<Activation> {
        self.as_kind().activation()
    }

    /// Check the values alone (the shapes are checked by `layers::plan`).
    pub fn validate(&self) -> Result<()> {
        crate::error::invalid_unless_empty(self.as_kind().check())
    }

    /// A new, unbuilt layer; `Sequential` then calls `build`.
    pub fn build_layer(&self) -> Result<Box<dyn Layer>> {
        self.validate()?;
        Ok(self.as_kind().build())
    }
}

/// The activation that produces the model's output: the last layer's that
/// applies one, looking through layers that pass it on (Dropout); a layer
/// without one (Flatten) means linear.
pub fn output_activation(layers: &[LayerConfig]) -> Activation {
    for l in layers.iter().rev() {
        let k = l.as_kind();
        if let Some(a) = k.activation() {
            return a;
        }
        if !k.passes_activation_through() {
            return Activation::Linear;
        }
    }
    Activation::Linear
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
