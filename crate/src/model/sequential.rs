//! `keras.Sequential`: a stack of layers, each feeding the next.
//!
//! Initial weights come from one generator, `Rng::stream(seed, Weights)`,
//! consumed layer after layer in order; every layer also gets its own fork of
//! `Rng::stream(seed, Dropout)` through `set_noise`, so adding or removing a
//! Dropout layer never changes another layer's initial weights.

use crate::activations::Activation;
use crate::layers::{Layer, LayerConfig, Param, Plan};
use crate::problem::layer_path;
use crate::rng::{Rng, Stream};
use crate::tensor::{batch_shape, copy_to, keras_shape, Tensor};
use crate::{Error, Result};
use ndarray::{Axis, IxDyn, Slice};

use super::summary::Summary;

pub struct Sequential {
    layers: Vec<Box<dyn Layer>>,
    configs: Vec<LayerConfig>,
    names: Vec<String>,
    input_shape: Vec<usize>,
    output_shape: Vec<usize>,
    /// Index of the first layer with parameters (`layers.len()` if none).
    /// `backward` stops there: the gradient w.r.t. the model input is never
    /// used, so that layer skips it and the layers before it are not run.
    first_with_params: usize,
}

/// Prefix an error's message with where it happened, keeping its kind.
pub(crate) fn with_context(e: Error, ctx: &str) -> Error {
    match e {
        Error::Config(m) => Error::Config(format!("{ctx}: {m}")),
        Error::Data(m) => Error::Data(format!("{ctx}: {m}")),
        Error::Shape(m) => Error::Shape(format!("{ctx}: {m}")),
        Error::ModelFile(m) => Error::ModelFile(format!("{ctx}: {m}")),
        Error::State(m) => Error::State(format!("{ctx}: {m}")),
        Error::Invalid(problems) => Error::Invalid(problems.into_iter().map(|p| p.at(ctx)).collect()),
        d @ Error::Diverged { .. } => d,
    }
}

pub use super::summary::keras_layer_names;
pub use crate::limits::MAX_PARAMS;

/// Parameters the layers will have for `input_shape`, from the configs alone
/// (each kind's own count, overflow-checked; `u64::MAX` when it does not fit).
pub fn count_params(input_shape: &[usize], layers: &[LayerConfig]) -> u64 {
    Plan::new(input_shape, layers).0.total_params
}

/// Every problem that stops `layers` from being built on `input_shape`
/// (shapes, sizes, limits: see [`Plan`]).
pub fn check_size(input_shape: &[usize], layers: &[LayerConfig]) -> Result<()> {
    crate::error::invalid_unless_empty(Plan::new(input_shape, layers).1)
}

impl Sequential {
    /// Build every layer for `input_shape` (per sample, no batch axis).
    /// Refuses (with every problem, as validation reports them) exactly what
    /// [`Plan`] refuses, before allocating any weight.
    pub fn new(input_shape: &[usize], layers: &[LayerConfig], seed: u64) -> Result<Self> {
        let (plan, problems) = Plan::new(input_shape, layers);
        crate::error::invalid_unless_empty(problems)?;
        let kinds: Vec<&str> = layers.iter().map(|c| c.kind()).collect();
        let names = keras_layer_names(&kinds);
        let mut weights = Rng::stream(seed, Stream::Weights);
        let mut noise = Rng::stream(seed, Stream::Dropout);
        let mut built: Vec<Box<dyn Layer>> = Vec::with_capacity(layers.len());
        let mut shape = input_shape.to_vec();
        for (i, cfg) in layers.iter().enumerate() {
            let ctx = layer_path(i);
            let mut layer = cfg.build_layer().map_err(|e| with_context(e, &ctx))?;
            shape = layer.build(&shape, &mut weights).map_err(|e| with_context(e, &ctx))?;
            if shape != plan.layers[i].output_shape {
                return Err(Error::State(format!(
                    "{ctx}: {} built an output of shape {} but its config says {}",
                    cfg.kind(),
                    keras_shape(&shape),
                    keras_shape(&plan.layers[i].output_shape)
                )));
            }
            layer.set_noise(noise.fork());
            built.push(layer);
        }
        let first_with_params = built.iter().position(|l| !l.params().is_empty()).unwrap_or(built.len());
        if let Some(l) = built.get_mut(first_with_params) {
            l.set_input_grad_needed(false);
        }
        // Backward hands each layer its input back (the model's input, or the
        // output the layer before keeps), so no layer keeps a copy of it.
        for i in 0..built.len() {
            if i == 0 || built[i - 1].output().is_some() {
                built[i].lend_input();
            }
        }
        Ok(Sequential {
            first_with_params,
            layers: built,
            configs: layers.to_vec(),
            names,
            input_shape: input_shape.to_vec(),
            output_shape: shape,
        })
    }

