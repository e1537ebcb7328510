//! Creating and checking optimizer state ([`ParamState`], [`GlobalState`]).

use super::{adagrad, adam, nadam, rmsprop, sgd, OptimizerConfig, OptimizerKind};
use crate::Result;
use serde::{Deserialize, Serialize};

/// Per-parameter optimizer state ("slots", each as long as the parameter):
/// SGD `[velocity]`; Adam `[m, v, v_hat]`; RMSprop `[velocity, momentum,
/// average_gradient]`; Adagrad `[accumulator]`; Nadam `[m, v]`. A slot the
/// options do not use is empty (or absent at the end). A missing or
/// wrongly-sized slot is (re)created with its initial value by `update`; use
/// [`OptimizerConfig::check_state`] to reject a mismatched state from a file.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ParamState {
    pub slots: Vec<Vec<f32>>,
}

/// Optimizer-wide state. Nadam: `values[0]` = running product of its
/// momentum-cache factors `u_1·u_2·…·u_t` (Keras `_u_product`, starts at 1).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct GlobalState {
    pub values: Vec<f64>,
}

impl OptimizerConfig {
    /// The initial state of a parameter with `len` elements (Keras `build`).
    pub fn init_state(&self, len: usize) -> ParamState {
        let slots = match self.kind {
            OptimizerKind::Sgd { momentum, .. } => sgd::init_slots(momentum, len),
            OptimizerKind::Adam { amsgrad, .. } => adam::init_slots(amsgrad, len),
            OptimizerKind::Rmsprop { momentum, centered, .. } => rmsprop::init_slots(momentum, centered, len),
            OptimizerKind::Adagrad {
                initial_accumulator_value,
                ..
            } => adagrad::init_slots(initial_accumulator_value, len),
            OptimizerKind::Nadam { .. } => nadam::init_slots(len),
        };
        ParamState { slots }
    }

    /// How many values the optimizer keeps per weight (its slots in use):
    /// SGD 0 or 1, Adam 2 (3 with AMSGrad), RMSprop 1–3, Adagrad 1, Nadam 2.
    pub fn values_per_weight(&self) -> usize {
        self.init_state(1).slots.iter().filter(|s| !s.is_empty()).count()
    }

    /// The initial optimizer-wide state (Nadam: `[1.0]`; empty otherwise).
    pub fn init_global(&self) -> GlobalState {
        match self.kind {
            OptimizerKind::Nadam { .. } => GlobalState { values: vec![1.0] },
            _ => GlobalState::default(),
        }
    }

    /// Check that a state (e.g. read from a model file) fits this optimizer
    /// and a parameter of `len` elements: every slot the options use has `len`
    /// values, every other slot is empty.
    pub fn check_state(&self, len: usize, state: &ParamState) -> Result<()> {
        let expected = self.init_state(len);
        let n = expected.slots.len().max(state.slots.len());
        for i in 0..n {
            let want = expected.slots.get(i).map_or(0, Vec::len);
            let got = state.slots.get(i).map_or(0, Vec::len);
            if want != got {
                return crate::error::data_err(format!(
                    "{} optimizer state: slot {i} has {got} values but a parameter of {len} values \
                     with these options needs {want}; reset the optimizer state or use the \
                     optimizer the state was saved with",
                    self.name()
                ));
            }
        }
        Ok(())
    }
}

/// Make slot `idx` of `state` hold `len` values; (re)create it filled with
/// `init` when it is missing or has another length.
pub(crate) fn ensure_slot(state: &mut ParamState, idx: usize, len: usize, init: f32) {
    if state.slots.len() <= idx {
        state.slots.resize_with(idx + 1, Vec::new);
    }
    let slot = &mut state.slots[idx];
    if slot.len() != len {
        slot.clear();
        slot.resize(len, init);
    }
}

/// [`ensure_slot`], then move the slot out (leaving an empty vector to put it back into).
pub(crate) fn take_slot(state: &mut ParamState, idx: usize, len: usize, init: f32) -> Vec<f32> {
    ensure_slot(state, idx, len, init);
    std::mem::take(&mut state.slots[idx])
}
