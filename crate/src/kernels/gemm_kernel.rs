//! Register-blocked GEMM micro-kernels.
//!
//! One call computes one `MR x NR` tile of C from a packed A sliver and a packed
//! B sliver of depth `kc`:
//!
//! ```text
//! acc[i][j] = Σ_{p=0}^{kc-1} ap[p*MR + i] * bp[p*NR + j]        (p ascending)
//! C[i][j]   = alpha * acc[i][j] + beta * C[i][j]                  (beta != 0)
//! C[i][j]   = alpha * acc[i][j]                                   (beta == 0: C is not read)
//! ```
//!
//! Every term is one f32 multiply followed by one f32 add (never a fused
//! multiply-add), and every element of C is accumulated in the same order on
//! every target, so the native build, the wasm simd128 build, one thread and
//! many threads give bit-identical results.
//!
//! Implementations: portable Rust over fixed-size arrays that LLVM turns into
//! SSE2 vectors natively, the same code compiled for AVX and picked at run time
//! on x86_64 CPUs that have it, and explicit `core::arch::wasm32` simd128 code.
//! Only rows `< mr` and columns `< nr` of the tile are written (edge tiles).

/// Rows of the register tile: 4 on wasm (4 x 2 f32x4 accumulators fit V8's
/// registers), 8 on x86_64 (8 AVX accumulators of 8 lanes).
#[cfg(target_arch = "x86_64")]
pub const MR: usize = 8;
#[cfg(not(target_arch = "x86_64"))]
pub const MR: usize = 4;
/// Columns of the register tile (a multiple of 4, the simd128 lane count).
pub const NR: usize = 8;

/// Compute one tile and store it into C at `c` (row stride `ldc`).
///
/// # Safety
/// `ap` holds at least `kc*MR` and `bp` at least `kc*NR` floats; `c` points to
/// an `mr x nr` block (rows `ldc` apart) that nobody else accesses during the call;
/// `mr <= MR`, `nr <= NR`.
#[allow(clippy::too_many_arguments)]
#[inline]
pub unsafe fn tile(
    kc: usize,
    ap: &[f32],
    bp: &[f32],
    c: *mut f32,
    ldc: usize,
    mr: usize,
    nr: usize,
    alpha: f32,
    beta: f32,
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd128::tile(kc, ap, bp, c, ldc, mr, nr, alpha, beta)
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx") {
            return tile_avx(kc, ap, bp, c, ldc, mr, nr, alpha, beta);
        }
        tile_portable(kc, ap, bp, c, ldc, mr, nr, alpha, beta)
    }
    #[cfg(not(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))))]
    {
        tile_portable(kc, ap, bp, c, ldc, mr, nr, alpha, beta)
    }
}

/// [`tile`] in portable Rust, for the baseline instruction set (SSE2 on x86_64).
///
/// # Safety
/// As for [`tile`].
#[allow(clippy::too_many_arguments)]
#[inline]
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub unsafe fn tile_portable(
    kc: usize,
    ap: &[f32],
    bp: &[f32],
    c: *mut f32,
    ldc: usize,
    mr: usize,
    nr: usize,
    alpha: f32,
    beta: f32,
) {
    let acc = portable_acc(kc, ap, bp);
    store(&acc, c, ldc, mr, nr, alpha, beta)
}

/// The same code compiled for AVX (8-lane vectors, broadcasts from memory),
/// chosen at run time when the CPU has it. Still one multiply then one add
/// per term (no FMA), so it rounds exactly like [`tile_portable`].
///
/// # Safety
/// As for [`tile`], and the CPU must support AVX.
#[cfg(target_arch = "x86_64")]
#[allow(clippy::too_many_arguments)]
#[target_feature(enable = "avx")]
pub unsafe fn tile_avx(
    kc: usize,
    ap: &[f32],
    bp: &[f32],
    c: *mut f32,
    ldc: usize,
    mr: usize,
    nr: usize,
    alpha: f32,
    beta: f32,
) {
    let acc = portable_acc(kc, ap, bp);
    store(&acc, c, ldc, mr, nr, alpha, beta)
}

