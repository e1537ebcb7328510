//! Model files: one JSON document, versioned.
//!
//! ```text
//! {"format": "gradlab-model", "version": 1,
//!  "config": <ExperimentConfig>,
//!  "input_shape": [28, 28, 1],
//!  "weights": [{"layer": 1, "name": "kernel", "shape": [784, 128],
//!               "dtype": "float32-le", "data": "<base64>"}, …],
//!  "optimizer_state": null | {"name": "adam", "learning_rate": 0.001,
//!                             "global": [..], "params": [{"slots": ["<base64>", …]}, …]},
//!  "step": 1875,
//!  "history": null | {"epoch": [0], "history": {"loss": [0.29], …}}}
//! ```
//! `layer` is the 0-based index in `config.layers`; weights are listed in
//! the model's param order (layer by layer, kernel then bias). `data` is the
//! standard base64 (RFC 4648, with padding) of the little-endian f32 values,
//! row-major, so it holds exactly `4·prod(shape)` bytes. Optimizer slots use
//! the same encoding (an unused slot is `""`). Every value must be finite.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ndarray::IxDyn;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::history::History;
use super::sequential::Sequential;
use super::trainer::Trainer;
use crate::config::ExperimentConfig;
use crate::layers::Param;
use crate::optimizers::{GlobalState, ParamState};
use crate::tensor::Tensor;
use crate::{Error, Result};

pub const FORMAT: &str = "gradlab-model";
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WeightEntry {
    pub layer: usize,
    pub name: String,
    pub shape: Vec<usize>,
    pub dtype: String,
    pub data: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SavedOptimizerState {
    pub name: String,
    pub learning_rate: f32,
    pub global: Vec<f64>,
    pub params: Vec<SavedSlots>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SavedSlots {
    pub slots: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    format: String,
    version: u32,
    config: Value,
    input_shape: Vec<usize>,
    weights: Vec<WeightEntry>,
    #[serde(default)]
    optimizer_state: Option<SavedOptimizerState>,
    #[serde(default)]
    step: u64,
    #[serde(default)]
    history: Option<History>,
}

/// A model file read back: the model is built and holds the file's weights.
pub struct LoadedModel {
    pub config: ExperimentConfig,
    pub model: Sequential,
    pub step: u64,
    pub history: Option<History>,
    pub optimizer_state: Option<SavedOptimizerState>,
}

fn err(msg: impl Into<String>) -> Error {
    Error::ModelFile(msg.into())
}

pub fn encode_f32(values: &[f32]) -> String {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    STANDARD.encode(bytes)
}

/// Decode `data` holding exactly `len` finite little-endian f32 values; `what` names it in errors.
pub fn decode_f32(data: &str, len: usize, what: &str) -> Result<Vec<f32>> {
    let bytes = STANDARD
        .decode(data.trim())
        .map_err(|e| err(format!("{what}: the data is not valid base64 ({e})")))?;
    if bytes.len() != len * 4 {
        return Err(err(format!(
            "{what}: the data holds {} bytes but {len} float32 values need {} bytes",
            bytes.len(),
            len * 4
        )));
    }
    let values: Vec<f32> = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(err(format!("{what}: value {i} is {} (weights must be finite numbers)", values[i])));
    }
    Ok(values)
}

fn weight_entries(model: &Sequential) -> Vec<WeightEntry> {
    model
        .params_by_layer()
        .into_iter()
        .map(|(layer, p): (usize, &Param)| WeightEntry {
            layer,
            name: p.name.to_string(),
            shape: p.value.shape().to_vec(),
            dtype: "float32-le".to_string(),
            data: encode_f32(&p.value.iter().copied().collect::<Vec<f32>>()),
        })
        .collect()
}

fn to_string(file: &ModelFile) -> String {
    serde_json::to_string(file).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// A model file with the weights only (step 0, no optimizer state or history).
pub fn save_model(config: &ExperimentConfig, model: &Sequential) -> String {
    to_string(&ModelFile {
        format: FORMAT.into(),
        version: VERSION,
        config: serde_json::to_value(config).unwrap_or(Value::Null),
        input_shape: model.input_shape().to_vec(),
        weights: weight_entries(model),
        optimizer_state: None,
        step: 0,
        history: None,
    })
}

/// A model file with everything needed to resume training.
pub fn save(trainer: &Trainer) -> String {
    let opt = &trainer.opt;
    let state = SavedOptimizerState {
        name: opt.name().to_string(),
        learning_rate: opt.learning_rate(),
        global: trainer.global.values.clone(),
        params: trainer
            .states
            .iter()
            .map(|s| SavedSlots { slots: s.slots.iter().map(|v| encode_f32(v)).collect() })
            .collect(),
    };
    to_string(&ModelFile {
        format: FORMAT.into(),
        version: VERSION,
        config: serde_json::to_value(&trainer.config).unwrap_or(Value::Null),
        input_shape: trainer.model.input_shape().to_vec(),
        weights: weight_entries(&trainer.model),
        optimizer_state: Some(state),
        step: trainer.step,
        history: Some(trainer.history.clone()),
    })
}

fn parse(bytes: &[u8]) -> Result<ModelFile> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| err(format!("the file is not valid JSON: {e}")))?;
    match v.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => return Err(err(format!("this is not a Gradient Lab model (format is \"{other}\", expected \"{FORMAT}\")"))),
        None => return Err(err(format!("this is not a Gradient Lab model: the \"format\": \"{FORMAT}\" field is missing"))),
    }
    match v.get("version").and_then(Value::as_u64) {
        Some(1) => {}
        Some(n) => {
            return Err(err(format!(
                "model file version {n} is not supported; this Gradient Lab reads version {VERSION}"
            )))
        }
        None => return Err(err("the \"version\" field is missing or not a whole number")),
    }
    serde_json::from_value(v).map_err(|e| err(format!("{e}")))
}

