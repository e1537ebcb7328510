//! Gradient clipping, as `keras/src/optimizers/base_optimizer.py`
//! (`_clip_by_norm`, `clip_by_global_norm`, `ops.clip`).
//!
//! - clipvalue c: `g ← min(max(g, −c), c)` element-wise (NaN stays NaN)
//! - clipnorm c (each tensor): `‖g‖ = √Σg²` (0 for a zero tensor),
//!   `g ← g·c / max(‖g‖, c)`
//! - global_clipnorm c (all tensors together): `N = √Σ_tensors Σg²`,
//!   `scale = c·min(1/N, 1/c)`, made NaN when N is not finite (as Keras'
//!   `scale + (N − N)`), `g ← g·scale`
//!
//! Sums of squares are accumulated in f64; the scaling itself is f32.

/// Clip every element to `[-c, c]`.
pub fn clip_by_value(g: &mut [f32], c: f32) {
    for x in g.iter_mut() {
        if *x > c {
            *x = c;
        } else if *x < -c {
            *x = -c;
        }
    }
}

/// Σg² in f64.
pub fn sum_squares(g: &[f32]) -> f64 {
    g.iter().map(|&x| (x as f64) * (x as f64)).sum()
}

/// Rescale one tensor so that its L2 norm is at most `c`.
pub fn clip_by_norm(g: &mut [f32], c: f32) {
    let l2sum = sum_squares(g);
    let norm = if l2sum > 0.0 { l2sum.sqrt() as f32 } else { l2sum as f32 };
    let denom = norm.max(c);
    if norm.is_nan() {
        // Keras: maximum(NaN, c) is NaN, so every element becomes NaN.
        g.iter_mut().for_each(|x| *x = f32::NAN);
        return;
    }
    for x in g.iter_mut() {
        *x = (*x * c) / denom;
    }
}

/// The global L2 norm of several tensors, `√Σ Σg²` (in f64).
pub fn global_norm(grads: &[&mut [f32]]) -> f64 {
    grads.iter().map(|g| sum_squares(g)).sum::<f64>().sqrt()
}

/// Rescale all tensors together so that their global L2 norm is at most `c`.
pub fn clip_by_global_norm(grads: &mut [&mut [f32]], c: f32) {
    let norm = global_norm(grads) as f32;
    // TensorFlow's `clip_by_global_norm` adds `norm - norm` on purpose: it is 0
    // for a finite norm and NaN for an infinite or NaN one, so a non-finite
    // gradient poisons every clipped tensor instead of silently scaling to 0.
    #[allow(clippy::eq_op)]
    let nan_if_not_finite = norm - norm;
    let scale = c * (1.0 / norm).min(1.0 / c) + nan_if_not_finite;
    for g in grads.iter_mut() {
        for x in g.iter_mut() {
            *x *= scale;
        }
    }
}
