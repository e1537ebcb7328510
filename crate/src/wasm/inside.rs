//! "See inside the network": conversions over `model::probe` (gradient and
//! weight norms while training) and `crate::inside` (histograms, one layer's
//! activations, the weights a drawing shows). Computed on request, between
//! training chunks; nothing here runs inside a step.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::run::Run;
use super::{js_err, to_js};
use crate::inside;

#[derive(Serialize)]
struct LayerOutput {
    /// Per-sample output shape.
    shape: Vec<usize>,
    values: Vec<f32>,
}

#[wasm_bindgen]
impl Run {
    /// Collect per-param gradient norms from the next batch on (true) or stop (false).
    #[wasm_bindgen(js_name = setProbe)]
    pub fn set_probe(&mut self, on: bool) {
        self.run.set_probe(on);
    }

    /// The norms since the previous call: `{step, batches, params: [{layer, layer_name, param, size,
    /// grad_norm, last_grad_norm, weight_norm}]}`, or null when the probe is off.
    #[wasm_bindgen(js_name = takeProbe)]
    pub fn take_probe(&mut self) -> Result<JsValue, JsError> {
        match self.run.take_probe() {
            Some(r) => to_js(&r),
            None => Ok(JsValue::NULL),
        }
    }

    /// `[{index, name, kind, weights: {min, max, counts, nonfinite} | null, activations}]`: each
    /// layer's kernel and its outputs on the first `samples` training samples, `bins` bins.
    #[wasm_bindgen(js_name = layerHistograms)]
    pub fn layer_histograms(&mut self, samples: usize, bins: usize) -> Result<JsValue, JsError> {
        to_js(&inside::layer_histograms(&mut self.run, samples, bins).map_err(js_err)?)
    }

    /// `{shape, values}`: layer `layer`'s outputs (inference mode) for `input` (n samples, flattened).
    #[wasm_bindgen(js_name = layerOutput)]
    pub fn layer_output(&mut self, input: &[f32], layer: usize) -> Result<JsValue, JsError> {
        let (values, shape) = inside::layer_output(self.run.model_mut(), input, layer).map_err(js_err)?;
        to_js(&LayerOutput { shape, values })
    }

    /// `[{index, name, kind, shape, fan_in, units, rows, cols, values, bias}]`: the top-left
    /// `rows × cols` of every kernel (as `[fan_in, units]`) and its first `cols` biases.
    #[wasm_bindgen(js_name = weightBlocks)]
    pub fn weight_blocks(&self, rows: usize, cols: usize) -> Result<JsValue, JsError> {
        to_js(&inside::weight_blocks(self.run.model(), rows, cols))
    }
}
