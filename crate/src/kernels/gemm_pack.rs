//! Packing for the blocked GEMM: copies a block of `op(A)` or `op(B)` into
//! the sliver layout the micro-kernel streams through.
//!
//! ```text
//! A sliver r (rows i0 = r*MR ..):  ap[r*kc*MR + p*MR + i] = op(A)[i0 + i][p0 + p]
//! B sliver s (cols j0 = s*NR ..):  bp[s*kc*NR + p*NR + j] = op(B)[p0 + p][j0 + j]
//! ```
//!
//! Rows/columns past the edge of the matrix are packed as zeros, so the
//! micro-kernel always runs on full `MR x NR` tiles.

use super::gemm_kernel::{MR, NR};

/// A strided row-major matrix, read as `op(X)` (transposed when `trans`).
#[derive(Clone, Copy)]
pub struct MatRef<'a> {
    pub data: &'a [f32],
    pub ld: usize,
    pub trans: bool,
}

impl MatRef<'_> {
    /// `op(X)[r][col]`.
    #[inline(always)]
    fn at(&self, r: usize, col: usize) -> f32 {
        if self.trans {
            self.data[col * self.ld + r]
        } else {
            self.data[r * self.ld + col]
        }
    }
}

/// Pack rows `i0 .. i0+mc` and depths `p0 .. p0+kc` of `op(A)` into `out`
/// (`mc.div_ceil(MR) * MR * kc` floats).
pub fn pack_a(a: MatRef, i0: usize, mc: usize, p0: usize, kc: usize, out: &mut [f32]) {
    for (r, sliver) in out.chunks_exact_mut(kc * MR).take(mc.div_ceil(MR)).enumerate() {
        let rows = MR.min(mc - r * MR);
        let base = i0 + r * MR;
        if rows == MR && a.trans {
            // op(A)[i][p] = A[p][i]: each depth p is a contiguous run of MR rows.
            copy_runs::<MR>(&a.data[p0 * a.ld + base..], a.ld, kc, sliver);
        } else if rows == MR {
            // Each row i is a contiguous run over the depth: interleave MR rows.
            interleave::<MR>(&a.data[base * a.ld + p0..], a.ld, kc, sliver);
        } else {
            for (p, dst) in sliver.chunks_exact_mut(MR).enumerate() {
                for (i, d) in dst.iter_mut().enumerate() {
                    *d = if i < rows { a.at(base + i, p0 + p) } else { 0.0 };
                }
            }
        }
    }
}

/// Pack depths `p0 .. p0+kc` and columns `j0 .. j0+nc` of `op(B)` into `out`
/// (`nc.div_ceil(NR) * NR * kc` floats).
pub fn pack_b(b: MatRef, p0: usize, kc: usize, j0: usize, nc: usize, out: &mut [f32]) {
    for (s, sliver) in out.chunks_exact_mut(kc * NR).take(nc.div_ceil(NR)).enumerate() {
        let cols = NR.min(nc - s * NR);
        let base = j0 + s * NR;
        if cols == NR && !b.trans {
            // op(B)[p][j] = B[p][j]: each depth p is a contiguous run of NR columns.
            copy_runs::<NR>(&b.data[p0 * b.ld + base..], b.ld, kc, sliver);
        } else if cols == NR {
            // op(B)[p][j] = B[j][p]: each column j is a contiguous run over the depth.
            interleave::<NR>(&b.data[base * b.ld + p0..], b.ld, kc, sliver);
        } else {
            for (p, dst) in sliver.chunks_exact_mut(NR).enumerate() {
                for (j, d) in dst.iter_mut().enumerate() {
                    *d = if j < cols { b.at(p0 + p, base + j) } else { 0.0 };
                }
            }
        }
    }
}

/// `dst[p*W .. p*W + W] = src[p*ld .. p*ld + W]` for `p < kc` (fixed-size
/// copies, so they compile to vector moves rather than `memcpy` calls).
#[inline(always)]
fn copy_runs<const W: usize>(src: &[f32], ld: usize, kc: usize, dst: &mut [f32]) {
    let (runs, _) = dst[..kc * W].as_chunks_mut::<W>();
    for (p, d) in runs.iter_mut().enumerate() {
        d.copy_from_slice(&src[p * ld..][..W]);
    }
}

/// `dst[p*W + i] = src[i*ld + p]` for `i < W`, `p < kc`: a transpose of `W`
/// runs, done in `4 x 4` blocks (4 runs by 4 depths) with vector shuffles
/// (`W` is a multiple of 4: `MR` and `NR` are). It packs A for every forward
/// product of a Dense or Conv2D layer (rows of inputs or patches are runs
/// over the depth); element by element it took ~11 % of the default CNN's
/// training time natively.
#[inline(always)]
fn interleave<const W: usize>(src: &[f32], ld: usize, kc: usize, dst: &mut [f32]) {
    const { assert!(W.is_multiple_of(4)) };
    let rows: [&[f32]; W] = std::array::from_fn(|i| &src[i * ld..][..kc]);
    let quads: [&[[f32; 4]]; W] = std::array::from_fn(|i| rows[i].as_chunks::<4>().0);
    let (out, _) = dst[..kc * W].as_chunks_mut::<W>();
    let (blocks, tail) = out.as_chunks_mut::<4>();
    for (q, block) in blocks.iter_mut().enumerate() {
        for g in 0..W / 4 {
            let t = transpose4([
                quads[4 * g][q],
                quads[4 * g + 1][q],
                quads[4 * g + 2][q],
                quads[4 * g + 3][q],
            ]);
            for (d, col) in block.iter_mut().zip(t) {
                d[4 * g..4 * g + 4].copy_from_slice(&col);
            }
        }
    }
    let done = blocks.len() * 4;
    for (t, d) in tail.iter_mut().enumerate() {
        for i in 0..W {
            d[i] = rows[i][done + t];
        }
    }
}

