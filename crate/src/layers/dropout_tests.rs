//! Dropout: identity at inference, kept fraction ≈ 1 − rate, mean preserved,
//! backward uses the same mask, noise reproducible from its generator.

use super::*;
use ndarray::IxDyn;

fn built(rate: f32, shape: &[usize]) -> Dropout {
    let mut d = Dropout::new(rate);
    d.build(shape, &mut Rng::new(0)).unwrap();
    d
}

#[test]
fn inference_is_identity() {
    let mut d = built(0.5, &[3, 4]);
    let x = Tensor::from_shape_fn(IxDyn(&[2, 3, 4]), |i| (i[0] * 12 + i[1] * 4 + i[2]) as f32);
    assert_eq!(d.forward(&x, false).unwrap(), &x);
    // Rate 0 in training is also the identity.
    assert_eq!(built(0.0, &[3, 4]).forward(&x, true).unwrap(), &x);
}

#[test]
fn training_keeps_one_minus_rate_and_preserves_the_mean() {
    let rate = 0.3f32;
    let n = 200_000;
    let mut d = built(rate, &[n]);
    d.set_noise(Rng::new(11));
    let x = Tensor::ones(IxDyn(&[1, n]));
    let y = d.forward(&x, true).unwrap();
    let scale = 1.0 / (1.0 - rate);
    let kept = y.iter().filter(|&&v| v != 0.0).count() as f64 / n as f64;
    assert!(y.iter().all(|&v| v == 0.0 || (v - scale).abs() < 1e-6));
    // Binomial std of the fraction: sqrt(0.21/200000) ≈ 0.001.
    assert!((kept - 0.7).abs() < 0.005, "kept {kept}");
    let mean = y.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    assert!((mean - 1.0).abs() < 0.01, "mean {mean}");
}

#[test]
fn backward_uses_the_forward_mask() {
    let mut d = built(0.5, &[50]);
    let x = Tensor::from_elem(IxDyn(&[4, 50]), 3.0);
    let y = d.forward(&x, true).unwrap().clone();
    let g = Tensor::ones(IxDyn(&[4, 50]));
    let dx = d.backward(&g).unwrap();
    // y = 3·m and dx = 1·m with m ∈ {0, 2}.
    for (yv, dv) in y.iter().zip(dx.iter()) {
        assert!((yv - 3.0 * dv).abs() < 1e-6 && (*dv == 0.0 || *dv == 2.0));
    }
    // After an inference pass the backward is the identity.
    d.forward(&x, false).unwrap();
    assert_eq!(d.backward(&g).unwrap(), &g);
}

#[test]
fn noise_comes_from_the_given_generator() {
    let x = Tensor::ones(IxDyn(&[8, 16]));
    let run = |noise: Option<u64>| {
        let mut d = built(0.5, &[16]);
        if let Some(s) = noise {
            d.set_noise(Rng::new(s));
        }
        let a = d.forward(&x, true).unwrap().clone();
        let b = d.forward(&x, true).unwrap().clone();
        (a, b)
    };
    let (a1, b1) = run(Some(5));
    let (a2, _) = run(Some(5));
    assert_eq!(a1, a2);
    assert_ne!(a1, b1, "each batch draws new noise");
    assert_ne!(a1, run(Some(6)).0);
    // Without set_noise the generator is Rng::new(0).
    assert_eq!(run(None).0, run(Some(0)).0);
}

#[test]
fn rate_and_shape_errors() {
    for bad in [1.0f32, -0.1, 1.5, f32::NAN] {
        let e = Dropout::new(bad).build(&[3], &mut Rng::new(0)).unwrap_err();
        assert!(matches!(e, Error::Config(ref m) if m.contains("below 1")), "{e}");
    }
    let mut d = built(0.2, &[3]);
    assert!(matches!(
        d.forward(&Tensor::zeros(IxDyn(&[2, 4])), true),
        Err(Error::Shape(_))
    ));
}
