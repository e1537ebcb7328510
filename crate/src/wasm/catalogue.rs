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
    group: &'static str,
    files: &'static [&'static str],
    approx_bytes: u64,
    task: crate::data::Task,
    sample_shape: &'static [usize],
    num_classes: Option<usize>,
    class_names: &'static [&'static str],
    train: usize,
    test: usize,
}

fn entry(b: &bundled::BundledInfo) -> Entry {
    Entry {
        name: b.name,
        title: b.title,
        group: b.group,
        files: b.files,
        approx_bytes: b.approx_bytes,
        task: b.task,
        sample_shape: b.sample_shape,
        num_classes: b.num_classes(),
        class_names: b.class_names,
        train: b.train,
        test: b.test,
    }
}

/// Every bundled dataset: `[{name, title, group, files, approxBytes, task,
/// sampleShape, numClasses, classNames, train, test}]`.
#[wasm_bindgen]
pub fn catalogue() -> Result<JsValue, JsError> {
    to_js(&bundled::catalogue().iter().map(entry).collect::<Vec<_>>())
}

/// One catalogue entry; an unknown name is an error listing the valid ones.
#[wasm_bindgen(js_name = catalogueEntry)]
pub fn catalogue_entry(name: &str) -> Result<JsValue, JsError> {
    to_js(&entry(bundled::info(name).map_err(js_err)?))
}
