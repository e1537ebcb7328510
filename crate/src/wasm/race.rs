//! The race link form (`?race=`, a run typed in the race panel): parsed by the
//! core's `config::patch`, the one parser of the form; the page gets each
//! run's changes as the plain object `www/js/race.js` keeps
//! ([`Patch::page_form`]), or a JS `Error` with the core's message saying
//! what to change (with the run's number).

use wasm_bindgen::prelude::*;

use super::{js_err, to_js};
use crate::config::patch::{self, Patch};

/// The `?race=` text → `{runs: [patch…]}` (at most `patch::MAX_RUNS` runs).
#[wasm_bindgen(js_name = parseRace)]
pub fn parse_race(text: &str) -> Result<JsValue, JsError> {
    let runs: Vec<_> = patch::parse_race(text)
        .map_err(js_err)?
        .iter()
        .map(Patch::page_form)
        .collect();
    to_js(&serde_json::json!({ "runs": runs }))
}

/// One run's text (run number `n`, 1-based, in messages) → its patch.
#[wasm_bindgen(js_name = parseRun)]
pub fn parse_run(text: &str, n: usize) -> Result<JsValue, JsError> {
    to_js(&patch::parse_patch(text, n).map_err(js_err)?.page_form())
}
