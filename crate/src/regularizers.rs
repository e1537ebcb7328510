//! Weight regularizers with Keras' names, formulas and defaults
//! (`keras/src/regularizers/regularizers.py`):
//!
//! | name    | Keras class         | penalty on a weight tensor `w`      | defaults            |
//! |---------|---------------------|-------------------------------------|---------------------|
//! | `l1`    | `L1(l1=0.01)`       | `l1·Σ|w|`                           | l1 = 0.01           |
//! | `l2`    | `L2(l2=0.01)`       | `l2·Σw²`                            | l2 = 0.01           |
//! | `l1_l2` | `L1L2(l1=0.0, l2=0.0)` | `l1·Σ|w| + l2·Σw²`               | l1 = 0, l2 = 0      |
//!
//! (Keras' `L1L2` docstring says 0.01 for the string `'l1_l2'`, but the string
//! resolves to the class, whose defaults are 0.0 and 0.0; we follow the code.)
//! Keras adds every layer's penalty to the loss in `compute_loss`, which
//! `train_step` and `test_step` both call: the logged `loss`, `val_loss` and
//! `evaluate()` all include it. Its gradient, `l1·sign(w) + 2·l2·w` (TF's
//! `sign(0) = 0`), is added to the weight's gradient before the optimizer step
//! (Keras gets the same by autodiff). Factors must be finite and ≥ 0 (Keras'
//! `validate_float_arg`).
//!
//! JSON: `"l2"` (defaults) or `{"name": "l2", "l2": 0.001}`; `null`/absent: none.

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::problem::Problem;
use crate::spec::{Arg, ArgType};

/// The regularizer kinds (Keras' string identifiers).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regularizer {
    #[serde(rename = "l1")]
    L1,
    #[serde(rename = "l2")]
    L2,
    #[serde(rename = "l1_l2")]
    L1L2,
}

impl Regularizer {
    pub const ALL: [Regularizer; 3] = [Regularizer::L1, Regularizer::L2, Regularizer::L1L2];

    pub fn name(&self) -> &'static str {
        match self {
            Regularizer::L1 => "l1",
            Regularizer::L2 => "l2",
            Regularizer::L1L2 => "l1_l2",
        }
    }

    /// Keras' class name.
    pub fn keras_class(&self) -> &'static str {
        match self {
            Regularizer::L1 => "L1",
            Regularizer::L2 => "L2",
            Regularizer::L1L2 => "L1L2",
        }
    }

    /// `(l1, l2)` defaults; the factor a kind does not take is 0.
    fn defaults(&self) -> (f32, f32) {
        match self {
            Regularizer::L1 => (0.01, 0.0),
            Regularizer::L2 => (0.0, 0.01),
            Regularizer::L1L2 => (0.0, 0.0),
        }
    }

    /// The factors this kind takes, in Keras' order.
    pub fn arg_names(&self) -> &'static [&'static str] {
        match self {
            Regularizer::L1 => &["l1"],
            Regularizer::L2 => &["l2"],
            Regularizer::L1L2 => &["l1", "l2"],
        }
    }

    /// The arguments as the schema shows them.
    pub fn args(&self) -> Vec<Arg> {
        let (l1, l2) = self.defaults();
        self.arg_names()
            .iter()
            .map(|&n| match n {
                "l1" => Arg::new("l1", ArgType::Float, l1, "L1 factor: adds l1·Σ|w| to the loss").min(0.0),
                _ => Arg::new("l2", ArgType::Float, l2, "L2 factor: adds l2·Σw² to the loss").min(0.0),
            })
            .collect()
    }
}

/// A regularizer and its factors (`kernel_regularizer`, `bias_regularizer`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RegularizerConfig {
    pub name: Regularizer,
    pub l1: f32,
    pub l2: f32,
}

impl From<Regularizer> for RegularizerConfig {
    fn from(name: Regularizer) -> Self {
        let (l1, l2) = name.defaults();
        RegularizerConfig { name, l1, l2 }
    }
}

impl RegularizerConfig {
    /// Problems with the factors; paths relative to the regularizer (`"l2"`).
    pub fn check(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        for (n, v) in [("l1", self.l1), ("l2", self.l2)] {
            if self.name.arg_names().contains(&n) && !(v.is_finite() && v >= 0.0) {
                p.push(Problem::new(
                    n,
                    format!("{n} must be a finite number ≥ 0 (Keras' regularization factor), got {v}"),
                ));
            }
        }
        p
    }

    /// `l1·Σ|w| + l2·Σw²` (summed in f64).
    pub fn penalty(&self, w: &[f32]) -> f32 {
        let (l1, l2) = (f64::from(self.l1), f64::from(self.l2));
        let (mut abs, mut sq) = (0.0f64, 0.0f64);
        for &x in w {
            let x = f64::from(x);
            abs += x.abs();
            sq += x * x;
        }
        (l1 * abs + l2 * sq) as f32
    }

    /// Add `l1·sign(w) + 2·l2·w` to `grad` (sign(0) = 0) and return the penalty.
    pub fn add_to_grad(&self, w: &[f32], grad: &mut [f32]) -> f32 {
        let (l1, l2x2) = (self.l1, 2.0 * self.l2);
        for (g, &x) in grad.iter_mut().zip(w) {
            let sign = if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            };
            *g += l1 * sign + l2x2 * x;
        }
        self.penalty(w)
    }
}

impl Serialize for RegularizerConfig {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if *self == RegularizerConfig::from(self.name) {
            return self.name.serialize(s);
        }
        // Written field by field: an f32 serialises as its shortest decimal (0.001), not via f64.
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", self.name.name())?;
        for &n in self.name.arg_names() {
            m.serialize_entry(n, &if n == "l1" { self.l1 } else { self.l2 })?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for RegularizerConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let obj = match v {
            Value::String(_) => {
                return serde_json::from_value::<Regularizer>(v)
                    .map(RegularizerConfig::from)
                    .map_err(D::Error::custom)
            }
            Value::Object(m) => m,
            other => {
                return Err(D::Error::custom(format!(
                    "a regularizer is a name or {{\"name\": …, <factors>}}, got {other}"
                )))
            }
        };
        let name = obj
            .get("name")
            .cloned()
            .ok_or_else(|| D::Error::custom("a regularizer object needs a \"name\""))?;
        let name: Regularizer = serde_json::from_value(name).map_err(D::Error::custom)?;
        let mut c = RegularizerConfig::from(name);
        for (k, v) in obj.iter().filter(|(k, _)| *k != "name") {
            if !name.arg_names().contains(&k.as_str()) {
                return Err(D::Error::custom(format!(
                    "{} takes {}, not {k}",
                    name.name(),
                    name.arg_names().join(", ")
                )));
            }
            let x = v
                .as_f64()
                .ok_or_else(|| D::Error::custom(format!("{k} must be a number, got {v}")))? as f32;
            if k == "l1" {
                c.l1 = x;
            } else {
                c.l2 = x;
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
#[path = "regularizers_tests.rs"]
mod tests;