    fn check_input(&self, x: &Tensor) -> Result<()> {
        if x.ndim() == 0 || x.shape()[1..] != self.input_shape[..] {
            return Err(Error::Shape(format!(
                "the model expects inputs of shape {} but got {:?}",
                keras_shape(&self.input_shape),
                x.shape()
            )));
        }
        Ok(())
    }

    /// Forward pass through every layer; `training` enables dropout.
    pub fn forward(&mut self, x: &Tensor, training: bool) -> Result<&Tensor> {
        self.check_input(x)?;
        let (first, rest) = self
            .layers
            .split_first_mut()
            .ok_or_else(|| Error::State("the model has no layers".into()))?;
        let mut cur: &Tensor = first.forward(x, training)?;
        for layer in rest {
            cur = layer.forward(cur, training)?;
        }
        Ok(cur)
    }

    /// Backward pass after `forward(x, true)`: fills every param's `grad`
    /// with dLoss/dParam, given the same `x` and `grad` = dLoss/dOutput.
    /// Layers before the first one with parameters are skipped (they have no
    /// grads to fill).
    pub fn backward(&mut self, x: &Tensor, grad: &Tensor) -> Result<()> {
        self.backward_through(x, grad, false)
    }

    /// Each layer's backward from the last to the first with parameters,
    /// handed its input (`x` for the first layer, else the output the layer
    /// before keeps; see [`Layer::backward_lent`]); the last layer's from
    /// its logits when `from_logits`.
    fn backward_through(&mut self, x: &Tensor, grad: &Tensor, from_logits: bool) -> Result<()> {
        let first = self.first_with_params;
        let mut g: &Tensor = grad;
        let mut logits = from_logits;
        let mut rest: &mut [Box<dyn Layer>] = &mut self.layers;
        while rest.len() > first {
            let len = rest.len();
            let (below, here) = std::mem::take(&mut rest).split_at_mut(len - 1);
            let input = match below.last() {
                Some(l) => l.output(),
                None => Some(x),
            };
            let layer = &mut here[0];
            g = match input {
                Some(input) => layer.backward_lent(input, g, logits)?,
                None if logits => layer.backward_from_logits(g)?,
                None => layer.backward(g)?,
            };
            logits = false;
            rest = below;
        }
        Ok(())
    }

    /// Inference forward pass (no dropout) that shows `f` every layer's
    /// output in turn: `f(layer index, output)` (for `crate::inside`).
    pub fn forward_each(&mut self, x: &Tensor, mut f: impl FnMut(usize, &Tensor) -> Result<()>) -> Result<()> {
        self.check_input(x)?;
        let mut cur: &Tensor = x;
        for (i, layer) in self.layers.iter_mut().enumerate() {
            cur = layer.forward(cur, false)?;
            f(i, cur)?;
        }
        Ok(())
    }

    /// [`forward`](Self::forward) that also returns, when the output layer
    /// ends in a softmax or sigmoid, that activation and its logits (the
    /// values before it), for a loss computed through them as Keras does
    /// (`losses::logits`).
    pub fn forward_with_logits(
        &mut self,
        x: &Tensor,
        training: bool,
    ) -> Result<(&Tensor, Option<(Activation, &Tensor)>)> {
        self.check_input(x)?;
        let (last, init) = self
            .layers
            .split_last_mut()
            .ok_or_else(|| Error::State("the model has no layers".into()))?;
        let mut cur: &Tensor = x;
        for layer in init.iter_mut() {
            cur = layer.forward(cur, training)?;
        }
        let activation = last.output_activation();
        let (out, logits) = last.forward_with_logits(cur, training)?;
        Ok((out, activation.zip(logits)))
    }

