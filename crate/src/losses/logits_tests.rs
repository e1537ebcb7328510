//! The crossentropies of saturated softmax / sigmoid outputs computed through
//! the logits, as Keras (TensorFlow backend) does. Expected values are written
//! out in f64 from the formulas in `logits.rs`.

use super::*;
use crate::activations::Activation;
use ndarray::{arr1, IxDyn};

fn t2(rows: &[&[f32]]) -> Tensor {
    let k = rows[0].len();
    let flat: Vec<f32> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    Tensor::from_shape_vec(vec![rows.len(), k], flat).unwrap()
}

fn close(a: f32, b: f64, tol: f64) {
    assert!((a as f64 - b).abs() <= tol * b.abs().max(1.0), "{a} vs {b}");
}

/// `log Σ_j e^(z_j)` in f64, stable.
fn lse(z: &[f32]) -> f64 {
    let m = z.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v as f64));
    m + z.iter().map(|&v| (v as f64 - m).exp()).sum::<f64>().ln()
}

fn empty() -> Tensor {
    Tensor::zeros(IxDyn(&[0]))
}

#[test]
fn the_keras_rule_pairs_softmax_and_sigmoid_with_their_crossentropy() {
    for name in LossName::ALL {
        for act in Activation::ALL {
            let want = match name {
                LossName::CategoricalCrossentropy | LossName::SparseCategoricalCrossentropy => {
                    act == Activation::Softmax
                }
                LossName::BinaryCrossentropy => act == Activation::Sigmoid,
                _ => false,
            };
            assert_eq!(Loss::new(name).through_logits_of(act), want, "{name:?} after {act:?}");
        }
    }
}

#[test]
fn saturated_softmax_categorical_crossentropy_is_not_clipped() {
    // Logits [0, 20], true class 0: softmax(z)_0 = 1/(1 + e^20) ≈ 2.06e-9 < ε.
    // Keras: −log_softmax(z)_0 = log(1 + e^20) = 20 + log(1 + e^−20) ≈ 20.
    // The clipped form on the probabilities gives −ln(1e-7) ≈ 16.118 and a zero gradient.
    let z = t2(&[&[0.0, 20.0]]);
    let t = t2(&[&[1.0, 0.0]]);
    let ce = Loss::new(LossName::CategoricalCrossentropy);
    let mut g = empty();
    let v = ce.compute_from_logits(&z, &t, Some(&mut g)).unwrap();
    close(v, 20.0 + (-20f64).exp().ln_1p(), 1e-7);
    // dLoss/dz = softmax(z) − t.
    let p0 = 1.0 / (1.0 + 20f64.exp());
    close(g[[0, 0]], p0 - 1.0, 1e-7);
    close(g[[0, 1]], 1.0 - p0, 1e-7);

    let mut probs = z.clone();
    Activation::Softmax.apply(probs.as_slice_mut().unwrap(), 2);
    let clipped = ce.compute(&probs, &t, None).unwrap();
    close(clipped, -(1e-7f64).ln(), 1e-5);
    assert!(v > clipped + 3.8);

    // Sparse: the same through sparse_softmax_cross_entropy_with_logits.
    let sparse = Loss::new(LossName::SparseCategoricalCrossentropy);
    let mut gs = empty();
    let vs = sparse
        .compute_from_logits(&z, &arr1(&[0.0f32]).into_dyn(), Some(&mut gs))
        .unwrap();
    assert_eq!((vs, &gs), (v, &g));

    // A user's from_logits = true is overridden (the output is the softmax's logits).
    let mut ce_logits = ce.clone();
    ce_logits.from_logits = true;
    assert_eq!(ce_logits.compute_from_logits(&z, &t, None).unwrap(), v);
}

#[test]
fn saturated_sigmoid_binary_crossentropy_is_not_clipped() {
    // Logit 30, target 0: sigmoid(30) rounds to 1.0 in f32. Keras:
    // max(z, 0) − z·t + log(1 + e^−|z|) = 30 + log(1 + e^−30) ≈ 30, gradient σ(30) − 0 ≈ 1.
    // Clipped: −ln(1 − (1 − ε)) with 1 − ε = 0.99999988 in f32, ≈ 15.942, zero gradient.
    let z = t2(&[&[30.0], &[-2.0]]);
    let t = t2(&[&[0.0], &[1.0]]);
    let bce = Loss::new(LossName::BinaryCrossentropy);
    let mut g = empty();
    let v = bce.compute_from_logits(&z, &t, Some(&mut g)).unwrap();
    // Row 2: softplus(2) = log(1 + e^2). Mean over the 2 rows.
    let want = (30.0 + (-30f64).exp().ln_1p() + 2f64.exp().ln_1p()) / 2.0;
    close(v, want, 1e-7);
    let sig = |x: f64| 1.0 / (1.0 + (-x).exp());
    close(g[[0, 0]], sig(30.0) / 2.0, 1e-7);
    close(g[[1, 0]], (sig(-2.0) - 1.0) / 2.0, 1e-7);

    let mut probs = z.clone();
    Activation::Sigmoid.apply(probs.as_slice_mut().unwrap(), 1);
    assert_eq!(probs[[0, 0]], 1.0);
    let clipped = bce.compute(&probs, &t, None).unwrap();
    let hi = (1.0f32 - EPSILON) as f64;
    close(clipped, (-(1.0 - hi).ln() + 2f64.exp().ln_1p()) / 2.0, 1e-5);
    assert!(v > clipped + 7.0);
}

