//! [`Plan`]: a layer stack worked out from its configs alone — every layer's
//! output shape and parameter count, the model's totals and its activation
//! size — with every problem that would stop it from being built. It is THE
//! shape inference: validation, `inspect`, `model.summary()` and
//! `Sequential::new` all use it, so what validates is exactly what builds.
//!
//! Checks (all sizes overflow-checked in u64): at least 1 and at most
//! [`MAX_LAYERS`] layers; each layer's values ([`LayerKind::check`]); each
//! output shape ([`LayerKind::output_shape`]: no empty axis, a countable
//! size); each layer's parameters ([`LayerKind::param_count`]); the total
//! at most [`MAX_PARAMS`]. [`Plan::check_batch`] bounds batch × activations.

use crate::kernels::conv::{held_samples, COL_BUDGET, DCOL_BUDGET};
use crate::layers::kind::Workspace;
use crate::layers::LayerConfig;
use crate::limits::{BYTES_PER_ACTIVATION, MAX_ACTIVATION_BYTES, MAX_BATCH_SIZE, MAX_LAYERS, MAX_PARAMS};
use crate::problem::{group_thousands, layer_path, megabytes, Problem};
use crate::tensor::keras_shape;

/// One layer of a [`Plan`].
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedLayer {
    pub kind: &'static str,
    /// Per-sample output shape.
    pub output_shape: Vec<usize>,
    pub params: u64,
    pub trainable_params: u64,
    /// Its working buffers ([`LayerKind::workspace`]).
    pub workspace: Workspace,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub input_shape: Vec<usize>,
    /// The layers whose shapes could be inferred (all of them when no shape
    /// problem was found; inference stops at the first layer that has one).
    pub layers: Vec<PlannedLayer>,
    /// Whether every layer was inferred.
    pub complete: bool,
    /// The model's per-sample output shape, when inference reached the end
    /// (also past a wrong input, see [`LayerKind::output_shape_regardless`]).
    pub output: Option<Vec<usize>>,
    pub total_params: u64,
    pub trainable_params: u64,
    /// Input values plus every layer's output values, per sample.
    pub values_per_sample: u64,
}

fn count(shape: &[usize]) -> Option<u64> {
    shape.iter().try_fold(1u64, |a, &d| a.checked_mul(d as u64))
}

/// The most values one sample may have at any layer: one sample's
/// activations alone within [`MAX_ACTIVATION_BYTES`].
const MAX_SAMPLE_VALUES: u64 = MAX_ACTIVATION_BYTES / BYTES_PER_ACTIVATION;

/// A shape every layer can take: no axis, an empty axis, or more than
/// [`MAX_SAMPLE_VALUES`] values is a problem.
fn check_shape(shape: &[usize]) -> Option<String> {
    if shape.is_empty() || shape.contains(&0) {
        return Some(format!("{} is empty", keras_shape(shape)));
    }
    let fits = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d)).is_some();
    match count(shape) {
        Some(n) if fits && n <= MAX_SAMPLE_VALUES => None,
        n => Some(format!(
            "{} has {} values per sample; Gradient Lab handles at most {}",
            keras_shape(shape),
            n.map_or("too many".into(), group_thousands),
            group_thousands(MAX_SAMPLE_VALUES)
        )),
    }
}

impl Plan {
    /// Work out `layers` on per-sample inputs of `input_shape`; returns the
    /// plan (as far as it could be inferred) and ALL problems found.
    pub fn new(input_shape: &[usize], layers: &[LayerConfig]) -> (Plan, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut plan = Plan {
            input_shape: input_shape.to_vec(),
            layers: Vec::with_capacity(layers.len().min(MAX_LAYERS)),
            complete: false,
            output: None,
            total_params: 0,
            trainable_params: 0,
            values_per_sample: 0,
        };
        if layers.is_empty() {
            problems.push(Problem::new(
                "layers",
                "the model has no layers: add at least one Dense layer",
            ));
            return (plan, problems);
        }
        if layers.len() > MAX_LAYERS {
            problems.push(Problem::new(
                "layers",
                format!(
                    "the model has {} layers; Gradient Lab builds at most {MAX_LAYERS}: remove layers",
                    group_thousands(layers.len() as u64)
                ),
            ));
            return (plan, problems);
        }
        let mut shape = Some(input_shape.to_vec());
        // False once a layer's shape was assumed rather than inferred.
        let mut inferred = true;
        if let Some(what) = check_shape(input_shape) {
            problems.push(Problem::new("dataset", format!("the dataset's input shape {what}")));
            shape = None;
        }
        let mut values = shape.as_deref().and_then(count).unwrap_or(0);
        let mut total: Option<u64> = Some(0);
        let mut trainable: u64 = 0;
        for (i, layer) in layers.iter().enumerate() {
            let at = layer_path(i);
            let kind = layer.as_kind();
            let value_problems = kind.check();
            let values_ok = value_problems.is_empty();
            problems.extend(value_problems.into_iter().map(|p| p.at(&at)));
            let Some(input) = shape.take() else { continue };
            if !values_ok {
                continue;
            }
            let out = match kind.output_shape(&input) {
                Ok(out) => out,
                Err(p) => {
                    problems.push(p.at(&at));
                    inferred = false;
                    shape = kind.output_shape_regardless();
                    continue;
                }
            };
            if let Some(what) = check_shape(&out) {
                problems.push(Problem::new(at, format!("{}'s output shape {what}", kind.kind())));
                continue;
            }
            if !inferred {
                shape = Some(out);
                continue;
            }
            let params = match kind.param_count(&input) {
                Ok(n) => n,
                Err(p) => {
                    problems.push(p.at(&at));
                    continue;
                }
            };
            let frozen = kind.non_trainable_params(&input).min(params);
            total = total.and_then(|t| t.checked_add(params));
            trainable = trainable.saturating_add(params - frozen);
            values = values.saturating_add(count(&out).unwrap_or(u64::MAX));
            plan.layers.push(PlannedLayer {
                kind: kind.kind(),
                output_shape: out.clone(),
                params,
                trainable_params: params - frozen,
                workspace: kind.workspace(&input),
            });
            shape = Some(out);
        }
        plan.complete = plan.layers.len() == layers.len();
        plan.output = shape;
        plan.total_params = total.unwrap_or(u64::MAX);
        plan.trainable_params = trainable;
        plan.values_per_sample = values;
        if plan.total_params > MAX_PARAMS {
            problems.push(Problem::new(
                "layers",
                format!(
                    "the model would have {} parameters; Gradient Lab trains at most {}: use fewer units",
                    total.map_or("more than 18 quintillion".into(), group_thousands),
                    group_thousands(MAX_PARAMS)
                ),
            ));
        }
        (plan, problems)
    }

