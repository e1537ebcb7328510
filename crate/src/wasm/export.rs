//! `exportKeras`: the experiment as a Keras script or Jupyter notebook (the
//! page's "Export to Keras" button), built by `crate::export`.

use wasm_bindgen::prelude::*;

use super::js_err;
use crate::config::ExperimentConfig;
use crate::export::{export, DataSource, Format};

/// `exportKeras(configJson, format, modelFile?)`: `format` is `"py"` or
/// `"ipynb"`; `modelFile` (the text of a `gradlab-model` file of the same
/// layer stack) embeds its weights so the notebook continues from them.
/// Errors carry the core's message (an invalid config, an unknown format,
/// a model file of another stack).
#[wasm_bindgen(js_name = exportKeras)]
pub fn export_keras(config_json: &str, format: &str, model_file: Option<String>) -> Result<String, JsError> {
    let config = ExperimentConfig::from_json(config_json.as_bytes()).map_err(js_err)?;
    let format = Format::from_name(format).map_err(js_err)?;
    export(
        &config,
        &DataSource::Bundled,
        model_file.as_deref().map(str::as_bytes),
        format,
    )
    .map_err(js_err)
}
