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
        let rule = move |w: f32, g: f32, [m, v]: [f32; 2]| {
            let m = m + (g - m) * c1;
            let v = v + (g * g - v) * c2;
            (w - (m * alpha) / (v.sqrt() + eps), [m, v])
        };
        t.run_certified([(0, 0.0), (1, 0.0)], rule, move |g_max, [m_max, v_max]| {
            certified(g_max, m_max, v_max, c1, c2, alpha, eps)
        })
    }
}

/// Whether the rule above (without amsgrad) gives finite `w`, `m` and `v` for
/// every finite `w`, `|g| ≤ g_max`, `|m| ≤ m_max` and `0 ≤ v ≤ v_max` (a `v`
/// an earlier step wrote is ≥ 0: `v + (g² − v)·c2` is, from `v ≥ 0`, when
/// `0 ≤ c2 ≤ 1`). Bounds in f64, each f32 operation's rounding allowed for by
/// a factor `R`:
///
/// - `|m'| ≤ (m_max + (g_max + m_max)·c1)·R`, since `|g − m| ≤ g_max + m_max`;
/// - `g² ≤ g_max²·R` and `v' ≤ (v_max + (g_max² + v_max)·c2)·R`;
/// - `√v' + ε ≥ ε > 0`, so `|Δ| = |m'·α| / (√v' + ε) ≤ |m'|·|α|·R / ε·R`;
/// - `w − Δ` is finite for every finite `w` when `|Δ| < 10³⁰`: f32's largest
///   value is `2¹²⁸ − 2¹⁰⁴`, so it rounds up to ∞ only past `2¹²⁸ − 2¹⁰³`,
///   and `2¹⁰³ ≈ 10³¹`.
///
/// Every other intermediate stays below `10³⁷` (f32 overflows at 3.4·10³⁸).
/// False for any NaN (a comparison with NaN is false).
pub fn certified(g_max: f32, m_max: f32, v_max: f32, c1: f32, c2: f32, alpha: f32, eps: f32) -> bool {
    const R: f64 = 1.0 + 1e-6;
    const BIG: f64 = 1e37;
    let (g, m, v) = (f64::from(g_max), f64::from(m_max), f64::from(v_max));
    let (c1, c2, a, eps) = (f64::from(c1), f64::from(c2), f64::from(alpha).abs(), f64::from(eps));
    let coefficients = (0.0..=1.0).contains(&c1) && (0.0..=1.0).contains(&c2) && eps > 0.0 && a < BIG;
    let bounds = g >= 0.0 && m >= 0.0 && v >= 0.0 && g < BIG && m < BIG && v < BIG;
    let m_new = (m + (g + m) * c1) * R;
    let g2 = g * g * R;
    let v_new = (v + (g2 + v) * c2) * R;
    let ma = m_new * a * R;
    coefficients && bounds && m_new < BIG && g2 < BIG && v_new < BIG && ma < BIG && ma / eps * R < 1e30
}
