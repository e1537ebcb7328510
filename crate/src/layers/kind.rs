//! [`LayerKind`]: everything Gradient Lab knows about one layer kind, said once,
//! by the kind's config struct in the layer's own file: its Keras class name
//! and arguments (for the schema), the checks on its values, its per-sample
//! output shape rule, its parameter count and how to build the layer.
//! Validation, `model.summary()` and the model builder all go through it (via
//! [`plan`](super::plan)); [`LayerConfig`](super::LayerConfig) dispatches to it.

use serde::Serialize;

use crate::activations::Activation;
use crate::layers::Layer;
use crate::problem::Problem;
use crate::spec::Arg;

/// A layer kind as the schema shows it: `{kind, doc, images_only, args}`.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct LayerSpec {
    pub kind: &'static str,
    pub doc: &'static str,
    /// True when the layer's input must be images (height, width, channels):
    /// its shape rule rejects flat samples. The page drops such layers when a
    /// dataset of flat samples (a table) is picked.
    pub images_only: bool,
    /// In editor order.
    pub args: Vec<Arg>,
}

/// What a layer keeps for a training batch beyond its output and its
/// gradients: Conv2D's im2col column matrix (`cols_per_sample` values per
/// sample, for at most [`crate::kernels::conv::COL_BUDGET`] values at once)
/// and the few samples' input-gradient columns it makes at a time (at most
/// [`crate::kernels::conv::DCOL_BUDGET`]). No copy of its input: the model
/// hands every layer its input back, as every layer keeps its output. See
/// `kernels::conv::ConvGemm` and [`crate::layers::Plan::workspace_bytes`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Workspace {
    pub cols_per_sample: u64,
}

/// One layer kind. Problem paths are relative to the layer: `"units"` for an
/// argument, `""` for the layer as a whole (the caller prefixes `layers[i]`).
pub trait LayerKind {
    /// The kind's class name, doc line and arguments with their defaults.
    fn spec() -> LayerSpec
    where
        Self: Sized;

    /// Keras class name, e.g. "Dense".
    fn kind(&self) -> &'static str;

    /// Problems with the argument values alone (ranges), before any shape.
    fn check(&self) -> Vec<Problem> {
        Vec::new()
    }

    /// Per-sample output shape for a per-sample input shape (no batch axis),
    /// or what to change. `input` has no empty axis and its product fits in
    /// `usize` (checked by the caller).
    fn output_shape(&self, input: &[usize]) -> Result<Vec<usize>, Problem>;

    /// The output shape the layer would have whatever its input (Dense:
    /// `[units]`), so that shape inference can go on past a wrong input and
    /// report the problems after it too. Default: unknown.
    fn output_shape_regardless(&self) -> Option<Vec<usize>> {
        None
    }

    /// Parameters for this input shape, overflow-checked, within the
    /// per-layer limit (else what to change). Default: none.
    fn param_count(&self, _input: &[usize]) -> Result<u64, Problem> {
        Ok(0)
    }

    /// Parameters that training does not change (Keras "non-trainable").
    fn non_trainable_params(&self, _input: &[usize]) -> u64 {
        0
    }

    /// Working buffers the built layer keeps between batches beside its
    /// output and gradients, for this input shape. Default: none.
    fn workspace(&self, _input: &[usize]) -> Workspace {
        Workspace::default()
    }

    /// The activation this layer applies, if any (`Softmax` → softmax).
    fn activation(&self) -> Option<Activation> {
        None
    }

    /// True when the model's output activation is that of the layer before
    /// (Dropout); otherwise a layer without [`activation`](Self::activation)
    /// makes the output linear.
    fn passes_activation_through(&self) -> bool {
        false
    }

    /// A new, unbuilt layer (values already checked); `Sequential` builds it.
    fn build(&self) -> Box<dyn Layer>;
}
