//! Splits: Keras' validation tail, k-fold, stratified subsets, standardisation.

use super::*;
use crate::tensor::Tensor;
use ndarray::IxDyn;

/// n samples with one feature equal to the index and label `i % 3`.
fn indexed(n: usize) -> Dataset {
    Dataset::new(
        "idx",
        vec![1],
        Features::F32 {
            data: (0..n).map(|i| i as f32).collect(),
        },
        Targets::Classes {
            labels: (0..n).map(|i| (i % 3) as u32).collect(),
            num_classes: 3,
        },
        vec![],
        Normalization::None,
    )
    .unwrap()
}

fn feature_values(d: &Dataset) -> Vec<f32> {
    match &d.features {
        Features::F32 { data } => data.clone(),
        Features::U8 { data } => data.iter().map(|&v| v as f32).collect(),
    }
}

#[test]
fn split_tail_takes_the_last_fraction_like_keras() {
    // Keras: split_at = floor(n * (1 - validation_split)) computed on Python floats.
    // n=10, 0.2: 10 * 0.8 = 8 → train 0..8, val 8..10. (With the f32 value 0.2000000030
    // taken literally, 10 * 0.79999999702 = 7.99… would floor to 7: the wrong answer.)
    let (tr, va) = indexed(10).split_tail(0.2).unwrap();
    assert_eq!(feature_values(&tr), (0..8).map(|i| i as f32).collect::<Vec<_>>());
    assert_eq!(feature_values(&va), vec![8.0, 9.0]);
    assert_eq!(va.label(0), Some(2)); // 8 % 3
                                      // n=7, 0.3: floor(7 * 0.7) = floor(4.9) = 4.
    let (tr, va) = indexed(7).split_tail(0.3).unwrap();
    assert_eq!((tr.len(), va.len()), (4, 3));
    // n=3, 0.5: floor(1.5) = 1.
    let (tr, va) = indexed(3).split_tail(0.5).unwrap();
    assert_eq!((tr.len(), va.len()), (1, 2));
    // n=100, 0.1: 100 * 0.9 = 90 exactly in f64.
    assert_eq!(indexed(100).split_tail(0.1).unwrap().0.len(), 90);
    // 0: no validation.
    let (tr, va) = indexed(5).split_tail(0.0).unwrap();
    assert_eq!((tr.len(), va.len()), (5, 0));
}

#[test]
fn split_tail_rejects_bad_fractions_and_tiny_sets() {
    for f in [1.0, 1.5, -0.1, f32::NAN] {
        assert!(matches!(indexed(10).split_tail(f), Err(crate::Error::Data(_))), "{f}");
    }
    // n=1, 0.5: split_at = 0, an error in Keras too.
    let Err(crate::Error::Data(m)) = indexed(1).split_tail(0.5) else {
        panic!("expected an error")
    };
    assert!(m.contains("1 samples") && m.contains("validation_split=0.5"), "{m}");
    // n=4, 0.01: split_at = floor(3.96) = 3, validation 1 sample: fine.
    assert_eq!(indexed(4).split_tail(0.01).unwrap().1.len(), 1);
}

#[test]
fn subset_copies_rows_in_order() {
    let d = indexed(6);
    let s = d.subset(&[5, 0, 5]);
    assert_eq!(feature_values(&s), vec![5.0, 0.0, 5.0]);
    assert_eq!((s.label(0), s.label(1)), (Some(2), Some(0)));
    assert_eq!(s.num_classes(), Some(3));
    assert!(d.subset(&[]).is_empty());
}

#[test]
fn fit_standardization_is_population_mean_and_std() {
    // Columns: [1,2,3,4] → mean 2.5, variance (2.25+0.25+0.25+2.25)/4 = 1.25, std √1.25;
    // [7,7,7,7] → constant → std 1.
    let d = Dataset::new(
        "s",
        vec![2],
        Features::F32 {
            data: vec![1.0, 7.0, 2.0, 7.0, 3.0, 7.0, 4.0, 7.0],
        },
        Targets::Values {
            data: vec![0.0; 4],
            dim: 1,
        },
        vec![],
        Normalization::None,
    )
    .unwrap();
    let Normalization::Standardize { mean, std } = d.fit_standardization() else {
        panic!()
    };
    assert_eq!(mean, vec![2.5, 7.0]);
    assert!((std[0] - 1.25f32.sqrt()).abs() < 1e-6 && std[1] == 1.0, "{std:?}");
    // Applied, the train features have mean 0 and variance 1.
    let mut d = d;
    d.normalization = d.fit_standardization();
    let mut x = Tensor::zeros(IxDyn(&[0]));
    d.gather_x(&[0, 1, 2, 3], &mut x);
    let col: Vec<f32> = x.index_axis(ndarray::Axis(1), 0).iter().copied().collect();
    assert!(col.iter().sum::<f32>().abs() < 1e-6);
    assert!((col.iter().map(|v| v * v).sum::<f32>() / 4.0 - 1.0).abs() < 1e-6);
    assert!(x.index_axis(ndarray::Axis(1), 1).iter().all(|&v| v == 0.0));
}

