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
//!  "history": null | {"epoch": [0], "history": {"loss": [0.29], …}},
//!  "checksum": "crc32:1a2b3c4d"}
//! ```
//! `checksum` (optional; absent in older files): CRC-32 (IEEE, as Python's
//! `zlib.crc32`) of the decoded bytes of every weight in file order, then
//! every optimizer slot in file order; a mismatch rejects the file.
//! `optimizer_state` may be absent: the optimizer then starts fresh.
//! Every number must be finite, and any number in `config` must fit a
//! float32, so what loads saves and loads back. The full description is
//! `docs/model-file.md`.
//! `layer` is the 0-based index in `config.layers`; weights are listed in
//! the model's param order (layer by layer, kernel then bias). `data` is the
//! standard base64 (RFC 4648, with padding) of the little-endian f32 values,
//! row-major, so it holds exactly `4·prod(shape)` bytes. Optimizer slots use
//! the same encoding (an unused slot is `""`). Every value must be finite.

use std::borrow::Cow;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ndarray::IxDyn;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(super) use super::checksum::{checksum_of, verify_checksum};
use super::file_writer::{self, Base64F32, FileOut, OptimizerOut, SlotsOut, WeightOut, CHUNK_TEXT};
use super::history::History;
pub use super::resume::load_into;
use super::run::Run;
use super::sequential::Sequential;
use crate::config::ExperimentConfig;
use crate::kernels::heartbeat;
use crate::layers::Param;
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
pub(super) struct ModelFile {
    pub(super) format: String,
    pub(super) version: u32,
    pub(super) config: Value,
    pub(super) input_shape: Vec<usize>,
    pub(super) weights: Vec<WeightEntry>,
    #[serde(default)]
    pub(super) optimizer_state: Option<SavedOptimizerState>,
    #[serde(default)]
    pub(super) step: u64,
    #[serde(default)]
    pub(super) history: Option<History>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) checksum: Option<String>,
}

/// A model file read back: the model is built and holds the file's weights.
pub struct LoadedModel {
    pub config: ExperimentConfig,
    pub model: Sequential,
    pub step: u64,
    pub history: Option<History>,
    pub optimizer_state: Option<SavedOptimizerState>,
}

pub(super) fn err(msg: impl Into<String>) -> Error {
    Error::ModelFile(msg.into())
}

/// The characters `values` f32 values take in a model file (their base64),
/// saturating: what a file of a model's weights and slots is made of.
pub fn saved_bytes(values: u64) -> u64 {
    values.saturating_mul(4).div_ceil(3).saturating_mul(4)
}

/// The standard base64 of `values`' little-endian bytes, written chunk by
/// chunk ([`Base64F32`]: no copy as bytes, a heartbeat per chunk).
pub fn encode_f32(values: &[f32]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(usize::try_from(saved_bytes(values.len() as u64)).unwrap_or(0));
    // Writing into a String cannot fail.
    let _ = write!(text, "{}", Base64F32(Cow::Borrowed(values)));
    text
}

/// Every number in the file's config must fit a float32 (the config's
/// numbers are float32 or integers): 1e39 would load as infinity and save
/// as `null`. The error names the field.
fn check_config_numbers(v: &Value, path: &str) -> Result<()> {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.is_finite() && x.abs() <= f64::from(f32::MAX) => Ok(()),
            _ if n.is_u64() || n.is_i64() => Ok(()),
            _ => Err(err(format!(
                "config.{path} is {n}, too large for a float32 (at most ±3.4e38); \
                 fix that number in the file"
            ))),
        },
        Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| check_config_numbers(x, &format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().try_for_each(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            check_config_numbers(x, &p)
        }),
        _ => Ok(()),
    }
}

/// Decode `data` holding exactly `len` finite little-endian f32 values; `what` names it in errors.
///
/// Decoded straight into the values a base64 chunk at a time (one tensor of
/// a big model is tens of MB: no second copy as bytes), with a
/// [`heartbeat::beat`] per chunk so that the page's watchdog sees a long
/// load working. Data it cannot read is decoded again as a whole for the
/// message ([`decode_error`]).
pub fn decode_f32(data: &str, len: usize, what: &str) -> Result<Vec<f32>> {
    let values = decode_chunks(data.trim().as_bytes(), len).ok_or_else(|| decode_error(data, len, what))?;
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(err(format!(
            "{what}: value {i} is {} (weights must be finite numbers)",
            values[i]
        )));
    }
    Ok(values)
}

