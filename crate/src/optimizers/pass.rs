//! Where an optimizer's element-wise rule writes: [`Target`]. Each optimizer
//! states its rule once (`step` in its file) and runs it on a target:
//!
//! - [`InPlace`]: the parameter and its slots updated in place
//!   ([`OptimizerConfig::update`](super::OptimizerConfig::update): surfaces, golden tests);
//! - [`Shadow`]: the new values and slots written into spare buffers while
//!   the old ones are only read ([`Optimizer::apply`](super::Optimizer::apply)
//!   commits a step by swapping buffers once every param's rule reported
//!   finite results, so a diverging step leaves no trace without a backup copy);
//! - [`ShadowAll`]: [`Shadow`] on every param of a model at once, in ONE
//!   parallel region (issue 14.1: a region per large param woke the pool's
//!   threads once per param, five times per step for a 5-layer MLP).

use super::{take_slot, ParamState};
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

/// The new values into `w_out` and the new slots into `out` (same indices);
/// `w`, `g` and `state` are only read. `written` gets bit `i` set for every
/// slot `i` written, so the commit swaps exactly those.
pub struct Shadow<'a> {
    pub w: &'a [f32],
    pub g: &'a [f32],
    pub state: &'a ParamState,
    pub w_out: &'a mut [f32],
    pub out: &'a mut ParamState,
    pub written: u8,
}

impl Target for Shadow<'_> {
    fn run<const S: usize, F>(&mut self, slots: [(usize, f32); S], f: F) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
    {
        let n = self.w.len();
        // A slot that does not exist yet (e.g. SGD's velocity after momentum
        // was set from 0) is read as its initial value; the state is not touched.
        let fresh = slots.map(|(i, init)| match self.state.slots.get(i) {
            Some(s) if s.len() == n => None,
            _ => Some(vec![init; n]),
        });
        let inputs: [&[f32]; S] = std::array::from_fn(|k| match &fresh[k] {
            Some(v) => v.as_slice(),
            None => self.state.slots[slots[k].0].as_slice(),
        });
        let mut outs = slots.map(|(i, _)| {
            self.written |= 1 << i;
            take_slot(self.out, i, n, 0.0)
        });
        let ok = update_into(
            self.w,
            self.g,
            inputs,
            self.w_out,
            outs.each_mut().map(|s| s.as_mut_slice()),
            f,
        );
        for (k, (i, _)) in slots.iter().enumerate() {
            self.out.slots[*i] = std::mem::take(&mut outs[k]);
        }
        ok
    }
}

/// Every param's rule into its spare buffers ([`Shadow`]), all params in one
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
        each_half(self.params, self.states, self.values, self.outs, self.written, slots, f)
    }
}

/// [`ShadowAll`]'s recursion over a part of the list; true when every rule's
/// results were finite (all params are computed either way).
fn each_half<const S: usize, F>(
    params: &[&Param],
    states: &[ParamState],
    values: &mut [Vec<f32>],
    outs: &mut [ParamState],
    written: &mut [u8],
    slots: [(usize, f32); S],
    f: F,
) -> bool
where
    F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
{
    match params {
        [] => true,
        [p] => one_param(p, &states[0], &mut values[0], &mut outs[0], &mut written[0], slots, f),
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
                || each_half(p0, s0, v0, o0, w0, slots, f),
                || each_half(p1, s1, v1, o1, w1, slots, f),
            );
            a & b
        }
    }
}

/// One param's rule into its spare buffers (a trainable param's value and
/// gradient are contiguous: `Optimizer::apply` checked).
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
    let (Some(w), Some(g)) = (p.value.as_slice(), p.grad.as_slice()) else {
        return false;
    };
    let n = w.len().min(g.len());
    // The shadow keeps its length between steps: no allocation, no zero-fill.
    if w_out.len() != w.len() {
        w_out.clear();
        w_out.resize(w.len(), 0.0);
    }
    w_out[n..].copy_from_slice(&w[n..]);
    let mut t = Shadow {
        w: &w[..n],
        g: &g[..n],
        state,
        w_out: &mut w_out[..n],
        out,
        written: 0,
    };
    let ok = t.run(slots, f);
    *written = t.written;
    ok
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
