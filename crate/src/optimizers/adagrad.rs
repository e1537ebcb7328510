//! Adagrad, as `keras/src/optimizers/adagrad.py` (Keras 3). Slot 0:
//! `accumulator`, starting at `initial_accumulator_value`.
//!
//! - `acc ← acc + g²`
//! - `w ← w − lr·g / √(acc + ε)` (ε inside the root)

use super::{take_slot, ParamState};

pub fn init_slots(initial_accumulator_value: f32, len: usize) -> Vec<Vec<f32>> {
    vec![vec![initial_accumulator_value; len]]
}

pub fn update(lr: f32, initial: f32, eps: f32, w: &mut [f32], g: &[f32], state: &mut ParamState) {
    let mut acc = take_slot(state, 0, w.len(), initial);
    for ((w, &g), a) in w.iter_mut().zip(g).zip(acc.iter_mut()) {
        *a += g * g;
        *w -= (lr * g) / (*a + eps).sqrt();
    }
    state.slots[0] = acc;
}
