//! The model and its training: [`Sequential`] (the layer stack), [`Run`]
//! (one run over shared data; one engine for `fit` and chunked training), [`History`], callbacks
//! (EarlyStopping, LR schedules, the per-batch hook), `model.summary()` and
//! model files ([`io`]).

pub mod callbacks;
pub mod checksum;
mod cursor;
pub mod diagnosis;
mod engine;
mod evaluate;
mod file_writer;
mod folds;
pub mod hand_weights;
pub mod hash;
pub mod history;
pub mod io;
mod logs;
pub mod probe;
mod resume;
pub mod run;
pub mod sequential;
mod step;
pub mod summary;

#[cfg(test)]
mod tests;

pub use callbacks::{EarlyStopping, EarlyStoppingReport, TrainEvent};
pub use cursor::epoch_permutation;
pub use diagnosis::{Diagnosis, DiagnosisKind};
pub use evaluate::{classes_of, Evaluation};
pub use folds::fold_indices;
pub use history::History;
pub use io::{load, load_into, save, save_model, LoadedModel};
pub use logs::{BatchLog, ChunkReport, EpochLog};
pub use probe::{ParamNorms, ProbeReport};
pub use run::{Run, RunData, Trainer};
pub use sequential::Sequential;
pub use summary::{Summary, SummaryRow};
#[cfg(test)]
mod io_tests;
