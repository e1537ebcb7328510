//! Single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`, row-major.
//!
//! `op(A)` is `m x k` (A is stored `m x k` with row stride `lda`, or `k x m`
//! when `trans_a`); `op(B)` is `k x n`; C is `m x n` with row stride `ldc`.
//! When `beta == 0`, C is overwritten (its old contents, even NaN, are ignored).
//!
//! Algorithm (Goto/BLIS blocking): C is cut into one or two tasks per thread
//! (along n when `n >= m`, so each task packs only its own columns of `op(B)`
//! and the smaller `op(A)` is the one every task packs; along m otherwise),
//! and the tasks run on rayon's pool in one parallel region, with no barrier. A task
//! walks its columns in panels of at most `NC`, the depth in blocks of at
//! most `KC` (packing that block of `op(B)` into `NR`-wide slivers) and its
//! rows in blocks of at most `MC` (packing `op(A)` into `MR`-tall slivers),
//! and runs the register-blocked micro-kernel ([`super::gemm_kernel`]) on every
//! `MR x NR` tile. With depth blocks `k = k_0 + k_1 + ...` (sizes depend on
//! `k` only), each element is
//!
//! ```text
//! C ← alpha * (Σ_{p in block 0} a_ip b_pj) + beta * C
//! C ← alpha * (Σ_{p in block t} a_ip b_pj) + C          for t = 1, 2, ...
//! ```
//!
//! so the result does not depend on the number of threads or on the target.
//! Packing buffers are kept per thread and reused: no allocation per call in
//! the steady state.
//!
//! [`sgemm_then`] also runs an epilogue on C's final values, row by row of
//! each `MC x NC` block as soon as its last depth block is stored (while the
//! block is still in cache, inside the same task): a layer's bias and
//! activation without passes of their own.

use super::gemm_kernel::{tile, MR, NR};
use super::gemm_pack::{pack_a, pack_b, MatRef};
use super::par_threshold::tasks;
use rayon::prelude::*;
use std::cell::Cell;
use std::thread::LocalKey;

/// Largest depth block (a `KC x NR` B sliver stays in L1).
pub const KC: usize = 256;
/// Largest row block (an `MC x KC` A block stays in L2).
pub const MC: usize = 128;
/// Widest column panel: a packed `KC x NC` block of B (512 KiB) and the
/// `MC x NC` block of C it updates stay in L2 between depth blocks.
pub const NC: usize = 512;
thread_local! {
    static PACK_A: Cell<Vec<f32>> = const { Cell::new(Vec::new()) };
    static PACK_B: Cell<Vec<f32>> = const { Cell::new(Vec::new()) };
}

/// What [`sgemm_then`] runs on every stored piece of C: `ep(values, col)`
/// with the final values of one row from column `col` on.
pub type Epilogue<'a> = &'a (dyn Fn(&mut [f32], usize) + Sync);

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
    sgemm_then(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, None);
}

/// [`sgemm`], then `ep` on every element of C exactly once, as soon as it
/// has its final value (each element gets the same value as running `ep`
/// over C after [`sgemm`]: the order of the elements does not matter to an
/// element-wise epilogue).
#[allow(clippy::too_many_arguments)]
pub fn sgemm_then(
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
    ep: Option<Epilogue>,
) {
    #[cfg(all(feature = "bench", not(target_arch = "wasm32")))]
    let start = std::time::Instant::now();
    gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ep);
    #[cfg(all(feature = "bench", not(target_arch = "wasm32")))]
    GEMM_NANOS.fetch_add(start.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
}

#[cfg(all(feature = "bench", not(target_arch = "wasm32")))]
static GEMM_NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Nanoseconds spent in [`sgemm`] / [`sgemm_then`] (fused epilogues
/// included) since the last call (benchmark builds only: `gradlab-bench`
/// prints the non-GEMM share of a training step from it).
#[cfg(all(feature = "bench", not(target_arch = "wasm32")))]
pub fn take_gemm_nanos() -> u64 {
    GEMM_NANOS.swap(0, std::sync::atomic::Ordering::Relaxed)
}

#[allow(clippy::too_many_arguments)]
fn gemm(
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
    ep: Option<Epilogue>,
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
            if let Some(ep) = ep {
                ep(&mut row[..n], 0);
            }
        }
        return;
    }
    let a = MatRef {
        data: a,
        ld: lda,
        trans: trans_a,
    };
    let b = MatRef {
        data: b,
        ld: ldb,
        trans: trans_b,
    };
    let flops = m.saturating_mul(n).saturating_mul(k).saturating_mul(2);
    let parts = tasks(flops);
    let (row_parts, col_parts) = plan(m, n, parts);
    let job = Job {
        a,
        b,
        k,
        kc_max: k.div_ceil(k.div_ceil(KC)),
        c: SyncPtr(c.as_mut_ptr()),
        ldc,
        alpha,
        beta,
        ep,
    };
    let task = |t: usize| {
        let (r, q) = (t / col_parts, t % col_parts);
        let rows = split(m, MR, row_parts, r);
        let cols = split(n, NR, col_parts, q);
        job.block(rows, cols);
    };
    let tasks = row_parts * col_parts;
    if tasks == 1 {
        task(0);
    } else {
        (0..tasks).into_par_iter().with_max_len(1).for_each(task);
    }
}

