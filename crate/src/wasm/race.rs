//! The race link form (`?race=`, a run typed in the race panel): parsed by the
//! core's `config::patch`, the one parser of the form; the page gets each
//! run's changes as the plain object `www/js/race.js` keeps
//! ([`Patch::page_form`]), or a JS `Error` with the core's message saying
//! what to change (with the run's number). Applying the runs to the
//! experiment is the core's too (`applyRace`, `addRun`): the page never
//! patches a config itself. Only what the page's worker calls is exported
//! (every export is part of the first visit's download).

use wasm_bindgen::prelude::*;

use super::{js_err, to_js};
use crate::config::patch::{self, Patch};
use crate::config::ExperimentConfig;

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

/// A config → its JSON text (serde_json writes f32 values as their short
/// decimals: 0.01, not 0.009999999776482582).
fn json_text(c: &ExperimentConfig) -> Result<String, JsError> {
    serde_json::to_string(c).map_err(|e| JsError::new(&e.to_string()))
}

/// The experiment `config_json` with every run of the `?race=` text applied →
/// the JSON text `{"configs": [config…]}`, one per run; a JS `Error` naming
/// the run (and the layer) and what to change.
#[wasm_bindgen(js_name = applyRace)]
pub fn apply_race(config_json: &str, race: &str) -> Result<String, JsError> {
    let base = ExperimentConfig::from_json(config_json.as_bytes()).map_err(js_err)?;
    let configs = patch::apply_race(&base, race).map_err(js_err)?;
    let texts = configs.iter().map(json_text).collect::<Result<Vec<_>, _>>()?;
    Ok(format!("{{\"configs\":[{}]}}", texts.join(",")))
}

/// One run added to a race: run `n`'s text (1-based, in messages), parsed
/// once, and applied to the experiment `config_json` → the JSON text
/// `{"patch": <page form>, "config": <config>}`; a JS `Error` naming run `n`
/// (and the layer) and what to change.
#[wasm_bindgen(js_name = addRun)]
pub fn add_run(config_json: &str, text: &str, n: usize) -> Result<String, JsError> {
    let p = patch::parse_patch(text, n).map_err(js_err)?;
    let base = ExperimentConfig::from_json(config_json.as_bytes()).map_err(js_err)?;
    let config = json_text(&patch::apply_patch(&base, &p, n).map_err(js_err)?)?;
    let form = serde_json::to_string(&p.page_form()).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(format!("{{\"patch\":{form},\"config\":{config}}}"))
}
