//! Loss values on hand-computed examples (expected values written out in f64
//! from the formulas, or published in the Keras docstrings), clipping, shape
//! errors and the JSON forms. Gradients are checked in `tests/gradcheck_losses.rs`.

use super::*;
use ndarray::{arr1, arr2};

fn t2(rows: &[&[f32]]) -> Tensor {
    let k = rows[0].len();
    let flat: Vec<f32> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    Tensor::from_shape_vec(vec![rows.len(), k], flat).unwrap()
}

fn loss(name: LossName) -> Loss {
    Loss::new(name)
}

fn close(a: f32, b: f64, tol: f64) {
    assert!((a as f64 - b).abs() <= tol * b.abs().max(1.0), "{a} vs {b}");
}

#[test]
fn categorical_crossentropy_matches_keras_docstring() {
    // keras.losses.categorical_crossentropy docstring: per sample [0.0513, 2.303].
    let y_true = t2(&[&[0.0, 1.0, 0.0], &[0.0, 0.0, 1.0]]);
    let y_pred = t2(&[&[0.05, 0.95, 0.0], &[0.1, 0.8, 0.1]]);
    let v = loss(LossName::CategoricalCrossentropy)
        .compute(&y_pred, &y_true, None)
        .unwrap();
    let expected = (-(0.95f64).ln() - (0.1f64).ln()) / 2.0;
    close(v, expected, 1e-6);
    assert!((v - (0.0513 + 2.303) / 2.0).abs() < 1e-3);
}

#[test]
fn crossentropy_normalises_and_clips_like_keras() {
    // Unnormalised row [2, 6] is read as [0.25, 0.75]: loss −ln 0.75.
    let v = loss(LossName::CategoricalCrossentropy)
        .compute(&t2(&[&[2.0, 6.0]]), &t2(&[&[0.0, 1.0]]), None)
        .unwrap();
    close(v, -(0.75f64).ln(), 1e-6);
    // Probability 0 for the true class: finite loss −ln(1e−7) ≈ 16.118.
    let mut g = Tensor::zeros(ndarray::IxDyn(&[0]));
    let v = loss(LossName::CategoricalCrossentropy)
        .compute(&t2(&[&[1.0, 0.0]]), &t2(&[&[0.0, 1.0]]), Some(&mut g))
        .unwrap();
    close(v, -(1e-7f64).ln(), 1e-5);
    assert!(g.iter().all(|x| x.is_finite()));
    let v = loss(LossName::SparseCategoricalCrossentropy)
        .compute(&t2(&[&[1.0, 0.0]]), &arr1(&[1.0f32]).into_dyn(), None)
        .unwrap();
    close(v, -(1e-7f64).ln(), 1e-5);
    let v = loss(LossName::BinaryCrossentropy)
        .compute(&t2(&[&[0.0]]), &t2(&[&[1.0]]), None)
        .unwrap();
    close(v, -(1e-7f64).ln(), 1e-5);
}

#[test]
fn sparse_equals_one_hot_and_logits_equal_softmax() {
    let probs = t2(&[&[0.2, 0.5, 0.3], &[0.7, 0.1, 0.2]]);
    let onehot = t2(&[&[0.0, 0.0, 1.0], &[1.0, 0.0, 0.0]]);
    let idx = arr1(&[2.0f32, 0.0]).into_dyn();
    let a = loss(LossName::CategoricalCrossentropy)
        .compute(&probs, &onehot, None)
        .unwrap();
    let b = loss(LossName::SparseCategoricalCrossentropy)
        .compute(&probs, &idx, None)
        .unwrap();
    close(a, (-(0.3f64).ln() - (0.7f64).ln()) / 2.0, 1e-6);
    assert!((a - b).abs() < 1e-7);
    // [batch, 1] index targets are accepted too (Keras squeezes them).
    let idx2 = arr2(&[[2.0f32], [0.0]]).into_dyn();
    assert_eq!(
        loss(LossName::SparseCategoricalCrossentropy)
            .compute(&probs, &idx2, None)
            .unwrap(),
        b
    );
    // Logits ln(p) give softmax = p, so from_logits yields the same value.
    let logits = probs.mapv(f32::ln);
    let mut l = loss(LossName::CategoricalCrossentropy);
    l.from_logits = true;
    close(l.compute(&logits, &onehot, None).unwrap(), a as f64, 1e-6);
}

#[test]
fn binary_crossentropy_values() {
    // mean over 2 outputs of −(t ln p + (1−t) ln(1−p)), then over 2 rows.
    let y_pred = t2(&[&[0.9, 0.2], &[0.4, 0.6]]);
    let y_true = t2(&[&[1.0, 0.0], &[0.0, 1.0]]);
    let e = (-(0.9f64).ln() - (0.8f64).ln()) / 2.0 + (-(0.6f64).ln() - (0.6f64).ln()) / 2.0;
    let v = loss(LossName::BinaryCrossentropy)
        .compute(&y_pred, &y_true, None)
        .unwrap();
    close(v, e / 2.0, 1e-6);
    // Logits: softplus form; x = 0 gives ln 2 whatever the target.
    let mut l = loss(LossName::BinaryCrossentropy);
    l.from_logits = true;
    close(
        l.compute(&t2(&[&[0.0]]), &t2(&[&[1.0]]), None).unwrap(),
        2f64.ln(),
        1e-6,
    );
    // Label smoothing 0.2: target 1 becomes 0.9.
    l.from_logits = false;
    l.label_smoothing = 0.2;
    let v = l.compute(&t2(&[&[0.7]]), &t2(&[&[1.0]]), None).unwrap();
    close(v, -(0.9 * (0.7f64).ln() + 0.1 * (0.3f64).ln()), 1e-6);
}

