//! Single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`, row-major.
//!
//! `op(A)` is `m x k` (A is stored `m x k` with row stride `lda`, or `k x m`
//! when `trans_a`); `op(B)` is `k x n`; C is `m x n` with row stride `ldc`.
//! When `beta == 0`, C is overwritten (its old contents, even NaN, are ignored).
//!
//! Algorithm (Goto/BLIS blocking): `op(B)` is packed once per call into
//! `NR`-wide slivers (in parallel), then C is cut into tasks (row blocks of at
//! most `MC` rows, times column ranges) that run on rayon's pool. A task walks
//! the depth in blocks of at most `KC`, packs its rows of `op(A)` into
//! `MR`-tall slivers in a thread-local buffer, and runs the register-blocked
//! micro-kernel ([`super::gemm_kernel`]) on every `MR x NR` tile. With depth
//! blocks `k = k_0 + k_1 + ...` (sizes depend on `k` only), each element is
//!
//! ```text
//! C ← alpha * (Σ_{p in block 0} a_ip b_pj) + beta * C
//! C ← alpha * (Σ_{p in block t} a_ip b_pj) + C          for t = 1, 2, ...
//! ```
//!
//! so the result does not depend on the number of threads or on the target.
//! Packing buffers are kept per thread and reused: no allocation per call in
//! the steady state.

use super::gemm_kernel::{tile, MR, NR};
use super::gemm_pack::{pack_a, pack_b, MatRef};
use rayon::prelude::*;
use std::cell::Cell;
use std::thread::LocalKey;

/// Largest depth block (a `KC x NR` B sliver stays in L1).
pub const KC: usize = 256;
/// Largest row block (an `MC x KC` A block stays in L2).
pub const MC: usize = 128;
/// Most floats of packed `op(B)` per panel (4 MiB); wider B is done in column panels.
const B_PANEL_FLOATS: usize = 1 << 20;
/// Below this many flops (`2mnk`) one thread does the whole product.
pub const PAR_MIN_FLOPS: usize = 1 << 21;

thread_local! {
    static PACK_A: Cell<Vec<f32>> = const { Cell::new(Vec::new()) };
    static PACK_B: Cell<Vec<f32>> = const { Cell::new(Vec::new()) };
}

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
    let (ar, ac) = if trans_a { (k, m) } else { (m, k) };
    let (br, bc) = if trans_b { (n, k) } else { (k, n) };
    check_fits("A", a.len(), ar, ac, lda);
    check_fits("B", b.len(), br, bc, ldb);
    check_fits("C", c.len(), m, n, ldc);
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        for row in c.chunks_mut(ldc).take(m) {
            for x in &mut row[..n] {
                *x = if beta == 0.0 { 0.0 } else { beta * *x };
            }
        }
        return;
    }
    let a = MatRef { data: a, ld: lda, trans: trans_a };
    let b = MatRef { data: b, ld: ldb, trans: trans_b };
    let kc_max = k.div_ceil(k.div_ceil(KC));
    let threads = if 2 * m * n * k >= PAR_MIN_FLOPS { rayon::current_num_threads() } else { 1 };
    let nc_max = (B_PANEL_FLOATS / k / NR * NR).clamp(NR, n.next_multiple_of(NR));
    let c = SyncPtr(c.as_mut_ptr());
    with_buf(&PACK_B, k * nc_max, |bbuf| {
        for j0 in (0..n).step_by(nc_max) {
            let nc = nc_max.min(n - j0);
            let panel = Panel { a, k, kc_max, j0, nc, c, ldc, alpha, beta };
            panel.pack(b, &mut bbuf[..k * nc.next_multiple_of(NR)], threads);
            panel.compute(&bbuf[..k * nc.next_multiple_of(NR)], m, threads);
        }
    });
}

/// Panics (a caller bug, not user input) when a matrix does not fit its slice.
fn check_fits(name: &str, len: usize, rows: usize, cols: usize, ld: usize) {
    if rows == 0 || cols == 0 {
        return;
    }
    assert!(
        (rows == 1 || ld >= cols) && (rows - 1) * ld + cols <= len,
        "sgemm: {name} ({rows} x {cols}, row stride {ld}) does not fit in a slice of {len} floats"
    );
}

/// Run `f` on `len` floats of this thread's buffer `key`, growing it if needed.
/// The buffer is taken out of its cell meanwhile, so a nested call on the same
/// thread (rayon work stealing) gets a fresh one instead of a borrow conflict.
fn with_buf<R>(key: &'static LocalKey<Cell<Vec<f32>>>, len: usize, f: impl FnOnce(&mut [f32]) -> R) -> R {
    let mut buf = key.with(Cell::take);
    if buf.len() < len {
        buf.resize(len, 0.0);
    }
    let out = f(&mut buf[..len]);
    key.with(|cell| {
        let kept = cell.take();
        cell.set(if kept.len() > buf.len() { kept } else { buf });
    });
    out
}