    /// Per-sample output shape of the model, if inference reached the end.
    pub fn output_shape(&self) -> Option<&[usize]> {
        self.output.as_deref()
    }

    /// The bytes one training batch of `batch_size` samples needs for its
    /// activations (see `limits::BYTES_PER_ACTIVATION`), saturating.
    pub fn activation_bytes(&self, batch_size: usize) -> u64 {
        (batch_size as u64)
            .saturating_mul(self.values_per_sample)
            .saturating_mul(BYTES_PER_ACTIVATION)
    }

    /// The bytes the layers' working buffers hold for a training batch of
    /// `batch_size` (saturating): for each Conv2D, its column matrix for one
    /// chunk of samples and, for all but the first layer with parameters
    /// (whose input gradient is never needed), the input-gradient columns of
    /// the few samples it makes at a time ([`held_samples`] within
    /// [`COL_BUDGET`] and [`DCOL_BUDGET`]).
    ///
    /// Found in the page: 30 `Conv2D(12, 3, padding="same")` on MNIST at a
    /// batch of 128 were estimated at ~600 MB while they held 1,781 MiB of
    /// the 2 GiB, ~48 MB of buffers per layer (the input-gradient columns
    /// were then a whole chunk's, and a copy of the input was kept).
    pub fn workspace_bytes(&self, batch_size: usize) -> u64 {
        let first_with_params = self.layers.iter().position(|l| l.params > 0);
        let values = self.layers.iter().enumerate().fold(0u64, |sum, (i, l)| {
            let per_sample = l.workspace.cols_per_sample;
            if per_sample == 0 {
                return sum;
            }
            let per = usize::try_from(per_sample).unwrap_or(usize::MAX);
            let (chunk, part) = held_samples(per, COL_BUDGET, DCOL_BUDGET, batch_size);
            let dcol = if Some(i) == first_with_params { 0 } else { part };
            let samples = (chunk.min(batch_size) as u64).saturating_add(dcol.min(batch_size) as u64);
            sum.saturating_add(samples.saturating_mul(per_sample))
        });
        values.saturating_mul(4)
    }

    /// A problem (at `batch_size`) when the batch size is 0, above
    /// [`MAX_BATCH_SIZE`], or its activations exceed [`MAX_ACTIVATION_BYTES`].
    pub fn check_batch(&self, batch_size: usize) -> Option<Problem> {
        let message = if batch_size == 0 {
            "batch_size must be a whole number ≥ 1, got 0 (Keras' default is 32)".to_string()
        } else if batch_size > MAX_BATCH_SIZE {
            format!(
                "batch_size is {}; Gradient Lab trains batches of at most {}: lower it (Keras' default is 32)",
                group_thousands(batch_size as u64),
                group_thousands(MAX_BATCH_SIZE as u64)
            )
        } else if self.activation_bytes(batch_size) > MAX_ACTIVATION_BYTES {
            format!(
                "a batch of {} samples through this model needs about {} MB for its activations; \
                 Gradient Lab allows {} MB: lower batch_size or use fewer units",
                group_thousands(batch_size as u64),
                megabytes(self.activation_bytes(batch_size)),
                megabytes(MAX_ACTIVATION_BYTES)
            )
        } else {
            return None;
        };
        Some(Problem::new("batch_size", message))
    }
}
