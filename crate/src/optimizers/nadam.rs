//! Nadam, as `keras/src/optimizers/nadam.py` (Keras 3). Slots: `m`, `v`
//! (start at 0); global: the running product `Π = u_1·…·u_t` (starts at 1).
//!
//! With `t = iteration + 1` and the momentum cache `u_s = β1·(1 − 0.5·0.96^s)`:
//! - once per step, before the updates ([`begin_step`]): `Π ← Π·u_t`
//! - `Π_next = Π·u_{t+1}`
//! - `m ← m + (g − m)·(1 − β1)`, `v ← v + (g² − v)·(1 − β2)`
//! - `m̂ = u_{t+1}·m / (1 − Π_next) + (1 − u_t)·g / (1 − Π)`
//! - `v̂ = v / (1 − β2ᵗ)`
//! - `w ← w − (m̂·lr) / (√v̂ + ε)`

use super::{one_minus, take_slot, GlobalState, ParamState};

/// Nadam hyper-parameters.
#[derive(Clone, Copy, Debug)]
pub struct Nadam {
    pub learning_rate: f32,
    pub beta_1: f32,
    pub beta_2: f32,
    pub epsilon: f32,
}

pub fn init_slots(len: usize) -> Vec<Vec<f32>> {
    vec![vec![0.0; len]; 2]
}

/// `u_s = β1·(1 − 0.5·0.96^s)` (β1 and 0.96 as f32, like Keras' casts).
pub fn momentum_cache(beta_1: f32, s: f64) -> f64 {
    beta_1 as f64 * (1.0 - 0.5 * (0.96f32 as f64).powf(s))
}

/// `Π ← Π·u_t` with `t = iteration + 1`; Π is kept at f32 precision, as the
/// f32 variable Keras stores it in. An empty state starts from Π = 1.
pub fn begin_step(beta_1: f32, iteration: u64, global: &mut GlobalState) {
    if global.values.is_empty() {
        global.values.push(1.0);
    }
    let t = iteration as f64 + 1.0;
    global.values[0] = (global.values[0] * momentum_cache(beta_1, t)) as f32 as f64;
}

/// Π after `begin_step` of step `t`, or, for a state that never saw
/// `begin_step`, recomputed from scratch as `u_1·…·u_t`.
fn u_product(beta_1: f32, t: f64, global: &GlobalState) -> f64 {
    match global.values.first() {
        Some(&p) => p,
        None => {
            let mut p = 1.0f64;
            for s in 1..=t as u64 {
                p = (p * momentum_cache(beta_1, s as f64)) as f32 as f64;
                if p == 0.0 {
                    break; // underflowed, as the f32 variable does after ~1000 steps
                }
            }
            p
        }
    }
}

pub fn update(h: &Nadam, iteration: u64, global: &GlobalState, w: &mut [f32], g: &[f32], state: &mut ParamState) {
    let t = iteration as f64 + 1.0;
    let u_t = momentum_cache(h.beta_1, t);
    let u_next = momentum_cache(h.beta_1, t + 1.0);
    let prod = u_product(h.beta_1, t, global);
    let prod_next = prod * u_next;
    let b2_pow = (h.beta_2 as f64).powf(t);
    // Step scalars, cast once to f32 as the Keras tensors are.
    let u_next32 = u_next as f32;
    let one_minus_prod_next = (1.0 - prod_next) as f32;
    let one_minus_u_t = (1.0 - u_t) as f32;
    let one_minus_prod = (1.0 - prod) as f32;
    let one_minus_b2_pow = (1.0 - b2_pow) as f32;
    let (c1, c2, lr, eps) = (one_minus(h.beta_1), one_minus(h.beta_2), h.learning_rate, h.epsilon);
    let n = w.len();
    let mut m = take_slot(state, 0, n, 0.0);
    let mut v = take_slot(state, 1, n, 0.0);
    for i in 0..n {
        m[i] += (g[i] - m[i]) * c1;
        v[i] += (g[i] * g[i] - v[i]) * c2;
        let m_hat = (u_next32 * m[i]) / one_minus_prod_next + (one_minus_u_t * g[i]) / one_minus_prod;
        let v_hat = v[i] / one_minus_b2_pow;
        w[i] -= (m_hat * lr) / (v_hat.sqrt() + eps);
    }
    state.slots[0] = m;
    state.slots[1] = v;
}
