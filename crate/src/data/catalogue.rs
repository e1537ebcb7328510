//! The catalogue of bundled datasets: name, title, picker group, files,
//! download size and the facts validation needs (task, sample shape, class
//! names, train/test counts), so a config is checked without loading a file.
//! `bundled_tests` checks every entry against what `bundled::load` returns.

use super::dataset::Task;
use super::facts::DatasetFacts;
use crate::Result;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BundledInfo {
    /// Name in configs and URLs.
    pub name: &'static str,
    /// What the page's picker shows.
    pub title: &'static str,
    /// The picker's group: "Images", "Tables" or "Toy 2-D".
    pub group: &'static str,
    /// Paths relative to `datasets/`, in the order [`load`] expects their bytes.
    pub files: &'static [&'static str],
    pub task: Task,
    /// Bytes to download (the files as stored, compressed where `.gz`).
    pub approx_bytes: u64,
    /// Per-sample input shape (NHWC for images).
    pub sample_shape: &'static [usize],
    /// Class names, index = class (the loader gives the dataset these);
    /// empty for regression.
    pub class_names: &'static [&'static str],
    /// Samples in the train and test parts [`load`] returns.
    pub train: usize,
    pub test: usize,
}

impl BundledInfo {
    /// `None` for regression.
    pub fn num_classes(&self) -> Option<usize> {
        (self.task == Task::Classification).then_some(self.class_names.len())
    }

    /// What validation needs, without loading the files.
    pub fn facts(&self) -> DatasetFacts {
        DatasetFacts {
            name: self.name.to_string(),
            task: self.task,
            sample_shape: self.sample_shape.to_vec(),
            num_classes: self.num_classes(),
            target_dim: 1,
            train_len: self.train,
        }
    }
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
const FASHION_SMALL: &[&str] = &[
    "fashion-mnist-small/train-images-idx3-ubyte.gz",
    "fashion-mnist-small/train-labels-idx1-ubyte.gz",
    "fashion-mnist-small/t10k-images-idx3-ubyte.gz",
    "fashion-mnist-small/t10k-labels-idx1-ubyte.gz",
];
const FASHION_FULL: &[&str] = &[
    "fashion-mnist/train-images-idx3-ubyte.gz",
    "fashion-mnist/train-labels-idx1-ubyte.gz",
    "fashion-mnist/t10k-images-idx3-ubyte.gz",
    "fashion-mnist/t10k-labels-idx1-ubyte.gz",
];

const DIGITS: &[&str] = &["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
/// Zalando's Fashion-MNIST labels 0..9.
const FASHION: &[&str] = &[
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];
const TWO: &[&str] = &["0", "1"];
const THREE: &[&str] = &["0", "1", "2"];

const fn images(
    name: &'static str,
    title: &'static str,
    files: &'static [&'static str],
    approx_bytes: u64,
    class_names: &'static [&'static str],
    (train, test): (usize, usize),
) -> BundledInfo {
    BundledInfo {
        name,
        title,
        group: "Images",
        files,
        task: Task::Classification,
        approx_bytes,
        sample_shape: &[28, 28, 1],
        class_names,
        train,
        test,
    }
}

const fn toy(name: &'static str, title: &'static str, class_names: &'static [&'static str], n: usize) -> BundledInfo {
    BundledInfo {
        name,
        title,
        group: "Toy 2-D",
        files: &[],
        task: Task::Classification,
        approx_bytes: 0,
        sample_shape: &[2],
        class_names,
        train: n,
        test: n,
    }
}

static CATALOGUE: [BundledInfo; 15] = [
    images(
        "mnist",
        "MNIST digits, small (10,000 train / 2,000 test)",
        MNIST_SMALL,
        1_837_144,
        DIGITS,
        (10_000, 2_000),
    ),
    images(
        "mnist-full",
        "MNIST digits, full (60,000 train / 10,000 test)",
        MNIST_FULL,
        11_369_320,
        DIGITS,
        (60_000, 10_000),
    ),
    images(
        "fashion-mnist",
        "Fashion-MNIST clothes, small (10,000 train / 2,000 test)",
        FASHION_SMALL,
        5_153_232,
        FASHION,
        (10_000, 2_000),
    ),
    images(
        "fashion-mnist-full",
        "Fashion-MNIST clothes, full (60,000 train / 10,000 test)",
        FASHION_FULL,
        30_878_645,
        FASHION,
        (60_000, 10_000),
    ),
    BundledInfo {
        name: "iris",
        title: "Iris flowers (150 samples, 4 features, 3 classes)",
        group: "Tables",
        files: &["iris.csv"],
        task: Task::Classification,
        approx_bytes: 2_768,
        sample_shape: &[4],
        class_names: &["setosa", "versicolor", "virginica"],
        train: 120,
        test: 30,
    },
    BundledInfo {
        name: "digits",
        title: "sklearn digits (1,797 images of 8x8, 10 classes)",
        group: "Images",
        files: &["digits.csv"],
        task: Task::Classification,
        approx_bytes: 265_358,
        sample_shape: &[8, 8, 1],
        class_names: DIGITS,
        train: 1_438,
        test: 359,
    },
    BundledInfo {
        name: "diabetes",
        title: "Diabetes progression (442 patients, 10 features, regression)",
        group: "Tables",
        files: &["diabetes.csv"],
        task: Task::Regression,
        approx_bytes: 21_257,
        sample_shape: &[10],
        class_names: &[],
        train: 354,
        test: 88,
    },
    toy("or", "Logical OR truth table (4 samples)", TWO, 4),
    toy("and", "Logical AND truth table (4 samples)", TWO, 4),
    toy("xor", "Logical XOR truth table (4 samples)", TWO, 4),
    BundledInfo {
        train: 400,
        test: 100,
        ..toy("circles", "Two circles (2-D, 2 classes)", TWO, 0)
    },
    BundledInfo {
        train: 400,
        test: 100,
        ..toy("moons", "Two moons (2-D, 2 classes)", TWO, 0)
    },
    BundledInfo {
        train: 480,
        test: 120,
        ..toy("spirals", "Spirals (2-D, 3 classes)", THREE, 0)
    },
    BundledInfo {
        train: 480,
        test: 120,
        ..toy("gaussians", "Gaussian blobs (2-D, 3 classes)", THREE, 0)
    },
    BundledInfo {
        name: "sine",
        title: "Noisy sine (1-D regression, 200 points)",
        group: "Toy 1-D",
        task: Task::Regression,
        sample_shape: &[1],
        class_names: &[],
        train: 160,
        test: 40,
        ..toy("sine", "", &[], 0)
    },
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
