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
        if a.trans {
            // op(A)[i][p] = A[p][i]: each depth p is a contiguous run of rows.
            for (p, dst) in sliver.chunks_exact_mut(MR).enumerate() {
                let src = &a.data[(p0 + p) * a.ld + base..][..rows];
                dst[..rows].copy_from_slice(src);
                dst[rows..].fill(0.0);
            }
        } else if rows == MR {
            let src: [&[f32]; MR] = std::array::from_fn(|i| &a.data[(base + i) * a.ld + p0..][..kc]);
            for (p, dst) in sliver.chunks_exact_mut(MR).enumerate() {
                for i in 0..MR {
                    dst[i] = src[i][p];
                }
            }
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
        if !b.trans {
            // op(B)[p][j] = B[p][j]: each depth p is a contiguous run of columns.
            for (p, dst) in sliver.chunks_exact_mut(NR).enumerate() {
                let src = &b.data[(p0 + p) * b.ld + base..][..cols];
                dst[..cols].copy_from_slice(src);
                dst[cols..].fill(0.0);
            }
        } else if cols == NR {
            let src: [&[f32]; NR] = std::array::from_fn(|j| &b.data[(base + j) * b.ld + p0..][..kc]);
            for (p, dst) in sliver.chunks_exact_mut(NR).enumerate() {
                for j in 0..NR {
                    dst[j] = src[j][p];
                }
            }
        } else {
            for (p, dst) in sliver.chunks_exact_mut(NR).enumerate() {
                for (j, d) in dst.iter_mut().enumerate() {
                    *d = if j < cols { b.at(p0 + p, base + j) } else { 0.0 };
                }
            }
        }
    }
}
