//! The training probe (issue 11, "inside the network"): per-parameter L2
//! norms of the gradient and of the weights while a run trains, to show a
//! vanishing gradient (a deep sigmoid stack) against relu + He initialisation.
//!
//! For every [`Param`](crate::layers::Param) `θ` (model order: layer by
//! layer, kernel then bias) and every applied batch `b`:
//! `‖g_b‖₂ = sqrt(Σᵢ (∂L_b/∂θᵢ)²)`, the gradient of the batch's mean loss as
//! the layers' `backward` wrote it, before the optimizer's clipping (Keras'
//! gradients of `tape.gradient`). A report covers the batches since the
//! previous one: `grad_norm = (1/B) Σ_b ‖g_b‖₂` (their mean), `last_grad_norm`
//! = the last batch's, and `weight_norm = ‖θ‖₂` as the weights are at the
//! report. Sums are f64.
//!
//! Cost: off (the default) ⇒ one branch per step, nothing else. On ⇒ one pass
//! over the gradients per step into buffers sized once by
//! [`Run::set_probe`] (no allocation in the step); the weight norms are
//! computed only when a report is taken. A diverging step (rolled back by
//! the optimizer) is not counted.

use serde::Serialize;

use super::run::Run;
use super::sequential::Sequential;
use crate::Result;

/// The probe's buffers, one slot per param in model order.
#[derive(Clone, Debug, Default)]
pub struct Probe {
    on: bool,
    /// Σ over the batches since the last report of `‖g_b‖₂`.
    grad_sum: Vec<f64>,
    /// This batch's norms, committed when its update is applied.
    pending: Vec<f64>,
    /// The last applied batch's norms.
    last: Vec<f64>,
    batches: u64,
}

/// One param's norms in a [`ProbeReport`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamNorms {
    /// Index of the layer in the model.
    pub layer: usize,
    /// Keras layer name (`dense_2`).
    pub layer_name: String,
    /// Keras variable name (`kernel`, `bias`, …).
    pub param: &'static str,
    /// Number of values.
    pub size: usize,
    /// Mean of `‖g_b‖₂` over the report's batches (0 when it has none).
    pub grad_norm: f64,
    /// `‖g‖₂` of the last batch applied (0 before any).
    pub last_grad_norm: f64,
    /// `‖θ‖₂` now.
    pub weight_norm: f64,
}

/// The norms over the batches since the previous report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProbeReport {
    /// The run's step (Keras `optimizer.iterations`) at the report.
    pub step: u64,
    /// Batches the means cover.
    pub batches: u64,
    pub params: Vec<ParamNorms>,
}

/// `sqrt(Σ v²)` accumulated in f64.
pub fn l2_norm<'a>(values: impl IntoIterator<Item = &'a f32>) -> f64 {
    values
        .into_iter()
        .map(|&v| f64::from(v) * f64::from(v))
        .sum::<f64>()
        .sqrt()
}

impl Probe {
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Switch on (buffers sized for `n_params` params, sums cleared) or off.
    fn set(&mut self, on: bool, n_params: usize) {
        self.on = on;
        let n = if on { n_params } else { 0 };
        for v in [&mut self.grad_sum, &mut self.pending, &mut self.last] {
            v.clear();
            v.resize(n, 0.0);
        }
        self.batches = 0;
    }

    /// Sums back to zero (a reset run), buffers kept.
    pub(super) fn clear(&mut self) {
        for v in [&mut self.grad_sum, &mut self.pending, &mut self.last] {
            v.iter_mut().for_each(|x| *x = 0.0);
        }
        self.batches = 0;
    }

    /// The norms of the gradients `backward` just wrote (not yet counted).
    pub(super) fn measure(&mut self, model: &mut Sequential) -> Result<()> {
        let mut i = 0;
        let pending = &mut self.pending;
        model.for_each_param_mut(|p| {
            if let Some(slot) = pending.get_mut(i) {
                *slot = l2_norm(p.grad.iter());
            }
            i += 1;
            Ok(())
        })
    }

    /// Count the measured batch (its update was applied).
    pub(super) fn commit(&mut self) {
        for ((s, l), p) in self.grad_sum.iter_mut().zip(self.last.iter_mut()).zip(&self.pending) {
            *s += p;
            *l = *p;
        }
        self.batches += 1;
    }
}

impl Run {
    /// Collect gradient norms from the next batch on (`true`) or stop (`false`);
    /// either way the sums start from zero. Training results do not change.
    pub fn set_probe(&mut self, on: bool) {
        let n = self.model.params().len();
        self.probe.set(on, n);
    }

    pub fn probe_on(&self) -> bool {
        self.probe.is_on()
    }

    /// The norms since the previous report (see the module doc), and the sums
    /// start again; `None` when the probe is off.
    pub fn take_probe(&mut self) -> Option<ProbeReport> {
        if !self.probe.on {
            return None;
        }
        let names = self.model.layer_names();
        let b = self.probe.batches;
        let params = self
            .model
            .params_by_layer()
            .into_iter()
            .enumerate()
            .map(|(i, (layer, p))| ParamNorms {
                layer,
                layer_name: names.get(layer).cloned().unwrap_or_default(),
                param: p.name,
                size: p.len(),
                grad_norm: match self.probe.grad_sum.get(i) {
                    Some(s) if b > 0 => s / b as f64,
                    _ => 0.0,
                },
                last_grad_norm: self.probe.last.get(i).copied().unwrap_or(0.0),
                weight_norm: l2_norm(p.value.iter()),
            })
            .collect();
        let report = ProbeReport {
            step: self.step(),
            batches: b,
            params,
        };
        for s in self.probe.grad_sum.iter_mut() {
            *s = 0.0;
        }
        self.probe.batches = 0;
        Some(report)
    }
}
