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
//!
//! Every scalar is computed in f32, one tensor operation at a time, as Keras
//! does (`beta_1 = ops.cast(self.beta_1, "float32")`, then `1 - beta_1` etc.).

use super::pass::Target;
use super::GlobalState;

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

/// `u_s = β1·(1 − 0.5·0.96^s)`, every operation in f32 as Keras' tensors
/// (`ops.power(decay, step)` with `decay = cast(0.96)`, `step = cast(s)`).
pub fn momentum_cache(beta_1: f32, s: f32) -> f32 {
    beta_1 * (1.0 - 0.5 * 0.96f32.powf(s))
}

/// `Π ← Π·β1·(1 − 0.5·0.96ᵗ)` with `t = iteration + 1`, in f32 and in
/// Keras' order (`(u_product * beta_1) * (…)`, the f32 variable it lives in).
/// An empty state starts from Π = 1.
pub fn begin_step(beta_1: f32, iteration: u64, global: &mut GlobalState) {
    if global.values.is_empty() {
        global.values.push(1.0);
    }
    let t = (iteration + 1) as f32;
    let p = global.values[0] as f32;
    global.values[0] = f64::from(p * beta_1 * (1.0 - 0.5 * 0.96f32.powf(t)));
}

/// Π after `begin_step` of step `t`, or, for a state that never saw
/// `begin_step`, recomputed from scratch the same way.
fn u_product(beta_1: f32, iteration: u64, global: &GlobalState) -> f32 {
    match global.values.first() {
        Some(&p) => p as f32,
        None => {
            let mut g = GlobalState::default();
            for k in 0..=iteration {
                begin_step(beta_1, k, &mut g);
                if g.values[0] == 0.0 {
                    break; // underflowed, as the f32 variable does after ~1000 steps
                }
            }
            g.values[0] as f32
        }
    }
}

/// One Nadam update, every scalar an f32 tensor operation as in Keras'
/// `update_step`: `beta_1 = cast(β1)`, so `1 − beta_1` and `1 − beta_2` are
/// f32 subtractions (0.100000024 and 0.00099998713 for 0.9 and 0.999, not
/// 0.1 and 0.001: unlike Adam, whose `1 - self.beta_1` is Python arithmetic).
pub fn step<T: Target>(h: &Nadam, iteration: u64, global: &GlobalState, t: &mut T) -> bool {
    let local_step = (iteration + 1) as f32;
    let next_step = (iteration + 2) as f32;
    let u_t = momentum_cache(h.beta_1, local_step);
    let u_t_1 = momentum_cache(h.beta_1, next_step);
    let u_product_t = u_product(h.beta_1, iteration, global);
    let u_product_t_1 = u_product_t * u_t_1;
    let beta_2_power = h.beta_2.powf(local_step);
    let one_minus_prod_next = 1.0 - u_product_t_1;
    let one_minus_u_t = 1.0 - u_t;
    let one_minus_prod = 1.0 - u_product_t;
    let one_minus_b2_pow = 1.0 - beta_2_power;
    let (c1, c2, lr, eps) = (1.0 - h.beta_1, 1.0 - h.beta_2, h.learning_rate, h.epsilon);
    t.run([(0, 0.0), (1, 0.0)], move |w, g, [m, v]| {
        let m = m + (g - m) * c1;
        let v = v + (g * g - v) * c2;
        let m_hat = (u_t_1 * m) / one_minus_prod_next + (one_minus_u_t * g) / one_minus_prod;
        let v_hat = v / one_minus_b2_pow;
        (w - (m_hat * lr) / (v_hat.sqrt() + eps), [m, v])
    })
}
