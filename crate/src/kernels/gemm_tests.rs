//! sgemm against the f64 triple-loop reference.
//!
//! Tolerance: the classic bound for a float dot product of length k,
//! |fl(x·y) - x·y| <= γ_k Σ|x_p y_p| with γ_k ≈ k·2⁻²⁴, plus the final
//! alpha/beta rounding; we allow 2k·2⁻²³ of (|alpha| Σ|a b| + |beta c|),
//! computed independently in f64 for every element.

use super::gemm::{plan, sgemm, sgemm_reference, KC, MC, NC};
use super::gemm_kernel::{MR, NR};
use super::par_threshold::PAR_MIN_FLOPS;
use crate::rng::Rng;

const SENTINEL: f32 = 12345.0;

/// Uniform values in [-1, 1), deterministic.
fn fill(len: usize, seed: u64) -> Vec<f32> {
    let mut r = Rng::new(seed);
    (0..len).map(|_| r.uniform_range(-1.0, 1.0)).collect()
}

/// Storage for an `rows x cols` matrix with row stride `ld`; padding = SENTINEL.
fn matrix(rows: usize, cols: usize, ld: usize, seed: u64) -> Vec<f32> {
    let vals = fill(rows * cols, seed);
    let mut out = vec![SENTINEL; if rows == 0 { 0 } else { (rows - 1) * ld + cols }];
    for r in 0..rows {
        out[r * ld..r * ld + cols].copy_from_slice(&vals[r * cols..(r + 1) * cols]);
    }
    out
}

struct Case {
    ta: bool,
    tb: bool,
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    beta: f32,
    pad: usize,
}

fn check(cs: &Case) {
    let Case {
        ta,
        tb,
        m,
        n,
        k,
        alpha,
        beta,
        pad,
    } = *cs;
    let (ar, ac) = if ta { (k, m) } else { (m, k) };
    let (br, bc) = if tb { (n, k) } else { (k, n) };
    let (lda, ldb, ldc) = (ac + pad, bc + 2 * pad, n + 3 * pad);
    let a = matrix(ar, ac, lda, 1 + m as u64);
    let b = matrix(br, bc, ldb, 2 + n as u64);
    let c0 = matrix(m, n, ldc, 3 + k as u64);
    let mut got = c0.clone();
    let mut want = c0.clone();
    sgemm(ta, tb, m, n, k, alpha, &a, lda, &b, ldb, beta, &mut got, ldc);
    sgemm_reference(ta, tb, m, n, k, alpha, &a, lda, &b, ldb, beta, &mut want, ldc);
    for i in 0..m {
        for j in 0..n {
            let mut mag = 0f64;
            for p in 0..k {
                let x = if ta { a[p * lda + i] } else { a[i * lda + p] };
                let y = if tb { b[j * ldb + p] } else { b[p * ldb + j] };
                mag += (x as f64 * y as f64).abs();
            }
            let old = if beta == 0.0 {
                0.0
            } else {
                (beta as f64 * c0[i * ldc + j] as f64).abs()
            };
            let tol = 2.0 * (k as f64 + 2.0) * f32::EPSILON as f64 * (alpha.abs() as f64 * mag + old) + 1e-30;
            let (g, w) = (got[i * ldc + j], want[i * ldc + j]);
            assert!(
                ((g as f64) - (w as f64)).abs() <= tol,
                "ta={ta} tb={tb} m={m} n={n} k={k} at ({i},{j}): got {g}, want {w}, tol {tol}"
            );
        }
        // Padding between rows of C is never touched.
        if i + 1 < m {
            assert!(got[i * ldc + n..(i + 1) * ldc].iter().all(|&x| x == SENTINEL));
        }
    }
}

fn all_trans(m: usize, n: usize, k: usize, alpha: f32, beta: f32, pad: usize) {
    for ta in [false, true] {
        for tb in [false, true] {
            check(&Case {
                ta,
                tb,
                m,
                n,
                k,
                alpha,
                beta,
                pad,
            });
        }
    }
}

#[test]
fn odd_shapes_all_transpositions() {
    for &(m, n, k) in &[
        (1, 1, 1),
        (7, 13, 5),
        (65, 33, 129),
        (MR, NR, 1),
        (MR + 1, NR - 1, 3),
        (2, 31, 17),
    ] {
        all_trans(m, n, k, 1.0, 0.0, 0);
    }
}

#[test]
fn alpha_beta_and_strides() {
    all_trans(7, 13, 5, 0.5, 0.0, 3);
    all_trans(65, 33, 129, -1.5, 0.25, 1);
    all_trans(9, 20, 40, 1.0, 1.0, 5);
    all_trans(1, 1, 1, 2.0, -3.0, 2);
}