#[test]
fn regression_losses() {
    let y_pred = t2(&[&[1.0, 2.0], &[0.5, -1.0]]);
    let y_true = t2(&[&[0.0, 2.5], &[0.5, 2.0]]);
    // errors: [1, −0.5], [0, −3]
    let mse = (1.0 + 0.25 + 0.0 + 9.0) / 4.0;
    let mae = (1.0 + 0.5 + 0.0 + 3.0) / 4.0;
    let huber = (0.5 + 0.125 + 0.0 + (3.0 - 0.5)) / 4.0;
    close(
        loss(LossName::MeanSquaredError)
            .compute(&y_pred, &y_true, None)
            .unwrap(),
        mse,
        1e-6,
    );
    close(
        loss(LossName::MeanAbsoluteError)
            .compute(&y_pred, &y_true, None)
            .unwrap(),
        mae,
        1e-6,
    );
    close(
        loss(LossName::Huber).compute(&y_pred, &y_true, None).unwrap(),
        huber,
        1e-6,
    );
    // Keras huber docstring: [[0,1],[0,0]] vs [[0.6,0.4],[0.4,0.6]] -> 0.155.
    let v = loss(LossName::Huber)
        .compute(&t2(&[&[0.6, 0.4], &[0.4, 0.6]]), &t2(&[&[0.0, 1.0], &[0.0, 0.0]]), None)
        .unwrap();
    close(v, 0.155, 1e-6);
    // (None, 1) predictions with (None,) targets are accepted.
    let v = loss(LossName::MeanSquaredError)
        .compute(
            &arr2(&[[1.0f32], [3.0]]).into_dyn(),
            &arr1(&[0.0f32, 1.0]).into_dyn(),
            None,
        )
        .unwrap();
    close(v, (1.0 + 4.0) / 2.0, 1e-6);
}

#[test]
fn hinge_losses() {
    // {0,1} targets become {−1,1}: margins max(1 − (−1)(0.3), 0) = 1.3, max(1 − 0.8, 0) = 0.2.
    let v = loss(LossName::Hinge)
        .compute(&t2(&[&[0.3, 0.8]]), &t2(&[&[0.0, 1.0]]), None)
        .unwrap();
    close(v, (1.3 + 0.2) / 2.0, 1e-6);
    // Targets already ±1 are used as given.
    let v = loss(LossName::Hinge)
        .compute(&t2(&[&[0.3, 2.0]]), &t2(&[&[-1.0, 1.0]]), None)
        .unwrap();
    close(v, (1.3 + 0.0) / 2.0, 1e-6);
    // categorical: pos = 0.5, neg = max(0.2, 0.3) = 0.3 → 0.8.
    let v = loss(LossName::CategoricalHinge)
        .compute(&t2(&[&[0.2, 0.5, 0.3]]), &t2(&[&[0.0, 1.0, 0.0]]), None)
        .unwrap();
    close(v, 0.8, 1e-6);
}

#[test]
fn kl_divergence_values() {
    // t = [0.5, 0.5], p = [0.25, 0.75]: 0.5 ln 2 + 0.5 ln(2/3). A zero target contributes ~0.
    let v = loss(LossName::KlDivergence)
        .compute(&t2(&[&[0.25, 0.75]]), &t2(&[&[0.5, 0.5]]), None)
        .unwrap();
    close(v, 0.5 * 2f64.ln() + 0.5 * (2.0f64 / 3.0).ln(), 1e-6);
    let v = loss(LossName::KlDivergence)
        .compute(&t2(&[&[0.5, 0.5]]), &t2(&[&[1.0, 0.0]]), None)
        .unwrap();
    close(v, 2f64.ln() + 1e-7 * (1e-7f64 / 0.5).ln(), 1e-5);
}

#[test]
fn nan_predictions_give_a_nan_loss() {
    for name in LossName::ALL {
        let y_true = if name == LossName::SparseCategoricalCrossentropy {
            arr1(&[1.0f32]).into_dyn()
        } else {
            t2(&[&[0.0, 1.0]])
        };
        let v = loss(name).compute(&t2(&[&[f32::NAN, 0.5]]), &y_true, None).unwrap();
        assert!(v.is_nan(), "{} hid a NaN: {v}", name.name());
    }
}

