//! Training history, shaped like Keras' `History` callback: `epoch` holds the
//! 0-based epoch indices and `history[key]` one value per epoch, e.g.
//! `history["loss"]`, `history["accuracy"]`, `history["val_loss"]`,
//! `history["val_accuracy"]`, `history["lr"]`.
//!
//! The per-epoch values follow Keras:
//! - `loss` and training metrics are the running means over the epoch's
//!   batches, each batch weighted by its size:
//!   `loss = Σ_b n_b·loss_b / Σ_b n_b` (for accuracy: correct / seen);
//! - `val_*` are computed on the validation set after the epoch, in
//!   inference mode (no dropout), with the same weighting;
//! - `lr` is the learning rate used by the epoch's last batch.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// JSON: `{"epoch":[0,1],"history":{"loss":[0.3,0.2],…}}`. JSON has no NaN,
/// so a NaN value (a padded gap) is written as `null` and read back as NaN.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct History {
    pub epoch: Vec<u32>,
    #[serde(deserialize_with = "nullable_series")]
    pub history: BTreeMap<String, Vec<f64>>,
}

fn nullable_series<'de, D>(de: D) -> Result<BTreeMap<String, Vec<f64>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw = BTreeMap::<String, Vec<Option<f64>>>::deserialize(de)?;
    Ok(raw
        .into_iter()
        .map(|(k, v)| (k, v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()))
        .collect())
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of completed epochs recorded.
    pub fn len(&self) -> usize {
        self.epoch.len()
    }

    pub fn is_empty(&self) -> bool {
        self.epoch.is_empty()
    }

    /// Append one epoch's logs. A key missing in earlier epochs is padded
    /// with NaN so every series stays aligned with `epoch`.
    pub fn push(&mut self, epoch: u32, logs: &BTreeMap<String, f64>) {
        let before = self.epoch.len();
        self.epoch.push(epoch);
        for (k, v) in logs {
            let series = self.history.entry(k.clone()).or_default();
            while series.len() < before {
                series.push(f64::NAN);
            }
            series.push(*v);
        }
        for series in self.history.values_mut() {
            while series.len() < before + 1 {
                series.push(f64::NAN);
            }
        }
    }

    /// The series for one key (`"loss"`, `"val_accuracy"`, …).
    pub fn get(&self, key: &str) -> Option<&[f64]> {
        self.history.get(key).map(|v| v.as_slice())
    }

    /// Last recorded value of a key.
    pub fn last(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(|s| s.last().copied())
    }

    pub fn clear(&mut self) {
        self.epoch.clear();
        self.history.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_keeps_series_aligned() {
        let mut h = History::new();
        let mut a = BTreeMap::new();
        a.insert("loss".to_string(), 1.0);
        h.push(0, &a);
        let mut b = BTreeMap::new();
        b.insert("loss".to_string(), 0.5);
        b.insert("lr".to_string(), 0.01);
        h.push(1, &b);
        h.push(2, &a);
        assert_eq!(h.epoch, vec![0, 1, 2]);
        assert_eq!(h.get("loss").unwrap(), &[1.0, 0.5, 1.0]);
        let lr = h.get("lr").unwrap();
        assert!(lr[0].is_nan() && lr[1] == 0.01 && lr[2].is_nan());
        assert_eq!(h.last("loss"), Some(1.0));
        let json = serde_json::to_string(&h).unwrap();
        assert!(json.starts_with("{\"epoch\":[0,1,2],\"history\":{"), "{json}");
        let back: History = serde_json::from_str(&json).unwrap();
        assert_eq!(back.get("loss"), h.get("loss"));
        assert!(back.get("lr").unwrap()[0].is_nan());
    }
}
