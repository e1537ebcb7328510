//! [`Arg`]: how one argument of a layer, optimizer, loss or the experiment is
//! described to the page (its editor builds the fields from these; see
//! `schema`). Each concept describes its own arguments beside its definition;
//! defaults are read from the concept's own default values, never retyped.

use serde::Serialize;
use serde_json::Value;

/// The kind of value an argument takes.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ArgType {
    Int,
    Float,
    Bool,
    Enum,
    IntList,
    String,
    Object,
    List,
}

/// One argument: `{name, type, default, required, min?, max?, choices? | choices_from?, doc}`.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Arg {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub ty: ArgType,
    /// The value used when the argument is left out (`null`: none / required).
    pub default: Value,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<Value>>,
    /// The schema list the choices come from: "activations", "initializers", …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices_from: Option<&'static str>,
    pub doc: &'static str,
}

impl Arg {
    /// An optional argument whose default is `default` serialised.
    pub fn new(name: &'static str, ty: ArgType, default: impl Serialize, doc: &'static str) -> Arg {
        Arg {
            name,
            ty,
            default: serde_json::to_value(default).unwrap_or(Value::Null),
            required: false,
            min: None,
            max: None,
            choices: None,
            choices_from: None,
            doc,
        }
    }

    /// A required argument (no default).
    pub fn required(name: &'static str, ty: ArgType, doc: &'static str) -> Arg {
        Arg {
            required: true,
            ..Arg::new(name, ty, Value::Null, doc)
        }
    }

    pub fn min(self, min: f64) -> Arg {
        Arg { min: Some(min), ..self }
    }

    pub fn max(self, max: f64) -> Arg {
        Arg { max: Some(max), ..self }
    }

    pub fn choices<T: Serialize>(self, choices: impl IntoIterator<Item = T>) -> Arg {
        let values = choices
            .into_iter()
            .map(|c| serde_json::to_value(c).unwrap_or(Value::Null))
            .collect();
        Arg {
            choices: Some(values),
            ..self
        }
    }

    pub fn choices_from(self, list: &'static str) -> Arg {
        Arg {
            choices_from: Some(list),
            ..self
        }
    }
}
