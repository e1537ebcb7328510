//! [`Dataset`]: samples in memory (row-major), their targets, and the
//! per-batch normalisation that turns them into network inputs.
//!
//! Images stay `u8` in memory and are normalised batch by batch in
//! [`Dataset::gather_x`], so MNIST costs 1 byte per pixel, not 4.

use serde::{Deserialize, Serialize};

use crate::error::data_err;
use crate::tensor::{batch_shape, ensure_shape, Tensor};
use crate::Result;
use ndarray::IxDyn;

/// Sample features, row-major: `len = n * prod(sample_shape)`.
#[derive(Clone, Debug, PartialEq)]
pub enum Features {
    U8 { data: Vec<u8> },
    F32 { data: Vec<f32> },
}

/// What the network learns to predict.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// One class index per sample, `labels[i] < num_classes`.
    Classes { labels: Vec<u32>, num_classes: usize },
    /// `dim` real values per sample (regression), row-major.
    Values { data: Vec<f32>, dim: usize },
}

/// How class labels are fed to the loss (Keras: one-hot for
/// `categorical_crossentropy`, integer indices for `sparse_categorical_crossentropy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelEncoding {
    OneHot,
    Sparse,
    /// Two classes on one output unit with targets −1 / +1 (label 0 → −1, 1 → +1): the
    /// perceptron as the course teaches it (tanh output, MSE). Accuracy is then sign
    /// agreement, `(ŷ > 0) == (y > 0)` (see `metrics::sign_accuracy_counts`).
    PlusMinusOne,
}

/// Classification or regression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    Classification,
    Regression,
}

/// Applied per batch in [`Dataset::gather_x`], feature `f` of a sample:
/// - `None`: `x' = x`
/// - `Scale(s)`: `x' = x * s` (u8 images: `s = 1/255`)
/// - `Standardize { mean, std }`: `x' = (x - mean[f % L]) / std[f % L]`, `L = mean.len()`;
///   `L` is the number of features (per-feature statistics) or, for NHWC images,
///   the number of channels (per-channel statistics). An empty `mean` means no change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalization {
    None,
    Scale(f32),
    Standardize { mean: Vec<f32>, std: Vec<f32> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub name: String,
    /// Per-sample shape: MNIST `[28, 28, 1]` (NHWC), iris `[4]`, digits `[8, 8, 1]`.
    pub sample_shape: Vec<usize>,
    pub features: Features,
    pub targets: Targets,
    /// Class names, index = class; empty for regression.
    pub class_names: Vec<String>,
    /// Per-batch normalisation x' = (x - mean[f]) / std[f] applied in gather_x (f32 features),
    /// or u8 / 255 for U8 features (images stay u8 in memory, normalised per batch).
    pub normalization: Normalization,
}

impl Dataset {
    /// A dataset whose parts agree: feature count = `n * prod(sample_shape)`,
    /// labels below `num_classes`, class names empty or one per class.
    pub fn new(
        name: &str,
        sample_shape: Vec<usize>,
        features: Features,
        targets: Targets,
        class_names: Vec<String>,
        normalization: Normalization,
    ) -> Result<Dataset> {
        let ds = Dataset {
            name: name.to_string(),
            sample_shape,
            features,
            targets,
            class_names,
            normalization,
        };
        ds.check()?;
        Ok(ds)
    }

    /// Check that the parts agree (see [`Dataset::new`]); says what is wrong.
    pub fn check(&self) -> Result<()> {
        let size = self.input_size();
        if size == 0 {
            return data_err(format!(
                "dataset '{}': the sample shape {:?} has no features",
                self.name, self.sample_shape
            ));
        }
        let n = self.len();
        let feat_len = match &self.features {
            Features::U8 { data } => data.len(),
            Features::F32 { data } => data.len(),
        };
        if feat_len != n * size {
            return data_err(format!(
                "dataset '{}': {} feature values for {n} samples of shape {:?} (expected {})",
                self.name,
                feat_len,
                self.sample_shape,
                n * size
            ));
        }
        match &self.targets {
            Targets::Classes { labels, num_classes } => {
                if let Some(bad) = labels.iter().find(|&&l| l as usize >= *num_classes) {
                    return data_err(format!(
                        "dataset '{}': label {bad} is not below the number of classes {num_classes}",
                        self.name
                    ));
                }
                if !self.class_names.is_empty() && self.class_names.len() != *num_classes {
                    return data_err(format!(
                        "dataset '{}': {} class names for {num_classes} classes",
                        self.name,
                        self.class_names.len()
                    ));
                }
            }
            Targets::Values { data, dim } => {
                if *dim == 0 || data.len() % dim != 0 {
                    return data_err(format!(
                        "dataset '{}': {} target values do not fill rows of {dim}",
                        self.name,
                        data.len()
                    ));
                }
            }
        }
        if let Normalization::Standardize { mean, std } = &self.normalization {
            if mean.len() != std.len() || (!mean.is_empty() && !size.is_multiple_of(mean.len())) {
                return data_err(format!(
                    "dataset '{}': standardisation has {} means and {} stds for {size} features \
                     (give one per feature or one per channel)",
                    self.name,
                    mean.len(),
                    std.len()
                ));
            }
        }
        Ok(())
    }

