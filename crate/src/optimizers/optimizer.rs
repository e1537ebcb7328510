//! [`Optimizer`]: Keras' optimizer object. It owns its hyper-parameters
//! ([`OptimizerConfig`]), the ONE current learning rate (set by hand or by an
//! `lr_schedule`), a state beside every parameter (slots, in the model's
//! param order), the optimizer-wide state and `iterations`; it steps the
//! parameters of a model ([`Trainable`]).
//!
//! One step ([`Optimizer::apply`], Keras `optimizer.apply(grads)`):
//! non-finite gradient → stop before any change; clip; `begin_step`;
//! `update` every trainable param; `iterations += 1`.
//!
//! Rollback: the step is atomic, in one pass over each param, all params in
//! one parallel region ([`EveryParam`]: the pool's threads wake once per
//! step, not once per large param). When the rule can certify from bounds
//! that the step's results are finite (Adam, with every gradient's bound
//! reported by its layer, see [`super::pass`]), the params and slots are
//! updated in place: such a step cannot diverge. Otherwise every param's
//! rule reads its values, gradient and slots and writes the new values and
//! slots into spare buffers beside them (a shadow of the same size, kept
//! between steps, so the steady state does not allocate), checking in the
//! same pass that everything written, and every gradient read, is finite.
//! Only when every param passed are the buffers swapped in (no copy); the
//! global state before `begin_step` is kept too. Otherwise nothing was
//! written to the model or the slots, the global state is restored and the
//! step leaves no trace (`iterations` unchanged): a later step, e.g. with a
//! lower learning rate, starts from the state before it. With gradient
//! clipping, the gradients are checked before clipping (which could turn an
//! infinite gradient into a finite one), as Keras' step sees them.

use super::param_list::ParamList;
use super::pass::{commit_slots, EveryParam, Spare};
use super::{GlobalState, OptimizerConfig, OptimizerKind, ParamState};
use crate::kernels::elementwise::all_finite;
use crate::layers::Param;
use crate::schedules::Schedule;
use crate::tensor::Tensor;
use crate::{Error, Result};

/// What an optimizer steps: a model's parameters in a fixed order.
pub trait Trainable {
    /// `f` on every param in order, without allocating; the references live
    /// as long as the borrow of the model (a step can hold them all together).
    fn each_param_mut<'a>(&'a mut self, f: &mut dyn FnMut(&'a mut Param) -> Result<()>) -> Result<()>;
}

#[derive(Clone, Debug)]
pub struct Optimizer {
    /// Hyper-parameters; its learning rate is THE current one.
    config: OptimizerConfig,
    schedule: Option<Schedule>,
    slots: Vec<ParamState>,
    global: GlobalState,
    /// Steps applied (Keras `optimizer.iterations`).
    iterations: u64,
    /// Per param: the shadow way's buffers and the bounds of its slots
    /// (cleared with the state: bounds of a state from elsewhere are not known).
    spares: Vec<Spare>,
    /// The last step was certified and done in place (see [`super::pass`]).
    in_place: bool,
    /// The step's references to every param (empty between steps).
    params: ParamList,
    global_backup: Vec<f64>,
}

fn not_contiguous() -> Error {
    Error::State("a parameter tensor is not contiguous in memory".into())
}

impl Optimizer {
    /// A fresh optimizer for params of lengths `param_lens` (Keras `build`).
    pub fn new(config: OptimizerConfig, schedule: Option<Schedule>, param_lens: &[usize]) -> Optimizer {
        let mut o = Optimizer {
            config,
            schedule,
            slots: Vec::new(),
            global: GlobalState::default(),
            iterations: 0,
            spares: Vec::new(),
            in_place: false,
            params: ParamList::default(),
            global_backup: Vec::new(),
        };
        o.restart(param_lens);
        o
    }

    /// Fresh state (slots, global, iterations 0); hyper-parameters kept.
    pub fn restart(&mut self, param_lens: &[usize]) {
        self.slots = param_lens.iter().map(|&n| self.config.init_state(n)).collect();
        self.spares.clear();
        self.global = self.config.init_global();
        self.iterations = 0;
    }

