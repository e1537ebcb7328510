//! JSON form of [`Loss`]: a plain name `"huber"`, or an object
//! `{"name": "huber", "delta": 2.0}` whose other fields (`from_logits`,
//! `delta`, `label_smoothing`) are optional. A loss with default options is
//! written as the plain name, otherwise as an object with the changed options.
//! Reading validates the options ([`Loss::validate`]).

use serde::de::{self, IntoDeserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use super::{Loss, LossName};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Full {
    name: LossName,
    #[serde(default)]
    from_logits: bool,
    #[serde(default = "one")]
    delta: f32,
    #[serde(default)]
    label_smoothing: f32,
}

fn one() -> f32 {
    1.0
}

impl Serialize for Loss {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let defaults = Loss::new(self.name);
        if *self == defaults {
            return self.name.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &self.name)?;
        if self.from_logits {
            m.serialize_entry("from_logits", &true)?;
        }
        if self.delta != defaults.delta {
            m.serialize_entry("delta", &self.delta)?;
        }
        if self.label_smoothing != defaults.label_smoothing {
            m.serialize_entry("label_smoothing", &self.label_smoothing)?;
        }
        m.end()
    }
}

struct LossVisitor;

impl<'de> Visitor<'de> for LossVisitor {
    type Value = Loss;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a loss name such as \"categorical_crossentropy\" or an object like \
             {\"name\": \"huber\", \"delta\": 1.0}",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loss, E> {
        let name = LossName::deserialize(v.into_deserializer())?;
        Ok(Loss::new(name))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loss, A::Error> {
        let f = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let loss = Loss {
            name: f.name,
            from_logits: f.from_logits,
            delta: f.delta,
            label_smoothing: f.label_smoothing,
        };
        loss.validate().map_err(|e| match e {
            crate::Error::Config(m) => de::Error::custom(m),
            other => de::Error::custom(other),
        })?;
        Ok(loss)
    }
}

impl<'de> Deserialize<'de> for Loss {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loss, D::Error> {
        d.deserialize_any(LossVisitor)
    }
}
