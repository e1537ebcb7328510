//! `inspect(configJson)`: validate an experiment config against its dataset's
//! catalogue facts and summarise the model — no dataset bytes, no weights
//! (the core's [`crate::inspect`]). The page calls it on every edit.

use wasm_bindgen::prelude::*;

use super::to_js;

/// `{ok, problems: [{path, message}…], summary | null}`.
#[wasm_bindgen]
pub fn inspect(config_json: &str) -> Result<JsValue, JsError> {
    to_js(&crate::inspect::inspect(config_json))
}
