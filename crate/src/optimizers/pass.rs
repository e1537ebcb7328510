//! Where an optimizer's element-wise rule writes: [`Target`]. Each optimizer
//! states its rule once (`step` in its file) and runs it on a target:
//!
//! - [`InPlace`]: the parameter and its slots updated in place
//!   ([`OptimizerConfig::update`](super::OptimizerConfig::update): surfaces, golden tests);
//! - [`ShadowAll`]: the new values and slots of every param of a model
//!   written into spare buffers while the old ones are only read
//!   ([`Optimizer::apply`](super::Optimizer::apply) commits a step by
//!   swapping buffers once every param's rule reported finite results, so a
//!   diverging step leaves no trace without a backup copy), all params in ONE
//!   parallel region (issue 14.1: a region per large param woke the pool's
//!   threads once per param of 32k values or more: four times per step for
//!   the 5-layer benchmark MLP `dmlp`).

use super::{ensure_slot, take_slot, ParamState};
use crate::kernels::elementwise::parallel;
use crate::kernels::threads::join_if;
use crate::kernels::update::{update_in_place, update_into};
use crate::layers::Param;

/// Runs an element-wise rule over one parameter, its gradient and the slots
/// it names.
pub trait Target {
    /// `(w, s) ← f(w, g, s)` for every element, where slot `k` is
    /// `state.slots[slots[k].0]`, created filled with `slots[k].1` when missing
    /// or of another length. True when every new value and gradient is finite.
    fn run<const S: usize, F>(&mut self, slots: [(usize, f32); S], f: F) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy;
}

/// The parameter and its state updated in place.
pub struct InPlace<'a> {
    pub w: &'a mut [f32],
    pub g: &'a [f32],
    pub state: &'a mut ParamState,
}

impl Target for InPlace<'_> {
    fn run<const S: usize, F>(&mut self, slots: [(usize, f32); S], f: F) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
    {
        let n = self.w.len();
        let mut taken = slots.map(|(i, init)| take_slot(self.state, i, n, init));
        let ok = update_in_place(self.w, self.g, taken.each_mut().map(|s| s.as_mut_slice()), f);
        for (k, (i, _)) in slots.iter().enumerate() {
            self.state.slots[*i] = std::mem::take(&mut taken[k]);
        }
        ok
    }
}

/// Every param's rule into its spare buffers (the new values and slots
/// written beside the old ones, which are only read), all params in one
/// parallel region: the list is halved (at the element count's midpoint)
/// with a join, so the pool's threads wake once and then take halves, single
/// params and halves of a long param's elements (`update_into`) from each
/// other. Param `i` has state `states[i]`, spare values `values[i]` (sized to
/// the param here: no allocation once sized) and spare slots `outs[i]`;
/// `written[i]` gets the bits of the slots its rule wrote. The rule is the
/// same scalar expression for every element, so the results do not depend on
/// the split (nor on the number of threads). Non-trainable params are left
/// alone (their `written` is 0).
pub struct ShadowAll<'a> {
    pub params: &'a [&'a Param],
    pub states: &'a [ParamState],
    pub values: &'a mut [Vec<f32>],
    pub outs: &'a mut [ParamState],
    pub written: &'a mut [u8],
}

impl Target for ShadowAll<'_> {
    fn run<const S: usize, F>(&mut self, slots: [(usize, f32); S], f: F) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
    {
        let n = self.params.len();
        assert!(
            self.states.len() == n && self.values.len() == n && self.outs.len() == n && self.written.len() == n,
            "ShadowAll: lists of different lengths"
        );
        let leaf = |p: &Param, state: &ParamState, w_out: &mut Vec<f32>, out: &mut ParamState, written: &mut u8| {
            one_param(p, state, w_out, out, written, slots, f)
        };
        each_half(self.params, self.states, self.values, self.outs, self.written, &leaf)
    }
}

/// One param's part of a step ([`one_param`] with the rule), behind a
/// `dyn` so that the recursion and its joins exist once, not once per rule
/// (each would add rayon's join machinery to the wasm); it is called once
/// per param, not per element.
type Leaf<'a> = &'a (dyn Fn(&Param, &ParamState, &mut Vec<f32>, &mut ParamState, &mut u8) -> bool + Sync);

