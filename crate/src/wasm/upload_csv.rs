//! `CsvParse`: a CSV upload read in slices (`crate::data::CsvJob`), so the
//! worker can report real progress between slices and stop on Cancel. It
//! ends in the upload dialog's `preview` or in a `Data` like the bundled ones.

use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::data::{seed_from_js, Data};
use super::upload::{options, upload_file};
use super::{js_err, to_js};
use crate::data::{self, CsvJob, CsvPreview};
use crate::export::DataSource;

#[wasm_bindgen]
pub struct CsvParse {
    name: String,
    bytes: Vec<u8>,
    job: Option<CsvJob>,
    seed: u64,
}

/// The preview and the upload's name with the import's decisions (`null` on an error).
#[derive(Serialize)]
struct Preview {
    #[serde(flatten)]
    preview: CsvPreview,
    name: Option<String>,
}

#[wasm_bindgen]
impl CsvParse {
    /// `new CsvParse(name, bytes, optionsJson, seed)`: reads `bytes` as the
    /// upload `name` with the options `optionsJson` (the dialog's choices), or
    /// without it (`undefined`) the options in the name (`crate::data::csv_link`).
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, bytes: Vec<u8>, options_json: Option<String>, seed: f64) -> Result<CsvParse, JsError> {
        upload_file(name)?;
        let opts = match options_json {
            Some(json) => options(&json)?,
            None => data::upload_options(name).map_err(js_err)?,
        };
        let seed = seed_from_js(seed)?;
        let job = CsvJob::new(name, &bytes, opts, seed);
        Ok(CsvParse {
            name: name.to_string(),
            bytes,
            job: Some(job),
            seed,
        })
    }

    /// Reads about `maxBytes` more (whole lines); true when the file is read
    /// (or reading stopped at an error, which `preview` / `data` report).
    pub fn step(&mut self, max_bytes: usize) -> bool {
        match self.job.as_mut() {
            Some(job) => job.step(&self.bytes, max_bytes),
            None => true,
        }
    }

    /// Bytes read so far.
    #[wasm_bindgen(js_name = doneBytes)]
    pub fn done_bytes(&self) -> f64 {
        self.job.as_ref().map_or(self.bytes.len(), CsvJob::done_bytes) as f64
    }

    /// The file's size in bytes.
    #[wasm_bindgen(js_name = totalBytes)]
    pub fn total_bytes(&self) -> f64 {
        self.bytes.len() as f64
    }

    fn take(&mut self) -> Result<CsvJob, JsError> {
        self.job
            .take()
            .ok_or_else(|| JsError::new("this CSV file was already imported; read it again"))
    }

    /// After the last step: `{lines: [{line, cells}], report | null, error |
    /// null, name | null}`, `name` being the upload's name with the import's
    /// decisions as explicit options (re-reading with it gives the same data).
    pub fn preview(&mut self, max_lines: usize) -> Result<JsValue, JsError> {
        let preview = self.take()?.preview(max_lines);
        let name = preview
            .report
            .as_ref()
            .and_then(|r| data::csv_upload_name(&self.name, &r.resolved_options()));
        to_js(&Preview { preview, name })
    }

    /// After the last step: the imported `Data`, named as this upload (the
    /// core's message, with line and column, when the file cannot be imported).
    pub fn data(&mut self) -> Result<Data, JsError> {
        let imported = self.take()?.finish().map_err(js_err)?;
        Ok(Data {
            name: self.name.clone(),
            seed: self.seed,
            train: Arc::new(imported.train),
            test: Arc::new(imported.test),
            source: DataSource::Csv {
                file_name: upload_file(&self.name)?.to_string(),
                report: imported.report,
            },
        })
    }
}
