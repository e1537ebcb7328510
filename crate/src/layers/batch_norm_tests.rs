//! BatchNormalization: Keras' weights and counts, training vs inference
//! values by hand, the moving-statistics update. Gradients: tests/gradcheck_conv.rs.

use super::*;

fn tensor(shape: &[usize], v: Vec<f32>) -> Tensor {
    Tensor::from_shape_vec(IxDyn(shape), v).unwrap()
}

#[test]
fn weights_and_counts_match_keras() {
    // Keras: BatchNormalization on 32 channels has 128 params, 64 of them non-trainable.
    let mut bn = BatchNormalization::new();
    assert_eq!(bn.build(&[13, 13, 32], &mut Rng::new(0)).unwrap(), vec![13, 13, 32]);
    assert_eq!(bn.param_count(), 128);
    let w: Vec<_> = bn.params().iter().map(|p| (p.name, p.trainable, p.len())).collect();
    assert_eq!(
        w,
        vec![
            ("gamma", true, 32),
            ("beta", true, 32),
            ("moving_mean", false, 32),
            ("moving_variance", false, 32)
        ]
    );
    let mut plain = BatchNormalization::with_options(0.99, 1e-3, false, false);
    plain.build(&[4], &mut Rng::new(0)).unwrap();
    let names: Vec<_> = plain.params().iter().map(|p| p.name).collect();
    assert_eq!(names, vec!["moving_mean", "moving_variance"]);
    let e = BatchNormalization::with_options(1.5, 1e-3, true, true)
        .build(&[4], &mut Rng::new(0))
        .unwrap_err();
    assert!(e.to_string().contains("momentum in [0, 1]"), "{e}");
}

#[test]
fn training_uses_batch_statistics_and_updates_the_moving_ones() {
    // One channel, batch [1, 3]: μ = 2, σ² = ((1 − 2)² + (3 − 2)²) / 2 = 1 (biased),
    // y = ±1/√(1 + 0.001); moving_mean = 0·0.99 + 2·0.01 = 0.02,
    // moving_variance = 1·0.99 + 1·0.01 = 1.
    let mut bn = BatchNormalization::new();
    bn.build(&[1], &mut Rng::new(0)).unwrap();
    let x = tensor(&[2, 1], vec![1.0, 3.0]);
    let y = bn.forward(&x, true).unwrap().clone();
    let s = 1.0 / 1.001f32.sqrt();
    assert!((y[[0, 0]] + s).abs() < 1e-6 && (y[[1, 0]] - s).abs() < 1e-6, "{y}");
    let p = bn.params();
    assert!((p[2].value[[0]] - 0.02).abs() < 1e-7 && (p[3].value[[0]] - 1.0).abs() < 1e-7);
    // Inference: (x − 0.02) / √(1 + 0.001), and no update.
    let y = bn.forward(&x, false).unwrap().clone();
    assert!(
        (y[[0, 0]] - 0.98 * s).abs() < 1e-6 && (y[[1, 0]] - 2.98 * s).abs() < 1e-6,
        "{y}"
    );
    assert!((bn.params()[2].value[[0]] - 0.02).abs() < 1e-7);
    assert!(bn.backward(&y).is_err(), "backward needs a training pass");
}

#[test]
fn statistics_are_per_channel_over_batch_and_pixels() {
    // [1, 2, 1, 2] image with channels (1, 10) and (3, 30): channel means 2 and 20,
    // variances 1 and 100; with γ = 2, β = 0.5 each channel maps to 0.5 ± 2/√(var + ε).
    let mut bn = BatchNormalization::new();
    bn.build(&[2, 1, 2], &mut Rng::new(0)).unwrap();
    bn.params_mut()[0].value.fill(2.0);
    bn.params_mut()[1].value.fill(0.5);
    let y = bn
        .forward(&tensor(&[1, 2, 1, 2], vec![1.0, 10.0, 3.0, 30.0]), true)
        .unwrap();
    let (a, b) = (2.0 / 1.001f32.sqrt(), 2.0 / 100.001f32.sqrt() * 10.0);
    let expect = [0.5 - a, 0.5 - b, 0.5 + a, 0.5 + b];
    for (v, e) in y.iter().zip(expect) {
        assert!((v - e).abs() < 1e-5, "{v} vs {e}");
    }
    let g = Tensor::ones(IxDyn(&[1, 2, 1, 2]));
    bn.backward(&g).unwrap();
    // dβ = Σ g = 2 per channel; dγ = Σ x̂ = 0; the moving statistics get no gradient.
    let p = bn.params();
    assert_eq!(p[1].grad.as_slice().unwrap(), &[2.0, 2.0]);
    assert!(p[0].grad.iter().all(|v| v.abs() < 1e-6));
    assert!(p[2].grad.iter().chain(p[3].grad.iter()).all(|&v| v == 0.0));
}