/// The accumulation loop in portable Rust (vectorised by LLVM).
#[inline(always)]
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub fn portable_acc(kc: usize, ap: &[f32], bp: &[f32]) -> [[f32; NR]; MR] {
    let mut acc = [[0f32; NR]; MR];
    let (a_rows, _) = ap[..kc * MR].as_chunks::<MR>();
    let (b_rows, _) = bp[..kc * NR].as_chunks::<NR>();
    for (a, b) in a_rows.iter().zip(b_rows) {
        for i in 0..MR {
            for j in 0..NR {
                acc[i][j] += a[i] * b[j];
            }
        }
    }
    acc
}

/// `C = alpha * acc + beta * C` on the valid `mr x nr` part of the tile.
///
/// # Safety
/// As for [`tile`].
#[inline(always)]
pub unsafe fn store(acc: &[[f32; NR]; MR], c: *mut f32, ldc: usize, mr: usize, nr: usize, alpha: f32, beta: f32) {
    if mr == MR && nr == NR {
        for (i, row) in acc.iter().enumerate() {
            let out = &mut *(c.add(i * ldc) as *mut [f32; NR]);
            if beta == 0.0 {
                for j in 0..NR {
                    out[j] = alpha * row[j];
                }
            } else {
                for j in 0..NR {
                    out[j] = alpha * row[j] + beta * out[j];
                }
            }
        }
        return;
    }
    for (i, row) in acc.iter().enumerate().take(mr) {
        let out = std::slice::from_raw_parts_mut(c.add(i * ldc), nr);
        for (o, &v) in out.iter_mut().zip(row) {
            *o = if beta == 0.0 { alpha * v } else { alpha * v + beta * *o };
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use super::{store, MR, NR};
    use core::arch::wasm32::*;

    const NV: usize = NR / 4;

    /// Explicit simd128 tile: `MR * NV` f32x4 accumulators, one splat of A and
    /// `NV` loads of B per step of `p`, then `f32x4_mul` + `f32x4_add` (or the
    /// relaxed fused multiply-add when built with `+relaxed-simd`, which then
    /// rounds once per term and is no longer bit-identical to the native build).
    ///
    /// # Safety
    /// As for [`super::tile`].
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub unsafe fn tile(
        kc: usize,
        ap: &[f32],
        bp: &[f32],
        c: *mut f32,
        ldc: usize,
        mr: usize,
        nr: usize,
        alpha: f32,
        beta: f32,
    ) {
        let a = ap[..kc * MR].as_ptr();
        let b = bp[..kc * NR].as_ptr();
        let mut acc = [[f32x4_splat(0.0); NV]; MR];
        for p in 0..kc {
            let mut bv = [f32x4_splat(0.0); NV];
            for (v, slot) in bv.iter_mut().enumerate() {
                *slot = v128_load(b.add(p * NR + 4 * v) as *const v128);
            }
            for (i, row) in acc.iter_mut().enumerate() {
                let av = f32x4_splat(*a.add(p * MR + i));
                for v in 0..NV {
                    #[cfg(target_feature = "relaxed-simd")]
                    {
                        row[v] = f32x4_relaxed_madd(av, bv[v], row[v]);
                    }
                    #[cfg(not(target_feature = "relaxed-simd"))]
                    {
                        row[v] = f32x4_add(row[v], f32x4_mul(av, bv[v]));
                    }
                }
            }
        }
        if mr == MR && nr == NR {
            let al = f32x4_splat(alpha);
            let be = f32x4_splat(beta);
            for (i, row) in acc.iter().enumerate() {
                for (v, &x) in row.iter().enumerate() {
                    let out = c.add(i * ldc + 4 * v) as *mut v128;
                    let y = if beta == 0.0 {
                        f32x4_mul(al, x)
                    } else {
                        f32x4_add(f32x4_mul(al, x), f32x4_mul(be, v128_load(out)))
                    };
                    v128_store(out, y);
                }
            }
            return;
        }
        let mut lanes = [[0f32; NR]; MR];
        for (i, row) in acc.iter().enumerate() {
            for (v, &x) in row.iter().enumerate() {
                v128_store(lanes[i].as_mut_ptr().add(4 * v) as *mut v128, x);
            }
        }
        store(&lanes, c, ldc, mr, nr, alpha, beta)
    }
}
