//! The model and its training: [`Sequential`] (the layer stack), [`Trainer`]
//! (one engine for `fit` and chunked training), [`History`], callbacks
//! (EarlyStopping, LR schedules, the per-batch hook), `model.summary()` and
//! model files ([`io`]).

pub mod callbacks;
mod evaluate;
pub mod history;
pub mod io;
mod logs;
mod resume;
pub mod sequential;
mod step;
pub mod summary;
pub mod trainer;

#[cfg(test)]
mod tests;

pub use callbacks::{EarlyStopping, TrainEvent};
pub use evaluate::{classes_of, Evaluation};
pub use history::History;
pub use io::{load, load_into, save, save_model, LoadedModel};
pub use sequential::Sequential;
pub use summary::{Summary, SummaryRow};
pub use trainer::{BatchLog, ChunkReport, EpochLog, Trainer};
#[cfg(test)]
mod io_tests;
