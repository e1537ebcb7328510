//! Where an optimizer's element-wise rule writes: [`Target`]. Each optimizer
//! states its rule once (`step` in its file) and runs it on a target:
//!
//! - [`InPlace`]: the parameter and its slots updated in place
//!   ([`OptimizerConfig::update`](super::OptimizerConfig::update): surfaces, golden tests);
//! - [`Shadow`]: the new values and slots written into spare buffers while
//!   the old ones are only read ([`Optimizer::apply`](super::Optimizer::apply)
//!   commits a step by swapping buffers once every param's rule reported
//!   finite results, so a diverging step leaves no trace without a backup copy).

use super::{take_slot, ParamState};
use crate::kernels::update::{update_in_place, update_into};

/// Runs an element-wise rule over one parameter, its gradient and the slots
/// it names.
pub trait Target {
    /// `(w, s) ← f(w, g, s)` for every element, where slot `k` is
    /// `state.slots[slots[k].0]`, created filled with `slots[k].1` when missing
    /// or of another length. True when every new value and gradient is finite.
    fn run<const S: usize, F>(&mut self, slots: [(usize, f32); S], f: F) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync;
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
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync,
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
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync,
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
