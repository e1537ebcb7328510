//! [`DatasetFacts`]: what validation needs to know about a dataset — its task,
//! per-sample shape, classes or target width and training-set size — taken
//! from a loaded [`Dataset`] or from the bundled catalogue without loading it.

use serde::{Deserialize, Serialize};

use super::dataset::{Dataset, Targets, Task};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetFacts {
    pub name: String,
    pub task: Task,
    /// Per-sample input shape, e.g. `[28, 28, 1]`.
    pub sample_shape: Vec<usize>,
    /// Classification: the number of classes.
    pub num_classes: Option<usize>,
    /// Regression: target values per sample (1 for classification).
    pub target_dim: usize,
    /// Samples in the training part (before any validation split).
    pub train_len: usize,
}

impl DatasetFacts {
    pub fn of(ds: &Dataset) -> DatasetFacts {
        let target_dim = match ds.targets {
            Targets::Values { dim, .. } => dim,
            Targets::Classes { .. } => 1,
        };
        DatasetFacts {
            name: ds.name.clone(),
            task: ds.task(),
            sample_shape: ds.sample_shape.clone(),
            num_classes: ds.num_classes(),
            target_dim,
            train_len: ds.len(),
        }
    }
}
