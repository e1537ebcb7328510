//! Configs of the pooling layers (no parameters):
//! `keras.layers.MaxPooling2D(pool_size=(2, 2), strides=None, padding="valid")`,
//! `keras.layers.AveragePooling2D(...)` (same arguments; `strides=None` means
//! `pool_size`) and `keras.layers.GlobalAveragePooling2D()`.
//! Output shapes: `(None, h, w, c)` → `(None, out_h, out_w, c)` (sizes in
//! [`crate::kernels::im2col`]); global: `(None, h, w, c)` → `(None, c)`.

use serde::{Deserialize, Serialize};

use crate::kernels::im2col::{Padding, Size2};
use crate::layers::conv2d_config::{check_size2, image_input, padding_arg, window_or_problem, MAX_WINDOW};
use crate::layers::global_pooling::GlobalAveragePooling2D;
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::pooling::{PoolKind, Pooling2D};
use crate::layers::Layer;
use crate::problem::Problem;
use crate::spec::{Arg, ArgType};

/// The arguments MaxPooling2D and AveragePooling2D share.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PoolArgs {
    #[serde(default = "default_pool_size")]
    pub pool_size: Size2,
    #[serde(default)]
    pub strides: Option<Size2>,
    #[serde(default)]
    pub padding: Padding,
}

fn default_pool_size() -> Size2 {
    Size2(2, 2)
}

impl Default for PoolArgs {
    fn default() -> Self {
        PoolArgs {
            pool_size: default_pool_size(),
            strides: None,
            padding: Padding::Valid,
        }
    }
}

impl PoolArgs {
    fn strides(&self) -> Size2 {
        self.strides.unwrap_or(self.pool_size)
    }

    fn args(what: &'static str) -> Vec<Arg> {
        vec![
            Arg::new("pool_size", ArgType::IntList, default_pool_size(), what)
                .min(1.0)
                .max(MAX_WINDOW as f64),
            Arg::new(
                "strides",
                ArgType::IntList,
                None::<Size2>,
                "step between windows; null means pool_size",
            )
            .min(1.0)
            .max(MAX_WINDOW as f64),
            padding_arg(),
        ]
    }

    fn check(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        check_size2("pool_size", self.pool_size, &mut out);
        if let Some(s) = self.strides {
            check_size2("strides", s, &mut out);
        }
        out
    }

    fn output_shape(&self, kind: &str, input: &[usize]) -> Result<Vec<usize>, Problem> {
        let hwc = image_input(kind, input)?;
        let w = window_or_problem("pool_size", hwc, self.pool_size, self.strides(), self.padding)?;
        Ok(vec![w.out_h, w.out_w, hwc.2])
    }

    fn build(&self, pool: PoolKind) -> Box<dyn Layer> {
        Box::new(Pooling2D::new(
            pool,
            self.pool_size.pair(),
            Some(self.strides().pair()),
            self.padding,
        ))
    }
}

/// One pooling kind: its config is [`PoolArgs`] under its Keras name.
macro_rules! pool_kind {
    ($config:ident, $kind:literal, $pool:expr, $doc:literal, $what:literal) => {
        #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
        #[serde(transparent)]
        pub struct $config(pub PoolArgs);

        impl LayerKind for $config {
            fn spec() -> LayerSpec {
                LayerSpec {
                    kind: $kind,
                    doc: $doc,
                    images_only: true,
                    args: PoolArgs::args($what),
                }
            }

            fn kind(&self) -> &'static str {
                $kind
            }

            fn check(&self) -> Vec<Problem> {
                self.0.check()
            }

            fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>, Problem> {
                self.0.output_shape($kind, input)
            }

            fn build(&self) -> Box<dyn Layer> {
                self.0.build($pool)
            }
        }
    };
}

pool_kind!(
    MaxPooling2DConfig,
    "MaxPooling2D",
    PoolKind::Max,
    "keras.layers.MaxPooling2D: keeps the largest value of each window, per channel",
    "window height and width whose maximum is kept, e.g. 2 or [2, 2]"
);
pool_kind!(
    AveragePooling2DConfig,
    "AveragePooling2D",
    PoolKind::Average,
    "keras.layers.AveragePooling2D: averages each window, per channel (padding cells are not counted)",
    "window height and width that is averaged, e.g. 2 or [2, 2]"
);

/// `keras.layers.GlobalAveragePooling2D()`: `(None, h, w, c)` → `(None, c)`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct GlobalAveragePooling2DConfig {}

impl LayerKind for GlobalAveragePooling2DConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "GlobalAveragePooling2D",
            doc: "keras.layers.GlobalAveragePooling2D: the mean of each channel over the whole image",
            images_only: true,
            args: Vec::new(),
        }
    }

    fn kind(&self) -> &'static str {
        "GlobalAveragePooling2D"
    }

    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>, Problem> {
        let (_, _, c) = image_input("GlobalAveragePooling2D", input)?;
        Ok(vec![c])
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(GlobalAveragePooling2D::new())
    }
}
