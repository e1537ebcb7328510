//! The bundled catalogue, loaded from the committed files.

use super::files_tests::{bundled_files, dataset_file};
use super::*;
use crate::tensor::Tensor;
use ndarray::{Axis, IxDyn};

fn load_named(name: &str, seed: u64) -> crate::Result<(Dataset, Dataset)> {
    let files = bundled_files(name);
    let refs: Vec<&[u8]> = files.iter().map(|v| v.as_slice()).collect();
    load(name, &refs, seed)
}

/// Whether this checkout has the entry's files (the Fashion-MNIST files are
/// built on another branch; every other entry's are committed here).
fn files_present(i: &BundledInfo) -> bool {
    i.files
        .iter()
        .all(|f| std::path::Path::new(&format!("{}/../datasets/{f}", env!("CARGO_MANIFEST_DIR"))).exists())
}

#[test]
fn catalogue_facts_are_what_load_gives() {
    let mut checked = 0;
    for i in catalogue().iter().filter(|i| files_present(i)) {
        let (train, test) = load_named(i.name, 42).unwrap();
        assert_eq!((train.len(), test.len()), (i.train, i.test), "{}", i.name);
        assert_eq!(train.sample_shape, i.sample_shape, "{}", i.name);
        assert_eq!(
            (train.task(), train.num_classes()),
            (i.task, i.num_classes()),
            "{}",
            i.name
        );
        if i.task == Task::Classification {
            assert_eq!(train.class_names, i.class_names, "{}", i.name);
        }
        assert_eq!(i.facts(), DatasetFacts::of(&train), "{}", i.name);
        checked += 1;
    }
    assert!(checked >= 12, "{checked}");
    let f = info("fashion-mnist").unwrap();
    assert_eq!(
        (f.class_names[0], f.class_names[9], f.train),
        ("T-shirt/top", "Ankle boot", 10_000)
    );
}

fn per_class(d: &Dataset) -> Vec<usize> {
    let k = d.num_classes().unwrap();
    (0..k as u32)
        .map(|c| (0..d.len()).filter(|&i| d.label(i) == Some(c)).count())
        .collect()
}

#[test]
fn catalogue_names_files_and_sizes() {
    let names: Vec<&str> = catalogue().iter().map(|i| i.name).collect();
    assert_eq!(
        names,
        [
            "mnist",
            "mnist-full",
            "fashion-mnist",
            "fashion-mnist-full",
            "iris",
            "digits",
            "diabetes",
            "or",
            "and",
            "xor",
            "circles",
            "moons",
            "spirals",
            "gaussians",
            "sine"
        ]
    );
    for i in catalogue().iter().filter(|i| files_present(i)) {
        let on_disk: u64 = i.files.iter().map(|f| dataset_file(f).len() as u64).sum();
        assert_eq!(i.approx_bytes, on_disk, "{}", i.name);
    }
    assert!(files_present(info("mnist").unwrap()));
    assert_eq!(info("diabetes").unwrap().task, Task::Regression);
    let m = info("cifar").unwrap_err().to_string();
    assert!(
        m.contains("unknown dataset 'cifar'")
            && m.contains("mnist, mnist-full, fashion-mnist, fashion-mnist-full, iris"),
        "{m}"
    );
}

#[test]
fn load_checks_its_inputs() {
    let m = load("iris", &[], 0).unwrap_err().to_string();
    assert!(m.contains("needs 1 file(s) (iris.csv), got 0"), "{m}");
    let gz = dataset_file("mnist-small/train-labels-idx1-ubyte.gz");
    let raw = bundled_files("mnist");
    let m = load("mnist", &[&raw[0], &gz, &raw[2], &raw[3]], 0)
        .unwrap_err()
        .to_string();
    assert!(
        m.contains("mnist-small/train-labels-idx1-ubyte.gz is gzip-compressed; decompress it first"),
        "{m}"
    );
    // Swapped image/label files.
    assert!(load("mnist", &[&raw[1], &raw[0], &raw[2], &raw[3]], 0).is_err());
}