    /// [`backward`](Self::backward) after `forward_with_logits(x, true)`
    /// returned logits, given `grad` = dLoss/dLogits of the output layer.
    pub fn backward_from_logits(&mut self, x: &Tensor, grad: &Tensor) -> Result<()> {
        self.backward_through(x, grad, true)
    }

    /// Inference on `x` in batches of `batch_size` (Keras `predict`, no dropout).
    pub fn predict(&mut self, x: &Tensor, batch_size: usize) -> Result<Tensor> {
        self.check_input(x)?;
        let n = x.shape()[0];
        let bs = batch_size.max(1);
        let mut out = Tensor::zeros(IxDyn(&batch_shape(n, &self.output_shape)));
        let mut start = 0;
        while start < n {
            let end = (start + bs).min(n);
            let xb = x.slice_axis(Axis(0), Slice::from(start..end)).to_owned();
            let yb = self.forward(&xb, false)?;
            copy_to(out.slice_axis_mut(Axis(0), Slice::from(start..end)), yb.view());
            start = end;
        }
        Ok(out)
    }

    /// `model.summary()`, from the configs (the same [`Plan`] that built it).
    pub fn summary(&self) -> Summary {
        let plan = Plan::new(&self.input_shape, &self.configs).0;
        Summary::from_plan(&plan, &self.configs)
    }

    pub fn param_count(&self) -> usize {
        self.layers.iter().map(|l| l.param_count()).sum()
    }

    /// All params, layer by layer, each layer's in its own order (kernel, bias).
    pub fn params(&self) -> Vec<&Param> {
        self.layers.iter().flat_map(|l| l.params()).collect()
    }

    pub fn params_mut(&mut self) -> Vec<&mut Param> {
        self.layers.iter_mut().flat_map(|l| l.params_mut()).collect()
    }

    /// `f` on every param in the order of [`params_mut`](Self::params_mut),
    /// without allocating (for the per-batch update).
    pub fn for_each_param_mut<'a>(&'a mut self, mut f: impl FnMut(&'a mut Param) -> Result<()>) -> Result<()> {
        self.layers.iter_mut().try_for_each(|l| l.for_each_param_mut(&mut f))
    }

    /// `(layer index, param)` in the same order as [`params`](Self::params).
    pub fn params_by_layer(&self) -> Vec<(usize, &Param)> {
        self.layers
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.params().into_iter().map(move |p| (i, p)))
            .collect()
    }

    /// `(layer index, param)` mutably, in the same order as [`params`](Self::params).
    pub fn params_by_layer_mut(&mut self) -> Vec<(usize, &mut Param)> {
        self.layers
            .iter_mut()
            .enumerate()
            .flat_map(|(i, l)| l.params_mut().into_iter().map(move |p| (i, p)))
            .collect()
    }

    /// A copy of every param value (Keras `get_weights`).
    pub fn weights(&self) -> Vec<Tensor> {
        self.params().iter().map(|p| p.value.clone()).collect()
    }

    /// Replace every param value (Keras `set_weights`); shapes must match.
    pub fn set_weights(&mut self, values: &[Tensor]) -> Result<()> {
        let mut params = self.params_mut();
        if params.len() != values.len() {
            return Err(Error::Shape(format!(
                "the model has {} weight tensors but {} were given",
                params.len(),
                values.len()
            )));
        }
        for (i, (p, v)) in params.iter().zip(values).enumerate() {
            if p.value.shape() != v.shape() {
                return Err(Error::Shape(format!(
                    "weight {i} ({}) has shape {:?} but the new value has shape {:?}",
                    p.name,
                    p.value.shape(),
                    v.shape()
                )));
            }
        }
        for (p, v) in params.iter_mut().zip(values) {
            copy_to(p.value.view_mut(), v.view());
        }
        Ok(())
    }

    pub fn input_shape(&self) -> &[usize] {
        &self.input_shape
    }

    pub fn output_shape(&self) -> &[usize] {
        &self.output_shape
    }

    pub fn layer_configs(&self) -> &[LayerConfig] {
        &self.configs
    }

    /// Keras names, `dense`, `dense_1`, … one per layer.
    pub fn layer_names(&self) -> &[String] {
        &self.names
    }

    pub fn num_layers(&self) -> usize {
        self.layers.len()
    }
}
