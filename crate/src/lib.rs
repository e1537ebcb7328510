//! Gradient Lab training core.
//!
//! Pure Rust (ndarray, f32), deterministic from a seed, no I/O: data is parsed
//! from bytes, never from paths. Names, defaults and update formulas follow
//! tf.keras so that a course's numbers reproduce.
//!
//! Concepts: [`Param`](layers::Param), [`Layer`](layers::Layer) (forward and
//! backward, owns its params), [`losses`], [`optimizers`] (pure per-param
//! updates, state beside them), [`model::Sequential`], [`data::Dataset`] and
//! [`model::History`]. The `wasm` module is the only web-facing code.

pub mod activations;
pub mod config;
pub mod data;
pub mod error;
pub mod export;
pub mod initializer_config;
pub mod initializers;
pub mod inside;
pub mod inspect;
pub mod kernels;
pub mod layers;
pub mod limits;
pub mod losses;
pub mod metrics;
pub mod model;
pub mod optimizers;
pub mod problem;
pub mod regularizers;
pub mod rng;
pub mod schedules;
pub mod schema;
pub mod spec;
pub mod stats;
pub mod surfaces;
pub mod tensor;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
pub use problem::Problem;
