//! Initializers with arguments against Keras' formulas (expected moments
//! derived here in f64 from the distributions, not read back from the code).

use super::*;
use ndarray::IxDyn;

fn draw(init: InitializerConfig, n: usize, seed: u64) -> Vec<f64> {
    let mut t = Tensor::zeros(IxDyn(&[n]));
    init.fill(&mut t, 10, 10, &mut Rng::new(seed));
    t.iter().map(|&v| f64::from(v)).collect()
}

fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (m, (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt())
}

fn parse(json: &str) -> InitializerConfig {
    serde_json::from_str(json).unwrap()
}

#[test]
fn plain_names_parse_and_default_arguments_are_written_as_the_plain_name() {
    let ru = parse(r#""random_uniform""#);
    assert_eq!(ru.arg("minval"), Some(-0.05));
    assert_eq!(ru.arg("maxval"), Some(0.05));
    assert_eq!(serde_json::to_string(&ru).unwrap(), r#""random_uniform""#);
    // An object with the default values is the same initializer, written as the name.
    let same = parse(r#"{"name": "random_uniform", "minval": -0.05}"#);
    assert_eq!(same, ru);
    assert_eq!(serde_json::to_string(&same).unwrap(), r#""random_uniform""#);
    let custom = parse(r#"{"name": "random_uniform", "minval": -1, "maxval": 1}"#);
    let text = serde_json::to_string(&custom).unwrap();
    assert_eq!(text, r#"{"name":"random_uniform","minval":-1.0,"maxval":1.0}"#);
    assert_eq!(parse(&text), custom);
    assert_eq!(parse(r#""glorot_uniform""#), Initializer::GlorotUniform);
}

#[test]
fn arguments_that_an_initializer_does_not_take_are_refused() {
    let e = serde_json::from_str::<InitializerConfig>(r#"{"name": "glorot_uniform", "minval": 1}"#).unwrap_err();
    assert!(e.to_string().contains("glorot_uniform takes no arguments"), "{e}");
    let e = serde_json::from_str::<InitializerConfig>(r#"{"name": "random_normal", "minval": 1}"#).unwrap_err();
    assert!(e.to_string().contains("mean, stddev"), "{e}");
}

#[test]
fn random_uniform_fills_its_range_with_uniform_moments() {
    // U[a, b): mean (a+b)/2, std (b-a)/sqrt(12). a=-1, b=3 → mean 1, std 4/sqrt(12) = 1.1547.
    let init = InitializerConfig::with_args(Initializer::RandomUniform, &[("minval", -1.0), ("maxval", 3.0)]).unwrap();
    let v = draw(init, 200_000, 3);
    assert!(v.iter().all(|&x| (-1.0..3.0).contains(&x)));
    let (m, s) = mean_std(&v);
    assert!((m - 1.0).abs() < 0.01, "mean {m}");
    assert!((s / (4.0 / 12f64.sqrt()) - 1.0).abs() < 0.01, "std {s}");
}

#[test]
fn random_normal_has_its_mean_and_stddev() {
    let init = InitializerConfig::with_args(Initializer::RandomNormal, &[("mean", 2.0), ("stddev", 0.5)]).unwrap();
    let (m, s) = mean_std(&draw(init, 200_000, 4));
    assert!((m - 2.0).abs() < 0.005, "mean {m}");
    assert!((s / 0.5 - 1.0).abs() < 0.01, "std {s}");
}

#[test]
fn truncated_normal_stays_within_two_stddev_of_its_mean() {
    // Keras TruncatedNormal: N(mean, stddev²) redrawn outside mean ± 2·stddev (no rescaling), so the
    // values' std is stddev·0.8796 (the std of a unit normal truncated to [-2, 2]).
    let init = InitializerConfig::with_args(Initializer::TruncatedNormal, &[("mean", 1.0), ("stddev", 0.1)]).unwrap();
    let v = draw(init, 200_000, 5);
    assert!(v.iter().all(|&x| (0.8 - 1e-6..=1.2 + 1e-6).contains(&x)));
    let (m, s) = mean_std(&v);
    assert!((m - 1.0).abs() < 0.001, "mean {m}");
    assert!(
        (s / (0.1 * crate::initializers::TRUNCATED_NORMAL_STDDEV) - 1.0).abs() < 0.01,
        "std {s}"
    );
    // Defaults: mean 0, stddev 0.05 → every value within ±0.1.
    let d = draw(Initializer::TruncatedNormal.into(), 50_000, 6);
    assert!(d.iter().all(|x| x.abs() <= 0.1 + 1e-7));
}

#[test]
fn constant_fills_its_value() {
    let init = InitializerConfig::with_args(Initializer::Constant, &[("value", 0.3)]).unwrap();
    assert!(draw(init, 10, 1).iter().all(|&x| x == f64::from(0.3f32)));
    assert!(draw(Initializer::Constant.into(), 10, 1).iter().all(|&x| x == 0.0));
}

#[test]
fn default_arguments_draw_exactly_what_the_plain_name_drew() {
    for init in Initializer::ALL {
        let mut a = Tensor::zeros(IxDyn(&[64]));
        let mut b = Tensor::zeros(IxDyn(&[64]));
        init.fill(&mut a, 8, 8, &mut Rng::new(9));
        InitializerConfig::from(init).fill(&mut b, 8, 8, &mut Rng::new(9));
        let bits = |t: &Tensor| t.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a), bits(&b), "{}", init.name());
    }
}

#[test]
fn checks_say_what_to_change() {
    let bad = InitializerConfig::with_args(Initializer::RandomUniform, &[("minval", 1.0), ("maxval", -1.0)]).unwrap();
    let p = bad.check();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].path, "minval");
    assert_eq!(p[0].message, "minval must be less than maxval, got 1 ≥ -1");
    let flat = InitializerConfig::with_args(Initializer::RandomNormal, &[("stddev", 0.0)]).unwrap();
    assert_eq!(flat.check()[0].path, "stddev");
    assert!(InitializerConfig::from(Initializer::RandomUniform).check().is_empty());
}
