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
//! Rollback: the step is atomic. Before a param is updated, its values and
//! its slots are copied into a grow-only scratch (so the steady state does
//! not allocate), and the global state before `begin_step` is kept too. When
//! any updated value or slot is not finite, every param updated so far and
//! its slots are copied back and the global state restored: the step leaves
//! no trace (`iterations` unchanged), and a later step, e.g. with a lower
//! learning rate, starts from the state before it.

use super::{GlobalState, OptimizerConfig, OptimizerKind, ParamState};
use crate::kernels::elementwise::{all_finite, copy};
use crate::layers::Param;
use crate::schedules::Schedule;
use crate::{Error, Result};

/// What an optimizer steps: a model's parameters in a fixed order.
pub trait Trainable {
    /// `f` on every param in order, without allocating.
    fn each_param_mut(&mut self, f: &mut dyn FnMut(&mut Param) -> Result<()>) -> Result<()>;
    /// Every param in the same order (gradient clipping needs them together).
    fn all_params_mut(&mut self) -> Vec<&mut Param>;
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
    /// Rollback scratch: values then slots of each param updated in this step.
    backup: Vec<f32>,
    /// Each backed-up slot's length (an update may create a slot, e.g. SGD
    /// velocity after momentum was set from 0).
    slot_lens: Vec<usize>,
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
            backup: Vec::new(),
            slot_lens: Vec::new(),
            global_backup: Vec::new(),
        };
        o.restart(param_lens);
        o
    }

    /// Fresh state (slots, global, iterations 0); hyper-parameters kept.
    pub fn restart(&mut self, param_lens: &[usize]) {
        self.slots = param_lens.iter().map(|&n| self.config.init_state(n)).collect();
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
    /// reported in the divergence error. On any error nothing changed (the
    /// params updated so far and their slots are restored).
    pub fn apply(&mut self, model: &mut dyn Trainable, loss: f32) -> Result<()> {
        let step = self.next_step()?;
        let diverged = || Error::Diverged { step, loss };
        let finite =
            |t: &crate::tensor::Tensor| t.as_slice().map_or_else(|| t.iter().all(|v| v.is_finite()), all_finite);
        let mut grads_finite = true;
        model.each_param_mut(&mut |p| {
            grads_finite &= !p.trainable || finite(&p.grad);
            Ok(())
        })?;
        if !grads_finite {
            return Err(diverged());
        }
        let c = &self.config;
        if [c.clipnorm, c.global_clipnorm, c.clipvalue]
            .iter()
            .any(|c| c.is_some_and(|c| c > 0.0))
        {
            // Clipping changes gradients only, never the state: no rollback needed.
            let mut params = model.all_params_mut();
            let mut grads = Vec::with_capacity(params.len());
            for p in params.iter_mut().filter(|p| p.trainable) {
                grads.push(p.grad.as_slice_mut().ok_or_else(not_contiguous)?);
            }
            self.config.clip(&mut grads);
        }
        self.global_backup.clear();
        self.global_backup.extend_from_slice(&self.global.values);
        self.config.begin_step(self.iterations, &mut self.global);
        let mut used = 0;
        let outcome = self.update_all(model, &mut used);
        if outcome != Ok(true) {
            self.roll_back(model, used)?;
            return Err(outcome.err().unwrap_or_else(diverged));
        }
        self.iterations = step;
        Ok(())
    }

    /// Update every trainable param, backing each up first (`used`: the
    /// scratch values written). `Ok(false)` when an update made a value or
    /// slot non-finite (the updates stop there).
    fn update_all(&mut self, model: &mut dyn Trainable, used: &mut usize) -> Result<bool> {
        let (config, global, iteration) = (&self.config, &self.global, self.iterations);
        let (backup, slot_lens) = (&mut self.backup, &mut self.slot_lens);
        slot_lens.clear();
        let mut states = self.slots.iter_mut();
        let mut bad = false;
        model.each_param_mut(&mut |p| {
            // Params and states pair up in order (as a zip: extra params are left alone).
            let Some(state) = states.next() else { return Ok(()) };
            if bad || !p.trainable {
                return Ok(());
            }
            let value = p.value.as_slice_mut().ok_or_else(not_contiguous)?;
            let grad = p.grad.as_slice().ok_or_else(not_contiguous)?;
            let need = value.len() + state.slots.iter().map(Vec::len).sum::<usize>();
            // The scratch only grows, so the steady state neither allocates nor zero-fills.
            if backup.len() < *used + need {
                backup.resize(*used + need, 0.0);
            }
            let mut at = *used;
            for src in std::iter::once(&*value).chain(state.slots.iter().map(Vec::as_slice)) {
                copy(&mut backup[at..at + src.len()], src);
                at += src.len();
            }
            slot_lens.push(state.slots.len());
            slot_lens.extend(state.slots.iter().map(Vec::len));
            *used = at;
            config.update(iteration, global, value, grad, state);
            bad = !all_finite(value) || !state.slots.iter().all(|s| all_finite(s));
            Ok(())
        })?;
        Ok(!bad)
    }

    /// Copy back the first `used` scratch values into the params and slots
    /// they came from, and the global state.
    fn roll_back(&mut self, model: &mut dyn Trainable, used: usize) -> Result<()> {
        let (backup, slot_lens) = (&self.backup, &self.slot_lens);
        let mut states = self.slots.iter_mut();
        let (mut at, mut k) = (0usize, 0usize);
        model.each_param_mut(&mut |p| {
            let Some(state) = states.next() else { return Ok(()) };
            if at >= used || !p.trainable {
                return Ok(());
            }
            let value = p.value.as_slice_mut().ok_or_else(not_contiguous)?;
            copy(value, &backup[at..at + value.len()]);
            at += value.len();
            // `[m, len_0, …, len_{m-1}]`: this param's slots before the update.
            let m = slot_lens[k];
            k += 1;
            for (j, s) in state.slots.iter_mut().enumerate() {
                // A slot the update created (not backed up) goes away again.
                let n = if j < m { slot_lens[k + j] } else { 0 };
                s.resize(n, 0.0);
                copy(s, &backup[at..at + n]);
                at += n;
            }
            state.slots.truncate(m);
            k += m;
            Ok(())
        })?;
        self.global.values.clear();
        self.global.values.extend_from_slice(&self.global_backup);
        Ok(())
    }
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
