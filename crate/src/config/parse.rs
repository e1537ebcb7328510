//! `ExperimentConfig::from_json`: the JSON is read as a generic value, every
//! field is checked against its [`Arg`]s (`config::spec`, the layer registry)
//! so ALL bad fields are reported with their paths in Gradient Lab's words;
//! then serde builds the typed config, whose own checks (optimizer ranges,
//! loss options, schedule parameters) are mapped to paths too.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::checks::field_problem;
use super::fields::{check_object, did_you_mean, kind_of, shown, value_problem};
use super::json_errors;
use super::spec::{early_stopping_args, experiment_args, loss_args, optimizer_args, schedule_args};
use super::ExperimentConfig;
use crate::layers::LayerConfig;
use crate::losses::LossName;
use crate::problem::{layer_path, Problem};
use crate::spec::Arg;
use crate::{Error, Result};

/// What to write for a missing required field.
fn example(field: &str) -> &'static str {
    match field {
        "dataset" => "\"dataset\": \"mnist\"",
        "layers" => "\"layers\": [{\"type\": \"Dense\", \"units\": 10, \"activation\": \"softmax\"}]",
        "loss" => "\"loss\": \"categorical_crossentropy\"",
        _ => "\"optimizer\": {\"name\": \"adam\", \"learning_rate\": 0.001}",
    }
}

fn check_layers(v: &Value, p: &mut Vec<Problem>) {
    let Some(items) = v.as_array() else {
        p.push(Problem::new(
            "layers",
            format!(
                "layers must be a list of layers like [{{\"type\": \"Dense\", \"units\": 10}}], got {}",
                kind_of(v)
            ),
        ));
        return;
    };
    let specs = LayerConfig::specs();
    let kinds: Vec<&str> = specs.iter().map(|s| s.kind).collect();
    for (i, item) in items.iter().enumerate() {
        let at = layer_path(i);
        let Some(obj) = item.as_object() else {
            p.push(Problem::new(
                at,
                format!(
                    "each layer must be an object like {{\"type\": \"Dense\", \"units\": 10}}, got {}",
                    kind_of(item)
                ),
            ));
            continue;
        };
        let Some(kind) = obj.get("type").and_then(Value::as_str) else {
            p.push(Problem::new(
                at,
                format!("each layer needs a \"type\": one of {}", kinds.join(", ")),
            ));
            continue;
        };
        match specs.iter().find(|s| s.kind == kind) {
            Some(spec) => check_object(&at, kind, obj, &spec.args, &["type"], p),
            None => p.push(Problem::new(
                at,
                format!(
                    "\"{kind}\" is not a layer type{}; use one of {}",
                    did_you_mean(kind, kinds.iter().copied()),
                    kinds.join(", ")
                ),
            )),
        }
    }
}

/// A name (`"adam"`, `"mse"`) or an object `{"name": …, <args>}`.
fn check_named(
    field: &str,
    v: &Value,
    name_arg: &Arg,
    args_of: impl Fn(&str) -> Option<Vec<Arg>>,
    p: &mut Vec<Problem>,
) {
    let (name, obj) = match v {
        Value::String(s) => (s.as_str(), None),
        Value::Object(m) => match m.get("name") {
            Some(Value::String(s)) => (s.as_str(), Some(m)),
            _ => {
                p.push(Problem::new(
                    field,
                    format!("the {field} needs a \"name\", e.g. {}", example(field)),
                ));
                return;
            }
        },
        other => {
            p.push(Problem::new(
                field,
                format!(
                    "{field} must be a name or an object, e.g. {}; got {}",
                    example(field),
                    shown(other)
                ),
            ));
            return;
        }
    };
    let as_name = Arg {
        ty: crate::spec::ArgType::Enum,
        ..name_arg.clone()
    };
    if let Some(m) = value_problem(&as_name, &Value::String(name.to_string())) {
        p.push(Problem::new(field, m));
        return;
    }
    if let (Some(obj), Some(args)) = (obj, args_of(name)) {
        check_object(field, &format!("the {name} {field}"), obj, &args, &["name"], p);
    }
}

fn check_nullable_object(
    field: &str,
    v: &Value,
    p: &mut Vec<Problem>,
    check: impl FnOnce(&Map<String, Value>, &mut Vec<Problem>),
) {
    match v {
        Value::Null => {}
        Value::Object(m) => check(m, p),
        other => p.push(Problem::new(
            field,
            format!("{field} must be an object or null, got {}", kind_of(other)),
        )),
    }
}

