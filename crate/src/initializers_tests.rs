//! Initializer statistics. Expected limits and standard deviations are the
//! published Keras formulas evaluated here in f64 (not read back from the code).

use super::*;
use ndarray::IxDyn;

fn draw(init: Initializer, shape: &[usize], seed: u64) -> Vec<f64> {
    let (fi, fo) = compute_fans(shape);
    let mut t = Tensor::zeros(IxDyn(shape));
    init.fill(&mut t, fi, fo, &mut Rng::new(seed));
    t.iter().map(|&v| v as f64).collect()
}

fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n;
    (m, var.sqrt())
}

#[test]
fn glorot_uniform_respects_its_limit_and_fills_it() {
    // Keras: limit = sqrt(6 / (fan_in + fan_out)); 784x500 -> sqrt(6/1284).
    let limit = (6.0f64 / (784.0 + 500.0)).sqrt();
    let v = draw(Initializer::GlorotUniform, &[784, 500], 1);
    let max = v.iter().fold(0f64, |m, x| m.max(x.abs()));
    assert!(max <= limit + 1e-7, "max {max} > limit {limit}");
    assert!(
        max > 0.999 * limit,
        "392,000 draws should come close to the limit: {max}"
    );
    let (m, s) = mean_std(&v);
    assert!(m.abs() < 0.01 * limit, "mean {m}");
    // Uniform on [-l, l] has std l/sqrt(3).
    assert!((s / (limit / 3f64.sqrt()) - 1.0).abs() < 0.01, "std {s}");
}

#[test]
fn uniform_variants_have_their_limits() {
    // he_uniform: sqrt(6/fan_in); random_uniform: 0.05 (Keras defaults).
    for (init, limit) in [
        (Initializer::HeUniform, (6.0f64 / 300.0).sqrt()),
        (Initializer::RandomUniform, 0.05),
    ] {
        let v = draw(init, &[300, 200], 2);
        let max = v.iter().fold(0f64, |m, x| m.max(x.abs()));
        assert!(
            max <= limit + 1e-7 && max > 0.99 * limit,
            "{}: {max} vs {limit}",
            init.name()
        );
        let lim32 = init.uniform_limit(300, 200).unwrap() as f64;
        assert!((lim32 - limit).abs() < 1e-6);
    }
}

#[test]
fn truncated_normals_have_the_keras_std_and_truncation() {
    // After truncation at 2 stddev the std is sqrt(scale / n) exactly (the 0.8796 factor).
    let cases = [
        (Initializer::HeNormal, (2.0f64 / 400.0).sqrt()),
        (Initializer::LecunNormal, (1.0f64 / 400.0).sqrt()),
        (Initializer::GlorotNormal, (2.0f64 / (400.0 + 600.0)).sqrt()),
    ];
    for (init, target) in cases {
        let v = draw(init, &[400, 600], 3);
        let (m, s) = mean_std(&v);
        assert!(m.abs() < 0.01 * target, "{}: mean {m}", init.name());
        assert!((s / target - 1.0).abs() < 0.01, "{}: std {s} vs {target}", init.name());
        let param = target / 0.879_625_661_034_239_8;
        let max = v.iter().fold(0f64, |mx, x| mx.max(x.abs()));
        assert!(max <= 2.0 * param + 1e-6, "{}: not truncated: {max}", init.name());
        assert!(max > 1.95 * param, "{}: truncation too tight: {max}", init.name());
    }
}

#[test]
fn random_normal_is_untruncated_with_std_005() {
    let v = draw(Initializer::RandomNormal, &[500, 400], 4);
    let (m, s) = mean_std(&v);
    assert!(m.abs() < 5e-4 && (s / 0.05 - 1.0).abs() < 0.01, "mean {m} std {s}");
    // 200,000 unit normals: P(|z| > 3) ≈ 0.27%, so some exceed 3 stddev.
    assert!(v.iter().any(|x| x.abs() > 3.0 * 0.05));
}

#[test]
fn constants_are_exact() {
    assert!(draw(Initializer::Zeros, &[7, 3], 5).iter().all(|&x| x == 0.0));
    assert!(draw(Initializer::Ones, &[7, 3], 5).iter().all(|&x| x == 1.0));
}

#[test]
fn same_seed_same_values() {
    for init in Initializer::ALL {
        let a = draw(init, &[20, 10], 9);
        assert_eq!(a, draw(init, &[20, 10], 9), "{}", init.name());
        if !matches!(init, Initializer::Zeros | Initializer::Ones | Initializer::Constant) {
            assert_ne!(a, draw(init, &[20, 10], 10), "{}", init.name());
        }
    }
}

#[test]
fn fans_follow_keras() {
    assert_eq!(compute_fans(&[]), (1, 1));
    assert_eq!(compute_fans(&[10]), (10, 10));
    assert_eq!(compute_fans(&[784, 128]), (784, 128));
    // Conv2D kernel 3x3x1x32: receptive field 9.
    assert_eq!(compute_fans(&[3, 3, 1, 32]), (9, 288));
    // Zero fans never divide by zero (Keras uses max(1, n)).
    assert_eq!(Initializer::HeUniform.uniform_limit(0, 0), Some(6f32.sqrt()));
}

#[test]
fn names_match_serde() {
    for init in Initializer::ALL {
        let json = serde_json::to_string(&init).unwrap();
        assert_eq!(json, format!("\"{}\"", init.name()));
        assert_eq!(serde_json::from_str::<Initializer>(&json).unwrap(), init);
    }
    assert!(serde_json::from_str::<Initializer>("\"xavier\"").is_err());
}