    /// An optimizer with these hyper-parameters and schedule but no state
    /// (cheap: to try settings before applying them).
    pub fn clone_config_only(&self) -> Optimizer {
        Optimizer::new(self.config.clone(), self.schedule.clone(), &[])
    }

    /// Replace the state (e.g. from a model file, checked by the caller).
    pub fn restore(&mut self, slots: Vec<ParamState>, global: GlobalState, iterations: u64) {
        self.slots = slots;
        self.spares.clear();
        self.global = global;
        self.iterations = iterations;
    }

    pub fn config(&self) -> &OptimizerConfig {
        &self.config
    }
    pub fn schedule(&self) -> Option<&Schedule> {
        self.schedule.as_ref()
    }
    pub fn slots(&self) -> &[ParamState] {
        &self.slots
    }
    pub fn global(&self) -> &GlobalState {
        &self.global
    }
    pub fn iterations(&self) -> u64 {
        self.iterations
    }
    pub fn name(&self) -> &'static str {
        self.config.name()
    }
    /// Whether the last step was certified finite and done in place (else
    /// it went through the spare buffers; see [`super::pass`]).
    pub fn last_step_in_place(&self) -> bool {
        self.in_place
    }

    /// The number the next step will have (`iterations + 1`); an error, not
    /// an overflow, when the counter (e.g. from a model file) is at its maximum.
    pub fn next_step(&self) -> Result<u64> {
        self.iterations.checked_add(1).ok_or_else(|| {
            Error::State(format!(
                "the step counter is at its maximum ({}); reset the run to train further",
                self.iterations
            ))
        })
    }

    /// The learning rate of the next step (as last set or scheduled).
    pub fn learning_rate(&self) -> f32 {
        self.config.learning_rate()
    }

    /// The rate the schedule gives for the next step in `epoch` (Keras
    /// evaluates it at `iterations`; epoch-based schedules use the 0-based epoch).
    pub fn scheduled_learning_rate(&self, epoch: u32) -> Option<f32> {
        self.schedule.as_ref().map(|s| s.learning_rate(self.iterations, epoch))
    }

    /// Before a step in `epoch`: the schedule, if any, sets the learning rate
    /// (it may legitimately reach 0 at the end of a cosine decay, so no check).
    pub fn prepare(&mut self, epoch: u32) {
        if let Some(lr) = self.scheduled_learning_rate(epoch) {
            *lr_field(&mut self.config.kind) = lr;
        }
    }

    /// Set the learning rate by hand (finite, > 0), effective from the next
    /// step. Not allowed while an `lr_schedule` decides the rate.
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<()> {
        if self.schedule.is_some() {
            return Err(Error::Config(
                "an lr_schedule sets the learning rate; remove lr_schedule from the config to set it by hand".into(),
            ));
        }
        self.config.set_learning_rate(lr)
    }

    /// SGD/RMSprop `momentum`, Adam/Nadam `beta_1`; `None` for Adagrad.
    pub fn momentum(&self) -> Option<f32> {
        self.config.momentum()
    }

    /// Set what [`momentum`](Self::momentum) reports, effective from the next step.
    pub fn set_momentum(&mut self, m: f32) -> Result<()> {
        self.config.set_momentum(m)
    }

    /// One step on `model`'s gradients (see the module doc); `loss` is only
    /// reported in the divergence error. On any error nothing changed.
    pub fn apply(&mut self, model: &mut dyn Trainable, loss: f32) -> Result<()> {
        let step = self.next_step()?;
        let diverged = || Error::Diverged { step, loss };
        let c = &self.config;
        if [c.clipnorm, c.global_clipnorm, c.clipvalue]
            .iter()
            .any(|c| c.is_some_and(|c| c > 0.0))
        {
            let finite = |t: &Tensor| t.as_slice().map_or_else(|| t.iter().all(|v| v.is_finite()), all_finite);
            let mut grads_finite = true;
            model.each_param_mut(&mut |p| {
                grads_finite &= !p.trainable || finite(&p.grad);
                Ok(())
            })?;
            if !grads_finite {
                return Err(diverged());
            }
            // Clipping changes gradients only, never the state: no rollback needed.
            let mut grads = Vec::new();
            model.each_param_mut(&mut |p| {
                p.grad_max = None;
                if p.trainable {
                    grads.push(p.grad.as_slice_mut().ok_or_else(not_contiguous)?);
                }
                Ok(())
            })?;
            self.config.clip(&mut grads);
        }
        self.global_backup.clear();
        self.global_backup.extend_from_slice(&self.global.values);
        self.config.begin_step(self.iterations, &mut self.global);
        let outcome = self.compute_all(model).and_then(|ok| {
            if self.in_place && !ok {
                return Err(Error::State(
                    "a weight was not a finite number before this step (its update could not be checked); reset the run"
                        .into(),
                ));
            }
            if ok && !self.in_place {
                self.commit_all(model)?;
            }
            Ok(ok)
        });
        if outcome != Ok(true) {
            self.global.values.clear();
            self.global.values.extend_from_slice(&self.global_backup);
            return Err(outcome.err().unwrap_or_else(diverged));
        }
        self.iterations = step;
        Ok(())
    }

