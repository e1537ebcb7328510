//! [`OptimizerConfig`]: which optimizer, its hyper-parameters (Keras names and
//! defaults) and gradient clipping, and the per-step rules that dispatch to
//! each optimizer's file.

use super::optimizer::lr_field;
use super::{adagrad, adam, clip, nadam, pass, rmsprop, sgd, validate, GlobalState, ParamState, OPTIMIZER_NAMES};
use crate::error::config_err;
use crate::Result;

/// An optimizer with its hyper-parameters and gradient clipping.
///
/// JSON (Keras names and defaults, every field but `"name"` optional; unknown
/// fields are an error naming the field):
/// `{"name":"adam","learning_rate":0.001,"beta_1":0.9,"beta_2":0.999,"epsilon":1e-7,
///   "amsgrad":false,"clipnorm":null,"clipvalue":null,"global_clipnorm":null}`.
/// A bare string such as `"adam"` is also accepted (Keras defaults).
/// At most one of `clipnorm`, `clipvalue`, `global_clipnorm` may be set.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimizerConfig {
    pub kind: OptimizerKind,
    pub clipnorm: Option<f32>,
    pub clipvalue: Option<f32>,
    pub global_clipnorm: Option<f32>,
}

/// The optimizer and its hyper-parameters (Keras 3 defaults in the comments).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerKind {
    /// `keras.optimizers.SGD(learning_rate=0.01, momentum=0.0, nesterov=False)`
    Sgd {
        learning_rate: f32,
        momentum: f32,
        nesterov: bool,
    },
    /// `keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False)`
    Adam {
        learning_rate: f32,
        beta_1: f32,
        beta_2: f32,
        epsilon: f32,
        amsgrad: bool,
    },
    /// `keras.optimizers.RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False)`
    Rmsprop {
        learning_rate: f32,
        rho: f32,
        momentum: f32,
        epsilon: f32,
        centered: bool,
    },
    /// `keras.optimizers.Adagrad(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7)`
    Adagrad {
        learning_rate: f32,
        initial_accumulator_value: f32,
        epsilon: f32,
    },
    /// `keras.optimizers.Nadam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)`
    Nadam {
        learning_rate: f32,
        beta_1: f32,
        beta_2: f32,
        epsilon: f32,
    },
}
impl Default for OptimizerConfig {
    /// Keras' `model.compile()` default optimizer: `"rmsprop"`.
    fn default() -> Self {
        OptimizerConfig::with_kind(rmsprop_default())
    }
}

fn rmsprop_default() -> OptimizerKind {
    OptimizerKind::Rmsprop {
        learning_rate: 0.001,
        rho: 0.9,
        momentum: 0.0,
        epsilon: 1e-7,
        centered: false,
    }
}

impl OptimizerConfig {
    /// An optimizer without gradient clipping.
    pub fn with_kind(kind: OptimizerKind) -> Self {
        OptimizerConfig {
            kind,
            clipnorm: None,
            clipvalue: None,
            global_clipnorm: None,
        }
    }

    /// The optimizer `name` (any case, e.g. "Adam", "SGD") with Keras' defaults.
    pub fn from_name(name: &str) -> Result<OptimizerConfig> {
        let kind = match name.trim().to_ascii_lowercase().as_str() {
            "sgd" => OptimizerKind::Sgd {
                learning_rate: 0.01,
                momentum: 0.0,
                nesterov: false,
            },
            "adam" => OptimizerKind::Adam {
                learning_rate: 0.001,
                beta_1: 0.9,
                beta_2: 0.999,
                epsilon: 1e-7,
                amsgrad: false,
            },
            "rmsprop" => rmsprop_default(),
            "adagrad" => OptimizerKind::Adagrad {
                learning_rate: 0.001,
                initial_accumulator_value: 0.1,
                epsilon: 1e-7,
            },
            "nadam" => OptimizerKind::Nadam {
                learning_rate: 0.001,
                beta_1: 0.9,
                beta_2: 0.999,
                epsilon: 1e-7,
            },
            _ => {
                return config_err(format!(
                    "unknown optimizer \"{name}\"; use one of: {}",
                    OPTIMIZER_NAMES.join(", ")
                ))
            }
        };
        Ok(OptimizerConfig::with_kind(kind))
    }

    /// Parse the JSON form (see the type's documentation) and validate it.
    pub fn from_json(bytes: &[u8]) -> Result<OptimizerConfig> {
        serde_json::from_slice(bytes).map_err(|e| crate::Error::Config(format!("optimizer: {e}")))
    }

