//! Regression losses: mean squared error, mean absolute error, Huber.
//! Each returns the sum of the row losses and, if asked, writes
//! `scale · ∂row/∂p` (see the table in the parent module).

use super::Rows;

/// Row loss `mean_j (p_j − t_j)²`; gradient `2(p_j − t_j)/k`.
pub(super) fn mse(r: &Rows, grad: Option<&mut [f32]>) -> f64 {
    elementwise(r, grad, |e| (e * e, 2.0 * e))
}

/// Row loss `mean_j |p_j − t_j|`; gradient `sign(p_j − t_j)/k` (0 at 0, as TensorFlow's `abs`).
pub(super) fn mae(r: &Rows, grad: Option<&mut [f32]>) -> f64 {
    elementwise(r, grad, |e| {
        let s = if e > 0.0 {
            1.0
        } else if e < 0.0 {
            -1.0
        } else {
            0.0
        };
        (e.abs(), s)
    })
}

/// Row loss `mean_j h(e_j)`, `e = p − t`, `h(e) = ½e²` if `|e| ≤ δ` else
/// `δ|e| − ½δ²`; gradient `e/k` inside, `δ·sign(e)/k` outside.
pub(super) fn huber(r: &Rows, delta: f32, grad: Option<&mut [f32]>) -> f64 {
    let d = delta as f64;
    elementwise(r, grad, |e| {
        if e.abs() <= d {
            (0.5 * e * e, e)
        } else {
            (d * e.abs() - 0.5 * d * d, d * e.signum())
        }
    })
}

/// Shared loop for losses of the form `mean_j f(p_j − t_j)`: `f` returns
/// `(f(e), f'(e))`, evaluated in f64.
fn elementwise(r: &Rows, grad: Option<&mut [f32]>, f: impl Fn(f64) -> (f64, f64)) -> f64 {
    let inv_k = 1.0 / r.k as f64;
    let gscale = r.scale as f64 * inv_k;
    let mut sum = 0.0f64;
    match grad {
        Some(g) => {
            for ((gi, &p), &t) in g.iter_mut().zip(r.pred).zip(r.truth) {
                let (v, d) = f(p as f64 - t as f64);
                sum += v;
                *gi = (d * gscale) as f32;
            }
        }
        None => {
            for (&p, &t) in r.pred.iter().zip(r.truth) {
                sum += f(p as f64 - t as f64).0;
            }
        }
    }
    sum * inv_k
}
