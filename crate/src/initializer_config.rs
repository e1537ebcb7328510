//! [`InitializerConfig`]: an initializer with its Keras arguments, as a layer's
//! `kernel_initializer` / `bias_initializer` holds it.
//!
//! | name               | arguments (Keras defaults)         | Keras class                         |
//! |--------------------|------------------------------------|-------------------------------------|
//! | `random_uniform`   | `minval=-0.05, maxval=0.05`        | `RandomUniform(minval, maxval)`     |
//! | `random_normal`    | `mean=0.0, stddev=0.05`            | `RandomNormal(mean, stddev)`        |
//! | `truncated_normal` | `mean=0.0, stddev=0.05`            | `TruncatedNormal(mean, stddev)`     |
//! | `constant`         | `value=0.0`                        | `Constant(value)`                   |
//! | the others         | none                               | `GlorotUniform()`, `Zeros()`, …     |
//!
//! JSON: the plain name (`"glorot_uniform"`) means the defaults and is what is
//! written when the arguments are the defaults; otherwise an object with the
//! name and the arguments that are given: `{"name": "random_uniform",
//! "minval": -1, "maxval": 1}` (missing arguments take their defaults).
//! Checks ([`InitializerConfig::check`]): every argument finite, `minval < maxval`,
//! `stddev > 0` (Keras draws nothing sensible otherwise).

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::initializers::{Dist, Initializer};
use crate::problem::Problem;
use crate::rng::Rng;
use crate::spec::{Arg, ArgType};
use crate::tensor::Tensor;

/// An initializer and its (up to two) arguments, in Keras' signature order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InitializerConfig {
    pub name: Initializer,
    args: [f32; 2],
}

impl Initializer {
    /// Names and Keras defaults of this initializer's arguments, in signature order.
    pub fn arg_defaults(&self) -> &'static [(&'static str, f32)] {
        match self {
            Initializer::RandomUniform => &[("minval", -0.05), ("maxval", 0.05)],
            Initializer::RandomNormal | Initializer::TruncatedNormal => &[("mean", 0.0), ("stddev", 0.05)],
            Initializer::Constant => &[("value", 0.0)],
            _ => &[],
        }
    }

    /// The arguments as the schema shows them (the editor builds their fields from these).
    pub fn args(&self) -> Vec<Arg> {
        self.arg_defaults()
            .iter()
            .map(|&(name, d)| {
                let doc = match name {
                    "minval" => "lower bound of the uniform range",
                    "maxval" => "upper bound of the uniform range (greater than minval)",
                    "mean" => "mean of the normal distribution",
                    "stddev" => "standard deviation (> 0)",
                    _ => "the value of every weight",
                };
                let arg = Arg::new(name, ArgType::Float, d, doc);
                if name == "stddev" {
                    arg.min(0.0)
                } else {
                    arg
                }
            })
            .collect()
    }
}

impl From<Initializer> for InitializerConfig {
    fn from(name: Initializer) -> Self {
        let mut args = [0.0; 2];
        for (slot, &(_, d)) in args.iter_mut().zip(name.arg_defaults()) {
            *slot = d;
        }
        InitializerConfig { name, args }
    }
}

impl PartialEq<Initializer> for InitializerConfig {
    fn eq(&self, other: &Initializer) -> bool {
        *self == InitializerConfig::from(*other)
    }
}

impl InitializerConfig {
    /// `name` with `args` given by name (the others at their defaults); `None` if one is not its argument.
    pub fn with_args(name: Initializer, args: &[(&str, f32)]) -> Option<Self> {
        let mut c = InitializerConfig::from(name);
        for &(k, v) in args {
            let i = name.arg_defaults().iter().position(|(n, _)| *n == k)?;
            c.args[i] = v;
        }
        Some(c)
    }

