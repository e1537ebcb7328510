//! Weights typed by hand: the facade over `model::hand_weights` (no maths here).

use wasm_bindgen::prelude::*;

use super::run::Run;
use super::{js_err, to_js};

#[wasm_bindgen]
impl Run {
    /// `[{layer, layer_name, param, shape, index, value}]` for a model of at most 64 weights;
    /// an error saying so for a larger one.
    #[wasm_bindgen(js_name = handWeights)]
    pub fn hand_weights(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.hand_weights().map_err(js_err)?)
    }

    /// Sets weight `index` of `param` ("kernel", "bias") of layer `layer`; nothing changes on an error.
    #[wasm_bindgen(js_name = setHandWeight)]
    pub fn set_hand_weight(&mut self, layer: usize, param: &str, index: usize, value: f32) -> Result<(), JsError> {
        self.run.set_hand_weight(layer, param, index, value).map_err(js_err)
    }
}
