//! [`wide`]: a loop compiled 8 lanes wide (AVX2, where the CPU has it) gives
//! the same bits as the same loop compiled for the baseline (4-lane SSE2 or
//! scalar), for the vectorisable exp, tanh and sigmoid over a sweep of every
//! 97th f32 bit pattern and for Adam's rule, division and square root included.

use super::elementwise::{exp_f32, sigmoid_f32, tanh_f32};
use super::wide::wide;

/// Every 97th bit pattern of f32 (both signs, NaN and ±∞ included).
fn sweep() -> Vec<f32> {
    (0..=u32::MAX / 97).map(|i| f32::from_bits(i * 97)).collect()
}

/// `f` on each element, in a function the compiler keeps at the baseline width.
#[inline(never)]
fn baseline(x: &mut [f32], f: impl Fn(f32) -> f32) {
    x.iter_mut().for_each(|v| *v = f(*v));
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}

#[test]
fn exp_tanh_and_sigmoid_give_the_same_bits_at_either_width() {
    let xs = sweep();
    for (name, f) in [
        ("exp", exp_f32 as fn(f32) -> f32),
        ("tanh", tanh_f32),
        ("sigmoid", sigmoid_f32),
    ] {
        let mut plain = xs.clone();
        baseline(&mut plain, f);
        let mut wide_out = xs.clone();
        wide(
            #[inline(always)]
            || wide_out.iter_mut().for_each(|v| *v = f(*v)),
        );
        assert!(
            same_bits(&plain, &wide_out),
            "{name}: the wide loop differs from the baseline loop"
        );
    }
}

#[test]
fn adams_rule_gives_the_same_bits_at_either_width() {
    let xs: Vec<f32> = sweep().into_iter().filter(|x| x.is_finite()).step_by(7).collect();
    let n = xs.len();
    let rule = |w: f32, g: f32, m: f32, v: f32| {
        let m = m + (g - m) * 0.1;
        let v = v + (g * g - v) * 0.001;
        (w - (m * 3.16e-4) / (v.sqrt() + 1e-7), m, v)
    };
    let (g, m0, v0): (Vec<f32>, Vec<f32>, Vec<f32>) = (
        xs.iter().rev().copied().collect(),
        xs.iter().map(|x| x * 0.5).collect(),
        xs.iter().map(|x| x * x).collect(),
    );
    #[inline(never)]
    fn baseline4(
        w: &mut [f32],
        g: &[f32],
        m: &mut [f32],
        v: &mut [f32],
        f: impl Fn(f32, f32, f32, f32) -> (f32, f32, f32),
    ) {
        for i in 0..w.len() {
            (w[i], m[i], v[i]) = f(w[i], g[i], m[i], v[i]);
        }
    }
    let (mut w1, mut m1, mut v1) = (xs.clone(), m0.clone(), v0.clone());
    baseline4(&mut w1, &g, &mut m1, &mut v1, rule);
    let (mut w2, mut m2, mut v2) = (xs.clone(), m0, v0);
    wide(
        #[inline(always)]
        || {
            let (w2, m2, v2, g) = (&mut w2[..n], &mut m2[..n], &mut v2[..n], &g[..n]);
            for i in 0..n {
                (w2[i], m2[i], v2[i]) = rule(w2[i], g[i], m2[i], v2[i]);
            }
        },
    );
    assert!(same_bits(&w1, &w2) && same_bits(&m1, &m2) && same_bits(&v1, &v2));
}
