//! Shared helpers for the finite-difference gradient checks: independent f64
//! reference formulas, central differences in f64, and the error measure.
#![allow(dead_code)]

use gradlab::activations::Activation;
use gradlab::rng::Rng;

/// Central difference `(f(x + h e_i) − f(x − h e_i)) / 2h` in f64, with
/// `h = min(1e-6, |x_i|/10)` so values near a clip threshold stay on their side.
pub fn numeric_grad(f: impl Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    let mut xp = x.to_vec();
    (0..x.len())
        .map(|i| {
            let h = if x[i] != 0.0 {
                (x[i].abs() / 10.0).min(1e-6)
            } else {
                1e-6
            };
            xp[i] = x[i] + h;
            let fp = f(&xp);
            xp[i] = x[i] - h;
            let fm = f(&xp);
            xp[i] = x[i];
            (fp - fm) / (2.0 * h)
        })
        .collect()
}

/// `‖a − n‖ / (‖a‖ + ‖n‖)` (0 when both are 0).
pub fn rel_err(a: &[f64], n: &[f64]) -> f64 {
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let diff: Vec<f64> = a.iter().zip(n).map(|(x, y)| x - y).collect();
    let den = norm(a) + norm(n);
    if den == 0.0 {
        0.0
    } else {
        norm(&diff) / den
    }
}

/// Assert the analytic gradient (from the f32 code) matches the numeric one:
/// relative error < 1e-3 overall, and every element within 1e-3 of the largest.
pub fn check(label: &str, analytic: &[f32], numeric: &[f64]) {
    assert_eq!(analytic.len(), numeric.len(), "{label}: length");
    let a: Vec<f64> = analytic.iter().map(|&v| v as f64).collect();
    let err = rel_err(&a, numeric);
    let scale = numeric.iter().fold(0f64, |m, v| m.max(v.abs()));
    assert!(
        scale > 0.0 || a.iter().all(|&v| v == 0.0),
        "{label}: gradient is all zero"
    );
    for (i, (x, y)) in a.iter().zip(numeric).enumerate() {
        assert!(
            (x - y).abs() <= 1e-3 * scale + 1e-7,
            "{label}: element {i}: analytic {x} vs numeric {y}"
        );
    }
    assert!(
        err < 1e-3,
        "{label}: relative error {err:e}\nanalytic {a:?}\nnumeric  {numeric:?}"
    );
}

pub fn to64(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| x as f64).collect()
}

/// `n` values uniform in [lo, hi) with |v| ≥ `gap` (keeps inputs off kinks at 0).
pub fn uniform_vec(rng: &mut Rng, n: usize, lo: f32, hi: f32, gap: f32) -> Vec<f32> {
    (0..n)
        .map(|_| loop {
            let v = rng.uniform_range(lo, hi);
            if v.abs() >= gap {
                break v;
            }
        })
        .collect()
}

/// Reference activation of one row in f64, written from the textbook/Keras
/// definitions (leaky slope 0.2, elu alpha 1, softmax exp/sum).
pub fn act_row(a: Activation, x: &[f64]) -> Vec<f64> {
    match a {
        Activation::Softmax => {
            let e: Vec<f64> = x.iter().map(|v| v.exp()).collect();
            let s: f64 = e.iter().sum();
            e.iter().map(|v| v / s).collect()
        }
        _ => x
            .iter()
            .map(|&v| match a {
                Activation::Linear => v,
                Activation::Relu => v.max(0.0),
                Activation::LeakyRelu => {
                    if v > 0.0 {
                        v
                    } else {
                        0.2 * v
                    }
                }
                Activation::Elu => {
                    if v > 0.0 {
                        v
                    } else {
                        v.exp() - 1.0
                    }
                }
                Activation::Sigmoid => 1.0 / (1.0 + (-v).exp()),
                Activation::Tanh => v.tanh(),
                Activation::Step => (v >= 0.0) as u8 as f64,
                Activation::Softmax => unreachable!(),
            })
            .collect(),
    }
}

/// Apply [`act_row`] to each row of `k` values.
pub fn act_rows(a: Activation, x: &[f64], k: usize) -> Vec<f64> {
    x.chunks(k).flat_map(|r| act_row(a, r)).collect()
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Activations that have a gradient.
pub fn trainable_activations() -> Vec<Activation> {
    Activation::ALL.iter().copied().filter(|a| a.has_gradient()).collect()
}