/// Split `len` into `parts` ranges of whole `unit`s (the last may be short);
/// returns range `i` as (start, length).
fn split(len: usize, unit: usize, parts: usize, i: usize) -> (usize, usize) {
    let units = len.div_ceil(unit);
    let start = (i * units / parts * unit).min(len);
    let end = ((i + 1) * units / parts * unit).min(len);
    (start, end - start)
}

/// `parts` tasks as (row parts, column parts), split along the longer side of
/// C (the operand along the other side is the one every task packs in full),
/// never finer than one tile.
pub fn plan(m: usize, n: usize, parts: usize) -> (usize, usize) {
    if parts <= 1 {
        (1, 1)
    } else if n >= m {
        (1, parts.min(n.div_ceil(NR)))
    } else {
        (parts.min(m.div_ceil(MR)), 1)
    }
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

/// One product, shared by its tasks.
#[derive(Clone, Copy)]
struct Job<'a> {
    a: MatRef<'a>,
    b: MatRef<'a>,
    k: usize,
    kc_max: usize,
    c: SyncPtr,
    ldc: usize,
    alpha: f32,
    beta: f32,
    ep: Option<Epilogue<'a>>,
}

impl Job<'_> {
    /// C[i0 .. i0+mc, j0 .. j0+nc] over the full depth, with this thread's
    /// packing buffers.
    fn block(&self, (i0, mc): (usize, usize), (j0, nc): (usize, usize)) {
        if mc == 0 || nc == 0 {
            return;
        }
        let b_len = self.kc_max * nc.min(NC).next_multiple_of(NR);
        let a_len = self.kc_max * mc.min(MC).next_multiple_of(MR);
        with_buf(&PACK_B, b_len, |bbuf| {
            with_buf(&PACK_A, a_len, |abuf| {
                for jc in (j0..j0 + nc).step_by(NC) {
                    let ncb = NC.min(j0 + nc - jc);
                    let mut p0 = 0;
                    while p0 < self.k {
                        let kc = self.kc_max.min(self.k - p0);
                        let bp = &mut bbuf[..kc * ncb.next_multiple_of(NR)];
                        pack_b(self.b, p0, kc, jc, ncb, bp);
                        let beta = if p0 == 0 { self.beta } else { 1.0 };
                        let last = p0 + kc == self.k;
                        for ic in (i0..i0 + mc).step_by(MC) {
                            let mcb = MC.min(i0 + mc - ic);
                            let ap = &mut abuf[..kc * mcb.next_multiple_of(MR)];
                            pack_a(self.a, ic, mcb, p0, kc, ap);
                            self.tiles(kc, ap, bp, (ic, mcb), (jc, ncb), beta);
                            if let Some(ep) = self.ep.filter(|_| last) {
                                self.epilogue(ep, (ic, mcb), (jc, ncb));
                            }
                        }
                        p0 += kc;
                        super::heartbeat::beat();
                    }
                }
            })
        });
    }

    /// Every `MR x NR` tile of a packed A block times a packed B block.
    fn tiles(&self, kc: usize, ap: &[f32], bp: &[f32], (i0, mc): (usize, usize), (j0, nc): (usize, usize), beta: f32) {
        for (s, bs) in bp.chunks_exact(kc * NR).enumerate() {
            let col = j0 + s * NR;
            let nr = NR.min(j0 + nc - col);
            for (r, as_) in ap.chunks_exact(kc * MR).enumerate() {
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
    }

    /// `ep` on every row of the block C[i0 .. i0+mc, j0 .. j0+nc] that the
    /// last depth block just finished (still in cache): one call per row.
    fn epilogue(&self, ep: Epilogue, (i0, mc): (usize, usize), (j0, nc): (usize, usize)) {
        for row in i0..i0 + mc {
            // SAFETY: as in `tiles`: this block belongs to this task only.
            unsafe {
                ep(
                    std::slice::from_raw_parts_mut(self.c.0.add(row * self.ldc + j0), nc),
                    j0,
                )
            }
        }
    }
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
            let old = if beta == 0.0 {
                0.0
            } else {
                beta as f64 * c[i * ldc + j] as f64
            };
            c[i * ldc + j] = (alpha as f64 * acc + old) as f32;
        }
    }
}
