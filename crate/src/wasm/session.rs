//! `Session`: one experiment (config + data + trainer) owned by the training
//! worker. Methods map 1:1 onto `model::Trainer`; results cross as plain JS
//! objects (serde, JSON-compatible), errors as JS `Error`s with the core's message.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{from_js_bytes, js_err, to_js};
use crate::config::ExperimentConfig;
use crate::data::{bundled, Dataset};
use crate::model::{io, Trainer};
use crate::tensor::{batch_shape, Tensor};

#[wasm_bindgen]
pub struct Session {
    trainer: Trainer,
}

/// What the page shows about the loaded data.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DataInfo<'a> {
    name: &'a str,
    train: usize,
    validation_split: f32,
    test: usize,
    num_classes: Option<usize>,
    class_names: &'a [String],
    sample_shape: &'a [usize],
}

fn info<'a>(train: &'a Dataset, test: Option<&Dataset>, split: f32) -> DataInfo<'a> {
    DataInfo {
        name: &train.name,
        train: train.len(),
        validation_split: split,
        test: test.map_or(0, |t| t.len()),
        num_classes: train.num_classes(),
        class_names: &train.class_names,
        sample_shape: &train.sample_shape,
    }
}

#[wasm_bindgen]
impl Session {
    /// `config_json`: the experiment config; `files`: the dataset's files
    /// (Uint8Array each, decompressed) in catalogue order.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str, files: js_sys::Array) -> Result<Session, JsError> {
        let config = ExperimentConfig::from_json(config_json.as_bytes()).map_err(js_err)?;
        let bytes: Vec<Vec<u8>> = files.iter().map(|f| from_js_bytes(&f)).collect::<Result<_, _>>()?;
        let slices: Vec<&[u8]> = bytes.iter().map(|b| b.as_slice()).collect();
        let (train, test) = bundled::load(&config.dataset, &slices, config.seed).map_err(js_err)?;
        let trainer = Trainer::new(config, train, Some(test)).map_err(js_err)?;
        Ok(Session { trainer })
    }

    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.model().summary())
    }

    #[wasm_bindgen(js_name = dataInfo)]
    pub fn data_info(&self) -> Result<JsValue, JsError> {
        let cfg = self.trainer.config();
        to_js(&info(
            self.trainer.train_set(),
            self.trainer.test_set(),
            cfg.validation_split,
        ))
    }

    /// Train up to `batches` batches; returns the chunk report.
    pub fn train(&mut self, batches: usize) -> Result<JsValue, JsError> {
        let report = self.trainer.train_batches(batches).map_err(js_err)?;
        to_js(&report)
    }

    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<(), JsError> {
        self.trainer.set_learning_rate(lr).map_err(js_err)
    }

    #[wasm_bindgen(js_name = setMomentum)]
    pub fn set_momentum(&mut self, m: f32) -> Result<(), JsError> {
        self.trainer.set_momentum(m).map_err(js_err)
    }

    #[wasm_bindgen(js_name = learningRate)]
    pub fn learning_rate(&self) -> f32 {
        self.trainer.config().optimizer.learning_rate()
    }

    /// The optimizer's momentum (SGD/RMSprop momentum, Adam/Nadam beta_1), if any.
    pub fn momentum(&self) -> Option<f32> {
        self.trainer.config().optimizer.momentum()
    }

    /// Forward pass in inference mode on `input` (n samples, flattened);
    /// returns the n outputs, flattened.
    pub fn predict(&mut self, input: &[f32]) -> Result<Vec<f32>, JsError> {
        let shape = self.trainer.model().input_shape().to_vec();
        let per: usize = shape.iter().product();
        if per == 0 || input.is_empty() || input.len() % per != 0 {
            return Err(JsError::new(&format!(
                "predict: got {} values, expected a multiple of {per} (input shape {shape:?})",
                input.len()
            )));
        }
        let x = Tensor::from_shape_vec(batch_shape(input.len() / per, &shape), input.to_vec())
            .map_err(|e| JsError::new(&e.to_string()))?;
        let y = self.trainer.predict(&x).map_err(js_err)?;
        Ok(y.iter().copied().collect())
    }

    /// Raw samples for previews and galleries: `{x, labels, sampleShape}`, where
    /// `x` holds the images' u8 pixels (Uint8Array) or the normalised features
    /// (Float32Array) of `indices`, and `labels` the class indices (or targets).
    pub fn samples(&self, split: &str, indices: &[u32]) -> Result<JsValue, JsError> {
        let ds = match split {
            "train" => self.trainer.train_set(),
            "test" => self
                .trainer
                .test_set()
                .ok_or_else(|| JsError::new("this dataset has no test set"))?,
            other => return Err(JsError::new(&format!("unknown split '{other}': use 'train' or 'test'"))),
        };
        let idx: Vec<usize> = indices.iter().map(|&i| i as usize).collect();
        if let Some(&bad) = idx.iter().find(|&&i| i >= ds.len()) {
            return Err(JsError::new(&format!(
                "sample {bad} does not exist: the {split} set has {} samples",
                ds.len()
            )));
        }
        let out = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&out, &k.into(), v).map(|_| ());
        let x: JsValue = if ds.image_u8(0).is_some() {
            let mut px = Vec::with_capacity(idx.len() * ds.input_size());
            for &i in &idx {
                px.extend_from_slice(ds.image_u8(i).unwrap_or(&[]));
            }
            js_sys::Uint8Array::from(px.as_slice()).into()
        } else {
            let mut t = Tensor::zeros(ndarray::IxDyn(&[0]));
            ds.gather_x(&idx, &mut t);
            js_sys::Float32Array::from(t.as_slice().unwrap_or(&[])).into()
        };
        let labels: Vec<f64> = idx.iter().map(|&i| ds.label(i).map_or(f64::NAN, f64::from)).collect();
        let shape: Vec<f64> = ds.sample_shape.iter().map(|&d| d as f64).collect();
        set("x", &x)
            .and_then(|_| set("labels", &js_sys::Float64Array::from(labels.as_slice()).into()))
            .and_then(|_| set("sampleShape", &js_sys::Float64Array::from(shape.as_slice()).into()))
            .map_err(|_| JsError::new("could not build the samples object"))?;
        Ok(out.into())
    }

    #[wasm_bindgen(js_name = outputShape)]
    pub fn output_shape(&self) -> Vec<usize> {
        self.trainer.model().output_shape().to_vec()
    }

    /// Loss, metrics, confusion matrix and per-sample predictions on the test set.
    #[wasm_bindgen(js_name = evaluateTest)]
    pub fn evaluate_test(&mut self) -> Result<JsValue, JsError> {
        let eval = self.trainer.evaluate_test().map_err(js_err)?;
        to_js(&eval)
    }

    pub fn history(&self) -> Result<JsValue, JsError> {
        to_js(self.trainer.history())
    }

    pub fn step(&self) -> f64 {
        self.trainer.step() as f64
    }

    /// Fresh weights from the same seed; history cleared.
    pub fn reset(&mut self) -> Result<(), JsError> {
        self.trainer.reset().map_err(js_err)
    }

    /// The model file (JSON text).
    #[wasm_bindgen(js_name = saveModel)]
    pub fn save_model(&self) -> String {
        io::save(&self.trainer)
    }

    /// Load a model file into this session; on any error nothing changes.
    #[wasm_bindgen(js_name = loadModel)]
    pub fn load_model(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        io::load_into(&mut self.trainer, bytes).map_err(js_err)
    }
}
