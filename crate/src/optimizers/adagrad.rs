//! Adagrad, as `keras/src/optimizers/adagrad.py` (Keras 3). Slot 0:
//! `accumulator`, starting at `initial_accumulator_value`.
//!
//! - `acc ← acc + g²`
//! - `w ← w − lr·g / √(acc + ε)` (ε inside the root)

use super::pass::Target;

pub fn init_slots(initial_accumulator_value: f32, len: usize) -> Vec<Vec<f32>> {
    vec![vec![initial_accumulator_value; len]]
}

/// The rule on target `t` (see [`super::pass`]); false when a result is not finite.
pub fn step<T: Target>(lr: f32, initial: f32, eps: f32, t: &mut T) -> bool {
    t.run([(0, initial)], move |w, g, [a]| {
        let a = a + g * g;
        (w - (lr * g) / (a + eps).sqrt(), [a])
    })
}
