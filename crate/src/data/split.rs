//! Subsets and splits: Keras' `validation_split` (the tail), k-fold
//! cross-validation, stratified subsets, and standardisation statistics.
//!
//! All randomness comes from `Rng::stream(seed, Stream::Split)`.

use crate::error::data_err;
use crate::rng::{Rng, Stream};
use crate::Result;

use super::dataset::{Dataset, Features, Normalization, Targets};

impl Dataset {
    /// The samples `idx` (in that order, repeats allowed), with the same
    /// shape, class names and normalisation.
    ///
    /// # Panics
    /// If an index is `>= self.len()`.
    pub fn subset(&self, idx: &[usize]) -> Dataset {
        let size = self.input_size();
        let features = match &self.features {
            Features::U8 { data } => Features::U8 {
                data: gather_rows(data, size, idx),
            },
            Features::F32 { data } => Features::F32 {
                data: gather_rows(data, size, idx),
            },
        };
        let targets = match &self.targets {
            Targets::Classes { labels, num_classes } => Targets::Classes {
                labels: idx.iter().map(|&i| labels[i]).collect(),
                num_classes: *num_classes,
            },
            Targets::Values { data, dim } => Targets::Values {
                data: gather_rows(data, *dim, idx),
                dim: *dim,
            },
        };
        Dataset {
            name: self.name.clone(),
            sample_shape: self.sample_shape.clone(),
            features,
            targets,
            class_names: self.class_names.clone(),
            normalization: self.normalization.clone(),
        }
    }

    /// Keras `validation_split`: the LAST `fraction` of the samples (not
    /// shuffled) become validation, as `keras.src.trainers.data_adapters.array_slicing.train_validation_split`:
    /// `split_at = floor(n * (1 - fraction))`, train = `[0, split_at)`, validation = `[split_at, n)`.
    ///
    /// `fraction` is taken as the decimal number it prints as (0.2f32 → 0.2f64), so
    /// `split_at` equals Keras' for the value the user typed. `fraction = 0` gives an
    /// empty validation set; a split leaving either part empty is an error, as in Keras.
    pub fn split_tail(&self, fraction: f32) -> Result<(Dataset, Dataset)> {
        let at = Dataset::split_point(self.len(), fraction)?;
        let train: Vec<usize> = (0..at).collect();
        let val: Vec<usize> = (at..self.len()).collect();
        Ok((self.subset(&train), self.subset(&val)))
    }

    /// Where Keras' `validation_split` cuts `n` samples: `floor(n * (1 - fraction))`
    /// (`n` for `fraction = 0`), with `fraction` read as the decimal it prints as.
    /// An error when `fraction` is outside [0, 1) or a part would be empty.
    pub fn split_point(n: usize, fraction: f32) -> Result<usize> {
        if !(0.0..1.0).contains(&fraction) {
            return data_err(format!(
                "validation_split is {fraction}; it must be at least 0 and below 1"
            ));
        }
        if fraction == 0.0 {
            return Ok(n);
        }
        let frac: f64 = format!("{fraction}").parse().unwrap_or(fraction as f64);
        let split_at = (n as f64 * (1.0 - frac)).floor() as usize;
        if split_at == 0 || split_at >= n {
            return data_err(format!(
                "the training data has {n} samples, too few to split into training and validation \
                 with validation_split={fraction}: use more data or another validation_split"
            ));
        }
        Ok(split_at)
    }

    /// Standardisation statistics of this dataset's raw features (before any
    /// normalisation), one per feature, as sklearn's `StandardScaler`:
    /// `mean[f] = Σ x[i,f] / n`, `std[f] = sqrt(Σ (x[i,f] - mean[f])² / n)` (population,
    /// computed in f64); a feature with `std < 1e-12` (constant) gets `std = 1`.
    /// Apply the result to this set and to its test set.
    pub fn fit_standardization(&self) -> Normalization {
        let size = self.input_size().max(1);
        let nf = self.len().max(1) as f64;
        let (values, stored): (Box<dyn Fn(usize) -> f64 + '_>, usize) = match &self.features {
            Features::U8 { data } => (Box::new(move |k| data[k] as f64), data.len()),
            Features::F32 { data } => (Box::new(move |k| data[k] as f64), data.len()),
        };
        let total = (self.len() * size).min(stored);
        // Two passes in f64: the mean, then the mean squared deviation.
        let mut mean = vec![0f64; size];
        for k in 0..total {
            mean[k % size] += values(k);
        }
        mean.iter_mut().for_each(|m| *m /= nf);
        let mut var = vec![0f64; size];
        for k in 0..total {
            let d = values(k) - mean[k % size];
            var[k % size] += d * d;
        }
        let std = var
            .iter()
            .map(|v| (v / nf).sqrt())
            .map(|s| if s < 1e-12 { 1.0 } else { s as f32 })
            .collect();
        Normalization::Standardize {
            mean: mean.into_iter().map(|m| m as f32).collect(),
            std,
        }
    }
}

fn gather_rows<T: Copy>(data: &[T], width: usize, idx: &[usize]) -> Vec<T> {
    let mut out = Vec::with_capacity(idx.len() * width);
    for &i in idx {
        out.extend_from_slice(&data[i * width..(i + 1) * width]);
    }
    out
}

