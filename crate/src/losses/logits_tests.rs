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
fn the_keras_rule_takes_the_logits_of_softmax_and_sigmoid_outputs() {
    for name in LossName::ALL {
        for act in Activation::ALL {
            // `_get_logits` only asks whether the output carries `_keras_logits`,
            // which both softmax and sigmoid store.
            let want = matches!(
                name,
                LossName::CategoricalCrossentropy
                    | LossName::SparseCategoricalCrossentropy
                    | LossName::BinaryCrossentropy
            ) && matches!(act, Activation::Softmax | Activation::Sigmoid);
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

// ---- The model side: Sequential keeps the logits of a softmax / sigmoid output ----

use crate::config::ExperimentConfig;
use crate::layers::LayerConfig;
use crate::model::{Sequential, Trainer};

fn dense(units: usize, activation: Activation) -> LayerConfig {
    serde_json::from_value(serde_json::json!({"type": "Dense", "units": units, "activation": activation})).unwrap()
}

fn layer(json: serde_json::Value) -> LayerConfig {
    serde_json::from_value(json).unwrap()
}

/// A 2 → 3 model with large weights: its logits are far apart.
fn saturated(layers: &[LayerConfig]) -> Sequential {
    let mut m = Sequential::new(&[2], layers, 1).unwrap();
    let w = Tensor::from_shape_vec(vec![2, 3], vec![0.0, 25.0, -25.0, 25.0, -25.0, 0.0]).unwrap();
    let b = Tensor::from_shape_vec(vec![3], vec![0.5, 0.0, -0.5]).unwrap();
    m.set_weights(&[w, b]).unwrap();
    m
}

#[test]
fn the_model_hands_over_logits_and_backpropagates_from_them() {
    let x = t2(&[&[1.0, 0.0], &[0.0, 1.0], &[1.0, 1.0], &[0.2, 0.1]]);
    let t = t2(&[&[0.0, 0.0, 1.0], &[1.0, 0.0, 0.0], &[0.0, 1.0, 0.0], &[0.0, 0.0, 1.0]]);
    let ce = Loss::new(LossName::CategoricalCrossentropy);
    // Dense(softmax), and Dense(linear) + Activation(softmax), and + Softmax: the same logits.
    let variants = [
        vec![dense(3, Activation::Softmax)],
        vec![
            dense(3, Activation::Linear),
            layer(serde_json::json!({"type": "Activation", "activation": "softmax"})),
        ],
        vec![
            dense(3, Activation::Linear),
            layer(serde_json::json!({"type": "Softmax"})),
        ],
    ];
    let mut results = Vec::new();
    for layers in &variants {
        let mut m = saturated(layers);
        let (out, logits) = m.forward_with_logits(&x, true).unwrap();
        let (act, z) = logits.expect("a softmax output keeps its logits");
        assert_eq!(act, Activation::Softmax);
        // z = x·W + b, written out.
        assert_eq!(z[[0, 1]], 25.0);
        assert_eq!(z[[2, 0]], 25.5);
        assert!((out.sum_axis(ndarray::Axis(1)).iter()).all(|s| (s - 1.0).abs() < 1e-6));
        let mut g = empty();
        let loss = ce.compute_from_logits(z, &t, Some(&mut g)).unwrap();
        m.backward_from_logits(&x, &g).unwrap();
        // dW = xᵀ·(softmax(z) − t)/N: the fused gradient, not the activation's Jacobian again.
        let grads: Vec<Tensor> = m.params().iter().map(|p| p.grad.clone()).collect();
        let mut dw = [[0.0f64; 3]; 2];
        for i in 0..4 {
            for j in 0..3 {
                for (k, row) in dw.iter_mut().enumerate() {
                    row[j] += x[[i, k]] as f64 * g[[i, j]] as f64;
                }
            }
        }
        for (k, row) in dw.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                assert!((grads[0][[k, j]] as f64 - v).abs() < 1e-6, "dW[{k}][{j}]");
            }
        }
        results.push((loss, grads));
    }
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0], results[2]);

    // Finite differences of the fused loss through the model, on the kernel.
    let mut m = saturated(&variants[0]);
    let loss_at = |m: &mut Sequential| {
        let (_, logits) = m.forward_with_logits(&x, false).unwrap();
        ce.compute_from_logits(logits.unwrap().1, &t, None).unwrap() as f64
    };
    let h = 1e-2f32;
    for idx in 0..6 {
        let mut w = m.weights();
        let base = w[0].as_slice().unwrap()[idx];
        w[0].as_slice_mut().unwrap()[idx] = base + h;
        m.set_weights(&w).unwrap();
        let up = loss_at(&mut m);
        w[0].as_slice_mut().unwrap()[idx] = base - h;
        m.set_weights(&w).unwrap();
        let down = loss_at(&mut m);
        w[0].as_slice_mut().unwrap()[idx] = base;
        m.set_weights(&w).unwrap();
        let fd = (up - down) / (2.0 * h as f64);
        let an = results[0].1[0].as_slice().unwrap()[idx] as f64;
        assert!((fd - an).abs() < 1e-3 + 1e-2 * an.abs(), "dW[{idx}]: fd {fd} vs {an}");
    }

    // A linear or relu output keeps no logits (nothing to fuse with).
    let mut lin = Sequential::new(&[2], &[dense(3, Activation::Relu)], 1).unwrap();
    assert!(lin.forward_with_logits(&x, true).unwrap().1.is_none());
}

