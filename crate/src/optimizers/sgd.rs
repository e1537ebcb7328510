//! SGD, as `keras/src/optimizers/sgd.py` (slot 0: `velocity`, only when momentum != 0).
//!
//! - momentum == 0: `w ← w − lr·g`
//! - momentum > 0:  `v ← momentum·v − lr·g` (v starts at 0), then
//!   `w ← w + v`, or with `nesterov`: `w ← w + momentum·v − lr·g`.

use super::{ensure_slot, ParamState};

pub fn init_slots(momentum: f32, len: usize) -> Vec<Vec<f32>> {
    if momentum != 0.0 {
        vec![vec![0.0; len]]
    } else {
        Vec::new()
    }
}

pub fn update(lr: f32, momentum: f32, nesterov: bool, w: &mut [f32], g: &[f32], state: &mut ParamState) {
    if momentum == 0.0 {
        for (w, &g) in w.iter_mut().zip(g) {
            *w -= g * lr;
        }
        return;
    }
    ensure_slot(state, 0, w.len(), 0.0);
    let v = &mut state.slots[0];
    for ((w, &g), v) in w.iter_mut().zip(g).zip(v.iter_mut()) {
        *v = *v * momentum - g * lr;
        if nesterov {
            *w += *v * momentum - g * lr;
        } else {
            *w += *v;
        }
    }
}
