//! [`Conv2DConfig`]: `keras.layers.Conv2D(filters, kernel_size, strides=(1, 1),
//! padding="valid", activation=None, use_bias=True,
//! kernel_initializer="glorot_uniform", bias_initializer="zeros")`.
//! Output shape: `(None, h, w, c)` → `(None, out_h, out_w, filters)` (sizes in
//! [`crate::kernels::im2col`]); parameters `kh·kw·c·filters` kernel weights
//! plus `filters` biases when `use_bias`.

use serde::{Deserialize, Serialize};

use crate::activations::Activation;
use crate::initializers::{Initializer, InitializerConfig};
use crate::kernels::im2col::{Padding, Size2, Window};
use crate::layers::conv2d::Conv2D;
use crate::layers::dense_config::activation_or_null;
use crate::layers::kind::{LayerKind, LayerSpec, Workspace};
use crate::layers::weight_options::{check_weight_options, weight_args};
use crate::layers::Layer;
use crate::limits::{MAX_LAYER_WEIGHTS, MAX_UNITS};
use crate::problem::{group_thousands, Problem};
use crate::regularizers::RegularizerConfig;
use crate::spec::{Arg, ArgType};
use crate::tensor::keras_shape;

/// The largest kernel, pool or stride along one axis (far beyond any image here).
pub const MAX_WINDOW: usize = 1024;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Conv2DConfig {
    pub filters: usize,
    pub kernel_size: Size2,
    #[serde(default = "unit_strides")]
    pub strides: Size2,
    #[serde(default)]
    pub padding: Padding,
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

fn unit_strides() -> Size2 {
    Size2(1, 1)
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

/// The Padding argument as every windowed layer shows it.
pub(crate) fn padding_arg() -> Arg {
    Arg::new(
        "padding",
        ArgType::Enum,
        Padding::default(),
        "\"valid\": only whole windows; \"same\": pad so that size = ceil(input / stride)",
    )
    .choices([Padding::Valid, Padding::Same])
}

/// Problems with a 2-D size argument (each axis from 1 to [`MAX_WINDOW`]).
pub(crate) fn check_size2(name: &str, s: Size2, out: &mut Vec<Problem>) {
    if s.0 == 0 || s.1 == 0 || s.0 > MAX_WINDOW || s.1 > MAX_WINDOW {
        out.push(Problem::new(
            name,
            format!(
                "{name} must be between 1 and {MAX_WINDOW} along each axis, got [{}, {}]",
                s.0, s.1
            ),
        ));
    }
}

/// `(h, w, c)` of an image input, or a problem saying to keep images as images.
pub(crate) fn image_input(kind: &str, input: &[usize]) -> Result<(usize, usize, usize), Problem> {
    match *input {
        [h, w, c] => Ok((h, w, c)),
        _ => Err(Problem::new(
            "",
            format!(
                "{kind} needs images of shape (None, height, width, channels) but gets {}: remove the \
                 Flatten or Dense layers before it, or add a Reshape",
                keras_shape(input)
            ),
        )),
    }
}

/// The window, or a problem saying the feature map is too small for it.
pub(crate) fn window_or_problem(
    what: &str,
    (h, w, c): (usize, usize, usize),
    size: Size2,
    strides: Size2,
    padding: Padding,
) -> Result<Window, Problem> {
    Window::new((h, w, c), size.pair(), strides.pair(), padding).ok_or_else(|| {
        Problem::new(
            "",
            format!(
                "the feature map is {h}×{w} here, smaller than the {}×{} {what}; use padding='same', a \
                 smaller {what} or fewer pooling layers before it",
                size.0, size.1
            ),
        )
    })
}

impl Conv2DConfig {
    /// The sliding window over this input (its output size, patch and rows),
    /// or what to change.
    fn window(&self, input: &[usize]) -> Result<Window, Problem> {
        let hwc = image_input("Conv2D", input)?;
        window_or_problem("kernel_size", hwc, self.kernel_size, self.strides, self.padding)
    }
}

impl LayerKind for Conv2DConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "Conv2D",
            doc: "keras.layers.Conv2D: slides `filters` kernels over the image; each output pixel is \
                  act(window·K + b)",
            images_only: true,
            args: vec![
                Arg::required("filters", ArgType::Int, "number of output channels (kernels)")
                    .min(1.0)
                    .max(MAX_UNITS as f64),
                Arg::required(
                    "kernel_size",
                    ArgType::IntList,
                    "window height and width, e.g. 3 or [3, 3]",
                )
                .min(1.0)
                .max(MAX_WINDOW as f64),
                Arg::new(
                    "strides",
                    ArgType::IntList,
                    unit_strides(),
                    "step between windows, rows and columns",
                )
                .min(1.0)
                .max(MAX_WINDOW as f64),
                padding_arg(),
                Arg::new(
                    "activation",
                    ArgType::Enum,
                    Activation::default(),
                    "applied to window·K + b",
                )
                .choices_from("activations"),
                Arg::new("use_bias", ArgType::Bool, default_use_bias(), "add the bias b"),
            ]
            .into_iter()
            .chain(weight_args(
                default_kernel_initializer(),
                default_bias_initializer(),
                "Conv2D",
            ))
            .collect(),
        }
    }

    fn kind(&self) -> &'static str {
        "Conv2D"
    }

    fn check(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.filters == 0 || self.filters > MAX_UNITS {
            out.push(Problem::new(
                "filters",
                format!(
                    "filters must be between 1 and {} (the number of output channels), got {}",
                    group_thousands(MAX_UNITS as u64),
                    group_thousands(self.filters as u64)
                ),
            ));
        }
        check_size2("kernel_size", self.kernel_size, &mut out);
        check_size2("strides", self.strides, &mut out);
        check_weight_options(
            [&self.kernel_initializer, &self.bias_initializer],
            [&self.kernel_regularizer, &self.bias_regularizer],
            &mut out,
        );
        out
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>, Problem> {
        let w = self.window(input)?;
        Ok(vec![w.out_h, w.out_w, self.filters])
    }

    fn param_count(&self, input: &[usize]) -> Result<u64, Problem> {
        let (_, _, c) = image_input("Conv2D", input)?;
        let Size2(kh, kw) = self.kernel_size;
        let weights = [kw, c, self.filters]
            .iter()
            .try_fold(kh as u64, |a, &d| a.checked_mul(d as u64));
        match weights {
            Some(w) if w <= MAX_LAYER_WEIGHTS => Ok(w + if self.use_bias { self.filters as u64 } else { 0 }),
            _ => Err(Problem::new(
                "filters",
                format!(
                    "a {kh}×{kw} kernel on {c} channels with {} filters would need more than {} weights, the \
                     most Gradient Lab allows in one layer: use fewer filters or a smaller kernel_size",
                    group_thousands(self.filters as u64),
                    group_thousands(MAX_LAYER_WEIGHTS)
                ),
            )),
        }
    }

    fn workspace(&self, input: &[usize]) -> Workspace {
        let Ok(w) = self.window(input) else {
            return Workspace::default();
        };
        Workspace {
            // In u64: the config is not checked yet, and usize is 32 bits in wasm.
            cols_per_sample: (w.rows() as u64).saturating_mul(w.patch_len() as u64),
        }
    }

    fn activation(&self) -> Option<Activation> {
        Some(self.activation)
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(
            Conv2D::with_options(
                self.filters,
                self.kernel_size.pair(),
                self.strides.pair(),
                self.padding,
                self.activation,
                self.use_bias,
                self.kernel_initializer,
                self.bias_initializer,
            )
            .with_regularizers(self.kernel_regularizer, self.bias_regularizer),
        )
    }
}

#[cfg(test)]
#[path = "conv_registry_tests.rs"]
mod tests;
