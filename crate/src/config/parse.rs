//! `ExperimentConfig::from_json`: serde does the parsing; this file turns its
//! errors into messages with a field path and a fix. The JSON is first read
//! as a generic value, each field is checked on its own (so ALL bad fields
//! are reported, `layers[i]` element by element), then the whole struct is
//! deserialized.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{EarlyStoppingConfig, ExperimentConfig};
use crate::data::LabelEncoding;
use crate::layers::LayerConfig;
use crate::losses::Loss;
use crate::metrics::Metric;
use crate::optimizers::OptimizerConfig;
use crate::schedules::Schedule;
use crate::{Error, Result};

/// Every top-level field and whether it is required.
pub(crate) const FIELDS: [(&str, bool); 13] = [
    ("dataset", true),
    ("layers", true),
    ("loss", true),
    ("optimizer", true),
    ("metrics", false),
    ("label_encoding", false),
    ("batch_size", false),
    ("epochs", false),
    ("validation_split", false),
    ("shuffle", false),
    ("seed", false),
    ("early_stopping", false),
    ("lr_schedule", false),
];

/// What to write for a missing required field.
fn example(field: &str) -> &'static str {
    match field {
        "dataset" => "\"dataset\": \"mnist\"",
        "layers" => "\"layers\": [{\"type\": \"Dense\", \"units\": 10, \"activation\": \"softmax\"}]",
        "loss" => "\"loss\": \"categorical_crossentropy\"",
        _ => "\"optimizer\": {\"name\": \"adam\", \"learning_rate\": 0.001}",
    }
}

/// Levenshtein distance, for "did you mean" hints.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn check<T: DeserializeOwned>(path: &str, v: &Value, problems: &mut Vec<String>) {
    if let Err(e) = serde_json::from_value::<T>(v.clone()) {
        problems.push(format!("{path}: {e}"));
    }
}

fn check_field(name: &str, v: &Value, problems: &mut Vec<String>) {
    match name {
        "dataset" => check::<String>(name, v, problems),
        "layers" => match v.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check::<LayerConfig>(&format!("layers[{i}]"), item, problems);
                }
            }
            None => problems.push(format!(
                "layers: expected a list of layers like [{{\"type\": \"Dense\", \"units\": 10}}], got {}",
                kind_of(v)
            )),
        },
        "loss" => check::<Loss>(name, v, problems),
        "optimizer" => check::<OptimizerConfig>(name, v, problems),
        "metrics" => check::<Vec<Metric>>(name, v, problems),
        "label_encoding" => check::<Option<LabelEncoding>>(name, v, problems),
        "batch_size" => check::<usize>(name, v, problems),
        "epochs" => check::<u32>(name, v, problems),
        "validation_split" => check::<f32>(name, v, problems),
        "shuffle" => check::<bool>(name, v, problems),
        "seed" => check::<u64>(name, v, problems),
        "early_stopping" => check::<Option<EarlyStoppingConfig>>(name, v, problems),
        "lr_schedule" => check::<Option<Schedule>>(name, v, problems),
        _ => {}
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn from_json(bytes: &[u8]) -> Result<ExperimentConfig> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| Error::Config(format!("the config is not valid JSON: {e}")))?;
    let Value::Object(map) = &value else {
        return Err(Error::Config(format!(
            "the config must be a JSON object like {{\"dataset\": \"mnist\", \"layers\": [...], ...}}, got {}",
            kind_of(&value)
        )));
    };
    let mut problems = Vec::new();
    for key in map.keys() {
        if !FIELDS.iter().any(|(f, _)| f == key) {
            let best = FIELDS.iter().map(|(f, _)| (edit_distance(key, f), *f)).min();
            let hint = match best {
                Some((d, f)) if d <= 3 => format!(" (did you mean \"{f}\"?)"),
                _ => String::new(),
            };
            let valid: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
            problems.push(format!(
                "unknown field \"{key}\"{hint}; valid fields: {}",
                valid.join(", ")
            ));
        }
    }
    for (field, required) in FIELDS {
        match map.get(field) {
            None if required => problems.push(format!("missing field \"{field}\": add {}", example(field))),
            None => {}
            Some(v) => check_field(field, v, &mut problems),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Config(problems.join("\n")));
    }
    serde_json::from_value(value).map_err(|e| Error::Config(format!("config: {e}")))
}
