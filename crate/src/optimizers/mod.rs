//! Optimizers with Keras 3 names, defaults and update formulas
//! (`keras/src/optimizers/*.py`), as pure per-parameter updates whose state
//! lives beside the parameter ([`ParamState`]) and, for Nadam, in one
//! optimizer-wide [`GlobalState`].
//!
//! The [`Optimizer`] object owns a config, the state and the iteration count
//! and performs the steps below on a model ([`Trainable`]), atomically.
//!
//! One training step, as Keras' `optimizer.apply(grads)` does it:
//! 1. [`OptimizerConfig::clip`] on all gradients of the step
//!    (clipnorm, global_clipnorm or clipvalue);
//! 2. [`OptimizerConfig::begin_step`] once (Nadam's running product);
//! 3. [`OptimizerConfig::update`] for every trainable parameter;
//! 4. the caller increments `iteration` (Keras `optimizer.iterations`).
//!
//! The formulas are written in each optimizer's file: [`sgd`], [`adam`],
//! [`rmsprop`], [`adagrad`], [`nadam`], [`clip`]. Element-wise arithmetic is
//! f32 in Keras' operation order; step-dependent scalars (powers of the betas)
//! are computed in f64 and cast once.

pub mod adagrad;
pub mod adam;
pub mod clip;
mod config;
mod hyper;
mod json;
mod keras_float;
pub mod nadam;
mod optimizer;
mod param_list;
mod pass;
pub mod rmsprop;
pub mod sgd;
mod state;
mod validate;

#[cfg(test)]
mod certified_tests;
#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod json_tests;
#[cfg(test)]
mod optimizer_tests;
#[cfg(test)]
mod reference;

pub use config::{OptimizerConfig, OptimizerKind};
pub use hyper::HyperValue;
pub(crate) use keras_float::one_minus;
pub use optimizer::{Optimizer, Trainable};
pub(crate) use state::{ensure_slot, take_slot};
pub use state::{GlobalState, ParamState};

/// The names accepted by [`OptimizerConfig::from_name`] and the JSON `"name"` (any case).
pub const OPTIMIZER_NAMES: [&str; 5] = ["sgd", "adam", "rmsprop", "adagrad", "nadam"];