/// Decode the file's weights in the order of `model`'s params, checking
/// count, layer, name, shape, dtype, byte count and finiteness.
fn decode_weights(entries: &[WeightEntry], model: &Sequential) -> Result<Vec<Tensor>> {
    let params = model.params_by_layer();
    if entries.len() != params.len() {
        return Err(err(format!(
            "the file has {} weight tensors but the model has {}; the layers differ",
            entries.len(),
            params.len()
        )));
    }
    let names = model.layer_names();
    let mut out = Vec::with_capacity(entries.len());
    for (i, (e, (layer, p))) in entries.iter().zip(params).enumerate() {
        let what = format!("weight {i} ({}/{})", names[layer], p.name);
        if e.layer != layer || e.name != p.name {
            return Err(err(format!("{what}: the file has layer {} \"{}\" here; the layers differ", e.layer, e.name)));
        }
        if e.shape != p.value.shape() {
            return Err(err(format!("{what}: shape {:?} in the file but {:?} in the model", e.shape, p.value.shape())));
        }
        if e.dtype != "float32-le" {
            return Err(err(format!("{what}: dtype \"{}\" is not supported (use \"float32-le\")", e.dtype)));
        }
        let values = decode_f32(&e.data, p.len(), &what)?;
        out.push(Tensor::from_shape_vec(IxDyn(&e.shape), values).map_err(|x| err(format!("{what}: {x}")))?);
    }
    Ok(out)
}

/// Load a model file into a compatible trainer (same input shape and
/// weight shapes). A file saved by [`save`] for the same optimizer resumes
/// training where it stopped ([`Trainer::resume`]); otherwise only the
/// weights are replaced ([`Trainer::load_weights`]). On any error nothing changes.
pub fn load_into(trainer: &mut Trainer, bytes: &[u8]) -> Result<()> {
    let file = parse(bytes)?;
    let same_optimizer = file.optimizer_state.as_ref().is_some_and(|s| s.name == trainer.opt.name());
    if same_optimizer {
        trainer.resume_from(file)
    } else {
        trainer.check_file_input(&file)?;
        let weights = decode_weights(&file.weights, &trainer.model)?;
        trainer.model.set_weights(&weights)
    }
}

