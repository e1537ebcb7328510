//! RMSprop, as `keras/src/optimizers/rmsprop.py` (Keras 3). Slots:
//! `velocity`, `momentum` (only when momentum > 0), `average_gradient` (only
//! when centered); all start at 0.
//!
//! - `v ← ρ·v + (1 − ρ)·g²`
//! - centered: `a ← ρ·a + (1 − ρ)·g`, `denom = v − a² + ε`; else `denom = v + ε`
//! - `inc = lr·g / √denom`
//! - momentum > 0: `mom ← momentum·mom + inc`, `w ← w − mom`; else `w ← w − inc`

use super::{one_minus, take_slot, ParamState};

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

pub fn update(h: &Rmsprop, w: &mut [f32], g: &[f32], state: &mut ParamState) {
    let n = w.len();
    let (rho, c, lr, eps, mu) = (h.rho, one_minus(h.rho), h.learning_rate, h.epsilon, h.momentum);
    let use_mom = mu > 0.0;
    let mut vel = take_slot(state, 0, n, 0.0);
    let mut mom = if use_mom {
        take_slot(state, 1, n, 0.0)
    } else {
        Vec::new()
    };
    let mut avg = if h.centered {
        take_slot(state, 2, n, 0.0)
    } else {
        Vec::new()
    };
    for i in 0..n {
        vel[i] = rho * vel[i] + c * (g[i] * g[i]);
        let denom = if h.centered {
            avg[i] = rho * avg[i] + c * g[i];
            vel[i] - avg[i] * avg[i] + eps
        } else {
            vel[i] + eps
        };
        let inc = (lr * g[i]) / denom.sqrt();
        if use_mom {
            mom[i] = mu * mom[i] + inc;
            w[i] -= mom[i];
        } else {
            w[i] -= inc;
        }
    }
    state.slots[0] = vel;
    if use_mom {
        state.slots[1] = mom;
    }
    if h.centered {
        state.slots[2] = avg;
    }
}
