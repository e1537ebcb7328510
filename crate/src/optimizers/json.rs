//! The JSON form of [`OptimizerConfig`]: a flat object with Keras field names,
//! `{"name":"adam","learning_rate":0.001,...,"clipnorm":null}`, or a bare name.
//!
//! Reading: `"name"` is required (any case); every other field is optional
//! (missing or `null` = Keras default); a field the named optimizer does not
//! take is an error naming the field and listing the ones it takes; the result
//! is validated. Writing: every field of the optimizer, clip fields as `null`
//! when unset.

use super::{HyperValue, OptimizerConfig, OptimizerKind, OPTIMIZER_NAMES};
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const CLIP_FIELDS: [&str; 3] = ["clipnorm", "clipvalue", "global_clipnorm"];

/// The hyper-parameter fields each optimizer takes, in Keras' order.
fn fields_of(name: &str) -> Vec<&'static str> {
    OptimizerConfig::from_name(name)
        .map(|c| c.kind.hyper_parameters().into_iter().map(|(field, _)| field).collect())
        .unwrap_or_default()
}

impl Serialize for OptimizerConfig {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", self.name())?;
        for (field, value) in self.kind.hyper_parameters() {
            match value {
                HyperValue::Number(v) => m.serialize_entry(field, &v)?,
                HyperValue::Flag(v) => m.serialize_entry(field, &v)?,
            }
        }
        m.serialize_entry("clipnorm", &self.clipnorm)?;
        m.serialize_entry("clipvalue", &self.clipvalue)?;
        m.serialize_entry("global_clipnorm", &self.global_clipnorm)?;
        m.end()
    }
}

/// The message of a configuration error without its "configuration error: "
/// prefix (the caller adds its own context).
fn plain(e: crate::Error) -> String {
    match e {
        crate::Error::Config(m) => m,
        other => other.to_string(),
    }
}

/// Fields as read, before the name is known.
#[derive(Default)]
struct Raw {
    name: Option<String>,
    numbers: Vec<(&'static str, f32)>,
    flags: Vec<(&'static str, bool)>,
    clips: [Option<f32>; 3],
    /// Field names in input order (known and unknown), to check against the optimizer.
    seen: Vec<String>,
}

const NUMBER_FIELDS: [&str; 7] = [
    "learning_rate",
    "momentum",
    "beta_1",
    "beta_2",
    "epsilon",
    "rho",
    "initial_accumulator_value",
];
const FLAG_FIELDS: [&str; 3] = ["nesterov", "amsgrad", "centered"];

impl Raw {
    fn number(&self, field: &str) -> Option<f32> {
        self.numbers.iter().find(|(k, _)| *k == field).map(|(_, v)| *v)
    }

    fn flag(&self, field: &str) -> Option<bool> {
        self.flags.iter().find(|(k, _)| *k == field).map(|(_, v)| *v)
    }

    fn build<E: de::Error>(self) -> Result<OptimizerConfig, E> {
        let Some(name) = self.name.as_deref() else {
            return Err(E::custom(format!(
                "missing field `name`: say which optimizer, one of: {}",
                OPTIMIZER_NAMES.join(", ")
            )));
        };
        let mut c = OptimizerConfig::from_name(name).map_err(|e| E::custom(plain(e)))?;
        let takes = fields_of(c.name());
        for field in &self.seen {
            if field != "name" && !takes.contains(&field.as_str()) && !CLIP_FIELDS.contains(&field.as_str()) {
                return Err(E::custom(format!(
                    "unknown field `{field}` for optimizer {}; it takes: name, {}, {}",
                    c.name(),
                    takes.join(", "),
                    CLIP_FIELDS.join(", ")
                )));
            }
        }
        let num = |f: &str, d: f32| self.number(f).unwrap_or(d);
        let flag = |f: &str, d: bool| self.flag(f).unwrap_or(d);
        c.kind = match c.kind {
            OptimizerKind::Sgd {
                learning_rate,
                momentum,
                nesterov,
            } => OptimizerKind::Sgd {
                learning_rate: num("learning_rate", learning_rate),
                momentum: num("momentum", momentum),
                nesterov: flag("nesterov", nesterov),
            },
            OptimizerKind::Adam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
                amsgrad,
            } => OptimizerKind::Adam {
                learning_rate: num("learning_rate", learning_rate),
                beta_1: num("beta_1", beta_1),
                beta_2: num("beta_2", beta_2),
                epsilon: num("epsilon", epsilon),
                amsgrad: flag("amsgrad", amsgrad),
            },
            OptimizerKind::Rmsprop {
                learning_rate,
                rho,
                momentum,
                epsilon,
                centered,
            } => OptimizerKind::Rmsprop {
                learning_rate: num("learning_rate", learning_rate),
                rho: num("rho", rho),
                momentum: num("momentum", momentum),
                epsilon: num("epsilon", epsilon),
                centered: flag("centered", centered),
            },
            OptimizerKind::Adagrad {
                learning_rate,
                initial_accumulator_value,
                epsilon,
            } => OptimizerKind::Adagrad {
                learning_rate: num("learning_rate", learning_rate),
                initial_accumulator_value: num("initial_accumulator_value", initial_accumulator_value),
                epsilon: num("epsilon", epsilon),
            },
            OptimizerKind::Nadam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
            } => OptimizerKind::Nadam {
                learning_rate: num("learning_rate", learning_rate),
                beta_1: num("beta_1", beta_1),
                beta_2: num("beta_2", beta_2),
                epsilon: num("epsilon", epsilon),
            },
        };
        [c.clipnorm, c.clipvalue, c.global_clipnorm] = self.clips;
        c.validate().map_err(|e| E::custom(plain(e)))?;
        Ok(c)
    }
}

struct ConfigVisitor;

impl<'de> Visitor<'de> for ConfigVisitor {
    type Value = OptimizerConfig;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "an optimizer name ({}) or an object with a \"name\" field",
            OPTIMIZER_NAMES.join(", ")
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<OptimizerConfig, E> {
        OptimizerConfig::from_name(v).map_err(|e| E::custom(plain(e)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OptimizerConfig, A::Error> {
        let mut raw = Raw::default();
        while let Some(key) = map.next_key::<String>()? {
            if raw.seen.contains(&key) {
                return Err(de::Error::custom(format!("duplicate field `{key}`")));
            }
            let ctx = |e: A::Error| de::Error::custom(format!("field `{key}`: {e}"));
            if key == "name" {
                raw.name = Some(map.next_value::<String>().map_err(ctx)?);
            } else if let Some(f) = NUMBER_FIELDS.iter().find(|f| **f == key) {
                if let Some(v) = map.next_value::<Option<f32>>().map_err(ctx)? {
                    raw.numbers.push((f, v));
                }
            } else if let Some(f) = FLAG_FIELDS.iter().find(|f| **f == key) {
                if let Some(v) = map.next_value::<Option<bool>>().map_err(ctx)? {
                    raw.flags.push((f, v));
                }
            } else if let Some(i) = CLIP_FIELDS.iter().position(|f| *f == key) {
                raw.clips[i] = map.next_value::<Option<f32>>().map_err(ctx)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            raw.seen.push(key);
        }
        raw.build()
    }
}

impl<'de> Deserialize<'de> for OptimizerConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ConfigVisitor)
    }
}
