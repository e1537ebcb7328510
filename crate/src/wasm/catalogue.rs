//! The bundled-dataset catalogue, for the page's picker and the worker's loader.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_err, to_js};
use crate::data::bundled;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    name: &'static str,
    title: &'static str,
    files: &'static [&'static str],
    approx_bytes: u64,
}

fn entry(b: &bundled::BundledInfo) -> Entry {
    Entry {
        name: b.name,
        title: b.title,
        files: b.files,
        approx_bytes: b.approx_bytes,
    }
}

/// Every bundled dataset: `[{name, title, files, approxBytes}]`.
#[wasm_bindgen]
pub fn catalogue() -> Result<JsValue, JsError> {
    to_js(&bundled::catalogue().iter().map(entry).collect::<Vec<_>>())
}

/// One catalogue entry; an unknown name is an error listing the valid ones.
#[wasm_bindgen(js_name = catalogueEntry)]
pub fn catalogue_entry(name: &str) -> Result<JsValue, JsError> {
    to_js(&entry(bundled::info(name).map_err(js_err)?))
}
