//! [`DenseConfig`]: `keras.layers.Dense(units, activation=None, use_bias=True,
//! kernel_initializer="glorot_uniform", bias_initializer="zeros")`.
//! Output shape: `(None, n)` → `(None, units)`; parameters `n·units` kernel
//! weights plus `units` biases when `use_bias`.

use serde::{Deserialize, Deserializer, Serialize};

use crate::activations::Activation;
use crate::initializers::{Initializer, InitializerConfig};
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::weight_options::{check_weight_options, weight_args};
use crate::layers::{Dense, Layer};
use crate::limits::{MAX_LAYER_WEIGHTS, MAX_UNITS};
use crate::problem::{group_thousands, Problem};
use crate::regularizers::RegularizerConfig;
use crate::spec::{Arg, ArgType};
use crate::tensor::keras_shape;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DenseConfig {
    pub units: usize,
    #[serde(default, deserialize_with = "activation_or_null")]
    pub activation: Activation,
    #[serde(default = "default_use_bias")]
    pub use_bias: bool,
    #[serde(default = "default_kernel_initializer")]
    pub kernel_initializer: InitializerConfig,
    #[serde(default = "default_bias_initializer")]
    pub bias_initializer: InitializerConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_regularizer: Option<RegularizerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias_regularizer: Option<RegularizerConfig>,
}

fn default_use_bias() -> bool {
    true
}

fn default_kernel_initializer() -> InitializerConfig {
    Initializer::GlorotUniform.into()
}

fn default_bias_initializer() -> InitializerConfig {
    Initializer::Zeros.into()
}

/// Keras accepts `activation=None` for a linear layer.
pub(crate) fn activation_or_null<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Activation, D::Error> {
    Ok(Option::<Activation>::deserialize(d)?.unwrap_or_default())
}

impl DenseConfig {
    /// Keras' defaults for everything but units and activation.
    pub fn new(units: usize, activation: Activation) -> DenseConfig {
        DenseConfig {
            units,
            activation,
            use_bias: default_use_bias(),
            kernel_initializer: default_kernel_initializer(),
            bias_initializer: default_bias_initializer(),
            kernel_regularizer: None,
            bias_regularizer: None,
        }
    }
}

impl LayerKind for DenseConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "Dense",
            doc: "keras.layers.Dense: every output is act(x·W + b) over all inputs (needs a flat input)",
            images_only: false,
            args: vec![
                Arg::required("units", ArgType::Int, "number of outputs (neurons)")
                    .min(1.0)
                    .max(MAX_UNITS as f64),
                Arg::new("activation", ArgType::Enum, Activation::default(), "applied to x·W + b")
                    .choices_from("activations")
                    .nullable(),
                Arg::new("use_bias", ArgType::Bool, default_use_bias(), "add the bias b"),
            ]
            .into_iter()
            .chain(weight_args(
                default_kernel_initializer(),
                default_bias_initializer(),
                "Dense",
            ))
            .collect(),
        }
    }

    fn kind(&self) -> &'static str {
        "Dense"
    }

    fn check(&self) -> Vec<Problem> {
        let mut out = match self.units {
            0 => vec![Problem::new(
                "units",
                "units must be at least 1 (the number of outputs of the layer), got 0",
            )],
            u if u > MAX_UNITS => vec![Problem::new(
                "units",
                format!(
                    "units is {}; Gradient Lab allows at most {} in one layer: use fewer units",
                    group_thousands(u as u64),
                    group_thousands(MAX_UNITS as u64)
                ),
            )],
            _ => Vec::new(),
        };
        check_weight_options(
            [&self.kernel_initializer, &self.bias_initializer],
            [&self.kernel_regularizer, &self.bias_regularizer],
            &mut out,
        );
        out
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>, Problem> {
        if input.len() != 1 {
            return Err(Problem::new(
                "",
                format!(
                    "Dense needs a flat input (None, n) but gets {}: add a Flatten layer before it",
                    keras_shape(input)
                ),
            ));
        }
        Ok(vec![self.units])
    }

    fn output_shape_regardless(&self) -> Option<Vec<usize>> {
        Some(vec![self.units])
    }

    fn param_count(&self, input: &[usize]) -> Result<u64, Problem> {
        let n_in = input.iter().try_fold(1u64, |a, &d| a.checked_mul(d as u64));
        let weights = n_in.and_then(|n| n.checked_mul(self.units as u64));
        match weights {
            Some(w) if w <= MAX_LAYER_WEIGHTS => Ok(w + if self.use_bias { self.units as u64 } else { 0 }),
            _ => Err(Problem::new(
                "units",
                format!(
                    "{} units on {} inputs would need {} weights; Gradient Lab allows at most {} in one \
                     layer: use fewer units (or a smaller input)",
                    group_thousands(self.units as u64),
                    group_thousands(input.iter().product::<usize>() as u64),
                    weights.map_or("more than 18 quintillion".to_string(), group_thousands),
                    group_thousands(MAX_LAYER_WEIGHTS)
                ),
            )),
        }
    }

    fn activation(&self) -> Option<Activation> {
        Some(self.activation)
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(
            Dense::with_options(
                self.units,
                self.activation,
                self.use_bias,
                self.kernel_initializer,
                self.bias_initializer,
            )
            .with_regularizers(self.kernel_regularizer, self.bias_regularizer),
        )
    }
}