    /// Number of samples (from the targets).
    pub fn len(&self) -> usize {
        match &self.targets {
            Targets::Classes { labels, .. } => labels.len(),
            Targets::Values { data, dim } => data.len() / (*dim).max(1),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn task(&self) -> Task {
        match self.targets {
            Targets::Classes { .. } => Task::Classification,
            Targets::Values { .. } => Task::Regression,
        }
    }

    /// `None` for regression.
    pub fn num_classes(&self) -> Option<usize> {
        match self.targets {
            Targets::Classes { num_classes, .. } => Some(num_classes),
            Targets::Values { .. } => None,
        }
    }

    /// `prod(sample_shape)`.
    pub fn input_size(&self) -> usize {
        self.sample_shape.iter().product()
    }

    /// Width of one target row: one-hot → classes, sparse → 1, regression → dim.
    pub fn target_width(&self, enc: LabelEncoding) -> usize {
        match (&self.targets, enc) {
            (Targets::Classes { num_classes, .. }, LabelEncoding::OneHot) => *num_classes,
            (Targets::Classes { .. }, LabelEncoding::Sparse | LabelEncoding::PlusMinusOne) => 1,
            (Targets::Values { dim, .. }, _) => *dim,
        }
    }

    /// Features of the samples `idx`, normalised (see [`Normalization`]), into `out`,
    /// resized with `ensure_shape` to `[idx.len()] ++ sample_shape`.
    ///
    /// # Panics
    /// If an index is `>= self.len()` (indices come from the trainer, not the user).
    pub fn gather_x(&self, idx: &[usize], out: &mut Tensor) {
        let size = self.input_size();
        // Compared in place: no shape `Vec` per batch in the steady state.
        if out.shape().split_first() != Some((&idx.len(), &self.sample_shape[..])) || out.as_slice().is_none() {
            *out = Tensor::zeros(IxDyn(&batch_shape(idx.len(), &self.sample_shape)));
        }
        let dst = out.as_slice_mut().expect("a standard-layout tensor");
        for (row, &i) in dst.chunks_exact_mut(size.max(1)).zip(idx) {
            match &self.features {
                Features::U8 { data } => {
                    for (d, &s) in row.iter_mut().zip(&data[i * size..(i + 1) * size]) {
                        *d = s as f32;
                    }
                }
                Features::F32 { data } => row.copy_from_slice(&data[i * size..(i + 1) * size]),
            }
            normalize_row(&self.normalization, row);
        }
    }

    /// Targets of `idx` into `out`: one-hot → `[b, classes]`; sparse → `[b]`
    /// (class index as f32); regression → `[b, dim]` (encoding ignored).
    ///
    /// # Panics
    /// If an index is `>= self.len()`.
    pub fn gather_y(&self, idx: &[usize], enc: LabelEncoding, out: &mut Tensor) {
        match (&self.targets, enc) {
            (Targets::Classes { labels, num_classes }, LabelEncoding::OneHot) => {
                ensure_shape(out, &[idx.len(), *num_classes]);
                out.fill(0.0);
                let dst = out.as_slice_mut().expect("standard layout");
                for (row, &i) in dst.chunks_exact_mut((*num_classes).max(1)).zip(idx) {
                    row[labels[i] as usize] = 1.0;
                }
            }
            (Targets::Classes { labels, .. }, LabelEncoding::Sparse) => {
                ensure_shape(out, &[idx.len()]);
                for (d, &i) in out.iter_mut().zip(idx) {
                    *d = labels[i] as f32;
                }
            }
            (Targets::Classes { labels, .. }, LabelEncoding::PlusMinusOne) => {
                ensure_shape(out, &[idx.len()]);
                for (d, &i) in out.iter_mut().zip(idx) {
                    *d = if labels[i] == 0 { -1.0 } else { 1.0 };
                }
            }
            (Targets::Values { data, dim }, _) => {
                ensure_shape(out, &[idx.len(), *dim]);
                let dst = out.as_slice_mut().expect("standard layout");
                for (row, &i) in dst.chunks_exact_mut((*dim).max(1)).zip(idx) {
                    row.copy_from_slice(&data[i * dim..(i + 1) * dim]);
                }
            }
        }
    }

    /// Class of sample `i` (`None` for regression or out of range).
    pub fn label(&self, i: usize) -> Option<u32> {
        match &self.targets {
            Targets::Classes { labels, .. } => labels.get(i).copied(),
            Targets::Values { .. } => None,
        }
    }

    /// Raw pixels of sample `i` for previews (`None` unless u8 features and `i` in range).
    pub fn image_u8(&self, i: usize) -> Option<&[u8]> {
        let size = self.input_size();
        match &self.features {
            Features::U8 { data } if i < self.len() => data.get(i * size..(i + 1) * size),
            _ => None,
        }
    }
}

/// Normalise one sample in place (see [`Normalization`]).
pub(crate) fn normalize_row(norm: &Normalization, row: &mut [f32]) {
    match norm {
        Normalization::None => {}
        Normalization::Scale(s) => row.iter_mut().for_each(|x| *x *= s),
        Normalization::Standardize { mean, std } => {
            if mean.is_empty() || std.len() != mean.len() {
                return;
            }
            let l = mean.len();
            for (f, x) in row.iter_mut().enumerate() {
                *x = (*x - mean[f % l]) / std[f % l];
            }
        }
    }
}