/// C's base pointer, shared by tasks that write disjoint tiles.
#[derive(Clone, Copy)]
struct SyncPtr(*mut f32);
unsafe impl Send for SyncPtr {}
unsafe impl Sync for SyncPtr {}

/// Columns `j0 .. j0+nc` of C, over the full depth `k`.
#[derive(Clone, Copy)]
struct Panel<'a> {
    a: MatRef<'a>,
    k: usize,
    kc_max: usize,
    j0: usize,
    nc: usize,
    c: SyncPtr,
    ldc: usize,
    alpha: f32,
    beta: f32,
}

impl Panel<'_> {
    /// Pack `op(B)[.., j0..j0+nc]`: depth block starting at `p0` (depth `kc`)
    /// lives at `p0 * nc_pad`, as `nc_pad / NR` slivers of `kc * NR` floats.
    fn pack(&self, b: MatRef, out: &mut [f32], threads: usize) {
        let nc_pad = self.nc.next_multiple_of(NR);
        let mut rest = out;
        let mut p0 = 0;
        while p0 < self.k {
            let kc = self.kc_max.min(self.k - p0);
            let (block, tail) = rest.split_at_mut(kc * nc_pad);
            rest = tail;
            let slivers = nc_pad / NR;
            let pack_range = |s0: usize, chunk: &mut [f32]| {
                let cols = (chunk.len() / (kc * NR) * NR).min(self.nc - s0 * NR);
                pack_b(b, p0, kc, self.j0 + s0 * NR, cols, chunk);
            };
            if threads > 1 && slivers > 1 {
                let per = slivers.div_ceil(threads);
                block.par_chunks_mut(per * kc * NR).enumerate().for_each(|(t, ch)| pack_range(t * per, ch));
            } else {
                pack_range(0, block);
            }
            p0 += kc;
        }
    }

    /// All tiles of this panel, split into tasks over rayon's pool.
    fn compute(&self, bp: &[f32], m: usize, threads: usize) {
        let slivers = self.nc.div_ceil(NR);
        let (mc, row_blocks, col_splits) = plan(m, slivers, threads);
        let tasks = row_blocks * col_splits;
        let run = |t: usize| {
            let (rb, cb) = (t / col_splits, t % col_splits);
            let i0 = rb * mc;
            let s0 = cb * slivers / col_splits;
            let s1 = (cb + 1) * slivers / col_splits;
            self.task(bp, i0, mc.min(m - i0), s0, s1);
        };
        if tasks == 1 {
            run(0);
        } else {
            (0..tasks).into_par_iter().with_max_len(1).for_each(run);
        }
    }

    /// Rows `i0 .. i0+mc` times B slivers `s0 .. s1`, over every depth block.
    fn task(&self, bp: &[f32], i0: usize, mc: usize, s0: usize, s1: usize) {
        let nc_pad = self.nc.next_multiple_of(NR);
        let mtiles = mc.div_ceil(MR);
        with_buf(&PACK_A, mtiles * MR * self.kc_max, |abuf| {
            let mut p0 = 0;
            while p0 < self.k {
                let kc = self.kc_max.min(self.k - p0);
                let ap = &mut abuf[..mtiles * MR * kc];
                pack_a(self.a, i0, mc, p0, kc, ap);
                let beta = if p0 == 0 { self.beta } else { 1.0 };
                let block = &bp[p0 * nc_pad..][..kc * nc_pad];
                for s in s0..s1 {
                    let bs = &block[s * kc * NR..][..kc * NR];
                    let col = self.j0 + s * NR;
                    let nr = NR.min(self.j0 + self.nc - col);
                    for r in 0..mtiles {
                        let as_ = &ap[r * kc * MR..][..kc * MR];
                        let row = i0 + r * MR;
                        let mr = MR.min(i0 + mc - row);
                        // SAFETY: sgemm checked that C holds m x n with stride ldc;
                        // this tile (rows row.., cols col..) belongs to this task only.
                        unsafe {
                            let cp = self.c.0.add(row * self.ldc + col);
                            tile(kc, as_, bs, cp, self.ldc, mr, nr, self.alpha, beta);
                        }
                    }
                }
                p0 += kc;
            }
        });
    }
}

/// Split `m` rows and `slivers` column slivers into tasks for `threads`
/// threads: returns (rows per block, row blocks, column splits). Rows are
/// split first (each task then packs only its own rows of A); columns only
/// when there are fewer `MR`-row tiles than threads.
pub fn plan(m: usize, slivers: usize, threads: usize) -> (usize, usize, usize) {
    let mtiles = m.div_ceil(MR);
    let mut row_blocks = m.div_ceil(MC);
    let mut col_splits = 1;
    if threads > 1 {
        if mtiles >= threads {
            row_blocks = row_blocks.next_multiple_of(threads).min(mtiles);
        } else {
            row_blocks = mtiles;
            col_splits = threads.div_ceil(row_blocks).min(slivers);
        }
    }
    let mc = m.div_ceil(row_blocks).next_multiple_of(MR);
    (mc, m.div_ceil(mc), col_splits)
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