    /// Every trainable param's step ([`EveryParam`]): certified and in
    /// place (`self.in_place`), or its new values and slots into the spare
    /// buffers (the model and the slots are only read). `Ok(false)` when a
    /// new value or slot, or a gradient, is not finite.
    fn compute_all(&mut self, model: &mut dyn Trainable) -> Result<bool> {
        let count = self.slots.len();
        if self.spares.len() < count {
            self.spares.resize_with(count, Spare::default);
        }
        self.in_place = false;
        let mut params = self.params.take();
        // Params and states pair up in order (as a zip: extra params are left alone).
        let gathered = model.each_param_mut(&mut |p| {
            if params.len() < count {
                if p.trainable {
                    param_slice(&p.value)?;
                    param_slice(&p.grad)?;
                }
                params.push(p);
            }
            Ok(())
        });
        let ok = gathered.map(|()| {
            let n = params.len();
            let mut t = EveryParam {
                params: &mut params,
                states: &mut self.slots[..n],
                spares: &mut self.spares[..n],
                in_place: false,
            };
            let ok = self.config.step(self.iterations, &self.global, &mut t);
            self.in_place = t.in_place;
            ok
        });
        self.params.give_back(params);
        ok
    }

    /// Swap the spare buffers in: every trainable param's values and the
    /// slots its rule wrote (no copy; the old buffers become next step's spares).
    fn commit_all(&mut self, model: &mut dyn Trainable) -> Result<()> {
        let mut k = 0;
        let (states, spares) = (&mut self.slots, &mut self.spares);
        model.each_param_mut(&mut |p| {
            let i = k;
            let Some(state) = states.get_mut(i) else { return Ok(()) };
            k += 1;
            if !p.trainable {
                return Ok(());
            }
            swap_values(&mut p.value, &mut spares[i].values)?;
            commit_slots(state, &mut spares[i]);
            Ok(())
        })
    }
}

fn param_slice(t: &Tensor) -> Result<&[f32]> {
    t.as_slice().ok_or_else(not_contiguous)
}

/// Make `v` (as many values as `t`) the storage of `t`, and `t`'s old
/// storage the new `v`: no copy, no allocation (the shape has at most 4
/// dimensions, stored inline).
fn swap_values(t: &mut Tensor, v: &mut Vec<f32>) -> Result<()> {
    if v.len() != t.len() {
        return Err(Error::State("optimizer: a parameter changed size during a step".into()));
    }
    let shape = t.raw_dim();
    let old = std::mem::replace(t, Tensor::zeros(ndarray::IxDyn(&[0])));
    let (data, _) = old.into_raw_vec_and_offset();
    let new = std::mem::replace(v, data);
    // The lengths match (checked above), so this cannot fail.
    *t = Tensor::from_shape_vec(shape, new).map_err(|e| Error::State(format!("optimizer: {e}")))?;
    Ok(())
}

/// The learning-rate field of every optimizer kind: the one 5-arm match.
pub(super) fn lr_field(kind: &mut OptimizerKind) -> &mut f32 {
    match kind {
        OptimizerKind::Sgd { learning_rate, .. }
        | OptimizerKind::Adam { learning_rate, .. }
        | OptimizerKind::Rmsprop { learning_rate, .. }
        | OptimizerKind::Adagrad { learning_rate, .. }
        | OptimizerKind::Nadam { learning_rate, .. } => learning_rate,
    }
}