#[test]
fn iris_is_split_stratified_and_standardized_with_train_stats() {
    let (train, test) = load_named("iris", 42).unwrap();
    // 50 per class, round(50 * 0.2) = 10 of each to test.
    assert_eq!((train.len(), test.len()), (120, 30));
    assert_eq!((per_class(&train), per_class(&test)), (vec![40; 3], vec![10; 3]));
    assert_eq!(train.class_names, vec!["setosa", "versicolor", "virginica"]);
    assert_eq!(train.sample_shape, vec![4]);
    // Train features standardised: mean 0, population variance 1 per feature.
    let mut x = Tensor::zeros(IxDyn(&[0]));
    train.gather_x(&(0..120).collect::<Vec<_>>(), &mut x);
    for f in 0..4 {
        let col = x.index_axis(Axis(1), f);
        let mean = col.sum() / 120.0;
        let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / 120.0;
        assert!(
            mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4,
            "feature {f}: {mean} {var}"
        );
    }
    // The test part uses the same statistics (not its own).
    assert_eq!(test.normalization, train.normalization);
    // Deterministic from the seed, different for another seed.
    assert_eq!(load_named("iris", 42).unwrap().1, test);
    assert_ne!(load_named("iris", 43).unwrap().1, test);
}

#[test]
fn digits_are_8x8_images_scaled_by_1_over_16() {
    let (train, test) = load_named("digits", 1).unwrap();
    assert_eq!(train.len() + test.len(), 1797);
    assert_eq!(
        (train.sample_shape.clone(), train.num_classes()),
        (vec![8, 8, 1], Some(10))
    );
    // Per class, round(count * 0.2) of the whole table go to test.
    let all: Vec<usize> = per_class(&train)
        .iter()
        .zip(per_class(&test))
        .map(|(a, b)| a + b)
        .collect();
    let want: Vec<usize> = all.iter().map(|&c| (c as f64 * 0.2).round() as usize).collect();
    assert_eq!(per_class(&test), want);
    assert_eq!(all.iter().sum::<usize>(), 1797);
    let mut x = Tensor::zeros(IxDyn(&[0]));
    train.gather_x(&(0..train.len()).collect::<Vec<_>>(), &mut x);
    assert_eq!(x.shape(), &[train.len(), 8, 8, 1]);
    // Pixels 0..16 → [0, 1], and 16 occurs.
    assert!(x.iter().all(|&v| (0.0..=1.0).contains(&v)) && x.iter().any(|&v| v == 1.0));
}

#[test]
fn diabetes_is_regression_with_raw_targets() {
    let (train, test) = load_named("diabetes", 7).unwrap();
    // round(442 * 0.2) = 88 test rows.
    assert_eq!((train.len(), test.len(), train.num_classes()), (354, 88, None));
    assert_eq!(train.target_width(LabelEncoding::OneHot), 1);
    let mut y = Tensor::zeros(IxDyn(&[0]));
    train.gather_y(&(0..354).collect::<Vec<_>>(), LabelEncoding::Sparse, &mut y);
    // sklearn's diabetes targets are integers from 25 to 346 (descr/diabetes.rst data).
    assert!(y.iter().all(|&v| (25.0..=346.0).contains(&v) && v.fract() == 0.0));
    assert!(matches!(train.normalization, Normalization::Standardize { .. }));
}

#[test]
fn toys_and_gates() {
    for (name, n, classes) in [
        ("circles", 500, 2),
        ("moons", 500, 2),
        ("spirals", 600, 3),
        ("gaussians", 600, 3),
    ] {
        let (train, test) = load(name, &[], 3).unwrap();
        // The first 80 % (rounded) train, the rest test.
        assert_eq!((train.len(), test.len()), (n * 4 / 5, n / 5), "{name}");
        assert_eq!(
            (train.num_classes(), train.sample_shape.clone()),
            (Some(classes), vec![2])
        );
        assert_eq!(load(name, &[], 3).unwrap().0, train);
    }
    for name in ["or", "and", "xor"] {
        let (train, test) = load(name, &[], 0).unwrap();
        assert_eq!((train.len(), &train), (4, &test));
    }
    assert_eq!(load("xor", &[], 0).unwrap().0.label(3), Some(0));
    // sine: 1-D regression, 160 / 40.
    let (train, test) = load("sine", &[], 3).unwrap();
    assert_eq!(
        (train.len(), test.len(), train.task(), train.sample_shape.clone()),
        (160, 40, Task::Regression, vec![1])
    );
}