#[test]
fn kfold_partitions_exactly() {
    let folds = kfold(10, 3, 7).unwrap();
    // sklearn KFold sizes: the first n % k folds get one more: 4, 3, 3.
    assert_eq!(folds.iter().map(|f| f.1.len()).collect::<Vec<_>>(), vec![4, 3, 3]);
    let mut all_val: Vec<usize> = folds.iter().flat_map(|f| f.1.clone()).collect();
    all_val.sort();
    assert_eq!(all_val, (0..10).collect::<Vec<_>>());
    for (train, val) in &folds {
        assert!(train.iter().all(|i| !val.contains(i)));
        let mut both: Vec<usize> = train.iter().chain(val).copied().collect();
        both.sort();
        assert_eq!(both, (0..10).collect::<Vec<_>>());
    }
    assert_eq!(folds, kfold(10, 3, 7).unwrap());
    assert_ne!(folds, kfold(10, 3, 8).unwrap());
    assert!(kfold(10, 1, 0).is_err());
    assert!(kfold(3, 4, 0).is_err());
    assert_eq!(kfold(3, 3, 0).unwrap().len(), 3);
}

#[test]
fn stratified_indices_first_and_random() {
    let labels = [0, 1, 0, 2, 1, 0, 0, 1, 2];
    // First 2 of each class: class 0 → 0, 2; class 1 → 1, 4; class 2 → 3, 8.
    assert_eq!(stratified_indices(&labels, 2, None), vec![0, 1, 2, 3, 4, 8]);
    // Asking for more than a class has takes all of it: class 2 has only 2.
    assert_eq!(stratified_indices(&labels, 3, None), vec![0, 1, 2, 3, 4, 5, 7, 8]);
    let r = stratified_indices(&labels, 2, Some(5));
    assert_eq!(r.len(), 6);
    assert!(r.windows(2).all(|w| w[0] < w[1]));
    for c in 0..3 {
        assert_eq!(r.iter().filter(|&&i| labels[i] == c).count(), 2);
    }
    assert!(stratified_indices(&[], 3, None).is_empty());
}

#[test]
fn stratified_split_keeps_class_proportions() {
    let labels: Vec<u32> = (0..150).map(|i| i / 50).collect();
    let (train, test) = stratified_split(&labels, 0.2, 1).unwrap();
    assert_eq!((train.len(), test.len()), (120, 30));
    for c in 0..3 {
        assert_eq!(test.iter().filter(|&&i| labels[i] == c).count(), 10);
    }
    let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
    all.sort();
    assert_eq!(all, (0..150).collect::<Vec<_>>());
    // Shuffled: the test tail is not one class.
    assert!(train[96..].iter().any(|&i| labels[i] != labels[train[119]]));
    assert_eq!(
        (train.clone(), test.clone()),
        stratified_split(&labels, 0.2, 1).unwrap()
    );
    assert!(stratified_split(&labels, 0.0, 1).is_err());
    let (tr, te) = random_split(442, 0.2, 3).unwrap();
    // round(442 * 0.2) = round(88.4) = 88.
    assert_eq!((tr.len(), te.len()), (354, 88));
}

/// Counts of each class among `idx`.
fn class_counts(labels: &[u32], idx: &[usize], classes: usize) -> Vec<usize> {
    let mut c = vec![0; classes];
    idx.iter().for_each(|&i| c[labels[i] as usize] += 1);
    c
}

#[test]
fn stratified_kfold_is_disjoint_complete_and_stratified() {
    // Unbalanced classes: 0 → 23 samples, 1 → 11, 2 → 6 (n = 40), interleaved.
    let labels: Vec<u32> = (0..40)
        .map(|i| {
            if i % 4 == 3 && i < 24 {
                2
            } else if i % 3 == 1 {
                1
            } else {
                0
            }
        })
        .collect();
    let totals = class_counts(&labels, &(0..40).collect::<Vec<_>>(), 3);
    assert_eq!(totals.iter().sum::<usize>(), 40);
    for k in [2, 3, 5, 7] {
        let folds = stratified_kfold(&labels, k, 11).unwrap();
        assert_eq!(folds.len(), k);
        let mut all_val: Vec<usize> = folds.iter().flat_map(|f| f.1.clone()).collect();
        all_val.sort();
        assert_eq!(all_val, (0..40).collect::<Vec<_>>(), "k={k}: the folds partition 0..n");
        for (train, val) in &folds {
            let mut both: Vec<usize> = train.iter().chain(val).copied().collect();
            both.sort();
            assert_eq!(both, (0..40).collect::<Vec<_>>(), "k={k}: train ∪ val = all, disjoint");
            // Each class c: floor(n_c / k) or ceil(n_c / k) in every fold.
            for (c, got) in class_counts(&labels, val, 3).into_iter().enumerate() {
                let (lo, hi) = (totals[c] / k, totals[c].div_ceil(k));
                assert!(got >= lo && got <= hi, "k={k} class {c}: {got} not in [{lo}, {hi}]");
            }
            // Fold sizes: floor(n / k) or ceil(n / k).
            assert!(
                val.len() >= 40 / k && val.len() <= 40usize.div_ceil(k),
                "k={k}: {}",
                val.len()
            );
        }
    }
    // Deterministic from the seed; another seed deals differently.
    assert_eq!(
        stratified_kfold(&labels, 5, 11).unwrap(),
        stratified_kfold(&labels, 5, 11).unwrap()
    );
    assert_ne!(
        stratified_kfold(&labels, 5, 11).unwrap(),
        stratified_kfold(&labels, 5, 12).unwrap()
    );
    assert!(stratified_kfold(&labels, 1, 0).is_err());
    assert!(stratified_kfold(&labels[..3], 4, 0).is_err());
    // 150 iris-like samples, 50 per class, k = 5: exactly 10 of each class per fold.
    let iris: Vec<u32> = (0..150).map(|i| i / 50).collect();
    for (_, val) in stratified_kfold(&iris, 5, 3).unwrap() {
        assert_eq!(class_counts(&iris, &val, 3), vec![10, 10, 10]);
    }
}
