//! Adam, as `keras/src/optimizers/adam.py` (slots: `m`, `v`, and `v_hat` with amsgrad).
//!
//! With `t = iteration + 1` (m, v, v_hat start at 0):
//! - `α = lr·√(1 − β2ᵗ) / (1 − β1ᵗ)`
//! - `m ← m + (g − m)·(1 − β1)`
//! - `v ← v + (g² − v)·(1 − β2)`
//! - amsgrad: `v̂ ← max(v̂, v)` and v̂ replaces v below
//! - `w ← w − (m·α) / (√v + ε)` (ε outside the root, not bias-corrected)

use super::{one_minus, take_slot, ParamState};
use crate::kernels::elementwise::adam_step;

/// Adam hyper-parameters.
#[derive(Clone, Copy, Debug)]
pub struct Adam {
    pub learning_rate: f32,
    pub beta_1: f32,
    pub beta_2: f32,
    pub epsilon: f32,
    pub amsgrad: bool,
}

pub fn init_slots(amsgrad: bool, len: usize) -> Vec<Vec<f32>> {
    let n = if amsgrad { 3 } else { 2 };
    vec![vec![0.0; len]; n]
}

pub fn update(h: &Adam, iteration: u64, w: &mut [f32], g: &[f32], state: &mut ParamState) {
    let t = iteration as f64 + 1.0;
    let b1_pow = (h.beta_1 as f64).powf(t);
    let b2_pow = (h.beta_2 as f64).powf(t);
    let alpha = (h.learning_rate as f64 * (1.0 - b2_pow).sqrt() / (1.0 - b1_pow)) as f32;
    let (c1, c2, eps) = (one_minus(h.beta_1), one_minus(h.beta_2), h.epsilon);
    let n = w.len();
    let mut m = take_slot(state, 0, n, 0.0);
    let mut v = take_slot(state, 1, n, 0.0);
    if h.amsgrad {
        let mut v_hat = take_slot(state, 2, n, 0.0);
        for i in 0..n {
            m[i] += (g[i] - m[i]) * c1;
            v[i] += (g[i] * g[i] - v[i]) * c2;
            v_hat[i] = v_hat[i].max(v[i]);
            w[i] -= (m[i] * alpha) / (v_hat[i].sqrt() + eps);
        }
        state.slots[2] = v_hat;
    } else {
        // The same three lines per element, split over rayon's pool for long params.
        let k = n.min(g.len());
        adam_step(&mut w[..k], &g[..k], &mut m[..k], &mut v[..k], alpha, c1, c2, eps);
    }
    state.slots[0] = m;
    state.slots[1] = v;
}
