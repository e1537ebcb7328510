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
/// runs, done 4 depths at a time (a `W x 4` block) so it vectorises.
#[inline(always)]
fn interleave<const W: usize>(src: &[f32], ld: usize, kc: usize, dst: &mut [f32]) {
    let rows: [&[f32]; W] = std::array::from_fn(|i| &src[i * ld..][..kc]);
    let quads: [&[[f32; 4]]; W] = std::array::from_fn(|i| rows[i].as_chunks::<4>().0);
    let (out, _) = dst[..kc * W].as_chunks_mut::<W>();
    let (blocks, tail) = out.as_chunks_mut::<4>();
    for (q, block) in blocks.iter_mut().enumerate() {
        let cols: [[f32; 4]; W] = std::array::from_fn(|i| quads[i][q]);
        for (t, d) in block.iter_mut().enumerate() {
            for i in 0..W {
                d[i] = cols[i][t];
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