#[test]
fn shape_mismatches_are_clear_errors() {
    let y_pred = Tensor::zeros(ndarray::IxDyn(&[4, 10]));
    let err = |l: LossName, t: &[usize]| {
        let e = loss(l)
            .compute(&y_pred, &Tensor::zeros(ndarray::IxDyn(t)), None)
            .unwrap_err();
        assert!(matches!(e, Error::Shape(_)), "{e}");
        e.to_string()
    };
    let e = err(LossName::CategoricalCrossentropy, &[4]);
    assert!(e.contains("sparse_categorical_crossentropy"), "{e}");
    let e = err(LossName::MeanSquaredError, &[4, 5]);
    assert!(
        e.contains("(None, 10)") && e.contains("(None, 5)") && e.contains("units"),
        "{e}"
    );
    let e = err(LossName::CategoricalCrossentropy, &[3, 10]);
    assert!(e.contains("4 predictions but 3 targets"), "{e}");
    let e = err(LossName::SparseCategoricalCrossentropy, &[4, 10]);
    assert!(e.contains("categorical_crossentropy"), "{e}");
    let e = loss(LossName::MeanSquaredError)
        .compute(
            &Tensor::zeros(ndarray::IxDyn(&[0, 3])),
            &Tensor::zeros(ndarray::IxDyn(&[0, 3])),
            None,
        )
        .unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
}

#[test]
fn bad_sparse_labels_are_data_errors() {
    let y_pred = t2(&[&[0.5, 0.5], &[0.5, 0.5]]);
    for bad in [2.0f32, -1.0, 0.5, f32::NAN] {
        let e = loss(LossName::SparseCategoricalCrossentropy)
            .compute(&y_pred, &arr1(&[0.0f32, bad]).into_dyn(), None)
            .unwrap_err();
        assert!(matches!(e, Error::Data(ref m) if m.contains("sample 1")), "{e}");
    }
}

#[test]
fn grad_buffer_is_resized_and_overwritten() {
    let mut g = Tensor::from_elem(ndarray::IxDyn(&[1, 2]), f32::NAN);
    let y_pred = t2(&[&[1.0, 2.0], &[3.0, 4.0]]);
    loss(LossName::MeanSquaredError)
        .compute(&y_pred, &y_pred, Some(&mut g))
        .unwrap();
    assert_eq!(g.shape(), &[2, 2]);
    assert!(g.iter().all(|&x| x == 0.0));
    // Clipped probabilities get a zero gradient, never a stale value.
    let mut g = Tensor::from_elem(ndarray::IxDyn(&[1, 2]), f32::NAN);
    loss(LossName::BinaryCrossentropy)
        .compute(&t2(&[&[0.0, 1.0]]), &t2(&[&[1.0, 0.0]]), Some(&mut g))
        .unwrap();
    assert_eq!(g.as_slice().unwrap(), &[0.0, 0.0]);
}

#[test]
fn json_forms() {
    let l: Loss = serde_json::from_str("\"categorical_crossentropy\"").unwrap();
    assert_eq!(l, Loss::new(LossName::CategoricalCrossentropy));
    assert_eq!(serde_json::to_string(&l).unwrap(), "\"categorical_crossentropy\"");
    let l: Loss = serde_json::from_str(r#"{"name":"huber","delta":2.5}"#).unwrap();
    assert_eq!((l.name, l.delta, l.from_logits), (LossName::Huber, 2.5, false));
    assert_eq!(
        serde_json::from_str::<Loss>(&serde_json::to_string(&l).unwrap()).unwrap(),
        l
    );
    let l: Loss =
        serde_json::from_str(r#"{"name":"binary_crossentropy","from_logits":true,"label_smoothing":0.1}"#).unwrap();
    assert_eq!(
        serde_json::from_str::<Loss>(&serde_json::to_string(&l).unwrap()).unwrap(),
        l
    );
    for (alias, name) in [
        ("mse", LossName::MeanSquaredError),
        ("mae", LossName::MeanAbsoluteError),
        ("kld", LossName::KlDivergence),
    ] {
        assert_eq!(
            serde_json::from_str::<Loss>(&format!("\"{alias}\"")).unwrap().name,
            name
        );
    }
    for name in LossName::ALL {
        let l: Loss = serde_json::from_str(&format!("\"{}\"", name.name())).unwrap();
        assert_eq!(l.name, name);
    }
    let e = serde_json::from_str::<Loss>(r#"{"name":"huber","delt":2}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("delt"), "{e}");
    let e = serde_json::from_str::<Loss>("\"categorical_crossentropyy\"")
        .unwrap_err()
        .to_string();
    assert!(e.contains("categorical_crossentropyy"), "{e}");
    let e = serde_json::from_str::<Loss>(r#"{"name":"mse","from_logits":true}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("from_logits"), "{e}");
    let e = serde_json::from_str::<Loss>(r#"{"name":"sparse_categorical_crossentropy","label_smoothing":0.1}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("label_smoothing"), "{e}");
    assert!(Loss::new(LossName::SparseCategoricalCrossentropy).uses_sparse_labels());
    assert!(!Loss::new(LossName::CategoricalCrossentropy).uses_sparse_labels());
}