/// K-fold cross-validation as sklearn `KFold(n_splits=k, shuffle=True)`: the
/// indices `0..n` are permuted with `Rng::stream(seed, Split)` and cut into `k`
/// consecutive folds, the first `n % k` folds one sample larger. Fold `j` gives
/// `(train = all other folds, validation = fold j)`, both in permutation order.
pub fn kfold(n: usize, k: usize, seed: u64) -> Result<Vec<(Vec<usize>, Vec<usize>)>> {
    if k < 2 {
        return data_err(format!("k-fold needs at least 2 folds, got {k}"));
    }
    if k > n {
        return data_err(format!("cannot make {k} folds from {n} samples: use at most {n} folds"));
    }
    let perm = Rng::stream(seed, Stream::Split).permutation(n);
    let mut folds = Vec::with_capacity(k);
    let mut start = 0;
    for j in 0..k {
        let len = n / k + usize::from(j < n % k);
        let val = perm[start..start + len].to_vec();
        let train = perm[..start].iter().chain(&perm[start + len..]).copied().collect();
        folds.push((train, val));
        start += len;
    }
    Ok(folds)
}

/// Stratified k-fold cross-validation, as sklearn `StratifiedKFold(n_splits=k,
/// shuffle=True)` in intent: each class's indices are shuffled
/// (`Rng::stream(seed, Split)`), the classes are laid end to end (class 0
/// first), and position `p` of that sequence goes to fold `p % k`. So fold
/// `j` holds `floor(n_c / k)` or `ceil(n_c / k)` samples of each class `c`
/// (the whole set's proportion within ±1 sample), the fold sizes differ by at
/// most one, the folds are disjoint and their union is `0..n`. Fold `j` gives
/// `(train = all other folds, validation = fold j)`, both in that order.
///
/// An error when `k < 2` or `k > n`; a class with fewer than `k` samples is
/// allowed (some folds then have none of it; sklearn warns, we do not).
pub fn stratified_kfold(labels: &[u32], k: usize, seed: u64) -> Result<Vec<(Vec<usize>, Vec<usize>)>> {
    let n = labels.len();
    if k < 2 {
        return data_err(format!("k-fold needs at least 2 folds, got {k}"));
    }
    if k > n {
        return data_err(format!("cannot make {k} folds from {n} samples: use at most {n} folds"));
    }
    let mut rng = Rng::stream(seed, Stream::Split);
    let mut fold_of = vec![0usize; n];
    let mut p = 0usize;
    for mut v in indices_by_class(labels) {
        rng.shuffle(&mut v);
        for i in v {
            fold_of[i] = p % k;
            p += 1;
        }
    }
    let mut vals: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &f) in fold_of.iter().enumerate() {
        vals[f].push(i);
    }
    vals.iter_mut().for_each(|v| rng.shuffle(v));
    Ok((0..k)
        .map(|j| {
            let train = (0..k)
                .filter(|&o| o != j)
                .flat_map(|o| vals[o].iter().copied())
                .collect();
            (train, vals[j].clone())
        })
        .collect())
}

/// Indices of up to `per_class` samples of each class, returned in ascending
/// (original) order. `seed = None`: the first `per_class` of each class (the
/// rule used for `mnist-small`); `Some(seed)`: a random choice per class from
/// `Rng::stream(seed, Split)`. A class with fewer samples contributes all of them.
pub fn stratified_indices(labels: &[u32], per_class: usize, seed: Option<u64>) -> Vec<usize> {
    let mut by_class = indices_by_class(labels);
    if let Some(seed) = seed {
        let mut rng = Rng::stream(seed, Stream::Split);
        by_class.iter_mut().for_each(|v| rng.shuffle(v));
    }
    let mut out: Vec<usize> = by_class
        .into_iter()
        .flat_map(|v| v.into_iter().take(per_class))
        .collect();
    out.sort_unstable();
    out
}

/// Stratified train/test split: within each class the indices are shuffled
/// (`Rng::stream(seed, Split)`) and `round(count * test_fraction)` go to test.
/// Both index lists are then shuffled with the same stream, so neither is
/// ordered by class (a later Keras tail `validation_split` stays mixed).
pub fn stratified_split(labels: &[u32], test_fraction: f32, seed: u64) -> Result<(Vec<usize>, Vec<usize>)> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return data_err(format!(
            "the test fraction is {test_fraction}; it must be between 0 and 1"
        ));
    }
    let mut rng = Rng::stream(seed, Stream::Split);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for mut v in indices_by_class(labels) {
        rng.shuffle(&mut v);
        let n_test = (v.len() as f64 * test_fraction as f64).round() as usize;
        test.extend_from_slice(&v[..n_test]);
        train.extend_from_slice(&v[n_test..]);
    }
    rng.shuffle(&mut train);
    rng.shuffle(&mut test);
    Ok((train, test))
}

/// Random (unstratified) train/test split for regression: a permutation from
/// `Rng::stream(seed, Split)`; the first `n - round(n * test_fraction)` are train.
pub fn random_split(n: usize, test_fraction: f32, seed: u64) -> Result<(Vec<usize>, Vec<usize>)> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return data_err(format!(
            "the test fraction is {test_fraction}; it must be between 0 and 1"
        ));
    }
    let perm = Rng::stream(seed, Stream::Split).permutation(n);
    let n_test = (n as f64 * test_fraction as f64).round() as usize;
    let (train, test) = perm.split_at(n - n_test);
    Ok((train.to_vec(), test.to_vec()))
}

/// Sample indices grouped by class, in ascending order within each class.
fn indices_by_class(labels: &[u32]) -> Vec<Vec<usize>> {
    let classes = labels.iter().max().map_or(0, |&m| m as usize + 1);
    let mut by_class = vec![Vec::new(); classes];
    for (i, &l) in labels.iter().enumerate() {
        by_class[l as usize].push(i);
    }
    by_class
}
