//! Layers as Keras calls, from the layer registry alone: no layer kind is
//! named here, so every kind registered in [`LayerConfig`] (and any added
//! later) exports as it is.
//!
//! A layer is `layers.<Keras class>(<args>)` where the class is the kind's
//! [`LayerKind::kind`](crate::layers::LayerKind::kind) and the arguments are
//! the layer config's own serde JSON (`{"type":"Conv2D","filters":32,
//! "kernel_size":[3,3],…}`, Keras' argument names) in the order of the kind's
//! [`Arg`] list:
//! - an argument equal to its default (or `null` where `null` means the
//!   default) is left out, as Keras would fill it in;
//! - the first argument is positional when it is required (`Dense(128)`,
//!   `Dropout(0.5)`, `Conv2D(32, kernel_size=(3, 3))`, `Reshape((7, 7, 64))`,
//!   as Keras' own examples read), every other one is named;
//! - values: lists → tuples, strings → quoted, bools → `True`/`False`,
//!   `null` → `None`, whole numbers as ints, f32 values as their shortest
//!   decimal, objects of a named list (`{"class_name": "RandomUniform",
//!   "config": {"minval": -0.1}}` or `{"name": "random_uniform", "minval": -0.1}`
//!   for an initializer) → `keras.initializers.RandomUniform(minval=-0.1)`.
//!
//! JSON fields the Arg list does not name (none today; a test checks it) are
//! still written, named, after the others, so nothing is silently dropped.

use serde_json::{Map, Value};

use crate::activations::Activation;
use crate::layers::LayerConfig;
use crate::spec::{Arg, ArgType};
use crate::{Error, Result};

use super::pylit::{boolean, call_at, float, float64, string};

/// True when a layer uses the `step` activation (the export then defines it).
pub fn uses_step(layers: &[LayerConfig]) -> bool {
    layers.iter().any(|l| l.activation() == Some(Activation::Step))
}

/// Python definition of the `step` activation.
pub const STEP_DEF: &str = "\
def step(x):
    \"\"\"Gradient Lab's step activation: 1 where x >= 0, else 0 (no gradient).\"\"\"
    return keras.ops.cast(keras.ops.greater_equal(x, 0.0), x.dtype)
";

/// `layers.<Kind>(<args>)`, wrapped one argument per line when its line in
/// the `Sequential` list (from column 8, with its comma) passes 100 columns.
pub fn layer(l: &LayerConfig) -> Result<String> {
    let kind = l.kind();
    let spec = LayerConfig::specs()
        .into_iter()
        .find(|s| s.kind == kind)
        .ok_or_else(|| Error::Config(format!("the layer kind {kind} has no entry in the layer registry")))?;
    let json = serde_json::to_value(l).map_err(|e| Error::Config(format!("layer {kind}: {e}")))?;
    let empty = Map::new();
    let fields = json.as_object().unwrap_or(&empty);
    let mut args = Vec::new();
    for (i, arg) in spec.args.iter().enumerate() {
        let v = fields.get(arg.name).unwrap_or(&Value::Null);
        let is_default = *v == arg.default || (v.is_null() && (arg.nullable || arg.default.is_null()));
        if is_default && !arg.required {
            continue;
        }
        let text = value(v, Some(arg));
        args.push(if i == 0 && arg.required {
            text
        } else {
            format!("{}={text}", arg.name)
        });
    }
    for (name, v) in fields {
        if name != "type" && !spec.args.iter().any(|a| a.name == name) {
            args.push(format!("{name}={}", value(v, None)));
        }
    }
    Ok(call_at(&format!("layers.{kind}"), &args, 8, 9))
}

/// The Python literal of a JSON value of argument `arg` (see the module doc).
fn value(v: &Value, arg: Option<&Arg>) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => boolean(*b).into(),
        Value::Number(n) => number(n, arg.map(|a| a.ty)),
        // Gradient Lab's `step` activation has no name in Keras: the export
        // defines a Python function `step` ([`STEP_DEF`]) and passes the
        // function itself, where Keras' JSON-like argument is a name string.
        Value::String(s) if s == Activation::Step.name() && list_of(arg) == Some("activations") => s.clone(),
        Value::String(s) => string(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|x| value(x, arg)).collect();
            match items.as_slice() {
                [one] => format!("({one},)"),
                _ => format!("({})", items.join(", ")),
            }
        }
        Value::Object(fields) => object(fields, list_of(arg)),
    }
}

fn list_of(arg: Option<&Arg>) -> Option<&'static str> {
    arg.and_then(|a| a.choices_from)
}

/// Whole numbers as ints (floats too where the argument is an int), values
/// that are exactly an f32 as the f32's shortest decimal, others as f64.
fn number(n: &serde_json::Number, ty: Option<ArgType>) -> String {
    if let Some(i) = n.as_i64() {
        return match ty {
            Some(ArgType::Float) => float64(i as f64),
            _ => i.to_string(),
        };
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if ty == Some(ArgType::Int) && f.fract() == 0.0 && f.abs() < 9.0e15 {
        return format!("{}", f as i64);
    }
    if f64::from(f as f32) == f {
        float(f as f32)
    } else {
        float64(f)
    }
}

/// `keras.<list>.<Class>(key=value, …)` for an object of a named list
/// (`class_name` + `config`, or a snake_case `name` + its arguments);
/// otherwise a Python dict.
fn object(fields: &Map<String, Value>, list: Option<&str>) -> String {
    let class = match (fields.get("class_name"), fields.get("name")) {
        (Some(Value::String(c)), _) => Some(c.clone()),
        (None, Some(Value::String(n))) => Some(pascal_case(n)),
        _ => None,
    };
    let (Some(list), Some(class)) = (list, class) else {
        let items: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}: {}", string(k), value(v, None)))
            .collect();
        return format!("{{{}}}", items.join(", "));
    };
    let args: Vec<String> = match fields.get("config") {
        Some(Value::Object(config)) => config.iter().map(|(k, v)| format!("{k}={}", value(v, None))).collect(),
        _ => fields
            .iter()
            .filter(|(k, _)| *k != "name" && *k != "class_name")
            .map(|(k, v)| format!("{k}={}", value(v, None)))
            .collect(),
    };
    format!("keras.{list}.{class}({})", args.join(", "))
}

/// `random_uniform` → `RandomUniform` (Keras' class for a snake_case name).
fn pascal_case(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect()
}

#[cfg(test)]
#[path = "layers_tests.rs"]
mod tests;
