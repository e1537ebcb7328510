//! Finite-difference checks of every loss gradient, with and without
//! from_logits where it applies. Each loss is re-implemented here in f64 from
//! the Keras formulas (per-row loss, then the mean over rows); the f32 value
//! must match it and the analytic gradient must match its central differences.

mod gradcheck_common;

use gradcheck_common::*;
use gradlab::losses::{Loss, LossName};
use gradlab::rng::Rng;
use gradlab::tensor::Tensor;
use ndarray::IxDyn;

const EPS: f64 = 1e-7;
const ROWS: usize = 4;
const K: usize = 3;

/// Mean over rows of `row(p_row, t_row)`.
fn mean_rows(p: &[f64], t: &[f64], k: usize, tk: usize, row: impl Fn(&[f64], &[f64]) -> f64) -> f64 {
    let n = p.len() / k;
    (0..n)
        .map(|r| row(&p[r * k..(r + 1) * k], &t[r * tk..(r + 1) * tk]))
        .sum::<f64>()
        / n as f64
}

fn mean(v: impl Iterator<Item = f64>, k: usize) -> f64 {
    v.sum::<f64>() / k as f64
}

fn smooth_cat(t: &[f64], s: f64) -> Vec<f64> {
    t.iter().map(|v| v * (1.0 - s) + s / t.len() as f64).collect()
}

fn cce_probs(p: &[f64], t: &[f64]) -> f64 {
    let s: f64 = p.iter().sum();
    -p.iter()
        .zip(t)
        .map(|(pi, ti)| ti * (pi / s).clamp(EPS, 1.0 - EPS).ln())
        .sum::<f64>()
}

fn cce_logits(x: &[f64], t: &[f64]) -> f64 {
    let lse = x.iter().map(|v| v.exp()).sum::<f64>().ln();
    -x.iter().zip(t).map(|(xi, ti)| ti * (xi - lse)).sum::<f64>()
}

fn one_hot(c: f64, k: usize) -> Vec<f64> {
    (0..k).map(|j| (j == c as usize) as u8 as f64).collect()
}

fn hinge_t(all: &[f64]) -> impl Fn(f64) -> f64 {
    let binary = all.iter().all(|&v| v == 0.0 || v == 1.0);
    move |t| if binary { 2.0 * t - 1.0 } else { t }
}

/// The reference loss for `loss` (mean over rows).
fn reference(loss: &Loss, p: &[f64], t: &[f64]) -> f64 {
    let k = K;
    let (d, s) = (loss.delta as f64, loss.label_smoothing as f64);
    match loss.name {
        LossName::MeanSquaredError => mean_rows(p, t, k, k, |p, t| {
            mean(p.iter().zip(t).map(|(a, b)| (a - b).powi(2)), k)
        }),
        LossName::MeanAbsoluteError => {
            mean_rows(p, t, k, k, |p, t| mean(p.iter().zip(t).map(|(a, b)| (a - b).abs()), k))
        }
        LossName::Huber => mean_rows(p, t, k, k, |p, t| {
            mean(
                p.iter().zip(t).map(|(a, b)| {
                    let e = (a - b).abs();
                    if e <= d {
                        0.5 * e * e
                    } else {
                        d * e - 0.5 * d * d
                    }
                }),
                k,
            )
        }),
        LossName::CategoricalCrossentropy => mean_rows(p, t, k, k, |p, t| {
            let t = smooth_cat(t, s);
            if loss.from_logits {
                cce_logits(p, &t)
            } else {
                cce_probs(p, &t)
            }
        }),
        LossName::SparseCategoricalCrossentropy => mean_rows(p, t, k, 1, |p, t| {
            let t = one_hot(t[0], k);
            if loss.from_logits {
                cce_logits(p, &t)
            } else {
                cce_probs(p, &t)
            }
        }),
        LossName::BinaryCrossentropy => mean_rows(p, t, k, k, |p, t| {
            mean(
                p.iter().zip(t).map(|(&x, &t)| {
                    let t = t * (1.0 - s) + 0.5 * s;
                    let q = if loss.from_logits {
                        1.0 / (1.0 + (-x).exp())
                    } else {
                        x.clamp(EPS, 1.0 - EPS)
                    };
                    -(t * q.ln() + (1.0 - t) * (1.0 - q).ln())
                }),
                k,
            )
        }),
        LossName::Hinge => {
            let conv = hinge_t(t);
            mean_rows(p, t, k, k, |p, t| {
                mean(p.iter().zip(t).map(|(a, b)| (1.0 - conv(*b) * a).max(0.0)), k)
            })
        }
        LossName::CategoricalHinge => mean_rows(p, t, k, k, |p, t| {
            let pos: f64 = p.iter().zip(t).map(|(a, b)| a * b).sum();
            let neg = p
                .iter()
                .zip(t)
                .map(|(a, b)| (1.0 - b) * a)
                .fold(f64::NEG_INFINITY, f64::max);
            (neg - pos + 1.0).max(0.0)
        }),
        LossName::KlDivergence => mean_rows(p, t, k, k, |p, t| {
            p.iter()
                .zip(t)
                .map(|(a, b)| {
                    let (q, tt) = (a.clamp(EPS, 1.0), b.clamp(EPS, 1.0));
                    tt * (tt / q).ln()
                })
                .sum()
        }),
    }
}