#[test]
fn label_smoothing_applies_on_the_logits_path() {
    // s = 0.1, k = 2: targets [1, 0] become [0.95, 0.05];
    // loss = −0.95·log_softmax(z)_0 − 0.05·log_softmax(z)_1.
    let z = t2(&[&[1.0, -3.0]]);
    let mut ce = Loss::new(LossName::CategoricalCrossentropy);
    ce.label_smoothing = 0.1;
    let v = ce.compute_from_logits(&z, &t2(&[&[1.0, 0.0]]), None).unwrap();
    let l = lse(&[1.0, -3.0]);
    close(v, 0.95 * (l - 1.0) + 0.05 * (l + 3.0), 1e-7);
}

/// A tiny net with scaled weights: logits `z = s·x·W` (3 classes) for four
/// samples, two of them confidently wrong. Keras takes the logits path and
/// keeps learning; the clipped path caps both the loss and the gradient.
#[test]
fn a_saturated_tiny_net_keeps_its_gradient() {
    let s = 25.0f32;
    let w = [[0.0f32, 1.0, -1.0], [1.0, -1.0, 0.0]];
    let x = [[1.0f32, 0.0], [0.0, 1.0], [1.0, 1.0], [0.2, 0.1]];
    let labels = [2usize, 0, 1, 2];
    let mut z = Tensor::zeros(IxDyn(&[4, 3]));
    let mut t = Tensor::zeros(IxDyn(&[4, 3]));
    for (i, xi) in x.iter().enumerate() {
        for j in 0..3 {
            z[[i, j]] = s * (xi[0] * w[0][j] + xi[1] * w[1][j]);
        }
        t[[i, labels[i]]] = 1.0;
    }
    // Keras (TF): mean over rows of log Σ e^z − z_label (≈ (50 + 0 + 25 + 8.193) / 4 ≈ 20.80).
    let want: f64 = (0..4)
        .map(|i| {
            let row: Vec<f32> = (0..3).map(|j| z[[i, j]]).collect();
            lse(&row) - row[labels[i]] as f64
        })
        .sum::<f64>()
        / 4.0;
    let ce = Loss::new(LossName::CategoricalCrossentropy);
    let mut g_logits = empty();
    let keras = ce.compute_from_logits(&z, &t, Some(&mut g_logits)).unwrap();
    close(keras, want, 1e-6);
    assert!((keras - 20.80).abs() < 0.01, "{keras}");

    // The clipped path on the softmax output, backpropagated through the softmax.
    let mut probs = z.clone();
    Activation::Softmax.apply(probs.as_slice_mut().unwrap(), 3);
    let mut g_probs = empty();
    let clipped = ce.compute(&probs, &t, Some(&mut g_probs)).unwrap();
    assert!(clipped < 10.2 && keras > clipped + 10.0, "{clipped} vs {keras}");
    let mut dz_clipped = g_probs.clone();
    Activation::Softmax
        .backward_in_place(probs.as_slice().unwrap(), dz_clipped.as_slice_mut().unwrap(), 3)
        .unwrap();
    for i in [0, 2] {
        // The two confidently wrong samples: the clipped path gives no gradient at all,
        // the logits path softmax(z) − t, about −1/4 at the true class and +1/4 at the winner.
        assert!((0..3).all(|j| dz_clipped[[i, j]] == 0.0), "{dz_clipped:?}");
        close(g_logits[[i, labels[i]]], -0.25, 1e-6);
        assert!((0..3).map(|j| g_logits[[i, j]].abs()).sum::<f32>() > 0.49);
    }
    // An unsaturated sample (row 3) gets the same gradient both ways.
    for j in 0..3 {
        assert!((dz_clipped[[3, j]] - g_logits[[3, j]]).abs() < 1e-6);
    }
}
