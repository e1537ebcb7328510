//! Elementwise kernels over slices, split over rayon's pool when the slice is
//! long enough to pay for it. Profiling the benchmark models in wasm shows the
//! serial elementwise work (activations, optimizer updates) bounding the
//! 2-thread speed-up once the GEMM is parallel; these let their owners run it
//! on every thread.
//!
//! Every element is computed by the same scalar expression as a plain loop,
//! independently of the others, so the results are bit-identical to the
//! serial loop whatever the number of threads.

use rayon::prelude::*;

/// Slices shorter than this are processed on the calling thread.
pub const PAR_MIN_LEN: usize = 1 << 15;

/// Chunk length for `len` elements: about 4 chunks per thread, at least
/// `PAR_MIN_LEN / 4`, a multiple of 16 (whole cache lines).
fn chunk_len(len: usize) -> usize {
    let parts = 4 * rayon::current_num_threads();
    len.div_ceil(parts).max(PAR_MIN_LEN / 4).next_multiple_of(16)
}

fn parallel(len: usize) -> bool {
    len >= PAR_MIN_LEN && rayon::current_num_threads() > 1
}

/// `x[i] = f(x[i])` for every element.
pub fn map_in_place(x: &mut [f32], f: impl Fn(f32) -> f32 + Sync) {
    let run = |c: &mut [f32]| c.iter_mut().for_each(|v| *v = f(*v));
    if parallel(x.len()) {
        let n = chunk_len(x.len());
        x.par_chunks_mut(n).for_each(run);
    } else {
        run(x);
    }
}

/// `g[i] = f(g[i], y[i])` for every element (e.g. an activation's backward
/// pass from its output `y`); `g` and `y` have the same length.
pub fn zip_map_in_place(g: &mut [f32], y: &[f32], f: impl Fn(f32, f32) -> f32 + Sync) {
    assert_eq!(g.len(), y.len(), "zip_map_in_place: slices of different lengths");
    let run = |(gc, yc): (&mut [f32], &[f32])| gc.iter_mut().zip(yc).for_each(|(a, &b)| *a = f(*a, b));
    if parallel(g.len()) {
        let n = chunk_len(g.len());
        g.par_chunks_mut(n).zip(y.par_chunks(n)).for_each(run);
    } else {
        run((g, y));
    }
}

/// `dst.copy_from_slice(src)`, split over the pool for long slices (memory
/// bound: both cores' bandwidth). Same lengths required.
pub fn copy(dst: &mut [f32], src: &[f32]) {
    assert_eq!(dst.len(), src.len(), "copy: slices of different lengths");
    if parallel(dst.len()) {
        let n = chunk_len(dst.len());
        dst.par_chunks_mut(n)
            .zip(src.par_chunks(n))
            .for_each(|(d, s)| d.copy_from_slice(s));
    } else {
        dst.copy_from_slice(src);
    }
}

/// `tanh` in place (the same `f32::tanh` as a serial loop).
pub fn tanh_in_place(x: &mut [f32]) {
    map_in_place(x, f32::tanh);
}

/// One Adam step without amsgrad (Keras `adam.py`), given the step's
/// `alpha = lr·√(1 − β2ᵗ) / (1 − β1ᵗ)`, `c1 = 1 − β1`, `c2 = 1 − β2`:
///
/// ```text
/// m ← m + (g − m)·c1
/// v ← v + (g² − v)·c2
/// w ← w − (m·alpha) / (√v + ε)
/// ```
///
/// All four slices have the same length.
#[allow(clippy::too_many_arguments)]
pub fn adam_step(w: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], alpha: f32, c1: f32, c2: f32, eps: f32) {
    let n = w.len();
    assert!(
        g.len() == n && m.len() == n && v.len() == n,
        "adam_step: slices of different lengths"
    );
    type Chunks<'a> = (((&'a mut [f32], &'a [f32]), &'a mut [f32]), &'a mut [f32]);
    let run = |(((wc, gc), mc), vc): Chunks| {
        for (((w, &g), m), v) in wc.iter_mut().zip(gc).zip(mc.iter_mut()).zip(vc.iter_mut()) {
            *m += (g - *m) * c1;
            *v += (g * g - *v) * c2;
            *w -= (*m * alpha) / (v.sqrt() + eps);
        }
    };
    if parallel(n) {
        let c = chunk_len(n);
        w.par_chunks_mut(c)
            .zip(g.par_chunks(c))
            .zip(m.par_chunks_mut(c))
            .zip(v.par_chunks_mut(c))
            .for_each(run);
    } else {
        run((((w, g), m), v));
    }
}

/// True when every element is finite (no NaN, no ±∞).
pub fn all_finite(x: &[f32]) -> bool {
    // Non-finite ⇔ all exponent bits set; an OR over the chunk vectorises.
    const EXP: u32 = 0x7f80_0000;
    let check = |c: &[f32]| c.iter().fold(0u32, |acc, &v| acc | u32::from(v.to_bits() & EXP == EXP)) == 0;
    if parallel(x.len()) {
        x.par_chunks(chunk_len(x.len())).all(check)
    } else {
        check(x)
    }
}
