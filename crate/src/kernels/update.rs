//! One pass of an optimizer's element-wise update rule over a parameter, its
//! gradient and `S` state slots ("slots"), in place or into separate output
//! buffers, reporting whether every value it wrote (and every gradient it
//! read) is finite and, if so, the largest magnitude written into each slot
//! (what the optimizer needs to certify its next step, see
//! [`crate::optimizers::pass`]).
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
use super::wide::wide;
use std::sync::atomic::{AtomicU32, Ordering};

/// Non-finite ⇔ all exponent bits set (an OR of these vectorises).
#[inline(always)]
fn bad(x: f32) -> u32 {
    u32::from(x.to_bits() & EXP == EXP)
}

const EXP: u32 = 0x7f80_0000;

/// `|x|`'s bits: ordered as `|x|` is, and at least `EXP` exactly when `x`
/// is not finite (a max of these vectorises, and it finds an infinity or a
/// NaN as surely as the largest finite magnitude).
#[inline(always)]
fn magnitude(x: f32) -> u32 {
    x.to_bits() & 0x7fff_ffff
}

/// What a pass reports: `None` when a value written or a gradient read was
/// not finite, else the largest `|value|` written into each slot when the
/// pass measured them (`MAX`), `∞` when it did not.
pub type SlotMax<const S: usize> = Option<[f32; S]>;

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

/// The largest magnitudes seen by the leaves of one pass (`MAX` passes only:
/// each leaf adds its own once, so the rule's loop keeps them in registers).
struct Seen<const S: usize>([AtomicU32; S]);

impl<const S: usize> Seen<S> {
    fn new() -> Self {
        Seen(std::array::from_fn(|_| AtomicU32::new(0)))
    }

    /// A leaf's accumulators (`bad` for values and gradients, `max` for the
    /// slots when `MAX`, else folded into `bad`): true when all were finite.
    #[inline(always)]
    fn leaf<const MAX: bool>(&self, bad: u32, max: [u32; S]) -> bool {
        if MAX {
            for (seen, m) in self.0.iter().zip(max) {
                seen.fetch_max(m, Ordering::Relaxed);
            }
        }
        bad == 0 && max.iter().all(|&m| m < EXP)
    }

    fn report<const MAX: bool>(self, ok: bool) -> SlotMax<S> {
        ok.then(|| match MAX {
            true => self.0.map(|m| f32::from_bits(m.into_inner())),
            false => [f32::INFINITY; S],
        })
    }
}

/// One element's slot value into a leaf's accumulators: its magnitude into
/// `max` when the pass measures them, else its finiteness into `bad`.
#[inline(always)]
fn account<const MAX: bool>(x: f32, bad: &mut u32, max: &mut u32) {
    if MAX {
        *max = (*max).max(magnitude(x));
    } else {
        *bad |= self::bad(x);
    }
}

/// `(w, s) ← f(w, g, s)` for every element, in place. All slices have the
/// same length. `Some(largest |slot value| written, per slot)` (measured
/// when `MAX`, else `∞`) when every new value and every gradient is finite.
pub fn update_in_place<const S: usize, const MAX: bool>(
    w: &mut [f32],
    g: &[f32],
    slots: [&mut [f32]; S],
    f: impl Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync,
) -> SlotMax<S> {
    let n = w.len();
    assert!(
        g.len() == n && slots.iter().all(|s| s.len() == n),
        "update_in_place: slices of different lengths"
    );
    let (wp, gp) = (Ptr(w.as_mut_ptr()), Ptr(g.as_ptr()));
    let sp = Ptr(slots.map(|s| s.as_mut_ptr()));
    let seen = Seen::<S>::new();
    let ok = split(0, n, &|lo, hi| {
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
        let f = &f;
        let (acc, max) = wide(
            #[inline(always)]
            move || in_place_leaf::<S, MAX>(w, g, s, f),
        );
        seen.leaf::<MAX>(acc, max)
    });
    seen.report::<MAX>(ok)
}