#[test]
fn a_saturated_step_trains_through_the_logits() {
    // XOR (labels 0 1 1 0) in one batch, Dense(2, softmax), SGD 0.1. Zero kernel and
    // bias [−60, 60]: every sample says class 1 with a logit gap of 120, so for the
    // two class-0 samples softmax(z)_0 = e^−120 underflows to 0 in f32.
    // Keras: loss = mean(120, 0, 0, 120) = 60 (the clipped form gives ≈ 8.06 and no
    // gradient); dLoss/db = mean(softmax − t) = [−0.5, 0.5], so the bias moves by
    // −0.1·[−0.5, 0.5] = [+0.05, −0.05] and the kernel by −0.1·xᵀ(softmax − t)/4.
    let json = r#"{"dataset":"xor","layers":[{"type":"Dense","units":2,"activation":"softmax"}],
        "loss":"categorical_crossentropy","optimizer":{"name":"sgd","learning_rate":0.1},
        "batch_size":4,"epochs":1,"shuffle":false,"seed":3}"#;
    let config = ExperimentConfig::from_json(json.as_bytes()).unwrap();
    let (train, test) = crate::data::load("xor", &[], 3).unwrap();
    let mut trainer = Trainer::new(config, train, Some(test)).unwrap();
    let zero = Tensor::zeros(IxDyn(&[2, 2]));
    let bias = arr1(&[-60.0f32, 60.0]).into_dyn();
    trainer.model_mut().set_weights(&[zero, bias]).unwrap();
    let report = trainer.train_batches(1).unwrap();
    let loss = report.batches[0].loss;
    assert!((loss - 60.0).abs() < 1e-4, "{loss}");
    let w = trainer.model().weights();
    assert_eq!(w[1].as_slice().unwrap(), &[-60.0 + 0.05, 60.0 - 0.05]);
    // Kernel: only the class-0 samples contribute, (0,0) and (1,1): −0.1·[1,1]ᵀ·[−1, 1]/4.
    for k in 0..2 {
        assert!(
            (w[0][[k, 0]] - 0.025).abs() < 1e-7 && (w[0][[k, 1]] + 0.025).abs() < 1e-7,
            "{w:?}"
        );
    }
    // evaluate takes the same path: the loss after the step, from the logits.
    let ev = trainer.evaluate_test().unwrap().unwrap();
    assert!(ev.loss > 50.0, "{}", ev.loss);
}

#[test]
fn a_sigmoid_output_with_categorical_crossentropy_is_read_as_softmax_logits() {
    // Keras: categorical_crossentropy on Dense(3, sigmoid) uses the sigmoid's
    // _keras_logits z with softmax_cross_entropy_with_logits, so the loss is
    // log Σ e^z − z_c, not −log of the normalised sigmoid outputs.
    let mut m = saturated(&[dense(3, Activation::Sigmoid)]);
    let x = t2(&[&[1.0, 0.0]]);
    let t = t2(&[&[0.0, 0.0, 1.0]]);
    let (_, logits) = m.forward_with_logits(&x, false).unwrap();
    let (act, z) = logits.unwrap();
    let ce = Loss::new(LossName::CategoricalCrossentropy);
    assert!(ce.through_logits_of(act));
    let v = ce.compute_from_logits(z, &t, None).unwrap();
    // z = [0.5, 25, −25.5]: loss = lse(z) + 25.5 ≈ 50.5.
    close(v, lse(&[0.5, 25.0, -25.5]) + 25.5, 1e-7);
}
