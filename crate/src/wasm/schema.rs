//! `schema()`: layer kinds, activations, initializers, losses, optimizers
//! with Keras defaults, metrics, datasets, config fields and limits, as the
//! core defines them ([`crate::schema`]). The page builds its editor from it.

use wasm_bindgen::prelude::*;

use super::to_js;

#[wasm_bindgen]
pub fn schema() -> Result<JsValue, JsError> {
    to_js(&crate::schema::schema())
}