/// `(w_out, out) ← f(w, g, slots)` for every element; the inputs are only
/// read. All slices have the same length. `Some(largest |slot value|
/// written, per slot)` (measured when `MAX`, else `∞`) when every written
/// value and every gradient is finite.
pub fn update_into<const S: usize, const MAX: bool>(
    w: &[f32],
    g: &[f32],
    slots: [&[f32]; S],
    w_out: &mut [f32],
    out: [&mut [f32]; S],
    f: impl Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync,
) -> SlotMax<S> {
    let n = w.len();
    assert!(
        g.len() == n && w_out.len() == n && slots.iter().all(|s| s.len() == n) && out.iter().all(|s| s.len() == n),
        "update_into: slices of different lengths"
    );
    let (wp, gp, wo) = (Ptr(w.as_ptr()), Ptr(g.as_ptr()), Ptr(w_out.as_mut_ptr()));
    let (sp, op) = (Ptr(slots.map(|s| s.as_ptr())), Ptr(out.map(|s| s.as_mut_ptr())));
    let seen = Seen::<S>::new();
    let ok = split(0, n, &|lo, hi| {
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
        let f = &f;
        let (acc, max) = wide(
            #[inline(always)]
            move || into_leaf::<S, MAX>(w, g, s, wo, o, f),
        );
        seen.leaf::<MAX>(acc, max)
    });
    seen.report::<MAX>(ok)
}

/// A leaf's loop over `n` elements: `each(i)` applies the rule to element
/// `i`, stores its results and returns `(g, w', s')`, which go into the
/// accumulators of [`Seen::leaf`] (returned).
#[inline(always)]
fn leaf<const S: usize, const MAX: bool>(
    n: usize,
    mut each: impl FnMut(usize) -> (f32, f32, [f32; S]),
) -> (u32, [u32; S]) {
    let (mut acc, mut max) = (0u32, [0u32; S]);
    for i in 0..n {
        let (g, nw, ns) = each(i);
        acc |= bad(nw) | bad(g);
        for j in 0..S {
            account::<MAX>(ns[j], &mut acc, &mut max[j]);
        }
    }
    (acc, max)
}

/// One leaf of [`update_in_place`]. Every slice is cut to `w`'s length
/// first, so the loop has no bounds checks and vectorises.
#[inline(always)]
fn in_place_leaf<const S: usize, const MAX: bool>(
    w: &mut [f32],
    g: &[f32],
    s: [&mut [f32]; S],
    f: &impl Fn(f32, f32, [f32; S]) -> (f32, [f32; S]),
) -> (u32, [u32; S]) {
    let n = w.len();
    let g = &g[..n];
    let mut s = s.map(|s| &mut s[..n]);
    leaf::<S, MAX>(
        n,
        #[inline(always)]
        |i| {
            let (nw, ns) = f(w[i], g[i], std::array::from_fn(|j| s[j][i]));
            w[i] = nw;
            (0..S).for_each(|j| s[j][i] = ns[j]);
            (g[i], nw, ns)
        },
    )
}

/// One leaf of [`update_into`], as [`in_place_leaf`] with separate outputs.
#[inline(always)]
fn into_leaf<const S: usize, const MAX: bool>(
    w: &[f32],
    g: &[f32],
    s: [&[f32]; S],
    wo: &mut [f32],
    o: [&mut [f32]; S],
    f: &impl Fn(f32, f32, [f32; S]) -> (f32, [f32; S]),
) -> (u32, [u32; S]) {
    let n = w.len();
    let (g, wo) = (&g[..n], &mut wo[..n]);
    let s = s.map(|s| &s[..n]);
    let mut o = o.map(|o| &mut o[..n]);
    leaf::<S, MAX>(
        n,
        #[inline(always)]
        |i| {
            let (nw, ns) = f(w[i], g[i], std::array::from_fn(|j| s[j][i]));
            wo[i] = nw;
            (0..S).for_each(|j| o[j][i] = ns[j]);
            (g[i], nw, ns)
        },
    )
}