fn check_schedule(m: &Map<String, Value>, p: &mut Vec<Problem>) {
    let all = schedule_args();
    let types: Vec<&str> = all.iter().map(|(t, _)| *t).collect();
    let ty = m.get("type").and_then(Value::as_str).unwrap_or("");
    match all.iter().find(|(t, _)| *t == ty) {
        Some((t, args)) => check_object("lr_schedule", t, m, args, &["type"], p),
        None => p.push(Problem::new(
            "lr_schedule",
            format!(
                "lr_schedule needs a \"type\", one of {}{}",
                types.join(", "),
                if ty.is_empty() {
                    String::new()
                } else {
                    format!("; got \"{ty}\"{}", did_you_mean(ty, types.iter().copied()))
                }
            ),
        )),
    }
}

fn check_field(arg: &Arg, v: &Value, p: &mut Vec<Problem>) {
    match arg.name {
        "layers" => check_layers(v, p),
        "loss" => check_named(
            "loss",
            v,
            arg,
            |n| serde_json::from_value::<LossName>(n.into()).ok().map(loss_args),
            p,
        ),
        "optimizer" => check_named("optimizer", v, arg, |n| Some(optimizer_args(n)), p),
        "metrics" => match v.as_array() {
            Some(items) => {
                let metric = Arg::required("metric", crate::spec::ArgType::Enum, "").choices_from("metrics");
                for (i, m) in items.iter().enumerate() {
                    if let Some(msg) = value_problem(&metric, m) {
                        p.push(Problem::new(format!("metrics[{i}]"), msg));
                    }
                }
            }
            None => p.push(Problem::new(
                "metrics",
                format!("metrics must be a list like [\"accuracy\"], got {}", kind_of(v)),
            )),
        },
        "early_stopping" => check_nullable_object("early_stopping", v, p, |m, p| {
            check_object("early_stopping", "early_stopping", m, &early_stopping_args(), &[], p)
        }),
        "lr_schedule" => check_nullable_object("lr_schedule", v, p, check_schedule),
        _ => {
            if let Some(m) = value_problem(arg, v) {
                p.push(Problem::new(arg.name, m));
            }
        }
    }
}

/// serde's own checks of one field (the types' validation), as a problem.
fn typed<T: DeserializeOwned + serde::Serialize>(field: &str, v: &Value, p: &mut Vec<Problem>) {
    if let Err(e) = serde_json::from_value::<T>(v.clone()) {
        let fields = match v {
            Value::Object(m) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
        p.push(field_problem(field, &Error::Config(e.to_string()), &fields));
    }
}

pub(crate) fn from_json(bytes: &[u8]) -> Result<ExperimentConfig> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| Error::Invalid(vec![json_errors::problem_of(bytes, &e)]))?;
    let Value::Object(map) = &value else {
        return Err(Error::Invalid(vec![Problem::new(
            "",
            format!(
                "the config must be a JSON object like {{\"dataset\": \"mnist\", \"layers\": [...], ...}}, got {}",
                kind_of(&value)
            ),
        )]));
    };
    let args = experiment_args();
    let names: Vec<&str> = args.iter().map(|a| a.name).collect();
    let mut p = Vec::new();
    for key in map.keys().filter(|k| !names.contains(&k.as_str())) {
        p.push(Problem::new(
            "",
            format!(
                "unknown field \"{key}\"{}; valid fields: {}",
                did_you_mean(key, names.iter().copied()),
                names.join(", ")
            ),
        ));
    }
    for arg in &args {
        match map.get(arg.name) {
            None if arg.required => p.push(Problem::new(
                arg.name,
                format!("missing field \"{}\": add {}", arg.name, example(arg.name)),
            )),
            None => {}
            Some(v) => check_field(arg, v, &mut p),
        }
    }
    crate::error::invalid_unless_empty(p)?;
    let mut p = Vec::new();
    if let Some(v) = map.get("loss") {
        typed::<crate::losses::Loss>("loss", v, &mut p);
    }
    if let Some(v) = map.get("optimizer") {
        typed::<crate::optimizers::OptimizerConfig>("optimizer", v, &mut p);
    }
    if let Some(v) = map.get("lr_schedule") {
        typed::<Option<crate::schedules::Schedule>>("lr_schedule", v, &mut p);
    }
    crate::error::invalid_unless_empty(p)?;
    serde_json::from_value(value.clone()).map_err(|e| {
        Error::Invalid(vec![Problem::new(
            "",
            format!("the config could not be read ({e}): check the values against the editor's fields"),
        )])
    })
}
