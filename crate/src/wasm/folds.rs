//! k-fold cross-validation runs for the page's Cross-validation panel: the
//! same facade `Run`, built over fold `fold` of `k` of a shared `Data`
//! (core: `model::Run::for_fold`; the folds come from the config's seed),
//! and the summary of a configuration's fold scores (core: `stats::summary`).

use wasm_bindgen::prelude::*;

use super::run::Run;
use super::{data::Data, js_err, to_js};

/// `{n, min, q1, median, q3, max, mean, std}` of the finite `scores` (the
/// core's `stats::summary`: linear quartiles, population std), or `null` when
/// none is finite. The Cross-validation panel draws and prints these numbers.
#[wasm_bindgen(js_name = scoreSummary)]
pub fn score_summary(scores: &[f64]) -> Result<JsValue, JsError> {
    match crate::stats::summary(scores) {
        Some(s) => to_js(&s),
        None => Ok(JsValue::NULL),
    }
}

/// Folds the panel accepts (the page's K control: 2–10).
const MAX_FOLDS: usize = 10;

#[wasm_bindgen]
impl Run {
    /// The run for fold `fold` (0-based) of `k` over `data`: it trains on the
    /// other K−1 folds and validates on fold `fold` (stratified for classes);
    /// `validation_split` is not used. `k` from 2 to 10.
    #[wasm_bindgen(js_name = forFold)]
    pub fn for_fold(config_json: &str, data: &Data, k: usize, fold: usize) -> Result<Run, JsError> {
        if !(2..=MAX_FOLDS).contains(&k) {
            return Err(JsError::new(&format!("k-fold takes 2 to {MAX_FOLDS} folds, got {k}")));
        }
        let mut r = Run::build(config_json, data)?;
        r.run.use_fold(k, fold).map_err(js_err)?;
        Ok(r)
    }

    /// Keras `evaluate` on the validation data (the fold) with the weights as
    /// they are now: `{loss, metrics, samples, …}`, or `null` without validation data.
    #[wasm_bindgen(js_name = evaluateValidation)]
    pub fn evaluate_validation(&mut self) -> Result<JsValue, JsError> {
        match self.run.evaluate_validation().map_err(js_err)? {
            Some(ev) => to_js(&ev),
            None => Ok(JsValue::NULL),
        }
    }
}