/// Read a model file and build its model with the saved weights.
pub fn load(bytes: &[u8]) -> Result<LoadedModel> {
    let file = parse(bytes)?;
    let config_json = serde_json::to_vec(&file.config).map_err(|e| err(e.to_string()))?;
    let config = ExperimentConfig::from_json(&config_json).map_err(|e| err(format!("config: {e}")))?;
    let mut model = Sequential::new(&file.input_shape, &config.layers, config.seed).map_err(|e| err(e.to_string()))?;
    let weights = decode_weights(&file.weights, &model)?;
    model.set_weights(&weights)?;
    Ok(LoadedModel { config, model, step: file.step, history: file.history, optimizer_state: file.optimizer_state })
}

impl Trainer {
    fn check_file_input(&self, file: &ModelFile) -> Result<()> {
        if file.input_shape != self.model.input_shape() {
            return Err(err(format!(
                "the file's model takes inputs {:?} but this experiment's dataset has {:?}",
                file.input_shape,
                self.model.input_shape()
            )));
        }
        Ok(())
    }

    /// Keras `load_weights`: replace the weights with the file's; the
    /// optimizer state, step, history and cursor stay as they are.
    pub fn load_weights(&mut self, bytes: &[u8]) -> Result<()> {
        let file = parse(bytes)?;
        self.check_file_input(&file)?;
        let weights = decode_weights(&file.weights, &self.model)?;
        self.model.set_weights(&weights)
    }

    /// Restore everything a [`save`] file holds: weights, optimizer state
    /// (same optimizer required), step and history; the cursor moves to the
    /// start of the epoch after the saved history (a partly trained epoch
    /// is not resumed). On any error nothing changes.
    pub fn resume(&mut self, bytes: &[u8]) -> Result<()> {
        let file = parse(bytes)?;
        self.resume_from(file)
    }

    fn resume_from(&mut self, file: ModelFile) -> Result<()> {
        self.check_file_input(&file)?;
        let weights = decode_weights(&file.weights, &self.model)?;
        let Some(saved) = &file.optimizer_state else {
            return Err(err("the file has no optimizer_state; use load_weights to load only the weights"));
        };
        let (states, global, lr) = self.decode_state(saved)?;
        let mut opt = self.opt.clone();
        if self.config.lr_schedule.is_none() {
            opt.set_learning_rate(lr).map_err(|e| err(e.to_string()))?;
        }
        self.model.set_weights(&weights)?;
        self.reset_cursor();
        self.config.optimizer = opt.clone();
        self.last_lr = opt.learning_rate();
        self.opt = opt;
        self.states = states;
        self.global = global;
        self.step = file.step;
        self.history = file.history.unwrap_or_default();
        self.epoch = self.history.len() as u32;
        self.finished = self.epoch >= self.config.epochs;
        Ok(())
    }

    fn decode_state(&self, s: &SavedOptimizerState) -> Result<(Vec<ParamState>, GlobalState, f32)> {
        if s.name != self.opt.name() {
            return Err(err(format!(
                "the optimizer state is for {} but this experiment uses {}",
                s.name,
                self.opt.name()
            )));
        }
        let params = self.model.params();
        if s.params.len() != params.len() {
            return Err(err(format!("the optimizer state has {} params but the model has {}", s.params.len(), params.len())));
        }
        let mut states = Vec::with_capacity(params.len());
        for (i, (saved, p)) in s.params.iter().zip(params).enumerate() {
            let expected = self.opt.init_state(p.len());
            let mut slots = Vec::with_capacity(saved.slots.len());
            for (j, data) in saved.slots.iter().enumerate() {
                let len = expected.slots.get(j).map_or(0, Vec::len);
                slots.push(decode_f32(data, len, &format!("optimizer slot {j} of weight {i}"))?);
            }
            let state = ParamState { slots };
            self.opt.check_state(p.len(), &state).map_err(|e| err(e.to_string()))?;
            states.push(state);
        }
        if s.global.iter().any(|v| !v.is_finite()) || !s.learning_rate.is_finite() {
            return Err(err("the optimizer state holds a non-finite value"));
        }
        Ok((states, GlobalState { values: s.global.clone() }, s.learning_rate))
    }
}
