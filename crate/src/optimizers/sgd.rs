//! SGD, as `keras/src/optimizers/sgd.py` (slot 0: `velocity`, only when momentum != 0).
//!
//! - momentum == 0: `w ← w − lr·g`
//! - momentum > 0:  `v ← momentum·v − lr·g` (v starts at 0), then
//!   `w ← w + v`, or with `nesterov`: `w ← w + momentum·v − lr·g`.

use super::pass::Target;

pub fn init_slots(momentum: f32, len: usize) -> Vec<Vec<f32>> {
    if momentum != 0.0 {
        vec![vec![0.0; len]]
    } else {
        Vec::new()
    }
}

/// The rule on target `t` (see [`super::pass`]); false when a result is not finite.
pub fn step<T: Target>(lr: f32, momentum: f32, nesterov: bool, t: &mut T) -> bool {
    if momentum == 0.0 {
        return t.run([], move |w, g, []| (w - g * lr, []));
    }
    t.run([(0, 0.0)], move |w, g, [v]| {
        let v = v * momentum - g * lr;
        let w = if nesterov { w + (v * momentum - g * lr) } else { w + v };
        (w, [v])
    })
}
