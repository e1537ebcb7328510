//! What training reports: per batch, per epoch, per `train_batches` call.
//! All `Serialize`: the wasm facade hands them to the page as JS objects.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::callbacks::EarlyStoppingReport;
use super::diagnosis::Diagnosis;
use crate::Error;

/// One batch, as `fit`'s hook and the page's live chart see it. `loss` and
/// `metrics` are THIS batch's values (not Keras' running mean); `lr` is the
/// learning rate this batch was trained with.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct BatchLog {
    pub step: u64,
    pub epoch: u32,
    pub loss: f32,
    pub metrics: BTreeMap<String, f32>,
    pub lr: f32,
    /// Samples in this batch.
    pub size: usize,
}

/// One finished epoch: `loss`, metrics, `val_*` and `lr`, as in Keras' `logs`.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct EpochLog {
    pub epoch: u32,
    pub logs: BTreeMap<String, f64>,
}

/// What one `train_batches` call did, and where the cursor is now.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ChunkReport {
    pub step: u64,
    pub epoch: u32,
    pub batch_in_epoch: usize,
    pub batches_per_epoch: usize,
    pub batches: Vec<BatchLog>,
    pub epochs: Vec<EpochLog>,
    pub finished: bool,
    pub stopped_early: bool,
    /// Set once training has finished when EarlyStopping is configured: why
    /// it stopped, the best epoch and the restored one.
    pub early_stopping: Option<EarlyStoppingReport>,
    /// Training samples processed by this call.
    pub samples: usize,
    /// Why the call stopped before its `n` batches, when a batch failed (e.g.
    /// divergence; that batch left no trace): the batches above are the good
    /// ones before it. JSON: the error's message, or `null`.
    #[serde(serialize_with = "message")]
    pub error: Option<Error>,
    /// What looks wrong after this call (`diagnosis.rs`): JSON `{kind, message}` or `null`.
    pub diagnosis: Option<Diagnosis>,
}

fn message<S: Serializer>(e: &Option<Error>, s: S) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_str(&e.to_string()),
        None => s.serialize_none(),
    }
}
