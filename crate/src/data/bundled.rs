//! The catalogue of datasets the page and the CLI can load, by the names used
//! in experiment configs and URLs. Files live in the repository's `datasets/`
//! folder (see `datasets/README.md`); the caller fetches and decompresses them
//! and hands the bytes to [`load`] — the core does no I/O.
//!
//! Train/test parts:
//! - `mnist` (= the `mnist-small` files: 10,000 train / 2,000 test, 1,000 / 200
//!   per digit) and `mnist-full` (60,000 / 10,000): the official train and test files.
//! - `iris`, `digits`: one table, split by [`stratified_split`] — 20 % of each class
//!   (rounded) to test, chosen with `Rng::stream(seed, Split)`; both parts shuffled.
//! - `diabetes` (regression): a random 80/20 split ([`random_split`], same stream).
//! - `iris`, `diabetes`: features standardised with statistics of the TRAIN part
//!   ([`Dataset::fit_standardization`]), applied to both parts; targets unchanged.
//!   `digits`: pixels 0..16 scaled by 1/16, sample shape `[8, 8, 1]`.
//! - Toy sets (`circles`, `moons`, `spirals`, `gaussians`): generated from `seed`
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
use super::toy::{circles, gaussians, moons, spirals, truth_table, Gate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BundledInfo {
    /// Name in configs and URLs.
    pub name: &'static str,
    pub title: &'static str,
    /// Paths relative to `datasets/`, in the order [`load`] expects their bytes.
    pub files: &'static [&'static str],
    pub task: Task,
    /// Bytes to download (the files as stored, compressed where `.gz`).
    pub approx_bytes: u64,
}

const MNIST_SMALL: &[&str] = &[
    "mnist-small/train-images-idx3-ubyte.gz",
    "mnist-small/train-labels-idx1-ubyte.gz",
    "mnist-small/t10k-images-idx3-ubyte.gz",
    "mnist-small/t10k-labels-idx1-ubyte.gz",
];
const MNIST_FULL: &[&str] = &[
    "mnist/train-images-idx3-ubyte.gz",
    "mnist/train-labels-idx1-ubyte.gz",
    "mnist/t10k-images-idx3-ubyte.gz",
    "mnist/t10k-labels-idx1-ubyte.gz",
];

const fn toy(name: &'static str, title: &'static str) -> BundledInfo {
    BundledInfo {
        name,
        title,
        files: &[],
        task: Task::Classification,
        approx_bytes: 0,
    }
}

static CATALOGUE: [BundledInfo; 12] = [
    BundledInfo {
        name: "mnist",
        title: "MNIST digits, small (10,000 train / 2,000 test)",
        files: MNIST_SMALL,
        task: Task::Classification,
        approx_bytes: 1_943_390,
    },
    BundledInfo {
        name: "mnist-full",
        title: "MNIST digits, full (60,000 train / 10,000 test)",
        files: MNIST_FULL,
        task: Task::Classification,
        approx_bytes: 11_369_320,
    },
    BundledInfo {
        name: "iris",
        title: "Iris flowers (150 samples, 4 features, 3 classes)",
        files: &["iris.csv"],
        task: Task::Classification,
        approx_bytes: 2_768,
    },
    BundledInfo {
        name: "digits",
        title: "sklearn digits (1,797 images of 8x8, 10 classes)",
        files: &["digits.csv"],
        task: Task::Classification,
        approx_bytes: 265_358,
    },
    BundledInfo {
        name: "diabetes",
        title: "Diabetes progression (442 patients, 10 features, regression)",
        files: &["diabetes.csv"],
        task: Task::Regression,
        approx_bytes: 21_257,
    },
    toy("or", "Logical OR truth table (4 samples)"),
    toy("and", "Logical AND truth table (4 samples)"),
    toy("xor", "Logical XOR truth table (4 samples)"),
    toy("circles", "Two circles (2-D, 2 classes)"),
    toy("moons", "Two moons (2-D, 2 classes)"),
    toy("spirals", "Spirals (2-D, 3 classes)"),
    toy("gaussians", "Gaussian blobs (2-D, 3 classes)"),
];

/// Every dataset [`load`] knows, in display order.
pub fn catalogue() -> &'static [BundledInfo] {
    &CATALOGUE
}

/// The catalogue entry for `name`; an unknown name lists the valid ones.
pub fn info(name: &str) -> Result<&'static BundledInfo> {
    CATALOGUE.iter().find(|i| i.name == name).ok_or_else(|| {
        let names: Vec<&str> = CATALOGUE.iter().map(|i| i.name).collect();
        crate::Error::Data(format!("unknown dataset '{name}'; choose one of: {}", names.join(", ")))
    })
}

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
    /// spirals: 600, angle noise 0.2, 3 classes; gaussians: 600, sd 0.5, 3 classes.
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
        "mnist" | "mnist-full" => Ok((
            dataset_from_idx(name, files[0], files[1])?,
            dataset_from_idx(name, files[2], files[3])?,
        )),
        "iris" => {
            let ds = read_table(name, files[0], "label", Task::Classification)?;
            let names = ["setosa", "versicolor", "virginica"];
            let ds = Dataset {
                class_names: names.iter().map(|s| s.to_string()).collect(),
                ..ds
            };
            ds.check()?;
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
                _ => gaussians(p.n, p.noise, p.classes, seed),
            };
            let n_train = p.n - (p.n as f64 * TEST_FRACTION as f64).round() as usize;
            let (train, test): (Vec<usize>, Vec<usize>) = ((0..n_train).collect(), (n_train..p.n).collect());
            Ok((ds.subset(&train), ds.subset(&test)))
        }
    }
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
