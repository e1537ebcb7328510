//! Accuracy (binary, one-hot, sparse), error sums and the confusion matrix on
//! small hand-checked batches.

use super::*;
use ndarray::{arr1, arr2};

fn t2(rows: &[&[f32]]) -> Tensor {
    let k = rows[0].len();
    let flat: Vec<f32> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    Tensor::from_shape_vec(vec![rows.len(), k], flat).unwrap()
}

#[test]
fn binary_accuracy_thresholds_at_one_half_strictly() {
    // ŷ > 0.5 is class 1: 0.5 itself is class 0 (Keras: y_pred > threshold).
    let p = t2(&[&[0.9], &[0.5], &[0.51], &[0.1], &[0.7]]);
    let y = t2(&[&[1.0], &[0.0], &[0.0], &[1.0], &[1.0]]);
    // correct: rows 0 (1=1), 1 (0=0), 4 (1=1); wrong: 2 (1≠0), 3 (0≠1).
    assert_eq!(accuracy_counts(&p, &y).unwrap(), (3, 5));
    let y_flat = arr1(&[1.0f32, 0.0, 0.0, 1.0, 1.0]).into_dyn();
    assert_eq!(accuracy_counts(&p, &y_flat).unwrap(), (3, 5));
    assert_eq!(predicted_classes(&p), vec![1, 0, 1, 0, 1]);
}

#[test]
fn categorical_and_sparse_accuracy() {
    let p = t2(&[&[0.1, 0.7, 0.2], &[0.5, 0.2, 0.3], &[0.3, 0.3, 0.4], &[0.4, 0.4, 0.2]]);
    // argmax per row: 1, 0, 2, 0 (first maximum on the tie in the last row).
    assert_eq!(predicted_classes(&p), vec![1, 0, 2, 0]);
    let one_hot = t2(&[&[0.0, 1.0, 0.0], &[0.0, 0.0, 1.0], &[0.0, 0.0, 1.0], &[1.0, 0.0, 0.0]]);
    assert_eq!(accuracy_counts(&p, &one_hot).unwrap(), (3, 4));
    let sparse = arr1(&[1.0f32, 2.0, 2.0, 0.0]).into_dyn();
    assert_eq!(accuracy_counts(&p, &sparse).unwrap(), (3, 4));
    let sparse_col = arr2(&[[1.0f32], [0.0], [0.0], [2.0]]).into_dyn();
    assert_eq!(accuracy_counts(&p, &sparse_col).unwrap(), (2, 4));
    // Labels that fit neither form: a clear shape error.
    let bad = t2(&[&[0.0, 1.0], &[1.0, 0.0], &[1.0, 0.0], &[1.0, 0.0]]);
    let e = accuracy_counts(&p, &bad).unwrap_err().to_string();
    assert!(e.contains("[4, 3]") && e.contains("[4, 2]"), "{e}");
    let empty = Tensor::zeros(vec![0, 3]);
    assert_eq!(accuracy_counts(&empty, &Tensor::zeros(vec![0])).unwrap(), (0, 0));
}

#[test]
fn error_sums() {
    let p = t2(&[&[1.0, 2.0], &[0.0, -1.0]]);
    let y = t2(&[&[0.5, 2.0], &[1.0, 1.0]]);
    // squared: 0.25 + 0 + 1 + 4; absolute: 0.5 + 0 + 1 + 2.
    assert_eq!(sum_squared_error(&p, &y).unwrap(), 5.25);
    assert_eq!(sum_absolute_error(&p, &y).unwrap(), 3.5);
    let col = t2(&[&[1.0], &[3.0]]);
    let flat = arr1(&[0.0f32, 1.0]).into_dyn();
    assert_eq!(sum_squared_error(&col, &flat).unwrap(), 5.0);
    assert!(sum_absolute_error(&p, &flat).unwrap_err().to_string().contains("mae"));
}

#[test]
fn confusion_matrix_counts_accuracy_and_recall() {
    let mut cm = ConfusionMatrix::new(3);
    for (t, p) in [(0, 0), (0, 0), (0, 1), (1, 1), (2, 1), (2, 2), (2, 2), (2, 0)] {
        cm.add(t, p);
    }
    cm.add(3, 0); // out of range: ignored
    assert_eq!(cm.counts, vec![2, 1, 0, 0, 1, 0, 1, 1, 2]);
    assert_eq!(cm.total(), 8);
    assert_eq!(cm.accuracy(), 5.0 / 8.0);
    assert_eq!(cm.per_class_recall(), vec![2.0 / 3.0, 1.0, 0.5]);
    let empty = ConfusionMatrix::new(2);
    assert_eq!((empty.accuracy(), empty.per_class_recall()), (0.0, vec![0.0, 0.0]));
}

#[test]
fn metric_names_and_json() {
    let m: Vec<Metric> = serde_json::from_str(r#"["accuracy","mse","mae","acc","mean_squared_error"]"#).unwrap();
    assert_eq!(
        m,
        vec![
            Metric::Accuracy,
            Metric::Mse,
            Metric::Mae,
            Metric::Accuracy,
            Metric::Mse
        ]
    );
    assert_eq!(serde_json::to_string(&m[..3]).unwrap(), r#"["accuracy","mse","mae"]"#);
    assert_eq!(
        m.iter().map(Metric::name).collect::<Vec<_>>()[..3],
        ["accuracy", "mse", "mae"]
    );
    let e = serde_json::from_str::<Metric>(r#""f1""#).unwrap_err().to_string();
    assert!(e.contains("f1") && e.contains("accuracy"), "{e}");
}