/// `text` as `len` values, chunk by chunk; `None` when it is not exactly that.
fn decode_chunks(text: &[u8], len: usize) -> Option<Vec<f32>> {
    let bytes = len.checked_mul(4)?;
    if text.len() != bytes.div_ceil(3).checked_mul(4)? {
        return None;
    }
    let mut values = Vec::with_capacity(len);
    let mut buf = [0u8; CHUNK_TEXT / 4 * 3];
    for piece in text.chunks(CHUNK_TEXT) {
        let n = STANDARD.decode_slice(piece, &mut buf).ok()?;
        if n % 4 != 0 || values.len() + n / 4 > len {
            return None;
        }
        values.extend(
            buf[..n]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        heartbeat::beat();
    }
    (values.len() == len).then_some(values)
}

/// What is wrong with `data`, which [`decode_chunks`] could not read as
/// `len` values: not base64, or base64 of another length. (Valid base64 of
/// `len · 4` bytes always reads chunk by chunk: a chunk is whole quanta, and
/// padding can only end the text.)
fn decode_error(data: &str, len: usize, what: &str) -> Error {
    match STANDARD.decode(data.trim()) {
        Err(e) => err(format!("{what}: the data is not valid base64 ({e})")),
        Ok(bytes) => err(format!(
            "{what}: the data holds {} bytes but {len} float32 values need {} bytes",
            bytes.len(),
            len.saturating_mul(4)
        )),
    }
}

fn weights_out(model: &Sequential) -> Vec<WeightOut<'_>> {
    model
        .params_by_layer()
        .into_iter()
        .map(|(layer, p): (usize, &Param)| WeightOut {
            layer,
            name: p.name,
            shape: p.value.shape(),
            dtype: "float32-le",
            data: Base64F32(
                p.value
                    .as_slice()
                    .map_or_else(|| Cow::Owned(p.value.iter().copied().collect()), Cow::Borrowed),
            ),
        })
        .collect()
}

/// A model file with the weights only (step 0, no optimizer state or history).
pub fn save_model(config: &ExperimentConfig, model: &Sequential) -> String {
    file_writer::write(&FileOut {
        format: FORMAT,
        version: VERSION,
        config: serde_json::to_value(config).unwrap_or(Value::Null),
        input_shape: model.input_shape(),
        weights: weights_out(model),
        optimizer_state: None,
        step: 0,
        history: None,
        checksum: Some(checksum_of(model.params().into_iter(), &[])),
    })
}

/// A model file with everything needed to resume training.
pub fn save(run: &Run) -> String {
    let opt = run.optimizer();
    let state = OptimizerOut {
        name: opt.name(),
        learning_rate: opt.learning_rate(),
        global: &opt.global().values,
        params: opt
            .slots()
            .iter()
            .map(|s| SlotsOut {
                slots: s.slots.iter().map(|v| Base64F32(Cow::Borrowed(v))).collect(),
            })
            .collect(),
    };
    file_writer::write(&FileOut {
        format: FORMAT,
        version: VERSION,
        config: serde_json::to_value(run.config()).unwrap_or(Value::Null),
        input_shape: run.model().input_shape(),
        weights: weights_out(run.model()),
        optimizer_state: Some(state),
        step: run.step(),
        history: Some(run.history()),
        checksum: Some(checksum_of(run.model().params().into_iter(), opt.slots())),
    })
}

pub(super) fn parse(bytes: &[u8]) -> Result<ModelFile> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| err(format!("the file is not valid JSON: {e}")))?;
    match v.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(err(format!(
                "this is not a Gradient Lab model (format is \"{other}\", expected \"{FORMAT}\")"
            )))
        }
        None => {
            return Err(err(format!(
                "this is not a Gradient Lab model: the \"format\": \"{FORMAT}\" field is missing"
            )))
        }
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
    if let Some(c) = v.get("config") {
        check_config_numbers(c, "")?;
    }
    let file: ModelFile = serde_json::from_value(v).map_err(|e| err(format!("{e}")))?;
    if let Some(s) = &file.optimizer_state {
        if let Some(g) = s
            .global
            .iter()
            .find(|g| !(g.is_finite() && g.abs() <= f64::from(f32::MAX)))
        {
            return Err(err(format!(
                "optimizer_state.global holds {g}; its values are float32 numbers (at most ±3.4e38), \
                 so the file is damaged: load it without its optimizer_state"
            )));
        }
    }
    Ok(file)
}

/// Decode the file's weights in the order of `model`'s params, checking
/// count, layer, name, shape, dtype, byte count and finiteness.
pub(super) fn decode_weights(entries: &[WeightEntry], model: &Sequential) -> Result<Vec<Tensor>> {
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
            return Err(err(format!(
                "{what}: the file has layer {} \"{}\" here; the layers differ",
                e.layer, e.name
            )));
        }
        if e.shape != p.value.shape() {
            return Err(err(format!(
                "{what}: shape {:?} in the file but {:?} in the model",
                e.shape,
                p.value.shape()
            )));
        }
        if e.dtype != "float32-le" {
            return Err(err(format!(
                "{what}: dtype \"{}\" is not supported (use \"float32-le\")",
                e.dtype
            )));
        }
        let values = decode_f32(&e.data, p.len(), &what)?;
        out.push(Tensor::from_shape_vec(IxDyn(&e.shape), values).map_err(|x| err(format!("{what}: {x}")))?);
    }
    Ok(out)
}

/// Read a model file and build its model with the saved weights.
pub fn load(bytes: &[u8]) -> Result<LoadedModel> {
    let file = parse(bytes)?;
    let config_json = serde_json::to_vec(&file.config).map_err(|e| err(e.to_string()))?;
    let config = ExperimentConfig::from_json(&config_json).map_err(|e| err(format!("config: {e}")))?;
    let mut model = Sequential::new(&file.input_shape, &config.layers, config.seed).map_err(|e| err(e.to_string()))?;
    let weights = decode_weights(&file.weights, &model)?;
    verify_checksum(&file)?;
    model.set_weights(&weights)?;
    Ok(LoadedModel {
        config,
        model,
        step: file.step,
        history: file.history,
        optimizer_state: file.optimizer_state,
    })
}
