//! The parallel elementwise kernels against plain serial loops (bit for bit,
//! on 1 and 2 threads) and hand-computed values.

use super::elementwise::{adam_step, all_finite, copy, map_in_place, tanh_in_place, zip_map_in_place, PAR_MIN_LEN};
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
        let want: Vec<f32> = x.iter().map(|v| v.tanh()).collect();
        for threads in [1, 2] {
            let mut got = x.clone();
            on_threads(threads, || tanh_in_place(&mut got));
            assert!(same_bits(&got, &want), "len {len}, {threads} threads");
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
fn adam_step_matches_the_formula() {
    // First step (t = 1) of Adam(lr = 0.001): alpha = lr·√(1 − β2)/(1 − β1),
    // m = 0.1·g, v = 0.001·g², so w moves by alpha·m/(√v + ε) ≈ lr·sign(g).
    let (lr, b1, b2, eps) = (0.001f64, 0.9f64, 0.999f64, 1e-7f64);
    let alpha = (lr * (1.0 - b2).sqrt() / (1.0 - b1)) as f32;
    let (mut w, g, mut m, mut v) = (vec![1.0f32, 1.0], vec![0.5f32, -2.0], vec![0.0f32; 2], vec![0.0f32; 2]);
    adam_step(&mut w, &g, &mut m, &mut v, alpha, 0.1, 0.001, eps as f32);
    for (i, &gi) in [0.5f64, -2.0].iter().enumerate() {
        let (mi, vi) = (0.1 * gi, 0.001 * gi * gi);
        let wi = 1.0 - (mi * alpha as f64) / (vi.sqrt() + eps);
        assert!((w[i] as f64 - wi).abs() < 1e-6, "w[{i}] = {}, want {wi}", w[i]);
        assert!((w[i] as f64 - (1.0 - lr * gi.signum())).abs() < 1e-5);
    }
    // Long slices, several steps: bit-identical to the serial loop on 2 threads.
    let len = 3 * PAR_MIN_LEN + 1;
    let (w0, grads) = (fill(len, 4), [fill(len, 5), fill(len, 6)]);
    let (mut ws, mut ms, mut vs) = (w0.clone(), vec![0f32; len], vec![0f32; len]);
    let (mut wp, mut mp, mut vp) = (w0, vec![0f32; len], vec![0f32; len]);
    for g in &grads {
        for i in 0..len {
            ms[i] += (g[i] - ms[i]) * 0.1;
            vs[i] += (g[i] * g[i] - vs[i]) * 0.001;
            ws[i] -= (ms[i] * alpha) / (vs[i].sqrt() + 1e-7);
        }
        on_threads(2, || adam_step(&mut wp, g, &mut mp, &mut vp, alpha, 0.1, 0.001, 1e-7));
    }
    assert!(same_bits(&wp, &ws) && same_bits(&mp, &ms) && same_bits(&vp, &vs));
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

#[test]
fn copy_is_copy_from_slice_on_any_thread_count() {
    for len in [0, 5, PAR_MIN_LEN + 3, 3 * PAR_MIN_LEN] {
        let src = fill(len, 9);
        for threads in [1, 2] {
            let mut dst = vec![f32::NAN; len];
            on_threads(threads, || copy(&mut dst, &src));
            assert!(same_bits(&dst, &src), "len {len}, {threads} threads");
        }
    }
}
