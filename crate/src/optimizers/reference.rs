//! Test-only scalar re-implementations in f64, written out step by step from
//! the Keras 3 formulas (keras/src/optimizers/*.py). They share no code with
//! the optimizers under test. Each returns the weights and the slots after
//! applying `grads[0]`, `grads[1]`, ... (step t = 1, 2, ...).

/// Keras casts a hyper-parameter to the variable dtype before raising it to
/// a power (`ops.power(ops.cast(self.beta_2, variable.dtype), local_step)`),
/// so `1 − β2ᵗ` is computed from float32(β2); with β2 = 0.999 that differs from
/// the exact decimal by 1.3e-5 relative. The references model that cast.
pub fn as_f32(x: f64) -> f64 {
    x as f32 as f64
}

pub struct Out {
    pub w: Vec<f64>,
    pub slots: Vec<Vec<f64>>,
}

/// SGD. slots: [velocity].
pub fn sgd(w0: &[f64], grads: &[Vec<f64>], lr: f64, momentum: f64, nesterov: bool) -> Out {
    let mut w = w0.to_vec();
    let mut vel = vec![0.0; w.len()];
    for g in grads {
        for i in 0..w.len() {
            if momentum == 0.0 {
                w[i] -= lr * g[i];
            } else {
                vel[i] = momentum * vel[i] - lr * g[i];
                if nesterov {
                    w[i] = w[i] + momentum * vel[i] - lr * g[i];
                } else {
                    w[i] += vel[i];
                }
            }
        }
    }
    Out { w, slots: vec![vel] }
}

/// Adam. slots: [m, v, v_hat].
pub fn adam(w0: &[f64], grads: &[Vec<f64>], lr: f64, b1: f64, b2: f64, eps: f64, amsgrad: bool) -> Out {
    let mut w = w0.to_vec();
    let n = w.len();
    let (mut m, mut v, mut vh) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for (k, g) in grads.iter().enumerate() {
        let t = (k + 1) as f64;
        let alpha = lr * (1.0 - as_f32(b2).powf(t)).sqrt() / (1.0 - as_f32(b1).powf(t));
        for i in 0..n {
            m[i] = m[i] + (g[i] - m[i]) * (1.0 - b1);
            v[i] = v[i] + (g[i] * g[i] - v[i]) * (1.0 - b2);
            let denom_v = if amsgrad {
                if v[i] > vh[i] {
                    vh[i] = v[i];
                }
                vh[i]
            } else {
                v[i]
            };
            w[i] -= m[i] * alpha / (denom_v.sqrt() + eps);
        }
    }
    Out {
        w,
        slots: vec![m, v, vh],
    }
}

/// RMSprop (Keras 3). slots: [velocity, momentum, average_gradient].
pub fn rmsprop(w0: &[f64], grads: &[Vec<f64>], lr: f64, rho: f64, momentum: f64, eps: f64, centered: bool) -> Out {
    let mut w = w0.to_vec();
    let n = w.len();
    let (mut vel, mut mom, mut avg) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for g in grads {
        for i in 0..n {
            vel[i] = rho * vel[i] + (1.0 - rho) * g[i] * g[i];
            let denom = if centered {
                avg[i] = rho * avg[i] + (1.0 - rho) * g[i];
                vel[i] - avg[i] * avg[i] + eps
            } else {
                vel[i] + eps
            };
            let inc = lr * g[i] / denom.sqrt();
            if momentum > 0.0 {
                mom[i] = momentum * mom[i] + inc;
                w[i] -= mom[i];
            } else {
                w[i] -= inc;
            }
        }
    }
    Out {
        w,
        slots: vec![vel, mom, avg],
    }
}

/// Adagrad (Keras 3). slots: [accumulator].
pub fn adagrad(w0: &[f64], grads: &[Vec<f64>], lr: f64, initial: f64, eps: f64) -> Out {
    let mut w = w0.to_vec();
    let mut acc = vec![initial; w.len()];
    for g in grads {
        for i in 0..w.len() {
            acc[i] += g[i] * g[i];
            w[i] -= lr * g[i] / (acc[i] + eps).sqrt();
        }
    }
    Out { w, slots: vec![acc] }
}

/// Nadam (Keras 3). slots: [m, v, [running product]].
///
/// Keras computes the step's scalars as f32 tensors (`beta_1 = cast(β1)`,
/// `u_t = beta_1·(1 − 0.5·power(decay, step))`, `1 − beta_2_power`, …), so each
/// scalar operation is rounded to f32 here (`r`): that matters where it cancels,
/// e.g. `1 − β2ᵗ` keeps only ~3 significant digits of the f32 power after 3
/// steps. `1 − β` is the complement of the f32 value (exact in f64:
/// 1 − 0.9f32 = 0.10000002384…, 1 − 0.999f32 = 0.00099998713…). The per-element
/// arithmetic runs in f64.
pub fn nadam(w0: &[f64], grads: &[Vec<f64>], lr: f64, b1: f64, b2: f64, eps: f64) -> Out {
    let r = as_f32;
    let mut w = w0.to_vec();
    let n = w.len();
    let (mut m, mut v) = (vec![0.0; n], vec![0.0; n]);
    let mut u_product = 1.0;
    let (b1c, b2c, decay) = (r(b1), r(b2), r(0.96));
    for (k, g) in grads.iter().enumerate() {
        let t = (k + 1) as f64;
        let cache = |s: f64| r(b1c * r(1.0 - r(0.5 * r(decay.powf(s)))));
        let (u_t, u_t1) = (cache(t), cache(t + 1.0));
        // Once per step, before the variables: (u_product · beta_1) · (1 − 0.5·0.96ᵗ).
        u_product = r(r(u_product * b1c) * r(1.0 - r(0.5 * r(decay.powf(t)))));
        let u_product_t1 = r(u_product * u_t1);
        let b2_pow = r(b2c.powf(t));
        for i in 0..n {
            m[i] = m[i] + (g[i] - m[i]) * (1.0 - b1c);
            v[i] = v[i] + (g[i] * g[i] - v[i]) * (1.0 - b2c);
            let m_hat = u_t1 * m[i] / r(1.0 - u_product_t1) + r(1.0 - u_t) * g[i] / r(1.0 - u_product);
            let v_hat = v[i] / r(1.0 - b2_pow);
            w[i] -= m_hat * lr / (v_hat.sqrt() + r(eps));
        }
    }
    Out {
        w,
        slots: vec![m, v, vec![u_product]],
    }
}

/// Clipping of a list of tensors, from the Keras formulas, in f64.
pub fn clip_value(g: &[f64], c: f64) -> Vec<f64> {
    g.iter()
        .map(|&x| {
            if x > c {
                c
            } else if x < -c {
                -c
            } else {
                x
            }
        })
        .collect()
}

pub fn clip_norm(g: &[f64], c: f64) -> Vec<f64> {
    let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm <= c {
        g.to_vec()
    } else {
        g.iter().map(|x| x * c / norm).collect()
    }
}

pub fn clip_global_norm(gs: &[Vec<f64>], c: f64) -> Vec<Vec<f64>> {
    let norm = gs.iter().flatten().map(|x| x * x).sum::<f64>().sqrt();
    let scale = if norm <= c { 1.0 } else { c / norm };
    gs.iter().map(|g| g.iter().map(|x| x * scale).collect()).collect()
}
