//! RMSprop, as `keras/src/optimizers/rmsprop.py` (Keras 3). Slots:
//! `velocity`, `momentum` (only when momentum > 0), `average_gradient` (only
//! when centered); all start at 0.
//!
//! - `v ← ρ·v + (1 − ρ)·g²`
//! - centered: `a ← ρ·a + (1 − ρ)·g`, `denom = v − a² + ε`; else `denom = v + ε`
//! - `inc = lr·g / √denom`
//! - momentum > 0: `mom ← momentum·mom + inc`, `w ← w − mom`; else `w ← w − inc`

use super::one_minus;
use super::pass::Target;

/// RMSprop hyper-parameters.
#[derive(Clone, Copy, Debug)]
pub struct Rmsprop {
    pub learning_rate: f32,
    pub rho: f32,
    pub momentum: f32,
    pub epsilon: f32,
    pub centered: bool,
}

pub fn init_slots(momentum: f32, centered: bool, len: usize) -> Vec<Vec<f32>> {
    let mut slots = vec![vec![0.0; len]];
    if momentum > 0.0 || centered {
        slots.push(if momentum > 0.0 { vec![0.0; len] } else { Vec::new() });
    }
    if centered {
        slots.push(vec![0.0; len]);
    }
    slots
}

/// The rule on target `t` (see [`super::pass`]); false when a result is not finite.
pub fn step<T: Target>(h: &Rmsprop, t: &mut T) -> bool {
    let (rho, c, lr, eps, mu) = (h.rho, one_minus(h.rho), h.learning_rate, h.epsilon, h.momentum);
    let velocity = move |vel: f32, g: f32| rho * vel + c * (g * g);
    let inc = move |g: f32, denom: f32| (lr * g) / denom.sqrt();
    match (mu > 0.0, h.centered) {
        (false, false) => t.run([(0, 0.0)], move |w, g, [vel]| {
            let vel = velocity(vel, g);
            (w - inc(g, vel + eps), [vel])
        }),
        (true, false) => t.run([(0, 0.0), (1, 0.0)], move |w, g, [vel, mom]| {
            let vel = velocity(vel, g);
            let mom = mu * mom + inc(g, vel + eps);
            (w - mom, [vel, mom])
        }),
        (false, true) => t.run([(0, 0.0), (2, 0.0)], move |w, g, [vel, avg]| {
            let vel = velocity(vel, g);
            let avg = rho * avg + c * g;
            (w - inc(g, vel - avg * avg + eps), [vel, avg])
        }),
        (true, true) => t.run([(0, 0.0), (1, 0.0), (2, 0.0)], move |w, g, [vel, mom, avg]| {
            let vel = velocity(vel, g);
            let avg = rho * avg + c * g;
            let mom = mu * mom + inc(g, vel - avg * avg + eps);
            (w - mom, [vel, mom, avg])
        }),
    }
}