/// `out[t][i] = x[i][t]`: a `4 x 4` transpose in four registers (SSE on
/// x86_64, simd128 in wasm; elsewhere element by element). Only moves bits.
#[inline(always)]
fn transpose4(x: [[f32; 4]; 4]) -> [[f32; 4]; 4] {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // SAFETY: SSE is part of baseline x86_64; loads and stores are of
        // whole `[f32; 4]` arrays, unaligned forms.
        unsafe {
            let [r0, r1, r2, r3] = x.map(|r| _mm_loadu_ps(r.as_ptr()));
            let (t0, t1) = (_mm_unpacklo_ps(r0, r1), _mm_unpacklo_ps(r2, r3));
            let (t2, t3) = (_mm_unpackhi_ps(r0, r1), _mm_unpackhi_ps(r2, r3));
            let cols = [
                _mm_movelh_ps(t0, t1),
                _mm_movehl_ps(t1, t0),
                _mm_movelh_ps(t2, t3),
                _mm_movehl_ps(t3, t2),
            ];
            cols.map(|c| {
                let mut out = [0.0; 4];
                _mm_storeu_ps(out.as_mut_ptr(), c);
                out
            })
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        // SAFETY: loads and stores are of whole `[f32; 4]` arrays (16 bytes;
        // wasm's v128 loads and stores need no alignment).
        unsafe {
            let [r0, r1, r2, r3] = x.map(|r| v128_load(r.as_ptr().cast()));
            let (t0, t1) = (i32x4_shuffle::<0, 4, 1, 5>(r0, r1), i32x4_shuffle::<0, 4, 1, 5>(r2, r3));
            let (t2, t3) = (i32x4_shuffle::<2, 6, 3, 7>(r0, r1), i32x4_shuffle::<2, 6, 3, 7>(r2, r3));
            let cols = [
                i64x2_shuffle::<0, 2>(t0, t1),
                i64x2_shuffle::<1, 3>(t0, t1),
                i64x2_shuffle::<0, 2>(t2, t3),
                i64x2_shuffle::<1, 3>(t2, t3),
            ];
            cols.map(|c| {
                let mut out = [0.0f32; 4];
                v128_store(out.as_mut_ptr().cast(), c);
                out
            })
        }
    }
    #[cfg(not(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))))]
    {
        std::array::from_fn(|t| std::array::from_fn(|i| x[i][t]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distinct values, so that any misplaced element shows.
    fn matrix(rows: usize, cols: usize) -> Vec<f32> {
        (0..rows * cols).map(|i| i as f32 + 0.5).collect()
    }

    #[test]
    fn transpose4_moves_every_element() {
        let x = [
            [0.0, 1.0, 2.0, 3.0],
            [4.0, 5.0, 6.0, 7.0],
            [8.0, 9.0, 10.0, 11.0],
            [12.0, 13.0, 14.0, -0.0],
        ];
        let t = transpose4(x);
        for (r, row) in x.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                assert_eq!(t[c][r].to_bits(), v.to_bits());
            }
        }
    }

    /// `packed` (slivers of `w` lines over depth `kc`) against the module's
    /// formula: element `(line, p)` of sliver s is `want(s*w + line, p)`, and
    /// zero past `lines`.
    fn check_slivers(
        packed: &[f32],
        w: usize,
        kc: usize,
        lines: usize,
        want: impl Fn(usize, usize) -> f32,
        what: &str,
    ) {
        for (k, v) in packed.iter().enumerate() {
            let (sliver, p, i) = (k / (kc * w), k % (kc * w) / w, k % w);
            let line = sliver * w + i;
            let want = if line < lines { want(line, p) } else { 0.0 };
            assert_eq!(v.to_bits(), want.to_bits(), "{what}: element {k}");
        }
    }

    /// Every sliver layout for both operands, both transpositions, full and
    /// edge slivers, depths with and without a tail of fewer than 4 (the
    /// vector transpose and the element-wise rest).
    #[test]
    fn packs_follow_the_sliver_layout() {
        for &(lines, kc) in &[(MR * 3, 9), (MR * 2 + 3, 16), (NR * 2 + 1, 13), (1, 1), (MR, 4)] {
            for trans in [false, true] {
                // op(A) is (lines + 1) x (kc + 2), op(B) (kc + 2) x (lines + 1).
                let (long, deep) = (lines + 1, kc + 2);
                let (a_shape, b_shape) = if trans {
                    ((deep, long), (long, deep))
                } else {
                    ((long, deep), (deep, long))
                };
                let (a_data, b_data) = (matrix(a_shape.0, a_shape.1), matrix(b_shape.0, b_shape.1));
                let a = MatRef {
                    data: &a_data,
                    ld: a_shape.1,
                    trans,
                };
                let b = MatRef {
                    data: &b_data,
                    ld: b_shape.1,
                    trans,
                };
                for &(i0, p0) in &[(0, 0), (1, 2)] {
                    let what = format!("{lines}x{kc} trans {trans} from ({i0}, {p0})");
                    let mut ap = vec![f32::NAN; lines.div_ceil(MR) * MR * kc];
                    pack_a(a, i0, lines, p0, kc, &mut ap);
                    check_slivers(&ap, MR, kc, lines, |i, p| a.at(i0 + i, p0 + p), &format!("A {what}"));
                    let mut bp = vec![f32::NAN; lines.div_ceil(NR) * NR * kc];
                    pack_b(b, p0, kc, i0, lines, &mut bp);
                    check_slivers(&bp, NR, kc, lines, |j, p| b.at(p0 + p, i0 + j), &format!("B {what}"));
                }
            }
        }
    }
}