fn check_loss(label: &str, loss: &Loss, p: &[f32], t: &[f32]) {
    let y_pred = Tensor::from_shape_vec(IxDyn(&[ROWS, K]), p.to_vec()).unwrap();
    let tshape: Vec<usize> = if t.len() == ROWS { vec![ROWS] } else { vec![ROWS, K] };
    let y_true = Tensor::from_shape_vec(IxDyn(&tshape), t.to_vec()).unwrap();
    let mut g = Tensor::zeros(IxDyn(&[0]));
    let v = loss.compute(&y_pred, &y_true, Some(&mut g)).unwrap();
    let (p64, t64) = (to64(p), to64(t));
    let want = reference(loss, &p64, &t64);
    assert!(
        (v as f64 - want).abs() <= 1e-5 * want.abs().max(1.0),
        "{label}: value {v} vs {want}"
    );
    assert_eq!(g.shape(), &[ROWS, K]);
    check(
        label,
        g.as_slice().unwrap(),
        &numeric_grad(|p| reference(loss, p, &t64), &p64),
    );
}

fn one_hot_rows(rng: &mut Rng) -> Vec<f32> {
    (0..ROWS)
        .flat_map(|_| {
            let c = rng.below(K);
            (0..K).map(move |j| (j == c) as u8 as f32)
        })
        .collect()
}

fn opts(name: LossName, from_logits: bool, smoothing: f32, delta: f32) -> Loss {
    Loss {
        from_logits,
        label_smoothing: smoothing,
        delta,
        ..Loss::new(name)
    }
}

#[test]
fn regression_losses() {
    let mut rng = Rng::new(1);
    let p = uniform_vec(&mut rng, ROWS * K, -2.0, 2.0, 0.0);
    // Targets offset by at least 0.05 from the prediction and from p ± 0.5, p ± 1 (Huber's kinks).
    let t: Vec<f32> = p
        .iter()
        .map(|&v| v + uniform_vec(&mut rng, 1, -2.0, 2.0, 0.05)[0])
        .collect();
    let far = |e: f32, d: f32| ((e.abs() - d).abs()) > 1e-3;
    assert!(p.iter().zip(&t).all(|(a, b)| far(a - b, 0.5) && far(a - b, 1.0)));
    check_loss("mse", &Loss::new(LossName::MeanSquaredError), &p, &t);
    check_loss("mae", &Loss::new(LossName::MeanAbsoluteError), &p, &t);
    check_loss("huber delta 1", &Loss::new(LossName::Huber), &p, &t);
    check_loss("huber delta 0.5", &opts(LossName::Huber, false, 0.0, 0.5), &p, &t);
}

#[test]
fn categorical_crossentropy_probs_and_logits() {
    let mut rng = Rng::new(2);
    let t = one_hot_rows(&mut rng);
    // Unnormalised positive "probabilities": the normalisation's gradient is included.
    let p = uniform_vec(&mut rng, ROWS * K, 0.05, 1.0, 0.0);
    let x = uniform_vec(&mut rng, ROWS * K, -3.0, 3.0, 0.0);
    for s in [0.0, 0.1] {
        check_loss(
            &format!("cce probs ls={s}"),
            &opts(LossName::CategoricalCrossentropy, false, s, 1.0),
            &p,
            &t,
        );
        check_loss(
            &format!("cce logits ls={s}"),
            &opts(LossName::CategoricalCrossentropy, true, s, 1.0),
            &x,
            &t,
        );
    }
    // Soft targets (not one-hot) work as well.
    let soft: Vec<f32> = uniform_vec(&mut rng, ROWS * K, 0.0, 1.0, 0.0);
    check_loss(
        "cce soft targets",
        &Loss::new(LossName::CategoricalCrossentropy),
        &p,
        &soft,
    );
}

