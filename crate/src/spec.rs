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
    /// `null` is accepted too (and means the default: Keras' `None`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// What the page shows for each choice (`""`: for `null`, the default), when the
    /// bare value would not say it: `{"": "last fraction of the training set", "test": "the test set"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<std::collections::BTreeMap<&'static str, &'static str>>,
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
            nullable: false,
            labels: None,
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

    /// Accept `null` as well (Keras' `None`).
    pub fn nullable(self) -> Arg {
        Arg { nullable: true, ..self }
    }

    /// Labels the page shows for the choices (`""` labels `null`).
    pub fn labels(self, labels: &[(&'static str, &'static str)]) -> Arg {
        Arg {
            labels: Some(labels.iter().copied().collect()),
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

/// The names of a schema list (`choices_from`), as the page offers them.
pub fn choices_of(list: &str) -> Vec<&'static str> {
    match list {
        "activations" => crate::activations::Activation::ALL.iter().map(|a| a.name()).collect(),
        "initializers" => crate::initializers::Initializer::ALL.iter().map(|i| i.name()).collect(),
        "regularizers" => crate::regularizers::Regularizer::ALL.iter().map(|r| r.name()).collect(),
        "losses" => crate::losses::LossName::ALL.iter().map(|l| l.name()).collect(),
        "optimizers" => crate::optimizers::OPTIMIZER_NAMES.to_vec(),
        "metrics" => crate::metrics::Metric::ALL.iter().map(|m| m.name()).collect(),
        "datasets" => crate::data::bundled::catalogue().iter().map(|d| d.name).collect(),
        _ => Vec::new(),
    }
}

/// Whether `name` is accepted for a schema list (aliases such as "mse" too).
pub fn accepts(list: &str, name: &str) -> bool {
    let v = serde_json::Value::String(name.to_string());
    match list {
        "activations" => serde_json::from_value::<crate::activations::Activation>(v).is_ok(),
        "initializers" => serde_json::from_value::<crate::initializers::Initializer>(v).is_ok(),
        "regularizers" => serde_json::from_value::<crate::regularizers::Regularizer>(v).is_ok(),
        "losses" => serde_json::from_value::<crate::losses::LossName>(v).is_ok(),
        "optimizers" => crate::optimizers::OptimizerConfig::from_name(name).is_ok(),
        "metrics" => serde_json::from_value::<crate::metrics::Metric>(v).is_ok(),
        "datasets" => crate::data::bundled::info(name).is_ok() || crate::data::parse_upload_name(name).is_some(),
        _ => false,
    }
}

/// The arguments of `name` in a list whose choices take arguments (`{"name": …, <args>}`).
pub fn args_of(list: &str, name: &str) -> Option<Vec<Arg>> {
    let v = serde_json::Value::String(name.to_string());
    match list {
        "initializers" => serde_json::from_value::<crate::initializers::Initializer>(v)
            .ok()
            .map(|i| i.args()),
        "regularizers" => serde_json::from_value::<crate::regularizers::Regularizer>(v)
            .ok()
            .map(|r| r.args()),
        _ => None,
    }
}

/// Whether a list's choices may be written as objects with arguments.
pub fn has_object_form(list: &str) -> bool {
    matches!(list, "initializers" | "regularizers")
}

/// "an activation", "a loss", … for messages.
pub fn noun_of(list: &str) -> &'static str {
    match list {
        "activations" => "an activation",
        "initializers" => "an initializer",
        "regularizers" => "a regularizer",
        "losses" => "a loss",
        "optimizers" => "an optimizer",
        "metrics" => "a metric",
        "datasets" => "a dataset",
        _ => "a valid value",
    }
}