#[test]
fn depth_blocks_row_blocks_and_panels() {
    // k over KC (several depth blocks, beta applied once), m over MC.
    all_trans(MC + 9, 19, 2 * KC + 3, 0.75, 0.5, 1);
    // n over NC: one task does its columns in several panels.
    check(&Case {
        ta: false,
        tb: true,
        m: 3,
        n: NC + 13,
        k: 5,
        alpha: 1.0,
        beta: 0.5,
        pad: 0,
    });
    check(&Case {
        ta: true,
        tb: false,
        m: 5,
        n: NC + 13,
        k: KC + 1,
        alpha: 1.0,
        beta: 0.0,
        pad: 2,
    });
}

#[test]
fn threaded_sizes() {
    // Above PAR_MIN_FLOPS: tasks over columns (n >= m) and over rows (m > n),
    // with partial tiles at the task edges.
    const { assert!(2 * 130 * 131 * 784 >= PAR_MIN_FLOPS) };
    all_trans(130, 131, 784, 1.0, 0.0, 0);
    all_trans(3, 300, 1500, 1.0, 0.5, 1);
    all_trans(301, 10, 700, 1.0, 0.0, 0);
}

#[test]
fn k_zero_scales_or_clears_c() {
    let mut c = vec![f32::NAN, 2.0, 3.0, f32::NAN];
    sgemm(false, false, 2, 2, 0, 1.0, &[], 0, &[], 2, 0.0, &mut c, 2);
    assert_eq!(c, vec![0.0; 4]);
    let mut c = vec![1.0, 2.0, 3.0, 4.0];
    sgemm(true, true, 2, 2, 0, 1.0, &[], 2, &[], 0, 0.5, &mut c, 2);
    assert_eq!(c, vec![0.5, 1.0, 1.5, 2.0]);
}

#[test]
fn nan_in_c_ignored_when_beta_is_zero() {
    for &(m, n, k) in &[(3, 5, 4), (65, 33, 129), (128, 128, 784)] {
        let a = fill(m * k, 5);
        let b = fill(k * n, 6);
        let mut c = vec![f32::NAN; m * n];
        sgemm(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut c, n);
        assert!(c.iter().all(|x| x.is_finite()), "{m}x{n}x{k}");
    }
    // With beta != 0 the NaN must propagate (C is read).
    let mut c = vec![f32::NAN; 4];
    sgemm(
        false,
        false,
        2,
        2,
        1,
        1.0,
        &[1.0, 1.0],
        1,
        &[1.0, 1.0],
        2,
        1.0,
        &mut c,
        2,
    );
    assert!(c.iter().all(|x| x.is_nan()));
}

#[test]
fn small_exact_product() {
    // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]] (by hand); 2·that + 1·C.
    let mut c = vec![1.0, 1.0, 1.0, 1.0];
    sgemm(
        false,
        false,
        2,
        2,
        2,
        2.0,
        &[1.0, 2.0, 3.0, 4.0],
        2,
        &[5.0, 6.0, 7.0, 8.0],
        2,
        1.0,
        &mut c,
        2,
    );
    assert_eq!(c, vec![39.0, 45.0, 87.0, 101.0]);
}

#[test]
fn same_bits_for_one_and_two_threads() {
    let (m, n, k) = (130, 70, 600);
    let a = fill(m * k, 7);
    let b = fill(k * n, 8);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let mut c = fill(m * n, 9);
        pool.install(|| sgemm(false, true, m, n, k, 0.5, &a, k, &b, k, 0.5, &mut c, n));
        c
    };
    let one = run(1);
    let two = run(2);
    assert!(one.iter().zip(&two).all(|(x, y)| x.to_bits() == y.to_bits()));
}

#[test]
fn plan_splits_along_the_longer_side() {
    assert_eq!(plan(300, 16, 1), (1, 1));
    // n >= m: split the columns (each task packs all of A, its own part of B).
    assert_eq!(plan(128, 128, 2), (1, 2));
    assert_eq!(plan(3, 300, 2), (1, 2));
    // m > n: split the rows.
    assert_eq!(plan(784, 128, 2), (2, 1));
    assert_eq!(plan(200, 5, 4), (4, 1));
    // Never finer than one tile.
    assert_eq!(plan(1, NR, 2), (1, 1));
    assert_eq!(plan(MR + 1, 1, 8), (2, 1));
}

#[test]
#[should_panic(expected = "does not fit")]
fn too_short_slice_is_a_caller_bug() {
    let mut c = vec![0.0; 4];
    sgemm(false, false, 2, 2, 2, 1.0, &[1.0; 3], 2, &[1.0; 4], 2, 0.0, &mut c, 2);
}