#[test]
fn crossentropy_with_a_clipped_probability() {
    // p̂ = 1e-9 is clipped to 1e-7: its own term has zero gradient, but it still
    // moves the sum S used to normalise the other entries.
    let p = [1e-9f32, 0.6, 0.4, 0.2, 0.3, 0.5, 0.1, 1e-9, 0.9, 0.3, 0.3, 0.4];
    let t = [0.0f32, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0];
    check_loss("cce clipped", &Loss::new(LossName::CategoricalCrossentropy), &p, &t);
}

#[test]
fn sparse_categorical_crossentropy_probs_and_logits() {
    let mut rng = Rng::new(3);
    let labels: Vec<f32> = (0..ROWS).map(|_| rng.below(K) as f32).collect();
    let p = uniform_vec(&mut rng, ROWS * K, 0.05, 1.0, 0.0);
    let x = uniform_vec(&mut rng, ROWS * K, -3.0, 3.0, 0.0);
    check_loss(
        "sparse probs",
        &Loss::new(LossName::SparseCategoricalCrossentropy),
        &p,
        &labels,
    );
    check_loss(
        "sparse logits",
        &opts(LossName::SparseCategoricalCrossentropy, true, 0.0, 1.0),
        &x,
        &labels,
    );
}

#[test]
fn binary_crossentropy_probs_and_logits() {
    let mut rng = Rng::new(4);
    let t: Vec<f32> = (0..ROWS * K).map(|_| rng.below(2) as f32).collect();
    let p = uniform_vec(&mut rng, ROWS * K, 0.02, 0.98, 0.0);
    let x = uniform_vec(&mut rng, ROWS * K, -4.0, 4.0, 0.0);
    for s in [0.0, 0.2] {
        check_loss(
            &format!("bce probs ls={s}"),
            &opts(LossName::BinaryCrossentropy, false, s, 1.0),
            &p,
            &t,
        );
        check_loss(
            &format!("bce logits ls={s}"),
            &opts(LossName::BinaryCrossentropy, true, s, 1.0),
            &x,
            &t,
        );
    }
}

#[test]
fn hinge_losses() {
    let mut rng = Rng::new(5);
    let p = uniform_vec(&mut rng, ROWS * K, -2.0, 2.0, 0.0);
    let binary: Vec<f32> = (0..ROWS * K).map(|_| rng.below(2) as f32).collect();
    let signed: Vec<f32> = binary.iter().map(|v| 2.0 * v - 1.0).collect();
    // Keep 1 − t·p away from the kink at 0.
    assert!(p.iter().zip(&signed).all(|(a, b)| (1.0 - a * b).abs() > 1e-3));
    check_loss("hinge {0,1}", &Loss::new(LossName::Hinge), &p, &binary);
    check_loss("hinge ±1", &Loss::new(LossName::Hinge), &p, &signed);
    let t = one_hot_rows(&mut rng);
    let q = uniform_vec(&mut rng, ROWS * K, -1.0, 1.0, 0.0);
    check_loss("categorical hinge", &Loss::new(LossName::CategoricalHinge), &q, &t);
}

#[test]
fn kl_divergence() {
    let mut rng = Rng::new(6);
    let norm = |v: Vec<f32>| -> Vec<f32> {
        v.chunks(K)
            .flat_map(|r| {
                let s: f32 = r.iter().sum();
                r.iter().map(move |x| x / s).collect::<Vec<_>>()
            })
            .collect()
    };
    let t = norm(uniform_vec(&mut rng, ROWS * K, 0.05, 1.0, 0.0));
    let p = norm(uniform_vec(&mut rng, ROWS * K, 0.05, 1.0, 0.0));
    check_loss("kl", &Loss::new(LossName::KlDivergence), &p, &t);
}