    /// `(name, value)` of every argument, in Keras' order.
    pub fn args(&self) -> impl Iterator<Item = (&'static str, f32)> + '_ {
        self.name
            .arg_defaults()
            .iter()
            .zip(self.args)
            .map(|(&(n, _), v)| (n, v))
    }

    /// The value of argument `name`, if this initializer takes it.
    pub fn arg(&self, name: &str) -> Option<f32> {
        self.args().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// True when every argument has Keras' default (written as the plain name).
    pub fn is_default(&self) -> bool {
        *self == InitializerConfig::from(self.name)
    }

    /// Problems with the arguments; paths relative to the initializer (`"minval"`).
    pub fn check(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        for (n, v) in self.args() {
            if !v.is_finite() {
                p.push(Problem::new(n, format!("{n} must be a finite number, got {v}")));
            }
        }
        let (a, b) = (self.args[0], self.args[1]);
        match self.name {
            Initializer::RandomUniform if a.is_finite() && b.is_finite() && a >= b => p.push(Problem::new(
                "minval",
                format!("minval must be less than maxval, got {a} ≥ {b}"),
            )),
            Initializer::RandomNormal | Initializer::TruncatedNormal if b.is_finite() && b <= 0.0 => p.push(
                Problem::new("stddev", format!("stddev must be greater than 0, got {b}")),
            ),
            _ => {}
        }
        p
    }

    /// The distribution: the Keras formula with these arguments. With the default
    /// arguments it is the very draw of the plain name (same weights as before).
    pub(crate) fn dist(&self, fan_in: usize, fan_out: usize) -> Dist {
        let [a, b] = self.args;
        match self.name {
            Initializer::Constant => Dist::Constant(a),
            Initializer::RandomUniform if a == -b => Dist::Uniform(b),
            Initializer::RandomUniform => Dist::UniformRange(a, b),
            Initializer::RandomNormal if a == 0.0 => Dist::Normal(b),
            Initializer::TruncatedNormal if a == 0.0 => Dist::TruncatedNormal(b),
            Initializer::RandomNormal | Initializer::TruncatedNormal => Dist::Shifted {
                mean: a,
                stddev: b,
                truncated: self.name == Initializer::TruncatedNormal,
            },
            other => other.fixed_dist(fan_in, fan_out),
        }
    }

    /// Fill `t` (row-major) with values drawn from `rng`.
    pub fn fill(&self, t: &mut Tensor, fan_in: usize, fan_out: usize, rng: &mut Rng) {
        crate::initializers::fill_with(self.dist(fan_in, fan_out), t, rng);
    }
}

impl Serialize for InitializerConfig {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_default() {
            return self.name.serialize(s);
        }
        // Written field by field: an f32 serialises as its shortest decimal (0.1), not via f64.
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", self.name.name())?;
        for (n, v) in self.args() {
            m.serialize_entry(n, &v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for InitializerConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let obj = match v {
            Value::String(_) => {
                return serde_json::from_value::<Initializer>(v)
                    .map(InitializerConfig::from)
                    .map_err(D::Error::custom)
            }
            Value::Object(m) => m,
            other => {
                return Err(D::Error::custom(format!(
                    "an initializer is a name or {{\"name\": …, <arguments>}}, got {other}"
                )))
            }
        };
        let name = obj
            .get("name")
            .cloned()
            .ok_or_else(|| D::Error::custom("an initializer object needs a \"name\""))?;
        let name: Initializer = serde_json::from_value(name).map_err(D::Error::custom)?;
        let mut args = Vec::new();
        for (k, v) in obj.iter().filter(|(k, _)| *k != "name") {
            let x = v
                .as_f64()
                .ok_or_else(|| D::Error::custom(format!("{k} must be a number, got {v}")))?;
            args.push((k.as_str(), x as f32));
        }
        InitializerConfig::with_args(name, &args).ok_or_else(|| {
            let takes: Vec<&str> = name.arg_defaults().iter().map(|(n, _)| *n).collect();
            D::Error::custom(format!(
                "{} takes {}",
                name.name(),
                if takes.is_empty() {
                    "no arguments".to_string()
                } else {
                    takes.join(", ")
                }
            ))
        })
    }
}

#[cfg(test)]
#[path = "initializer_config_tests.rs"]
mod tests;
