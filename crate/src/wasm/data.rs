//! `Data`: a bundled dataset loaded ONCE (train/test split once, u8 images
//! kept as u8) and shared, behind `Arc`s, by every `Run` made over it — the
//! worker keeps one per (dataset, seed).

use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{from_js_bytes, js_err, to_js};
use crate::config::{memory, ExperimentConfig};
use crate::data::{bundled, Dataset, Targets, Task};
use crate::export::DataSource;
use crate::tensor::Tensor;

#[wasm_bindgen]
pub struct Data {
    pub(crate) name: String,
    pub(crate) seed: u64,
    pub(crate) train: Arc<Dataset>,
    pub(crate) test: Arc<Dataset>,
    /// Where the export reloads the data from (an upload's file and import decisions).
    pub(crate) source: DataSource,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DataInfo<'a> {
    name: &'a str,
    task: Task,
    train: usize,
    test: usize,
    num_classes: Option<usize>,
    class_names: &'a [String],
    sample_shape: &'a [usize],
}

/// A JS number → a seed: a whole number from 0 to 2^53.
pub(crate) fn seed_from_js(seed: f64) -> Result<u64, JsError> {
    if seed.is_finite() && seed >= 0.0 && seed.fract() == 0.0 && seed <= 9_007_199_254_740_992.0 {
        Ok(seed as u64)
    } else {
        Err(JsError::new(&format!(
            "the seed is {seed}; use a whole number from 0 to 9007199254740992"
        )))
    }
}

impl Data {
    /// Load `name` from its files' bytes (catalogue order, decompressed).
    pub(crate) fn load(name: &str, files: &[Vec<u8>], seed: u64) -> Result<Data, JsError> {
        let slices: Vec<&[u8]> = files.iter().map(Vec::as_slice).collect();
        let (train, test) = bundled::load(name, &slices, seed).map_err(js_err)?;
        Ok(Data {
            name: name.to_string(),
            seed,
            train: Arc::new(train),
            test: Arc::new(test),
            source: DataSource::Bundled,
        })
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }
}

#[wasm_bindgen]
impl Data {
    /// The bytes run `config_json` would hold while it trains on this data
    /// (`config::memory::run_bytes`), or an `Error` saying what to change
    /// when it cannot join runs that hold `others` bytes.
    #[wasm_bindgen(js_name = runBytes)]
    pub fn run_bytes(&self, config_json: &str, others: f64) -> Result<f64, JsError> {
        let config = ExperimentConfig::from_json(config_json.as_bytes()).map_err(js_err)?;
        let bytes = memory::run_bytes(&config, &self.train.sample_shape);
        match memory::runs_problem(bytes, others as u64) {
            Some(m) => Err(JsError::new(&m)),
            None => Ok(bytes as f64),
        }
    }

    /// `name`: a catalogue dataset; `files`: its files (Uint8Array each,
    /// decompressed) in catalogue order; `seed`: the seed of the split (iris,
    /// digits, diabetes, toy sets), the experiment's seed.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, files: js_sys::Array, seed: f64) -> Result<Data, JsError> {
        let seed = seed_from_js(seed)?;
        let bytes: Vec<Vec<u8>> = files.iter().map(|f| from_js_bytes(&f)).collect::<Result<_, _>>()?;
        Data::load(name, &bytes, seed)
    }

    /// `{name, task, train, test, numClasses, classNames, sampleShape}`.
    pub fn info(&self) -> Result<JsValue, JsError> {
        let t = &self.train;
        to_js(&DataInfo {
            name: &self.name,
            task: t.task(),
            train: t.len(),
            test: self.test.len(),
            num_classes: t.num_classes(),
            class_names: &t.class_names,
            sample_shape: &t.sample_shape,
        })
    }

    /// Raw samples for previews and galleries (see [`samples_js`]); `split`
    /// is `'train'` (all loaded training samples) or `'test'`.
    pub fn samples(&self, split: &str, indices: &[u32]) -> Result<JsValue, JsError> {
        let ds = match split {
            "train" => &self.train,
            "test" => &self.test,
            other => return Err(JsError::new(&format!("unknown split '{other}': use 'train' or 'test'"))),
        };
        let idx: Vec<usize> = indices.iter().map(|&i| i as usize).collect();
        samples_js(ds, split, ds.len(), &idx, |i| i)
    }
}

/// `{x, labels, sampleShape}` for the samples `indices` of a part with `len`
/// samples whose sample `i` is `ds`'s sample `index(i)`: `x` holds the
/// images' u8 pixels (Uint8Array) or the normalised features (Float32Array),
/// `labels` the class indices (NaN for regression); regression sets add
/// `targets` (Float32Array, the target values of each sample in turn).
pub(crate) fn samples_js(
    ds: &Dataset,
    split: &str,
    len: usize,
    indices: &[usize],
    index: impl Fn(usize) -> usize,
) -> Result<JsValue, JsError> {
    if let Some(&bad) = indices.iter().find(|&&i| i >= len) {
        return Err(JsError::new(&format!(
            "sample {bad} does not exist: the {split} set has {len} samples"
        )));
    }
    let idx: Vec<usize> = indices.iter().map(|&i| index(i)).collect();
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
        .and_then(|_| match &ds.targets {
            // Regression targets (row-major, `dim` per sample), e.g. the 1-D fitted curve's points.
            Targets::Values { data, dim } => {
                let t: Vec<f32> = idx
                    .iter()
                    .flat_map(|&i| data[i * dim..(i + 1) * dim].iter().copied())
                    .collect();
                set("targets", &js_sys::Float32Array::from(t.as_slice()).into())
            }
            Targets::Classes { .. } => Ok(()),
        })
        .map_err(|_| JsError::new("could not build the samples object"))?;
    Ok(out.into())
}
