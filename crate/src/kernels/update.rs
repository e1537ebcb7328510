//! One pass of an optimizer's element-wise update rule over a parameter, its
//! gradient and `S` state slots ("slots"), in place or into separate output
//! buffers, reporting whether every value it wrote (and every gradient it
//! read) is finite.
//!
//! The rule `f(w, g, [s_0, …]) → (w', [s_0', …])` is the same scalar
//! expression for every element, so the results are bit-identical whatever
//! the split: long slices are halved recursively on rayon's pool
//! (`rayon::join`, work stealing, no allocation) while each half keeps at
//! least `PAR_MIN_LEN / 2` elements.
//!
//! The out-of-place form ([`update_into`]) lets the optimizer compute a whole
//! step into spare buffers and check it in the same pass, then commit it by
//! swapping buffers: no backup copy, no second finiteness pass.

use super::elementwise::{parallel, PAR_MIN_LEN};

/// Non-finite ⇔ all exponent bits set (an OR of these vectorises).
#[inline(always)]
fn bad(x: f32) -> u32 {
    const EXP: u32 = 0x7f80_0000;
    u32::from(x.to_bits() & EXP == EXP)
}

/// A base pointer shared by the halves of a split (each touches its own range).
#[derive(Clone, Copy)]
struct Ptr<T>(T);
unsafe impl<T> Send for Ptr<T> {}
unsafe impl<T> Sync for Ptr<T> {}

/// `leaf(lo, hi)` over `[lo, hi)`, halved on rayon's pool while long; true
/// when every leaf returned true.
fn split(lo: usize, hi: usize, leaf: &(impl Fn(usize, usize) -> bool + Sync)) -> bool {
    let len = hi - lo;
    if len >= PAR_MIN_LEN && parallel(len) {
        let mid = lo + (len / 2).next_multiple_of(16);
        let (a, b) = rayon::join(|| split(lo, mid, leaf), || split(mid, hi, leaf));
        a & b
    } else {
        leaf(lo, hi)
    }
}

/// `(w, s) ← f(w, g, s)` for every element, in place. All slices have the
/// same length. True when every new value and every gradient is finite.
pub fn update_in_place<const S: usize>(
    w: &mut [f32],
    g: &[f32],
    slots: [&mut [f32]; S],
    f: impl Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync,
) -> bool {
    let n = w.len();
    assert!(
        g.len() == n && slots.iter().all(|s| s.len() == n),
        "update_in_place: slices of different lengths"
    );
    let (wp, gp) = (Ptr(w.as_mut_ptr()), Ptr(g.as_ptr()));
    let sp = Ptr(slots.map(|s| s.as_mut_ptr()));
    split(0, n, &|lo, hi| {
        // SAFETY: every pointer covers n elements (checked above) and the
        // ranges given to the leaves are disjoint.
        let (w, g, s) = unsafe {
            let m = hi - lo;
            let (w, g) = (wp, gp);
            let s = sp;
            (
                std::slice::from_raw_parts_mut(w.0.add(lo), m),
                std::slice::from_raw_parts(g.0.add(lo), m),
                s.0.map(|p| std::slice::from_raw_parts_mut(p.add(lo), m)),
            )
        };
        let mut acc = 0u32;
        for i in 0..w.len() {
            let (nw, ns) = f(w[i], g[i], std::array::from_fn(|j| s[j][i]));
            acc |= bad(nw) | bad(g[i]);
            w[i] = nw;
            for j in 0..S {
                acc |= bad(ns[j]);
                s[j][i] = ns[j];
            }
        }
        acc == 0
    })
}

/// `(w_out, out) ← f(w, g, slots)` for every element; the inputs are only
/// read. All slices have the same length. True when every written value and
/// every gradient is finite.
pub fn update_into<const S: usize>(
    w: &[f32],
    g: &[f32],
    slots: [&[f32]; S],
    w_out: &mut [f32],
    out: [&mut [f32]; S],
    f: impl Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync,
) -> bool {
    let n = w.len();
    assert!(
        g.len() == n && w_out.len() == n && slots.iter().all(|s| s.len() == n) && out.iter().all(|s| s.len() == n),
        "update_into: slices of different lengths"
    );
    let (wp, gp, wo) = (Ptr(w.as_ptr()), Ptr(g.as_ptr()), Ptr(w_out.as_mut_ptr()));
    let (sp, op) = (Ptr(slots.map(|s| s.as_ptr())), Ptr(out.map(|s| s.as_mut_ptr())));
    split(0, n, &|lo, hi| {
        // SAFETY: every pointer covers n elements (checked above), inputs
        // and outputs are distinct borrows, and the leaves' ranges are disjoint.
        let (w, g, s, wo, o) = unsafe {
            let m = hi - lo;
            let (w, g, wo, s, o) = (wp, gp, wo, sp, op);
            (
                std::slice::from_raw_parts(w.0.add(lo), m),
                std::slice::from_raw_parts(g.0.add(lo), m),
                s.0.map(|p| std::slice::from_raw_parts(p.add(lo), m)),
                std::slice::from_raw_parts_mut(wo.0.add(lo), m),
                o.0.map(|p| std::slice::from_raw_parts_mut(p.add(lo), m)),
            )
        };
        let mut acc = 0u32;
        for i in 0..w.len() {
            let (nw, ns) = f(w[i], g[i], std::array::from_fn(|j| s[j][i]));
            acc |= bad(nw) | bad(g[i]);
            wo[i] = nw;
            for j in 0..S {
                acc |= bad(ns[j]);
                o[j][i] = ns[j];
            }
        }
        acc == 0
    })
}
