//! Where an optimizer's element-wise rule writes: [`Target`]. Each optimizer
//! states its rule once (`step` in its file) and runs it on a target:
//!
//! - [`InPlace`]: the parameter and its slots updated in place
//!   ([`OptimizerConfig::update`](super::OptimizerConfig::update): surfaces, golden tests);
//! - [`EveryParam`]: every param of a model, all in ONE parallel region
//!   (issue 14.1: a region per large param woke the pool's threads once per
//!   param of 32k values or more: four times per step for the 5-layer
//!   benchmark MLP `dmlp`), in one of two ways:
//!   - **certified, in place**: when the rule can show, from bounds alone,
//!     that this step's results are finite (the rule's `safe(g_max,
//!     slot_max)`: Adam's is [`super::adam::certified`]), every param is
//!     updated in place. The bounds: the largest `|g|` of each param's
//!     gradient, which the layer reports with it (`Param::grad_max`, from the
//!     gradient product's store: no pass of its own), and the largest `|s|` of
//!     each slot, which the previous step's pass measured as it wrote them.
//!     The weights are finite (every way to set them checks it), so finite
//!     results are certain and no rollback can be needed;
//!   - **shadow**: otherwise (a param without a gradient bound, a rule
//!     without a certificate, bounds too large, the first step), the new
//!     values and slots are written into spare buffers while the old ones are
//!     only read, and [`Optimizer::apply`](super::Optimizer::apply) commits the
//!     step by swapping buffers once every param's results were finite, so a
//!     diverging step leaves no trace without a backup copy.
//!
//!   Both ways run the same scalar rule on every element: the same bits.
//!   The certified way reads and writes each buffer in place (4 reads and 3
//!   writes per Adam element, against 4 reads, 3 writes into other lines and
//!   the 3 reads a cache does before writing a line it does not hold).

use super::{ensure_slot, take_slot, ParamState};
use crate::kernels::elementwise::parallel;
use crate::kernels::threads::join_if;
use crate::kernels::update::{update_in_place, update_into, SlotMax};
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

    /// [`run`](Target::run), where `safe(g_max, slot_max)` is true only if
    /// `f` gives finite results for every finite `w`, every `|g| ≤ g_max` and
    /// every slot value `|s_k| ≤ slot_max[k]` that an earlier step of `f` can
    /// have written (a target may then update in place without a way back).
    /// Only the rules with such a certificate call it, so only they carry the
    /// certified way's code (in the wasm too).
    fn run_certified<const S: usize, F, C>(&mut self, slots: [(usize, f32); S], f: F, safe: C) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
        C: Fn(f32, [f32; S]) -> bool;
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
        in_place::<S, F, false>(self.w, self.g, self.state, slots, f).is_some()
    }

    fn run_certified<const S: usize, F, C>(&mut self, slots: [(usize, f32); S], f: F, _safe: C) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
        C: Fn(f32, [f32; S]) -> bool,
    {
        self.run(slots, f)
    }
}

/// The rule in place on `w` and the slots it names in `state` (created
/// with their initial value when missing or of another length); the slots'
/// largest magnitudes measured when `MAX`.
fn in_place<const S: usize, F, const MAX: bool>(
    w: &mut [f32],
    g: &[f32],
    state: &mut ParamState,
    slots: [(usize, f32); S],
    f: F,
) -> SlotMax<S>
where
    F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
{
    let n = w.len();
    let mut taken = slots.map(|(i, init)| take_slot(state, i, n, init));
    let report = update_in_place::<S, MAX>(w, g, taken.each_mut().map(|s| s.as_mut_slice()), f);
    for (k, (i, _)) in slots.iter().enumerate() {
        state.slots[*i] = std::mem::take(&mut taken[k]);
    }
    report
}