    /// The lower-case name used in JSON: "sgd", "adam", "rmsprop", "adagrad", "nadam".
    pub fn name(&self) -> &'static str {
        match self.kind {
            OptimizerKind::Sgd { .. } => "sgd",
            OptimizerKind::Adam { .. } => "adam",
            OptimizerKind::Rmsprop { .. } => "rmsprop",
            OptimizerKind::Adagrad { .. } => "adagrad",
            OptimizerKind::Nadam { .. } => "nadam",
        }
    }

    /// Check every hyper-parameter; the error names the field and its valid range.
    pub fn validate(&self) -> Result<()> {
        validate::validate(self)
    }

    pub fn learning_rate(&self) -> f32 {
        let mut kind = self.kind;
        *lr_field(&mut kind)
    }

    /// Set the learning rate (finite, > 0); it is used from the next `update` on.
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<()> {
        validate::learning_rate(self.name(), lr)?;
        *lr_field(&mut self.kind) = lr;
        Ok(())
    }

    /// SGD and RMSprop: `momentum`; Adam and Nadam: `beta_1`; Adagrad: none.
    pub fn momentum(&self) -> Option<f32> {
        match self.kind {
            OptimizerKind::Sgd { momentum, .. } | OptimizerKind::Rmsprop { momentum, .. } => Some(momentum),
            OptimizerKind::Adam { beta_1, .. } | OptimizerKind::Nadam { beta_1, .. } => Some(beta_1),
            OptimizerKind::Adagrad { .. } => None,
        }
    }

    /// Set what [`momentum`](Self::momentum) reports, in [0, 1); an error for Adagrad.
    pub fn set_momentum(&mut self, m: f32) -> Result<()> {
        let name = self.name();
        match &mut self.kind {
            OptimizerKind::Sgd { momentum, .. } | OptimizerKind::Rmsprop { momentum, .. } => {
                validate::unit_interval(name, "momentum", m)?;
                *momentum = m;
            }
            OptimizerKind::Adam { beta_1, .. } | OptimizerKind::Nadam { beta_1, .. } => {
                validate::unit_interval(name, "beta_1", m)?;
                *beta_1 = m;
            }
            OptimizerKind::Adagrad { .. } => {
                return config_err("adagrad has no momentum; use sgd, rmsprop (momentum) or adam, nadam (beta_1)")
            }
        }
        Ok(())
    }

    /// Called once per training step before the per-param updates; `iteration` =
    /// number of updates already applied (Keras `optimizer.iterations`), so the
    /// step is `iteration + 1`. Nadam multiplies its running product by `u_{t}`.
    pub fn begin_step(&self, iteration: u64, global: &mut GlobalState) {
        if let OptimizerKind::Nadam { beta_1, .. } = self.kind {
            nadam::begin_step(beta_1, iteration, global);
        }
    }

    /// Clip in place all gradients of one step, as Keras' `_clip_gradients`:
    /// clipnorm (each tensor), else global_clipnorm (all together), else
    /// clipvalue (each element). A limit that is not > 0 disables clipping.
    pub fn clip(&self, grads: &mut [&mut [f32]]) {
        if let Some(c) = self.clipnorm.filter(|c| *c > 0.0) {
            for g in grads.iter_mut() {
                clip::clip_by_norm(g, c);
            }
        } else if let Some(c) = self.global_clipnorm.filter(|c| *c > 0.0) {
            clip::clip_by_global_norm(grads, c);
        } else if let Some(c) = self.clipvalue.filter(|c| *c > 0.0) {
            for g in grads.iter_mut() {
                clip::clip_by_value(g, c);
            }
        }
    }

    /// One update of one parameter (pure function of its inputs and state).
    /// `value` and `grad` must have the same length (extra elements of the
    /// longer one are left alone).
    pub fn update(
        &self,
        iteration: u64,
        global: &GlobalState,
        value: &mut [f32],
        grad: &[f32],
        state: &mut ParamState,
    ) {
        debug_assert_eq!(
            value.len(),
            grad.len(),
            "optimizer update: value and grad lengths differ"
        );
        let n = value.len().min(grad.len());
        let (w, g) = (&mut value[..n], &grad[..n]);
        self.step(iteration, global, &mut pass::InPlace { w, g, state });
    }

    /// The update rule of this optimizer on `t` (in place or into spare
    /// buffers); false when a new value or slot, or a gradient, is not finite.
    pub(crate) fn step<T: pass::Target>(&self, iteration: u64, global: &GlobalState, t: &mut T) -> bool {
        match self.kind {
            OptimizerKind::Sgd {
                learning_rate,
                momentum,
                nesterov,
            } => sgd::step(learning_rate, momentum, nesterov, t),
            OptimizerKind::Adam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
                amsgrad,
            } => {
                let h = adam::Adam {
                    learning_rate,
                    beta_1,
                    beta_2,
                    epsilon,
                    amsgrad,
                };
                adam::step(&h, iteration, t)
            }
            OptimizerKind::Rmsprop {
                learning_rate,
                rho,
                momentum,
                epsilon,
                centered,
            } => {
                let h = rmsprop::Rmsprop {
                    learning_rate,
                    rho,
                    momentum,
                    epsilon,
                    centered,
                };
                rmsprop::step(&h, t)
            }
            OptimizerKind::Adagrad {
                learning_rate,
                initial_accumulator_value,
                epsilon,
            } => adagrad::step(learning_rate, initial_accumulator_value, epsilon, t),
            OptimizerKind::Nadam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
            } => {
                let h = nadam::Nadam {
                    learning_rate,
                    beta_1,
                    beta_2,
                    epsilon,
                };
                nadam::step(&h, iteration, global, t)
            }
        }
    }
}
