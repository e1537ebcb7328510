//! Adam, as `keras/src/optimizers/adam.py` (slots: `m`, `v`, and `v_hat` with amsgrad).
//!
//! With `t = iteration + 1` (m, v, v_hat start at 0):
//! - `α = lr·√(1 − β2ᵗ) / (1 − β1ᵗ)`
//! - `m ← m + (g − m)·(1 − β1)`
//! - `v ← v + (g² − v)·(1 − β2)`
//! - amsgrad: `v̂ ← max(v̂, v)` and v̂ replaces v below
//! - `w ← w − (m·α) / (√v + ε)` (ε outside the root, not bias-corrected)

use super::one_minus;
use super::pass::Target;

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

/// The rule on target `t` (see [`super::pass`]); false when a result is not finite.
pub fn step<T: Target>(h: &Adam, iteration: u64, t: &mut T) -> bool {
    let tt = iteration as f64 + 1.0;
    let b1_pow = (h.beta_1 as f64).powf(tt);
    let b2_pow = (h.beta_2 as f64).powf(tt);
    let alpha = (h.learning_rate as f64 * (1.0 - b2_pow).sqrt() / (1.0 - b1_pow)) as f32;
    let (c1, c2, eps) = (one_minus(h.beta_1), one_minus(h.beta_2), h.epsilon);
    if h.amsgrad {
        t.run([(0, 0.0), (1, 0.0), (2, 0.0)], move |w, g, [m, v, v_hat]| {
            let m = m + (g - m) * c1;
            let v = v + (g * g - v) * c2;
            let v_hat = v_hat.max(v);
            (w - (m * alpha) / (v_hat.sqrt() + eps), [m, v, v_hat])
        })
    } else {
        t.run([(0, 0.0), (1, 0.0)], move |w, g, [m, v]| {
            let m = m + (g - m) * c1;
            let v = v + (g * g - v) * c2;
            (w - (m * alpha) / (v.sqrt() + eps), [m, v])
        })
    }
}