#[cfg(target_arch = "x86_64")]
#[test]
fn avx_and_portable_tiles_round_identically() {
    use super::gemm_kernel::{tile_avx, tile_portable};
    if !std::arch::is_x86_feature_detected!("avx") {
        return;
    }
    let kc = 77;
    let (ap, bp) = (fill(kc * MR, 11), fill(kc * NR, 12));
    for &(mr, nr, alpha, beta) in &[
        (MR, NR, 1.0f32, 0.0f32),
        (MR, NR, 0.5, 2.0),
        (MR - 1, NR - 3, -1.0, 1.0),
    ] {
        let c0 = fill(MR * NR, 13);
        let (mut c1, mut c2) = (c0.clone(), c0.clone());
        // SAFETY: the slices hold kc*MR, kc*NR and MR*NR floats; AVX detected.
        unsafe {
            tile_portable(kc, &ap, &bp, c1.as_mut_ptr(), NR, mr, nr, alpha, beta);
            tile_avx(kc, &ap, &bp, c2.as_mut_ptr(), NR, mr, nr, alpha, beta);
        }
        assert!(c1.iter().zip(&c2).all(|(x, y)| x.to_bits() == y.to_bits()), "{mr}x{nr}");
        assert_ne!(c1, c0);
    }
}

#[test]
fn the_epilogue_runs_once_on_every_final_value_as_a_pass_after_would() {
    use super::elementwise::tanh_f32;
    use super::gemm::sgemm_then;
    // Several depth blocks (k > KC), edge tiles, padding (ldc > n), 1 and 2
    // threads, and k = 0: the fused store must equal sgemm followed by
    // `c ← tanh(c + b[j])`, bit for bit, and leave the padding alone.
    for (m, n, k) in [
        (37, 29, 2 * KC + 3),
        (130, 2 * NC + 5, KC + 1),
        (5, 7, 0),
        (300, 260, 600),
    ] {
        let ldc = n + 3;
        let (a, b, bias) = (fill(m * k, 1), fill(k * n, 2), fill(n, 3));
        let mut want = matrix(m, n, ldc, 4);
        sgemm(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut want, ldc);
        for row in want.chunks_mut(ldc) {
            for (j, c) in row.iter_mut().take(n).enumerate() {
                *c = tanh_f32(*c + bias[j]);
            }
        }
        let ep = |row: &mut [f32], col: usize| {
            for (c, bj) in row.iter_mut().zip(&bias[col..]) {
                *c = tanh_f32(*c + bj);
            }
        };
        for threads in [1, 2] {
            let mut got = matrix(m, n, ldc, 4);
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| sgemm_then(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut got, ldc, Some(&ep)));
            let same = got.iter().zip(&want).all(|(x, y)| x.to_bits() == y.to_bits());
            assert!(same, "{m}x{n}x{k} on {threads} threads");
        }
    }
}

#[test]
fn products_below_the_threshold_stay_on_the_calling_thread() {
    // 1600·24·108 (the default CNN's second convolution, batch 16, 8.3 MFLOP; a
    // race run's first layer, 32·128·784, is smaller): two threads did not pay for
    // it in the browser (PAR_MIN_FLOPS's doc), so the pool must not be woken.
    let (m, n, k) = (1600, 24, 108);
    const { assert!(2 * 1600 * 24 * 108 < PAR_MIN_FLOPS) };
    let (a, b) = (fill(m * k, 1), fill(k * n, 2));
    let mut c = vec![0.0; m * n];
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    let seen = std::sync::Mutex::new(std::collections::HashSet::new());
    let caller = pool.install(|| {
        let ep = |_: &mut [f32], _: usize| {
            seen.lock().expect("lock").insert(std::thread::current().id());
        };
        super::gemm::sgemm_then(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut c, n, Some(&ep));
        std::thread::current().id()
    });
    let seen = seen.into_inner().expect("lock");
    assert_eq!(seen.len(), 1, "the product ran on {} threads", seen.len());
    assert!(seen.contains(&caller));
}

#[test]
fn side_by_side_products_wake_the_pool_only_when_they_pay() {
    use super::par_threshold::parallel_pays;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    pool.install(|| {
        // A small output layer's dW and dx (128 × 10 × 128 each): one thread.
        assert!(!parallel_pays(4 * 128 * 10 * 128));
        assert!(parallel_pays(PAR_MIN_FLOPS));
        // However large (callers saturate their flop counts).
        assert!(parallel_pays(usize::MAX));
    });
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    one.install(|| assert!(!parallel_pays(usize::MAX)));
}
