//! `Session`: today's worker API, a thin wrapper over one [`Data`] and one
//! [`Run`] on it (kept until the page uses `Data` + `Run` directly). Unlike
//! `Run.train`, `Session.train` throws when a batch fails.

use wasm_bindgen::prelude::*;

use super::data::{samples_js, seed_from_js, Data};
use super::run::Run;
use super::{from_js_bytes, js_err, to_js};
use crate::config::ExperimentConfig;

#[wasm_bindgen]
pub struct Session {
    run: Run,
}

#[wasm_bindgen]
impl Session {
    /// `config_json`: the experiment config; `files`: the dataset's files
    /// (Uint8Array each, decompressed) in catalogue order.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str, files: js_sys::Array) -> Result<Session, JsError> {
        let config = ExperimentConfig::from_json(config_json.as_bytes()).map_err(js_err)?;
        let bytes: Vec<Vec<u8>> = files.iter().map(|f| from_js_bytes(&f)).collect::<Result<_, _>>()?;
        let data = Data::load(&config.dataset, &bytes, seed_from_js(config.seed as f64)?)?;
        Ok(Session {
            run: Run::build(config_json, &data)?,
        })
    }

    pub fn summary(&self) -> Result<JsValue, JsError> {
        self.run.summary()
    }

    #[wasm_bindgen(js_name = dataInfo)]
    pub fn data_info(&self) -> Result<JsValue, JsError> {
        self.run.data_info()
    }

    /// Train up to `batches` batches; returns the chunk report (throws on a failed batch).
    pub fn train(&mut self, batches: usize) -> Result<JsValue, JsError> {
        to_js(&self.run.run.train_batches(batches).map_err(js_err)?)
    }

    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<(), JsError> {
        self.run.run.set_learning_rate(lr).map_err(js_err)
    }

    #[wasm_bindgen(js_name = setMomentum)]
    pub fn set_momentum(&mut self, m: f32) -> Result<(), JsError> {
        self.run.run.set_momentum(m).map_err(js_err)
    }

    #[wasm_bindgen(js_name = learningRate)]
    pub fn learning_rate(&self) -> f32 {
        self.run.learning_rate()
    }

    /// The optimizer's momentum (SGD/RMSprop momentum, Adam/Nadam beta_1), if any.
    pub fn momentum(&self) -> Option<f32> {
        self.run.momentum()
    }

    pub fn predict(&mut self, input: &[f32]) -> Result<Vec<f32>, JsError> {
        self.run.predict(input)
    }

    /// `{x, labels, sampleShape}` of `indices` in the run's training part
    /// (after the validation split) or the test set.
    pub fn samples(&self, split: &str, indices: &[u32]) -> Result<JsValue, JsError> {
        let idx: Vec<usize> = indices.iter().map(|&i| i as usize).collect();
        let d = self.run.run.data();
        match split {
            "train" => samples_js(d.train.dataset(), split, d.train.len(), &idx, |i| d.train.index(i)),
            "test" => {
                let test = d
                    .test
                    .as_ref()
                    .ok_or_else(|| JsError::new("this dataset has no test set"))?;
                samples_js(test, split, test.len(), &idx, |i| i)
            }
            other => Err(JsError::new(&format!("unknown split '{other}': use 'train' or 'test'"))),
        }
    }

    #[wasm_bindgen(js_name = outputShape)]
    pub fn output_shape(&self) -> Vec<usize> {
        self.run.output_shape()
    }

    #[wasm_bindgen(js_name = evaluateTest)]
    pub fn evaluate_test(&mut self) -> Result<JsValue, JsError> {
        self.run.evaluate_test()
    }

    pub fn history(&self) -> Result<JsValue, JsError> {
        self.run.history()
    }

    pub fn step(&self) -> f64 {
        self.run.step()
    }

    pub fn reset(&mut self) -> Result<(), JsError> {
        self.run.reset()
    }

    #[wasm_bindgen(js_name = saveModel)]
    pub fn save_model(&self) -> String {
        self.run.save_model()
    }

    #[wasm_bindgen(js_name = loadModel)]
    pub fn load_model(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.run.load_model(bytes)
    }

    #[wasm_bindgen(js_name = weightsHash)]
    pub fn weights_hash(&self) -> String {
        self.run.weights_hash()
    }
}
