//! `Run`: one training run over a shared `Data` (no copy: the validation
//! split is a view). Methods map onto `model::Run`; results cross as plain
//! JS objects (serde, JSON-compatible), errors as JS `Error`s with the core's
//! message — except `train`, whose report carries the error (`error`) with
//! the good batches before it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::data::Data;
use super::{js_err, to_js};
use crate::config::ExperimentConfig;
use crate::model::{io, Run as CoreRun};
use crate::tensor::{batch_shape, Tensor};

#[wasm_bindgen]
pub struct Run {
    pub(crate) run: CoreRun,
}

/// What the page shows about a run's data.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunDataInfo<'a> {
    name: &'a str,
    /// Training samples after the validation split.
    train: usize,
    validation: usize,
    validation_split: f32,
    test: usize,
    num_classes: Option<usize>,
    class_names: &'a [String],
    sample_shape: &'a [usize],
}

/// `set`'s argument: either or both.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    learning_rate: Option<f32>,
    momentum: Option<f32>,
}

/// `set`'s answer: the effective values (the schedule's rate, if any).
#[derive(Serialize)]
struct Effective {
    learning_rate: f32,
    momentum: Option<f32>,
}

impl Run {
    pub(crate) fn build(config_json: &str, data: &Data) -> Result<Run, JsError> {
        let config = ExperimentConfig::from_json(config_json.as_bytes()).map_err(js_err)?;
        if config.dataset != data.name() || config.seed != data.seed() {
            return Err(JsError::new(&format!(
                "this run needs dataset '{}' with seed {}, but the data given is '{}' with seed {}; \
                 load that dataset with that seed",
                config.dataset,
                config.seed,
                data.name(),
                data.seed()
            )));
        }
        let run = CoreRun::with_data(config, Arc::clone(&data.train), Some(Arc::clone(&data.test))).map_err(js_err)?;
        Ok(Run { run })
    }

    pub(crate) fn data_info_js(run: &CoreRun) -> Result<JsValue, JsError> {
        let d = run.data();
        let ds = d.train.dataset();
        to_js(&RunDataInfo {
            name: &ds.name,
            train: d.train.len(),
            validation: d.val.as_ref().map_or(0, |v| v.len()),
            validation_split: run.config().validation_split,
            test: d.test.as_ref().map_or(0, |t| t.len()),
            num_classes: ds.num_classes(),
            class_names: &ds.class_names,
            sample_shape: &ds.sample_shape,
        })
    }

    pub(crate) fn predict_core(run: &mut CoreRun, input: &[f32]) -> Result<Vec<f32>, JsError> {
        let shape = run.model().input_shape().to_vec();
        let per: usize = shape.iter().product();
        if per == 0 || input.is_empty() || !input.len().is_multiple_of(per) {
            return Err(JsError::new(&format!(
                "predict: got {} values, expected a multiple of {per} (input shape {shape:?})",
                input.len()
            )));
        }
        let x = Tensor::from_shape_vec(batch_shape(input.len() / per, &shape), input.to_vec())
            .map_err(|e| JsError::new(&e.to_string()))?;
        let y = run.predict(&x).map_err(js_err)?;
        Ok(y.iter().copied().collect())
    }
}

#[wasm_bindgen]
impl Run {
    /// `config_json`: the experiment config; `data`: the loaded dataset it
    /// names, loaded with its seed. The data is shared, not copied.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str, data: &Data) -> Result<Run, JsError> {
        Run::build(config_json, data)
    }

    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.model().summary())
    }

    /// `{name, train, validation, validationSplit, test, numClasses, classNames, sampleShape}`.
    #[wasm_bindgen(js_name = dataInfo)]
    pub fn data_info(&self) -> Result<JsValue, JsError> {
        Run::data_info_js(&self.run)
    }

    /// Train up to `batches` batches; the ChunkReport. When a batch fails
    /// (e.g. divergence; the run is then as before it), `error` holds the
    /// message and `batches`/`step` the good batches before it.
    pub fn train(&mut self, batches: usize) -> Result<JsValue, JsError> {
        to_js(&self.run.train_chunk(batches))
    }

    /// `{learning_rate?, momentum?}` → `{learning_rate, momentum}` (effective
    /// values, schedule included), from the next batch. On an error nothing changes.
    pub fn set(&mut self, settings: JsValue) -> Result<JsValue, JsError> {
        let s: Settings = serde_wasm_bindgen::from_value(settings).map_err(|e| {
            JsError::new(&format!(
                "set takes {{learning_rate, momentum}} (numbers, either or both): {e}"
            ))
        })?;
        self.run.set(s.learning_rate, s.momentum).map_err(js_err)?;
        to_js(&Effective {
            learning_rate: self.run.learning_rate(),
            momentum: self.run.momentum(),
        })
    }

    /// The learning rate the next batch uses (the schedule's, if any).
    #[wasm_bindgen(js_name = learningRate)]
    pub fn learning_rate(&self) -> f32 {
        self.run.learning_rate()
    }

    /// SGD/RMSprop momentum, Adam/Nadam beta_1; undefined for Adagrad.
    pub fn momentum(&self) -> Option<f32> {
        self.run.momentum()
    }

    /// Forward pass in inference mode on `input` (n samples, flattened);
    /// returns the n outputs, flattened.
    pub fn predict(&mut self, input: &[f32]) -> Result<Vec<f32>, JsError> {
        Run::predict_core(&mut self.run, input)
    }

    #[wasm_bindgen(js_name = outputShape)]
    pub fn output_shape(&self) -> Vec<usize> {
        self.run.model().output_shape().to_vec()
    }

    /// Loss, metrics, confusion matrix and per-sample predictions on the test set.
    #[wasm_bindgen(js_name = evaluateTest)]
    pub fn evaluate_test(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.run.evaluate_test().map_err(js_err)?)
    }

    pub fn history(&self) -> Result<JsValue, JsError> {
        to_js(self.run.history())
    }

    pub fn step(&self) -> f64 {
        self.run.step() as f64
    }

    /// Fresh weights from the same seed; history cleared.
    pub fn reset(&mut self) -> Result<(), JsError> {
        self.run.reset().map_err(js_err)
    }

    /// The model file: its JSON text's UTF-8 bytes, which the worker keeps
    /// as a `Blob` (a file can be 256 MB: as bytes it is neither decoded into
    /// a JS string nor copied on the page's thread).
    #[wasm_bindgen(js_name = saveModel)]
    pub fn save_model(&self) -> Vec<u8> {
        io::save(&self.run).into_bytes()
    }

    /// Load a model file into this run; on any error nothing changes.
    #[wasm_bindgen(js_name = loadModel)]
    pub fn load_model(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        io::load_into(&mut self.run, bytes).map_err(js_err)
    }

    /// FNV-1a 64 of every weight's f32 bits, 16 lowercase hex digits.
    #[wasm_bindgen(js_name = weightsHash)]
    pub fn weights_hash(&self) -> String {
        format!("{:016x}", self.run.weights_hash())
    }
}