/// What an optimizer keeps beside each param between steps for [`EveryParam`].
#[derive(Clone, Debug)]
pub struct Spare {
    /// The step's new values (shadow way: swapped with the param's on commit).
    pub values: Vec<f32>,
    /// The step's new slots (shadow way: swapped with the state's on commit).
    pub slots: ParamState,
    /// A bit per slot the shadow way wrote into `slots` (0 after the certified way).
    pub written: u8,
    /// The largest `|value|` of each slot of the param's state as it is
    /// (`∞`: not known, e.g. a state from a file: the next step takes the shadow way).
    pub max: [f32; 8],
    /// The same for the slots the shadow way wrote (they become `max` on commit).
    pub new_max: [f32; 8],
}

impl Default for Spare {
    fn default() -> Spare {
        Spare {
            values: Vec::new(),
            slots: ParamState::default(),
            written: 0,
            max: [f32::INFINITY; 8],
            new_max: [f32::INFINITY; 8],
        }
    }
}

/// Every param's rule (see the module doc), all params in one parallel
/// region: the list is halved (at the element count's midpoint) with a join,
/// so the pool's threads wake once and then take halves, single params and
/// halves of a long param's elements from each other. Param `i` has state
/// `states[i]` and spare buffers `spares[i]` (sized to the param here: no
/// allocation once sized). The rule is the same scalar expression for every
/// element, so the results depend neither on the split, nor on the number of
/// threads, nor on the way. Non-trainable params are left alone.
pub struct EveryParam<'a, 'p> {
    pub params: &'a mut [&'p mut Param],
    pub states: &'a mut [ParamState],
    pub spares: &'a mut [Spare],
    /// Set by the run: the step was certified and done in place (nothing to
    /// commit; it cannot have failed unless a weight was not finite before).
    pub in_place: bool,
}

impl Target for EveryParam<'_, '_> {
    fn run<const S: usize, F>(&mut self, slots: [(usize, f32); S], f: F) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
    {
        self.shadow::<S, F, false>(slots, f)
    }

    fn run_certified<const S: usize, F, C>(&mut self, slots: [(usize, f32); S], f: F, safe: C) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
        C: Fn(f32, [f32; S]) -> bool,
    {
        let n = self.params.len();
        let sized = self.states.len() == n && self.spares.len() == n;
        let each = |i: usize| certified(self.params[i], &self.states[i], &self.spares[i], slots, &safe);
        if !(sized && (0..n).all(each)) {
            // Measuring the slots' bounds on the way, for the next step's certificate.
            return self.shadow::<S, F, true>(slots, f);
        }
        self.in_place = true;
        // Each param in place; its slots' new bounds straight into `spare.max` (nothing to commit).
        let leaf = |p: &mut Param, state: &mut ParamState, spare: &mut Spare| {
            let report = match (p.trainable, p.value.as_slice_mut(), p.grad.as_slice()) {
                (false, ..) => return true,
                (true, Some(w), Some(g)) => in_place::<S, F, true>(w, g, state, slots, f),
                _ => None,
            };
            record(&mut spare.max, slots, report)
        };
        each_half(self.params, self.states, self.spares, &leaf)
    }
}

impl EveryParam<'_, '_> {
    /// The shadow way for every param; the slots' bounds measured when `MAX`
    /// (else recorded as not known).
    fn shadow<const S: usize, F, const MAX: bool>(&mut self, slots: [(usize, f32); S], f: F) -> bool
    where
        F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
    {
        let n = self.params.len();
        assert!(
            self.states.len() == n && self.spares.len() == n,
            "EveryParam: lists of different lengths"
        );
        self.in_place = false;
        let leaf = |p: &mut Param, state: &mut ParamState, spare: &mut Spare| {
            one_param::<S, F, MAX>(p, state, spare, slots, f)
        };
        each_half(self.params, self.states, self.spares, &leaf)
    }
}

/// Whether `safe` certifies param `p`'s step: it has a gradient bound, as
/// many gradients as values, the slots exist at its size and their bounds
/// (from the pass that wrote them) are known. A frozen param needs nothing.
fn certified<const S: usize, C>(
    p: &Param,
    state: &ParamState,
    spare: &Spare,
    slots: [(usize, f32); S],
    safe: &C,
) -> bool
where
    C: Fn(f32, [f32; S]) -> bool,
{
    if !p.trainable {
        return true;
    }
    let n = p.value.len();
    let sized = |i: usize| i < spare.max.len() && state.slots.get(i).is_some_and(|s| s.len() == n);
    match p.grad_max {
        Some(g_max) if p.grad.len() == n && slots.iter().all(|&(i, _)| sized(i)) => {
            safe(g_max, slots.map(|(i, _)| spare.max[i]))
        }
        _ => false,
    }
}

