//! "See inside the network" (issue 11, items 3–4), computed on request and
//! never inside a training step: fixed-bin histograms of each layer's weights
//! and activations, one layer's activations for given inputs (hidden-unit
//! decision maps, feature maps), and the weights a network drawing shows.
//!
//! Histogram: `bins` equal bins over `[min, max]` of the finite values,
//! bin `k` = `[min + k·w, min + (k+1)·w)` with `w = (max − min)/bins`, the last
//! bin closed (it holds `max`); when `min = max` every value is in the middle
//! bin. Non-finite values are counted apart.

use serde::Serialize;

use crate::model::{Run, Sequential};
use crate::tensor::{batch_shape, Tensor};
use crate::{Error, Result};

/// Most bins a histogram may have.
pub const MAX_BINS: usize = 256;
/// Most training samples whose activations a histogram covers.
pub const MAX_SAMPLES: usize = 1024;
/// Most inputs one `layer_output` call runs (a 64×64 grid).
pub const MAX_INPUTS: usize = 4096;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Histogram {
    pub min: f32,
    pub max: f32,
    pub counts: Vec<u32>,
    /// NaN and ±∞ values (not in `counts`).
    pub nonfinite: u32,
}

/// The histogram of `values` (see the module doc); `bins` ≥ 1.
pub fn histogram(values: &[f32], bins: usize) -> Histogram {
    let bins = bins.max(1);
    let finite = || values.iter().copied().filter(|v| v.is_finite());
    let min = finite().fold(f32::INFINITY, f32::min);
    let max = finite().fold(f32::NEG_INFINITY, f32::max);
    let mut counts = vec![0u32; bins];
    let nonfinite = values.len() - finite().count();
    if min <= max {
        let w = (f64::from(max) - f64::from(min)) / bins as f64;
        for v in finite() {
            let k = if w > 0.0 {
                (((f64::from(v) - f64::from(min)) / w) as usize).min(bins - 1)
            } else {
                bins / 2
            };
            counts[k] += 1;
        }
    }
    Histogram {
        min: if min <= max { min } else { 0.0 },
        max: if min <= max { max } else { 0.0 },
        counts,
        nonfinite: nonfinite as u32,
    }
}

/// One layer's histograms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerHistograms {
    pub index: usize,
    /// Keras layer name (`dense_2`).
    pub name: String,
    pub kind: &'static str,
    /// Of the layer's kernel (its first param), if it has params.
    pub weights: Option<Histogram>,
    /// Of its outputs on the first training samples (inference mode).
    pub activations: Histogram,
}

/// Every layer's weight and activation histograms, activations over the
/// first `samples` (1…[`MAX_SAMPLES`]) training samples of `run`.
pub fn layer_histograms(run: &mut Run, samples: usize, bins: usize) -> Result<Vec<LayerHistograms>> {
    check_count("bins", bins, MAX_BINS)?;
    check_count("samples", samples, MAX_SAMPLES)?;
    let train = run.train_set();
    let n = samples.min(train.len());
    let idx: Vec<usize> = (0..n).map(|i| train.index(i)).collect();
    let mut x = Tensor::zeros(ndarray::IxDyn(&[0]));
    train.dataset().gather_x(&idx, &mut x);
    let model = run.model_mut();
    let names = model.layer_names().to_vec();
    let mut kernels: Vec<Option<Histogram>> = vec![None; model.num_layers()];
    for (layer, p) in model.params_by_layer() {
        if kernels[layer].is_none() {
            kernels[layer] = Some(tensor_histogram(&p.value, bins));
        }
    }
    let mut out = Vec::with_capacity(names.len());
    let kinds: Vec<&'static str> = model.layer_configs().iter().map(|c| c.kind()).collect();
    model.forward_each(&x, |i, y| {
        out.push(LayerHistograms {
            index: i,
            name: names[i].clone(),
            kind: kinds[i],
            weights: kernels[i].take(),
            activations: tensor_histogram(y, bins),
        });
        Ok(())
    })?;
    Ok(out)
}