/// [`ShadowAll`]'s recursion over a part of the list; true when every rule's
/// results were finite (all params are computed either way).
fn each_half(
    params: &[&Param],
    states: &[ParamState],
    values: &mut [Vec<f32>],
    outs: &mut [ParamState],
    written: &mut [u8],
    leaf: Leaf,
) -> bool {
    match params {
        [] => true,
        [p] => leaf(p, &states[0], &mut values[0], &mut outs[0], &mut written[0]),
        _ => {
            let total: usize = params.iter().map(|p| p.value.len()).sum();
            let mut mid = 1;
            let mut seen = params[0].value.len();
            while mid + 1 < params.len() && 2 * seen < total {
                seen += params[mid].value.len();
                mid += 1;
            }
            let (p0, p1) = params.split_at(mid);
            let (s0, s1) = states.split_at(mid);
            let (v0, v1) = values.split_at_mut(mid);
            let (o0, o1) = outs.split_at_mut(mid);
            let (w0, w1) = written.split_at_mut(mid);
            let (a, b) = join_if(
                parallel(total),
                || each_half(p0, s0, v0, o0, w0, leaf),
                || each_half(p1, s1, v1, o1, w1, leaf),
            );
            a & b
        }
    }
}

/// One param's rule into its spare buffers: `w_out` gets the new values,
/// `out` the new slots (same indices), `written` the bits of the slots
/// written, so the commit swaps exactly those. Only the call of the rule is
/// generic in it: the buffers are sized by [`value_slices`] and
/// [`slot_slices`], once in the wasm for all rules.
fn one_param<const S: usize, F>(
    p: &Param,
    state: &ParamState,
    w_out: &mut Vec<f32>,
    out: &mut ParamState,
    written: &mut u8,
    slots: [(usize, f32); S],
    f: F,
) -> bool
where
    F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
{
    *written = 0;
    if !p.trainable {
        return true;
    }
    let Some((w, g, w_out)) = value_slices(p, w_out) else {
        return false;
    };
    let mut fresh = std::array::from_fn(|_| Vec::new());
    let Some((inputs, outs, bits)) = slot_slices(state, out, &mut fresh, slots, w.len()) else {
        return false;
    };
    *written = bits;
    update_into(w, g, inputs, w_out, outs, f)
}

/// A trainable param's values and gradient (`n` = the shorter's length) and
/// its spare values, sized to the param (the shadow keeps its length between
/// steps: no allocation, no zero-fill) with the values past `n` copied.
/// `None` when the value or gradient is not contiguous (`Optimizer::apply`
/// checked that they are).
#[inline(never)]
fn value_slices<'a>(p: &'a Param, w_out: &'a mut Vec<f32>) -> Option<(&'a [f32], &'a [f32], &'a mut [f32])> {
    let (w, g) = (p.value.as_slice()?, p.grad.as_slice()?);
    let n = w.len().min(g.len());
    if w_out.len() != w.len() {
        w_out.clear();
        w_out.resize(w.len(), 0.0);
    }
    w_out[n..].copy_from_slice(&w[n..]);
    Some((&w[..n], &g[..n], &mut w_out[..n]))
}

/// The slots a rule reads (slot `slots[k].0` of `state`; one that does not
/// exist yet, e.g. SGD's velocity after momentum was set from 0, is read as
/// its initial value from `fresh[k]`, and the state is not touched) and the
/// spare slots it writes (in `out`, sized to `n`), with the bits of the
/// slots written. Generic in the number of slots only, not in the rule.
/// `None` if two slot indices are the same (a rule never names one twice).
#[inline(never)]
#[allow(clippy::type_complexity)]
fn slot_slices<'a, const S: usize>(
    state: &'a ParamState,
    out: &'a mut ParamState,
    fresh: &'a mut [Vec<f32>; S],
    slots: [(usize, f32); S],
    n: usize,
) -> Option<([&'a [f32]; S], [&'a mut [f32]; S], u8)> {
    let mut written = 0u8;
    for (k, &(i, init)) in slots.iter().enumerate() {
        if !matches!(state.slots.get(i), Some(s) if s.len() == n) {
            fresh[k] = vec![init; n];
        }
        ensure_slot(out, i, n, 0.0);
        written |= 1 << i;
    }
    let fresh: &'a [Vec<f32>; S] = fresh;
    let inputs = std::array::from_fn(|k| match state.slots.get(slots[k].0) {
        Some(s) if s.len() == n => s.as_slice(),
        _ => fresh[k].as_slice(),
    });
    let outs = out.slots.get_disjoint_mut(slots.map(|(i, _)| i)).ok()?;
    Some((inputs, outs.map(|s| s.as_mut_slice()), written))
}

/// After a successful step: slot `i` of `state` becomes the one computed in
/// `out` (and `out` keeps the old one as next step's buffer) for every bit
/// `i` of `written`.
pub fn commit_slots(state: &mut ParamState, out: &mut ParamState, written: u8) {
    for i in 0..8 {
        if written & (1 << i) != 0 {
            if state.slots.len() <= i {
                state.slots.resize_with(i + 1, Vec::new);
            }
            std::mem::swap(&mut state.slots[i], &mut out.slots[i]);
        }
    }
}
