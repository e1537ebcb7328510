//! The user's own data (the page's "Upload data…"): `CsvParse` (upload_csv.rs:
//! the dialog's preview and `Data` of a CSV file, read in slices) and `Data.fromIdx`
//! make a `Data` like the bundled ones (shared by runs), `Data.facts` + `inspectFacts` to validate a
//! config against it, and `Data.exportKeras` to export with the upload's file and decisions.
//! The import itself is the core's (`crate::data::csv_import`, `idx`).

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::data::{seed_from_js, Data};
use super::{js_err, to_js};
use crate::config::ExperimentConfig;
use crate::data::{self, bundled::TEST_FRACTION, CsvImport, DatasetFacts};
use crate::export::{export, DataSource, Format};

/// Import options from their JSON (`{}` or `null`: every option detected).
pub(super) fn options(json: &str) -> Result<CsvImport, JsError> {
    if json.trim().is_empty() || json.trim() == "null" {
        return Ok(CsvImport::default());
    }
    serde_json::from_slice(json.as_bytes()).map_err(|e| JsError::new(&format!("the CSV options are not valid: {e}")))
}

/// The file part of an upload name, after checking it is one.
pub(super) fn upload_file(name: &str) -> Result<&str, JsError> {
    data::parse_upload_name(name).map(|(file, _)| file).ok_or_else(|| {
        JsError::new(&format!(
            "\"{name}\" is not an upload name like upload:iris.csv@ab12cd34ef56"
        ))
    })
}

/// `uploadName(file, sha256Hex)`: `upload:<file>@<12 hex digits>` (see `crate::data::upload_name`).
#[wasm_bindgen(js_name = uploadName)]
pub fn upload_name(file: &str, sha256_hex: &str) -> Result<String, JsError> {
    data::upload_name(file, sha256_hex).ok_or_else(|| {
        JsError::new(&format!(
            "cannot name the upload \"{file}\": use a file name without '@'"
        ))
    })
}

/// `inspectFacts(configJson, factsJson)`: the core's `inspect` against an
/// upload's facts (from `Data.facts()`), so each edit is checked without the data.
#[wasm_bindgen(js_name = inspectFacts)]
pub fn inspect_facts(config_json: &str, facts_json: &str) -> Result<JsValue, JsError> {
    let facts: DatasetFacts = serde_json::from_slice(facts_json.as_bytes())
        .map_err(|e| JsError::new(&format!("the dataset facts are not valid: {e}")))?;
    let inspection = match ExperimentConfig::from_json(config_json.as_bytes()) {
        Ok(config) => crate::inspect::inspect_config(&config, &facts),
        Err(e) => crate::inspect::Inspection {
            ok: false,
            problems: e.into_problems(""),
            summary: None,
        },
    };
    to_js(&inspection)
}

#[wasm_bindgen]
impl Data {
    /// An IDX pair (decompressed) named `name`; `labelsFile` is the label
    /// file's name for the export. 20 % of each class is the test part,
    /// chosen with `seed` (as the CLI's `--idx`).
    #[wasm_bindgen(js_name = fromIdx)]
    pub fn from_idx(name: &str, images: &[u8], labels: &[u8], labels_file: &str, seed: f64) -> Result<Data, JsError> {
        let file = upload_file(name)?.to_string();
        if data::upload_base(name).as_deref() != Some(name) {
            return Err(JsError::new(&format!(
                "{name}: IDX images are read without options; use the name without the part in parentheses"
            )));
        }
        let seed = seed_from_js(seed)?;
        let ds = data::dataset_from_idx(name, images, labels).map_err(js_err)?;
        let classes: Vec<u32> = (0..ds.len()).map(|i| ds.label(i).unwrap_or(0)).collect();
        let (tr, te) = data::stratified_split(&classes, TEST_FRACTION, seed).map_err(js_err)?;
        let (train, test) = (ds.subset(&tr), ds.subset(&te));
        if train.is_empty() || test.is_empty() {
            return Err(JsError::new(&format!(
                "the IDX files hold {} images: too few for a train and a test part; use more images",
                ds.len()
            )));
        }
        Ok(Data {
            name: name.to_string(),
            seed,
            source: DataSource::Idx {
                train: [file, labels_file.to_string()],
                test: None,
                sample_shape: train.sample_shape.clone(),
                num_classes: train.num_classes().unwrap_or(0),
            },
            train: Arc::new(train),
            test: Arc::new(test),
        })
    }

    /// This data's facts as JSON, for [`inspect_facts`] (validation without the data).
    pub fn facts(&self) -> Result<String, JsError> {
        serde_json::to_string(&DatasetFacts::of(&self.train)).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The CSV import's decisions (`CsvReport`), or `null` for other data.
    pub fn report(&self) -> Result<JsValue, JsError> {
        match &self.source {
            DataSource::Csv { report, .. } => to_js(report),
            _ => Ok(JsValue::NULL),
        }
    }

    /// `exportKeras` for this data: an upload is read from its file(s) with
    /// the same decisions; `format` is `"py"` or `"ipynb"`.
    #[wasm_bindgen(js_name = exportKeras)]
    pub fn export_keras(&self, config_json: &str, format: &str, model_file: Option<String>) -> Result<String, JsError> {
        let config = ExperimentConfig::from_json(config_json.as_bytes()).map_err(js_err)?;
        let format = Format::from_name(format).map_err(js_err)?;
        export(&config, &self.source, model_file.as_deref().map(str::as_bytes), format).map_err(js_err)
    }
}

/// `uploadOptions(name)`: the CSV import options an upload's name gives (its
/// part in parentheses, see `crate::data::csv_link`; none: every option
/// detected), or an error saying which option is wrong.
#[wasm_bindgen(js_name = uploadOptions)]
pub fn upload_options(name: &str) -> Result<JsValue, JsError> {
    to_js(&data::upload_options(name).map_err(js_err)?)
}

/// `uploadMissing(name)`: what to say when a config names an upload that is
/// not loaded here ("this experiment uses your file iris.csv (sha256 …)…"), or
/// `undefined` when `name` is not an upload name.
#[wasm_bindgen(js_name = uploadMissing)]
pub fn upload_missing(name: &str) -> Option<String> {
    data::missing_upload_message(name)
}