fn tensor_histogram(t: &Tensor, bins: usize) -> Histogram {
    match t.as_slice() {
        Some(v) => histogram(v, bins),
        None => histogram(&t.iter().copied().collect::<Vec<_>>(), bins),
    }
}

/// The outputs of layer `layer` (0-based) for `input` (n samples of the
/// model's input shape, flattened; n ≤ [`MAX_INPUTS`]), inference mode:
/// `(values, per-sample output shape)`.
pub fn layer_output(model: &mut Sequential, input: &[f32], layer: usize) -> Result<(Vec<f32>, Vec<usize>)> {
    let shape = model.input_shape().to_vec();
    let per: usize = shape.iter().product();
    if per == 0 || input.is_empty() || !input.len().is_multiple_of(per) {
        return Err(Error::Shape(format!(
            "got {} input values, expected a multiple of {per} (input shape {shape:?})",
            input.len()
        )));
    }
    let n = input.len() / per;
    check_count("inputs", n, MAX_INPUTS)?;
    if layer >= model.num_layers() {
        return Err(Error::Config(format!(
            "the model has {} layers: choose a layer from 0 to {}",
            model.num_layers(),
            model.num_layers().saturating_sub(1)
        )));
    }
    let x = Tensor::from_shape_vec(batch_shape(n, &shape), input.to_vec()).map_err(|e| Error::Shape(e.to_string()))?;
    let mut got = None;
    model.forward_each(&x, |i, y| {
        if i == layer {
            got = Some((y.iter().copied().collect(), y.shape()[1..].to_vec()));
        }
        Ok(())
    })?;
    got.ok_or_else(|| Error::State("the layer gave no output".into()))
}

/// The top-left block of a layer's kernel seen as a matrix `[fan_in, units]`
/// (all axes but the last flattened: Dense `[in, units]`, Conv2D
/// `[kh·kw·c_in, filters]`) with the first `cols` biases: what a drawing of
/// the network (≤ 16 × 16 edges), the first layer's templates (784 × 32) or
/// the filters show, copied without the rest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeightBlock {
    pub index: usize,
    pub name: String,
    pub kind: &'static str,
    /// The kernel's full shape.
    pub shape: Vec<usize>,
    pub fan_in: usize,
    pub units: usize,
    pub rows: usize,
    pub cols: usize,
    /// `rows × cols`, row-major: `values[r·cols + c]` = kernel `[r, c]`.
    pub values: Vec<f32>,
    /// The first `cols` biases (empty without a bias).
    pub bias: Vec<f32>,
}

/// [`WeightBlock`] of every layer with a kernel, at most `rows × cols` each.
pub fn weight_blocks(model: &Sequential, rows: usize, cols: usize) -> Vec<WeightBlock> {
    let names = model.layer_names();
    let kinds: Vec<&'static str> = model.layer_configs().iter().map(|c| c.kind()).collect();
    let mut out: Vec<WeightBlock> = Vec::new();
    for (layer, p) in model.params_by_layer() {
        if let Some(last) = out.last_mut().filter(|b| b.index == layer) {
            if p.name == "bias" {
                last.bias = p.value.iter().take(last.cols).copied().collect();
            }
            continue;
        }
        let shape = p.value.shape().to_vec();
        let units = shape.last().copied().unwrap_or(1).max(1);
        let fan_in = p.value.len() / units;
        let (r, c) = (rows.min(fan_in), cols.min(units));
        let flat: Vec<f32> = p.value.iter().copied().collect();
        let values = (0..r).flat_map(|i| flat[i * units..i * units + c].to_vec()).collect();
        out.push(WeightBlock {
            index: layer,
            name: names.get(layer).cloned().unwrap_or_default(),
            kind: kinds.get(layer).copied().unwrap_or(""),
            shape,
            fan_in,
            units,
            rows: r,
            cols: c,
            values,
            bias: Vec::new(),
        });
    }
    out
}

fn check_count(what: &str, n: usize, max: usize) -> Result<()> {
    if n == 0 || n > max {
        return Err(Error::Config(format!("{what} must be from 1 to {max}, got {n}")));
    }
    Ok(())
}

#[cfg(test)]
#[path = "inside_tests.rs"]
mod tests;
