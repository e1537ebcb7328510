//! Hinge losses (formulas in the parent module). Each returns the sum of the
//! row losses and, if asked, writes `scale · ∂row/∂p`.

use super::Rows;

/// Keras' `convert_binary_labels_to_hinge`: if every target of the batch is 0
/// or 1, use `2t − 1`; otherwise the targets are used as given (expected ±1).
fn hinge_target(all_binary: bool, t: f32) -> f64 {
    if all_binary {
        2.0 * t as f64 - 1.0
    } else {
        t as f64
    }
}

/// Row loss `mean_j max(1 − t_j p_j, 0)`; gradient `−t_j/k` where `1 − t_j p_j > 0`.
pub(super) fn hinge(r: &Rows, grad: Option<&mut [f32]>) -> f64 {
    let binary = r.truth.iter().all(|&t| t == 0.0 || t == 1.0);
    let inv_k = 1.0 / r.k as f64;
    let gscale = r.scale as f64 * inv_k;
    let mut sum = 0.0;
    let mut g_iter = grad.map(|g| g.iter_mut());
    for (&p, &t) in r.pred.iter().zip(r.truth) {
        let t = hinge_target(binary, t);
        let margin = 1.0 - t * p as f64;
        let active = margin > 0.0;
        if margin > 0.0 || margin.is_nan() {
            sum += margin; // also NaN, so a diverged prediction stays visible
        }
        if let Some(gi) = g_iter.as_mut().and_then(|it| it.next()) {
            *gi = if active { (-t * gscale) as f32 } else { 0.0 };
        }
    }
    sum * inv_k
}

/// Row loss `max(neg − pos + 1, 0)`, `pos = Σ t_j p_j`, `neg = max_j (1 − t_j) p_j`.
/// Where the loss is positive: `∂/∂p_j = −t_j + (1 − t_j)·[j = j*]`, `j*` the
/// first index attaining `neg`.
pub(super) fn categorical_hinge(r: &Rows, grad: Option<&mut [f32]>) -> f64 {
    let k = r.k;
    let scale = r.scale as f64;
    let mut grad_rows = grad.map(|g| g.chunks_mut(k));
    let mut sum = 0.0;
    for (p, t) in r.pred.chunks(k).zip(r.truth.chunks(k)) {
        let mut pos = 0.0;
        let mut neg = f64::NEG_INFINITY;
        let mut arg = 0;
        for (j, (&pj, &tj)) in p.iter().zip(t).enumerate() {
            pos += tj as f64 * pj as f64;
            let n = (1.0 - tj as f64) * pj as f64;
            if n > neg {
                neg = n;
                arg = j;
            }
        }
        let loss = neg - pos + 1.0;
        let active = loss > 0.0;
        if loss > 0.0 || loss.is_nan() {
            sum += loss; // also NaN
        }
        if let Some(g) = grad_rows.as_mut().and_then(|it| it.next()) {
            for (j, (gj, &tj)) in g.iter_mut().zip(t).enumerate() {
                let tj = tj as f64;
                let d = if active {
                    -tj + if j == arg { 1.0 - tj } else { 0.0 }
                } else {
                    0.0
                };
                *gj = (d * scale) as f32;
            }
        }
    }
    sum
}
