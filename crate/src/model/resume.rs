//! Loading a model file INTO an existing, compatible [`Run`]: only the
//! weights (Keras `load_weights`), or everything needed to resume training.
//! All checks happen before anything changes, so on any error the trainer
//! is left as it was.

use super::io::{decode_f32, decode_weights, err, parse, verify_checksum, ModelFile, SavedOptimizerState};
use super::run::Run;
use crate::optimizers::{GlobalState, Optimizer, ParamState};
use crate::Result;

/// Load a model file into a compatible trainer (same input shape and
/// weight shapes). A file saved by [`save`](super::io::save) for the same optimizer resumes
/// training where it stopped ([`Run::resume`]); otherwise only the
/// weights are replaced ([`Run::load_weights`]). On any error nothing changes.
pub fn load_into(trainer: &mut Run, bytes: &[u8]) -> Result<()> {
    let file = parse(bytes)?;
    // No optimizer state: resume with a fresh one; another optimizer's state: weights only.
    let same_optimizer = file
        .optimizer_state
        .as_ref()
        .is_none_or(|s| s.name == trainer.optimizer.name());
    if same_optimizer {
        trainer.resume_from(file)
    } else {
        trainer.check_file_input(&file)?;
        let weights = decode_weights(&file.weights, &trainer.model)?;
        verify_checksum(&file)?;
        trainer.model.set_weights(&weights)
    }
}

impl Run {
    fn check_file_input(&self, file: &ModelFile) -> Result<()> {
        if file.input_shape != self.model.input_shape() {
            return Err(err(format!(
                "the file's model takes inputs {:?} but this experiment's dataset has {:?}",
                file.input_shape,
                self.model.input_shape()
            )));
        }
        Ok(())
    }

    /// Keras `load_weights`: replace the weights with the file's; the
    /// optimizer state, step, history and cursor stay as they are.
    pub fn load_weights(&mut self, bytes: &[u8]) -> Result<()> {
        let file = parse(bytes)?;
        self.check_file_input(&file)?;
        let weights = decode_weights(&file.weights, &self.model)?;
        verify_checksum(&file)?;
        self.model.set_weights(&weights)
    }

    /// Restore everything a [`save`](super::io::save) file holds: weights, optimizer state
    /// (same optimizer required; absent → a fresh state), step and history; the cursor moves to the
    /// start of the epoch after the saved history (a partly trained epoch
    /// is not resumed). On any error nothing changes.
    pub fn resume(&mut self, bytes: &[u8]) -> Result<()> {
        let file = parse(bytes)?;
        self.resume_from(file)
    }

    fn resume_from(&mut self, file: ModelFile) -> Result<()> {
        self.check_file_input(&file)?;
        let weights = decode_weights(&file.weights, &self.model)?;
        let mut optimizer = self.optimizer.clone_config_only();
        match &file.optimizer_state {
            Some(saved) => {
                let (states, global, lr) = self.decode_state(saved)?;
                if self.config.lr_schedule.is_none() {
                    optimizer.set_learning_rate(lr).map_err(|e| err(e.to_string()))?;
                }
                optimizer.restore(states, global, file.step);
            }
            None => {
                // No optimizer state in the file: it starts fresh at the file's step.
                let lens: Vec<usize> = self.model.params().iter().map(|p| p.len()).collect();
                let fresh = Optimizer::new(optimizer.config().clone(), optimizer.schedule().cloned(), &lens);
                optimizer.restore(fresh.slots().to_vec(), fresh.global().clone(), file.step);
            }
        }
        verify_checksum(&file)?;
        self.model.set_weights(&weights)?;
        self.optimizer = optimizer;
        self.cursor = Default::default();
        self.monitor = Default::default();
        self.history = file.history.unwrap_or_default();
        self.cursor.epoch = self.history.len() as u32;
        self.cursor.finished = self.cursor.epoch >= self.config.epochs;
        self.optimizer.prepare(self.cursor.epoch);
        Ok(())
    }

    fn decode_state(&self, s: &SavedOptimizerState) -> Result<(Vec<ParamState>, GlobalState, f32)> {
        let opt = self.optimizer.config();
        if s.name != opt.name() {
            return Err(err(format!(
                "the optimizer state is for {} but this experiment uses {}",
                s.name,
                opt.name()
            )));
        }
        let params = self.model.params();
        if s.params.len() != params.len() {
            return Err(err(format!(
                "the optimizer state has {} params but the model has {}",
                s.params.len(),
                params.len()
            )));
        }
        let mut states = Vec::with_capacity(params.len());
        for (i, (saved, p)) in s.params.iter().zip(params).enumerate() {
            let expected = opt.init_state(p.len());
            let mut slots = Vec::with_capacity(saved.slots.len());
            for (j, data) in saved.slots.iter().enumerate() {
                let len = expected.slots.get(j).map_or(0, Vec::len);
                slots.push(decode_f32(data, len, &format!("optimizer slot {j} of weight {i}"))?);
            }
            let state = ParamState { slots };
            opt.check_state(p.len(), &state).map_err(|e| err(e.to_string()))?;
            states.push(state);
        }
        if s.global.iter().any(|v| !v.is_finite()) || !s.learning_rate.is_finite() {
            return Err(err("the optimizer state holds a non-finite value"));
        }
        Ok((
            states,
            GlobalState {
                values: s.global.clone(),
            },
            s.learning_rate,
        ))
    }
}