/// A pass's report into `bounds`: each slot it wrote gets its largest
/// magnitude (`∞` when the pass failed); true when it did not.
fn record<const S: usize>(bounds: &mut [f32; 8], slots: [(usize, f32); S], report: SlotMax<S>) -> bool {
    for (k, &(i, _)) in slots.iter().enumerate() {
        bounds[i] = report.map_or(f32::INFINITY, |max| max[k]);
    }
    report.is_some()
}

/// One param's part of a step (a way's leaf with the rule), behind a `dyn`
/// so that the recursion and its joins exist once, not once per rule (each
/// would add rayon's join machinery to the wasm); it is called once per
/// param, not per element.
type Leaf<'a> = &'a (dyn Fn(&mut Param, &mut ParamState, &mut Spare) -> bool + Sync);

/// [`EveryParam`]'s recursion over a part of the list; true when every
/// rule's results were finite (all params are computed either way).
fn each_half(params: &mut [&mut Param], states: &mut [ParamState], spares: &mut [Spare], leaf: Leaf) -> bool {
    match params {
        [] => true,
        [p] => leaf(p, &mut states[0], &mut spares[0]),
        _ => {
            let total: usize = params.iter().map(|p| p.value.len()).sum();
            let mut mid = 1;
            let mut seen = params[0].value.len();
            while mid + 1 < params.len() && 2 * seen < total {
                seen += params[mid].value.len();
                mid += 1;
            }
            let (p0, p1) = params.split_at_mut(mid);
            let (s0, s1) = states.split_at_mut(mid);
            let (o0, o1) = spares.split_at_mut(mid);
            let (a, b) = join_if(
                parallel(total),
                || each_half(p0, s0, o0, leaf),
                || each_half(p1, s1, o1, leaf),
            );
            a & b
        }
    }
}

/// One param's rule into its spare buffers (the shadow way): `spare.values`
/// gets the new values, `spare.slots` the new slots (same indices) and
/// `spare.new_max` their bounds, `spare.written` the bits of the slots
/// written, so the commit swaps exactly those. Only the call of the rule is
/// generic in it: the buffers are sized by [`value_slices`] and
/// [`slot_slices`], once in the wasm for all rules.
fn one_param<const S: usize, F, const MAX: bool>(
    p: &Param,
    state: &ParamState,
    spare: &mut Spare,
    slots: [(usize, f32); S],
    f: F,
) -> bool
where
    F: Fn(f32, f32, [f32; S]) -> (f32, [f32; S]) + Sync + Copy,
{
    spare.written = 0;
    if !p.trainable {
        return true;
    }
    let Some((w, g, w_out)) = value_slices(p, &mut spare.values) else {
        return false;
    };
    let mut fresh = std::array::from_fn(|_| Vec::new());
    let Some((inputs, outs, bits)) = slot_slices(state, &mut spare.slots, &mut fresh, slots, w.len()) else {
        return false;
    };
    spare.written = bits;
    record(
        &mut spare.new_max,
        slots,
        update_into::<S, MAX>(w, g, inputs, w_out, outs, f),
    )
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

/// After a successful shadow-way step: slot `i` of `state` becomes the one
/// computed in `spare.slots` (which keeps the old one as next step's buffer),
/// with its bound, for every bit `i` of `spare.written`.
pub fn commit_slots(state: &mut ParamState, spare: &mut Spare) {
    for i in 0..8 {
        if spare.written & (1 << i) != 0 {
            if state.slots.len() <= i {
                state.slots.resize_with(i + 1, Vec::new);
            }
            std::mem::swap(&mut state.slots[i], &mut spare.slots.slots[i]);
            spare.max[i] = spare.new_max[i];
        }
    }
}
