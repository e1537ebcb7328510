//! Single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`, row-major.
//!
//! `op(A)` is `m x k` (A is stored `m x k` with row stride `lda`, or `k x m`
//! when `trans_a`); `op(B)` is `k x n`; C is `m x n` with row stride `ldc`.
//! When `beta == 0`, C is overwritten (its old contents, even NaN, are ignored).

use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2, ShapeBuilder};

#[allow(clippy::too_many_arguments)]
pub fn sgemm(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: &[f32],
    lda: usize,
    b: &[f32],
    ldb: usize,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) {
    if m == 0 || n == 0 {
        return;
    }
    let av = if trans_a {
        ArrayView2::from_shape((m, k).strides((1, lda)), a)
    } else {
        ArrayView2::from_shape((m, k).strides((lda, 1)), a)
    }
    .expect("sgemm: A does not fit its shape");
    let bv = if trans_b {
        ArrayView2::from_shape((k, n).strides((1, ldb)), b)
    } else {
        ArrayView2::from_shape((k, n).strides((ldb, 1)), b)
    }
    .expect("sgemm: B does not fit its shape");
    let mut cv = ArrayViewMut2::from_shape((m, n).strides((ldc, 1)), c)
        .expect("sgemm: C does not fit its shape");
    if beta == 0.0 {
        cv.fill(0.0);
    }
    general_mat_mul(alpha, &av, &bv, beta, &mut cv);
}

/// Naive triple loop in f64: the reference the fast kernels are tested against.
#[allow(clippy::too_many_arguments)]
pub fn sgemm_reference(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: &[f32],
    lda: usize,
    b: &[f32],
    ldb: usize,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) {
    for i in 0..m {
        for j in 0..n {
            let mut acc = 0f64;
            for p in 0..k {
                let x = if trans_a { a[p * lda + i] } else { a[i * lda + p] };
                let y = if trans_b { b[j * ldb + p] } else { b[p * ldb + j] };
                acc += x as f64 * y as f64;
            }
            let old = if beta == 0.0 { 0.0 } else { beta as f64 * c[i * ldc + j] as f64 };
            c[i * ldc + j] = (alpha as f64 * acc + old) as f32;
        }
    }
}
