//! Crossentropies and KL divergence (formulas in the parent module). Each
//! returns the sum of the row losses and, if asked, writes `scale · ∂row/∂p`.
//! Internals run in f64; the probability clip is applied at f32 precision as
//! Keras does (`1 − ε` rounds to 0.99999988 in f32).

use super::{Rows, EPSILON};
use crate::{Error, Result};

const LO: f64 = EPSILON as f64;
const HI: f64 = (1.0f32 - EPSILON) as f64;

/// `clip(v, lo, hi)` and whether the gradient passes (`lo ≤ v ≤ hi`, as `clip_by_value`).
fn clip(v: f64, lo: f64, hi: f64) -> (f64, bool) {
    if v < lo {
        (lo, false)
    } else if v > hi {
        (hi, false)
    } else {
        (v, true)
    }
}

/// Categorical crossentropy of one row from probabilities, with targets
/// `t(j)`. Writes `scale·∂/∂p` into `g` if given. See the parent module for
/// the normalisation and its gradient.
fn ce_probs_row(p: &[f32], t: impl Fn(usize) -> f64, scale: f64, g: Option<&mut [f32]>) -> f64 {
    let s: f64 = p.iter().map(|&v| v as f64).sum();
    let mut loss = 0.0;
    for (j, &pj) in p.iter().enumerate() {
        let (q, _) = clip(pj as f64 / s, LO, HI);
        loss -= t(j) * q.ln();
    }
    if let Some(g) = g {
        // g_j = ∂row/∂p̂_j = −t_j / q_j where unclipped; then (g_i − Σ g_j p̂_j) / S.
        let mut dot = 0.0;
        for (j, (gj, &pj)) in g.iter_mut().zip(p).enumerate() {
            let phat = pj as f64 / s;
            let (q, pass) = clip(phat, LO, HI);
            let d = if pass { -t(j) / q } else { 0.0 };
            dot += d * phat;
            *gj = d as f32;
        }
        for gj in g.iter_mut() {
            *gj = ((*gj as f64 - dot) / s * scale) as f32;
        }
    }
    loss
}

/// Categorical crossentropy of one logit row: `−Σ t_j (x_j − m − log Σ e^(x−m))`;
/// gradient `softmax(x)_i·Σt − t_i`.
fn ce_logits_row(x: &[f32], t: impl Fn(usize) -> f64, scale: f64, g: Option<&mut [f32]>) -> f64 {
    let m = x.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v as f64));
    let sum_exp: f64 = x.iter().map(|&v| (v as f64 - m).exp()).sum();
    let lse = sum_exp.ln();
    let mut loss = 0.0;
    let mut t_sum = 0.0;
    for (j, &xj) in x.iter().enumerate() {
        loss -= t(j) * (xj as f64 - m - lse);
        t_sum += t(j);
    }
    if let Some(g) = g {
        for (j, (gj, &xj)) in g.iter_mut().zip(x).enumerate() {
            let sm = (xj as f64 - m).exp() / sum_exp;
            *gj = ((sm * t_sum - t(j)) * scale) as f32;
        }
    }
    loss
}

pub(super) fn categorical(r: &Rows, from_logits: bool, smoothing: f32, grad: Option<&mut [f32]>) -> f64 {
    let k = r.k;
    let s = smoothing as f64;
    let scale = r.scale as f64;
    let mut grad_rows = grad.map(|g| g.chunks_mut(k));
    let mut sum = 0.0;
    for (p, t) in r.pred.chunks(k).zip(r.truth.chunks(k)) {
        let target = |j: usize| t[j] as f64 * (1.0 - s) + s / k as f64;
        let g = grad_rows.as_mut().and_then(|it| it.next());
        sum += if from_logits {
            ce_logits_row(p, target, scale, g)
        } else {
            ce_probs_row(p, target, scale, g)
        };
    }
    sum
}

/// Validate one sparse label: an integer in `0..k`.
fn label(v: f32, row: usize, k: usize) -> Result<usize> {
    if v.fract() != 0.0 || v < 0.0 || v >= k as f32 {
        return Err(Error::Data(format!(
            "sparse_categorical_crossentropy: the label of sample {row} is {v}, but the model \
             has {k} outputs, so labels must be whole numbers from 0 to {}; check the labels or \
             set the units of the last Dense layer to the number of classes",
            k.saturating_sub(1)
        )));
    }
    Ok(v as usize)
}

/// Sparse categorical crossentropy: `truth` holds one class index per row.
pub(super) fn sparse(r: &Rows, from_logits: bool, grad: Option<&mut [f32]>) -> Result<f64> {
    let k = r.k;
    let scale = r.scale as f64;
    let mut grad_rows = grad.map(|g| g.chunks_mut(k));
    let mut sum = 0.0;
    for (row, (p, &lv)) in r.pred.chunks(k).zip(r.truth).enumerate() {
        let c = label(lv, row, k)?;
        let target = |j: usize| if j == c { 1.0 } else { 0.0 };
        let g = grad_rows.as_mut().and_then(|it| it.next());
        sum += if from_logits {
            ce_logits_row(p, target, scale, g)
        } else {
            ce_probs_row(p, target, scale, g)
        };
    }
    Ok(sum)
}

/// Binary crossentropy, mean over the row. Probabilities: `q = clip(p, ε, 1−ε)`,
/// `−(t log q + (1−t) log(1−q))`, gradient `(−t/q + (1−t)/(1−q))/k` where
/// unclipped. Logits: `max(x,0) − x·t + log(1 + e^−|x|)`, gradient `(σ(x) − t)/k`.
pub(super) fn binary(r: &Rows, from_logits: bool, smoothing: f32, grad: Option<&mut [f32]>) -> f64 {
    let s = smoothing as f64;
    let inv_k = 1.0 / r.k as f64;
    let gscale = r.scale as f64 * inv_k;
    let mut sum = 0.0;
    let mut g_iter = grad.map(|g| g.iter_mut());
    for (&p, &t) in r.pred.iter().zip(r.truth) {
        let t = t as f64 * (1.0 - s) + 0.5 * s;
        let x = p as f64;
        let (v, d) = if from_logits {
            let v = x.max(0.0) - x * t + (-x.abs()).exp().ln_1p();
            (v, 1.0 / (1.0 + (-x).exp()) - t)
        } else {
            let (q, pass) = clip(x, LO, HI);
            let v = -(t * q.ln() + (1.0 - t) * (1.0 - q).ln());
            (v, if pass { -t / q + (1.0 - t) / (1.0 - q) } else { 0.0 })
        };
        sum += v;
        if let Some(gi) = g_iter.as_mut().and_then(|it| it.next()) {
            *gi = (d * gscale) as f32;
        }
    }
    sum * inv_k
}

/// KL divergence `Σ_j t' log(t'/p')`, `t' = clip(t, ε, 1)`, `p' = clip(p, ε, 1)`;
/// gradient `−t'/p'` where `p` is unclipped.
pub(super) fn kl_divergence(r: &Rows, grad: Option<&mut [f32]>) -> f64 {
    let scale = r.scale as f64;
    let mut sum = 0.0;
    let mut g_iter = grad.map(|g| g.iter_mut());
    for (&p, &t) in r.pred.iter().zip(r.truth) {
        let (t, _) = clip(t as f64, LO, 1.0);
        let (q, pass) = clip(p as f64, LO, 1.0);
        sum += t * (t / q).ln();
        if let Some(gi) = g_iter.as_mut().and_then(|it| it.next()) {
            *gi = (if pass { -t / q * scale } else { 0.0 }) as f32;
        }
    }
    sum
}
