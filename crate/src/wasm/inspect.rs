//! `inspect`: validate an experiment config against its dataset and summarise
//! the model, without touching any training session — the page calls it on
//! every edit of the layer stack to explain problems in place.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{from_js_bytes, to_js};
use crate::config::ExperimentConfig;
use crate::data::bundled;
use crate::model::{Sequential, Summary};

#[derive(Serialize)]
struct Inspection {
    ok: bool,
    problems: Vec<String>,
    summary: Option<Summary>,
}

fn problems_of(e: crate::Error) -> Vec<String> {
    let text = match e {
        crate::Error::Config(m) | crate::Error::Data(m) | crate::Error::Shape(m) => m,
        other => other.to_string(),
    };
    text.lines()
        .map(|l| l.trim().trim_start_matches("- ").to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn run(config_json: &str, files: &[Vec<u8>]) -> Inspection {
    let fail = |problems| Inspection {
        ok: false,
        problems,
        summary: None,
    };
    let config = match ExperimentConfig::from_json(config_json.as_bytes()) {
        Ok(c) => c,
        Err(e) => return fail(problems_of(e)),
    };
    let slices: Vec<&[u8]> = files.iter().map(|b| b.as_slice()).collect();
    let (train, _) = match bundled::load(&config.dataset, &slices, config.seed) {
        Ok(d) => d,
        Err(e) => return fail(problems_of(e)),
    };
    let mut problems = config.validate(&train).err().map(problems_of).unwrap_or_default();
    // Validation already checks every layer; building the model only adds a
    // problem when validation found none (else each would be reported twice).
    let summary = match Sequential::new(&train.sample_shape, &config.layers, config.seed) {
        Ok(m) => Some(m.summary()),
        Err(e) => {
            if problems.is_empty() {
                problems = problems_of(e);
            }
            None
        }
    };
    Inspection {
        ok: problems.is_empty(),
        problems,
        summary,
    }
}

/// `{ok, problems: [message…], summary | null}` for a config and its dataset files.
#[wasm_bindgen]
pub fn inspect(config_json: &str, files: js_sys::Array) -> Result<JsValue, JsError> {
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| from_js_bytes(&f)).collect::<Result<_, _>>()?;
    to_js(&run(config_json, &bytes))
}
