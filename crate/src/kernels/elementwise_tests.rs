//! The parallel elementwise kernels against plain serial loops (bit for bit,
//! on 1 and 2 threads) and hand-computed values.

use super::elementwise::{
    all_finite, exp_f32, map_in_place, sigmoid_f32, sigmoid_in_place, tanh_f32, tanh_in_place, zip_map_in_place,
    PAR_MIN_LEN,
};
use crate::rng::Rng;

fn fill(len: usize, seed: u64) -> Vec<f32> {
    let mut r = Rng::new(seed);
    (0..len).map(|_| r.uniform_range(-3.0, 3.0)).collect()
}

fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool")
        .install(f)
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

#[test]
fn tanh_and_maps_equal_the_serial_loop() {
    for len in [0, 5, PAR_MIN_LEN - 1, 3 * PAR_MIN_LEN + 7] {
        let x = fill(len, 1);
        let want: Vec<f32> = x.iter().map(|&v| tanh_f32(v)).collect();
        let want_sig: Vec<f32> = x.iter().map(|&v| sigmoid_f32(v)).collect();
        for threads in [1, 2] {
            let mut got = x.clone();
            on_threads(threads, || tanh_in_place(&mut got));
            assert!(same_bits(&got, &want), "len {len}, {threads} threads");
            let mut got = x.clone();
            on_threads(threads, || sigmoid_in_place(&mut got));
            assert!(same_bits(&got, &want_sig), "sigmoid len {len}, {threads} threads");
        }
        let mut relu = x.clone();
        on_threads(2, || map_in_place(&mut relu, |v| v.max(0.0)));
        assert!(relu.iter().zip(&x).all(|(r, v)| *r == if *v > 0.0 { *v } else { 0.0 }));
    }
    // tanh(0.5) = 0.46211715726 (tables).
    let mut one = vec![0.5f32];
    tanh_in_place(&mut one);
    assert!((one[0] - 0.462_117_16).abs() < 1e-7);
}

#[test]
fn zip_map_is_an_activation_backward() {
    // tanh backward: g ← g·(1 − y²), for y = tanh(x).
    let len = 2 * PAR_MIN_LEN + 3;
    let y: Vec<f32> = fill(len, 2).iter().map(|v| v.tanh()).collect();
    let g0 = fill(len, 3);
    let want: Vec<f32> = g0.iter().zip(&y).map(|(g, y)| g * (1.0 - y * y)).collect();
    let mut g = g0.clone();
    on_threads(2, || zip_map_in_place(&mut g, &y, |g, y| g * (1.0 - y * y)));
    assert!(same_bits(&g, &want));
}

#[test]
fn all_finite_finds_nan_and_infinities() {
    let len = 2 * PAR_MIN_LEN + 9;
    let x = fill(len, 7);
    assert!(on_threads(2, || all_finite(&x)));
    assert!(all_finite(&[]));
    assert!(all_finite(&[f32::MAX, f32::MIN, f32::MIN_POSITIVE, -0.0, 1e-45]));
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        for at in [0, len / 2, len - 1] {
            let mut y = x.clone();
            y[at] = bad;
            assert!(!on_threads(2, || all_finite(&y)), "{bad} at {at}");
            assert!(!all_finite(&y[at..at + 1]));
        }
    }
}

/// Error of `got` in units in the last place of the exact value (f32 spacing
/// at `exact`; 2⁻¹⁴⁹ in the subnormal range).
fn ulps(got: f32, exact: f64) -> f64 {
    if got as f64 == exact {
        return 0.0;
    }
    let a = exact.abs();
    let ulp = if a < f32::MIN_POSITIVE as f64 {
        2f64.powi(-149)
    } else {
        2f64.powi(a.log2().floor() as i32 - 23)
    };
    (got as f64 - exact).abs() / ulp
}

/// Max ulp error of `f` against `exact` over f32 values with bit patterns
/// `from..to` (step `stride`), both signs; results that are normal f32 only
/// (`normal_only`) or all.
fn max_ulps(f: fn(f32) -> f32, exact: fn(f64) -> f64, to: f32, stride: usize) -> (f64, f32) {
    let mut worst = (0.0, 0.0);
    for bits in (0..to.to_bits()).step_by(stride) {
        for x in [f32::from_bits(bits), -f32::from_bits(bits)] {
            let e = exact(x as f64);
            if e.abs() > f32::MAX as f64 {
                continue;
            }
            let u = ulps(f(x), e);
            if u > worst.0 {
                worst = (u, x);
            }
        }
    }
    worst
}

#[test]
fn vectorised_exp_tanh_sigmoid_error_bounds() {
    // Every 101st f32 from 0 to the overflow point, both signs (≈ 2.2 million values each).
    let exp = max_ulps(exp_f32, f64::exp, 88.72, 101);
    let tanh = max_ulps(tanh_f32, f64::tanh, 12.0, 101);
    let sig = max_ulps(sigmoid_f32, |x| 1.0 / (1.0 + (-x).exp()), 88.0, 101);
    // For comparison, the scalar library forms this replaces.
    let std_sig = max_ulps(|x| 1.0 / (1.0 + (-x).exp()), |x| 1.0 / (1.0 + (-x).exp()), 88.0, 101);
    let std_tanh = max_ulps(f32::tanh, f64::tanh, 12.0, 101);
    println!("max error (ulp, at x): exp {exp:?}, tanh {tanh:?}, sigmoid {sig:?}; library: tanh {std_tanh:?}, 1/(1+exp(-x)) {std_sig:?}");
    assert!(exp.0 <= 1.0, "exp {exp:?}");
    assert!(tanh.0 <= 2.0, "tanh {tanh:?}");
    assert!(sig.0 <= 2.5, "sigmoid {sig:?}");
    // Edges and special values.
    assert_eq!(exp_f32(0.0), 1.0);
    assert_eq!(exp_f32(89.0), f32::INFINITY);
    assert_eq!(exp_f32(f32::INFINITY), f32::INFINITY);
    assert_eq!(exp_f32(-104.0), 0.0);
    assert_eq!(exp_f32(f32::NEG_INFINITY), 0.0);
    assert!(exp_f32(f32::NAN).is_nan() && tanh_f32(f32::NAN).is_nan() && sigmoid_f32(f32::NAN).is_nan());
    assert!(ulps(exp_f32(88.72), (88.72f32 as f64).exp()) <= 1.0); // the largest finite results
    assert!(ulps(exp_f32(-100.0), (-100f64).exp()) <= 1.0); // a subnormal result
    assert_eq!(
        (tanh_f32(0.0), tanh_f32(20.0), tanh_f32(-f32::INFINITY)),
        (0.0, 1.0, -1.0)
    );
    assert!(tanh_f32(-0.0).is_sign_negative());
    assert_eq!(
        (sigmoid_f32(0.0), sigmoid_f32(100.0), sigmoid_f32(-200.0)),
        (0.5, 1.0, 0.0)
    );
    assert!(ulps(sigmoid_f32(-100.0), (-100f64).exp()) <= 1.0); // e^−100, subnormal
}
