//! The catalogue of datasets the page and the CLI can load, by the names used
//! in experiment configs and URLs. Files live in the repository's `datasets/`
//! folder (see `datasets/README.md`); the caller fetches and decompresses them
//! and hands the bytes to [`load`] — the core does no I/O.
//!
//! Train/test parts:
//! - `mnist` (= the `mnist-small` files: 10,000 train / 2,000 test, 1,000 / 200
//!   per digit) and `mnist-full` (60,000 / 10,000): the official train and test
//!   files; `fashion-mnist` (`fashion-mnist-small/`, 10,000 / 2,000) and
//!   `fashion-mnist-full` (`fashion-mnist/`, 60,000 / 10,000) likewise.
//! - Each entry carries the dataset's facts (group, sample shape, class names,
//!   train/test counts) so configs are validated without loading any file;
//!   `bundled_tests` checks them against what [`load`] returns.
//! - `iris`, `digits`: one table, split by [`stratified_split`] — 20 % of each class
//!   (rounded) to test, chosen with `Rng::stream(seed, Split)`; both parts shuffled.
//! - `diabetes` (regression): a random 80/20 split ([`random_split`], same stream).
//! - `iris`, `diabetes`: features standardised with statistics of the TRAIN part
//!   ([`Dataset::fit_standardization`]), applied to both parts; targets unchanged.
//!   `digits`: pixels 0..16 scaled by 1/16, sample shape `[8, 8, 1]`.
//! - Toy sets (`circles`, `moons`, `spirals`, `gaussians`, `sine`): generated from `seed`
//!   with the parameters in [`ToyParams::defaults`]; the first 80 % (rounded) of
//!   the shuffled samples train, the rest test.
//! - Gates (`or`, `and`, `xor`): train and test are both the 4-row truth table,
//!   as in the course's perceptron exercises.

use crate::error::data_err;
use crate::Result;

use super::csv::{dataset_from_csv, CsvOptions, LabelColumn};
use super::dataset::{Dataset, Normalization, Task};
use super::idx::{dataset_from_idx, reject_gzip};
use super::split::{random_split, stratified_split};
use super::toy::{circles, gaussians, moons, sine, spirals, truth_table, Gate};

pub use super::catalogue::{catalogue, info, BundledInfo};

/// Generator parameters of the bundled toy sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ToyParams {
    pub n: usize,
    pub noise: f32,
    /// `circles` only.
    pub factor: f32,
    pub classes: usize,
}

impl ToyParams {
    /// circles: 500, noise 0.1, factor 0.5; moons: 500, noise 0.1;
    /// spirals: 600, angle noise 0.2, 3 classes; gaussians: 600, sd 0.5, 3 classes;
    /// sine (1-D regression): 200, noise sd 0.1.
    pub fn defaults(name: &str) -> Option<ToyParams> {
        let p = |n, noise, factor, classes| {
            Some(ToyParams {
                n,
                noise,
                factor,
                classes,
            })
        };
        match name {
            "circles" => p(500, 0.1, 0.5, 2),
            "moons" => p(500, 0.1, 0.0, 2),
            "spirals" => p(600, 0.2, 0.0, 3),
            "gaussians" => p(600, 0.5, 0.0, 3),
            "sine" => p(200, 0.1, 0.0, 0),
            _ => None,
        }
    }
}

/// Fraction of a table (or toy set) held out as the test part.
pub const TEST_FRACTION: f32 = 0.2;

/// Build `(train, test)` for `name` from the DECOMPRESSED bytes of
/// `info(name).files`, in that order (see the module doc for the splits).
pub fn load(name: &str, files: &[&[u8]], seed: u64) -> Result<(Dataset, Dataset)> {
    let entry = info(name)?;
    if files.len() != entry.files.len() {
        return data_err(format!(
            "dataset '{name}' needs {} file(s) ({}), got {}",
            entry.files.len(),
            entry.files.join(", "),
            files.len()
        ));
    }
    for (bytes, path) in files.iter().zip(entry.files) {
        reject_gzip(bytes, &format!("file {path}"))?;
    }
    match name {
        "mnist" | "mnist-full" | "fashion-mnist" | "fashion-mnist-full" => Ok((
            named(entry, dataset_from_idx(name, files[0], files[1])?)?,
            named(entry, dataset_from_idx(name, files[2], files[3])?)?,
        )),
        "iris" => {
            let ds = named(entry, read_table(name, files[0], "label", Task::Classification)?)?;
            split_standardized(&ds, seed)
        }
        "digits" => {
            let mut ds = read_table(name, files[0], "label", Task::Classification)?;
            ds.sample_shape = vec![8, 8, 1];
            ds.normalization = Normalization::Scale(1.0 / 16.0);
            ds.check()?;
            let (train, test) = stratified_split(labels_of(&ds), TEST_FRACTION, seed)?;
            Ok((ds.subset(&train), ds.subset(&test)))
        }
        "diabetes" => split_standardized(&read_table(name, files[0], "target", Task::Regression)?, seed),
        "or" => Ok(twice(truth_table(Gate::Or))),
        "and" => Ok(twice(truth_table(Gate::And))),
        "xor" => Ok(twice(truth_table(Gate::Xor))),
        _ => {
            let p = ToyParams::defaults(name)
                .ok_or_else(|| crate::Error::Data(format!("dataset '{name}' has no loader")))?;
            let ds = match name {
                "circles" => circles(p.n, p.noise, p.factor, seed),
                "moons" => moons(p.n, p.noise, seed),
                "spirals" => spirals(p.n, p.noise, p.classes, seed),
                "sine" => sine(p.n, p.noise, seed),
                _ => gaussians(p.n, p.noise, p.classes, seed),
            };
            let n_train = p.n - (p.n as f64 * TEST_FRACTION as f64).round() as usize;
            let (train, test): (Vec<usize>, Vec<usize>) = ((0..n_train).collect(), (n_train..p.n).collect());
            Ok((ds.subset(&train), ds.subset(&test)))
        }
    }
}

/// The dataset with the catalogue's class names.
fn named(entry: &BundledInfo, ds: Dataset) -> Result<Dataset> {
    let ds = Dataset {
        class_names: entry.class_names.iter().map(|s| s.to_string()).collect(),
        ..ds
    };
    ds.check()?;
    Ok(ds)
}

fn read_table(name: &str, bytes: &[u8], label: &str, task: Task) -> Result<Dataset> {
    let opts = CsvOptions {
        has_header: true,
        label_column: LabelColumn::Name(label.into()),
        task,
        delimiter: Some(b','),
    };
    dataset_from_csv(name, bytes, &opts)
}

fn labels_of(ds: &Dataset) -> &[u32] {
    match &ds.targets {
        super::dataset::Targets::Classes { labels, .. } => labels,
        super::dataset::Targets::Values { .. } => &[],
    }
}

/// 80/20 split (stratified for classes), then standardise both parts with
/// the train part's statistics.
fn split_standardized(ds: &Dataset, seed: u64) -> Result<(Dataset, Dataset)> {
    let (train_idx, test_idx) = match ds.task() {
        Task::Classification => stratified_split(labels_of(ds), TEST_FRACTION, seed)?,
        Task::Regression => random_split(ds.len(), TEST_FRACTION, seed)?,
    };
    let mut train = ds.subset(&train_idx);
    let mut test = ds.subset(&test_idx);
    let norm = train.fit_standardization();
    train.normalization = norm.clone();
    test.normalization = norm;
    Ok((train, test))
}

fn twice(ds: Dataset) -> (Dataset, Dataset) {
    (ds.clone(), ds)
}
