//! The one-pass update drivers: the Adam rule through them equals the plain
//! serial loop bit for bit (in place and into other buffers, 1 and 2
//! threads), inputs of `update_into` stay untouched, the largest magnitude
//! written into each slot is reported, and so is any non-finite output or
//! gradient.

use super::elementwise::PAR_MIN_LEN;
use super::update::{update_in_place, update_into};
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

fn bits(a: &[f32]) -> Vec<u32> {
    a.iter().map(|x| x.to_bits()).collect()
}

/// The largest |x|, by the plain float comparison.
fn largest(a: &[f32]) -> f32 {
    a.iter().fold(0f32, |m, x| m.max(x.abs()))
}

/// Adam's rule (t = 1 scalars of lr = 0.001, β = 0.9 / 0.999).
fn adam(alpha: f32) -> impl Fn(f32, f32, [f32; 2]) -> (f32, [f32; 2]) + Sync {
    move |w, g, [m, v]| {
        let m = m + (g - m) * 0.1;
        let v = v + (g * g - v) * 0.001;
        (w - (m * alpha) / (v.sqrt() + 1e-7), [m, v])
    }
}

#[test]
fn the_adam_rule_matches_the_formula_and_the_serial_loop() {
    // First step of Adam(lr = 0.001): alpha = lr·√(1 − β2)/(1 − β1), m = 0.1·g,
    // v = 0.001·g², so w moves by alpha·m/(√v + ε) ≈ lr·sign(g).
    let (lr, eps) = (0.001f64, 1e-7f64);
    let alpha = (lr * (1.0f64 - 0.999).sqrt() / (1.0 - 0.9)) as f32;
    let (mut w, g, mut m, mut v) = (vec![1.0f32, 1.0], vec![0.5f32, -2.0], vec![0.0f32; 2], vec![0.0f32; 2]);
    assert!(update_in_place::<_, true>(&mut w, &g, [&mut m, &mut v], adam(alpha)).is_some());
    for (i, &gi) in [0.5f64, -2.0].iter().enumerate() {
        let (mi, vi) = (0.1 * gi, 0.001 * gi * gi);
        let wi = 1.0 - (mi * alpha as f64) / (vi.sqrt() + eps);
        assert!((w[i] as f64 - wi).abs() < 1e-6, "w[{i}] = {}, want {wi}", w[i]);
        assert!((w[i] as f64 - (1.0 - lr * gi.signum())).abs() < 1e-5);
    }
    // Long slices, two steps: both drivers on 1 and 2 threads equal the serial loop.
    let len = 3 * PAR_MIN_LEN + 1;
    let (w0, grads) = (fill(len, 4), [fill(len, 5), fill(len, 6)]);
    let (mut ws, mut ms, mut vs) = (w0.clone(), vec![0f32; len], vec![0f32; len]);
    for g in &grads {
        for i in 0..len {
            ms[i] += (g[i] - ms[i]) * 0.1;
            vs[i] += (g[i] * g[i] - vs[i]) * 0.001;
            ws[i] -= (ms[i] * alpha) / (vs[i].sqrt() + 1e-7);
        }
    }
    for threads in [1, 2] {
        let (mut w, mut m, mut v) = (w0.clone(), vec![0f32; len], vec![0f32; len]);
        for g in &grads {
            let max = on_threads(threads, || {
                update_in_place::<_, true>(&mut w, g, [&mut m, &mut v], adam(alpha))
            });
            assert_eq!(max, Some([largest(&m), largest(&v)]), "{threads} threads");
        }
        assert_eq!((bits(&w), bits(&m), bits(&v)), (bits(&ws), bits(&ms), bits(&vs)));
        let (mut w, mut m, mut v) = (w0.clone(), vec![0f32; len], vec![0f32; len]);
        let (mut w2, mut m2, mut v2) = (vec![9f32; len], vec![9f32; len], vec![9f32; len]);
        for g in &grads {
            let (w_in, m_in, v_in) = (w.clone(), m.clone(), v.clone());
            let ok = on_threads(threads, || {
                update_into::<_, true>(&w, g, [&m, &v], &mut w2, [&mut m2, &mut v2], adam(alpha))
            });
            assert_eq!(ok, Some([largest(&m2), largest(&v2)]), "{threads} threads");
            assert_eq!((bits(&w), bits(&m), bits(&v)), (bits(&w_in), bits(&m_in), bits(&v_in)));
            std::mem::swap(&mut w, &mut w2);
            std::mem::swap(&mut m, &mut m2);
            std::mem::swap(&mut v, &mut v2);
        }
        assert_eq!((bits(&w), bits(&m), bits(&v)), (bits(&ws), bits(&ms), bits(&vs)));
    }
}

#[test]
fn a_non_finite_value_slot_or_gradient_anywhere_is_reported() {
    let len = 2 * PAR_MIN_LEN + 9;
    let rule = |w: f32, g: f32, [s]: [f32; 1]| (w - g, [s * g]);
    for threads in [1, 2] {
        for at in [0, PAR_MIN_LEN + 3, len - 1] {
            for (what, bad) in [("w", f32::INFINITY), ("s", f32::INFINITY), ("g", f32::NAN)] {
                let (mut w, mut g, mut s) = (vec![1f32; len], vec![0.5f32; len], vec![2f32; len]);
                match what {
                    "w" => w[at] = bad,
                    "s" => s[at] = f32::MAX, // s·g stays finite; w − g too: only a huge g overflows
                    _ => g[at] = bad,
                }
                if what == "s" {
                    g[at] = 4.0; // f32::MAX · 4 = inf in the slot
                }
                let (mut wo, mut so) = (vec![0f32; len], vec![0f32; len]);
                let ok = on_threads(threads, || {
                    update_into::<_, true>(&w, &g, [&s], &mut wo, [&mut so], rule)
                });
                assert!(ok.is_none(), "{what} at {at} on {threads} threads");
                let ok = on_threads(threads, || {
                    update_into::<_, false>(&w, &g, [&s], &mut wo, [&mut so], rule)
                });
                assert!(ok.is_none(), "{what} at {at} on {threads} threads (not measuring)");
                let ok = on_threads(threads, || {
                    update_in_place::<_, false>(&mut w.clone(), &g, [&mut s.clone()], rule)
                });
                assert!(
                    ok.is_none(),
                    "{what} at {at} on {threads} threads (in place, not measuring)"
                );
                let ok = on_threads(threads, || update_in_place::<_, true>(&mut w, &g, [&mut s], rule));
                assert!(ok.is_none(), "{what} at {at} on {threads} threads (in place)");
            }
        }
        let (mut w, g, mut s) = (vec![1f32; len], vec![0.5f32; len], vec![2f32; len]);
        assert!(on_threads(threads, || update_in_place::<_, true>(&mut w, &g, [&mut s], rule)).is_some());
    }
}
