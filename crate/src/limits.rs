//! What Gradient Lab agrees to build and train: a browser tab has a few GB of
//! wasm memory at most, and an absurd config must be refused with a message,
//! never an out-of-memory abort. Validation and the model builder check the
//! same limits (see `layers::plan`).

/// The most layers a model may have.
pub const MAX_LAYERS: usize = 100;

/// The most units (outputs) of one layer.
pub const MAX_UNITS: usize = 1_000_000;

/// The most weights in one layer's kernel.
pub const MAX_LAYER_WEIGHTS: u64 = 20_000_000;

/// The most parameters a model may have: with gradients and Adam's two slots
/// that is 16 bytes each, 800 MB.
pub const MAX_PARAMS: u64 = 50_000_000;

/// The largest batch size.
pub const MAX_BATCH_SIZE: usize = 65_536;

/// The most bytes the activations of one batch may take, estimated as
/// `BYTES_PER_ACTIVATION · batch_size · (input values + Σ layer output values)`.
pub const MAX_ACTIVATION_BYTES: u64 = 1 << 30;

/// Bytes held per activation value in a training step: the f32 output, its
/// gradient, and up to two copies a layer keeps for backward (Dense's saved
/// input and `dZ`): 4 values of 4 bytes.
pub const BYTES_PER_ACTIVATION: u64 = 16;

/// The largest model file Gradient Lab writes or reads. The page saves every
/// run's model while it trains (its recovery snapshot, and the copy kept in
/// the browser), so a model whose file would be larger is refused when it is
/// set up (`config::checks::check_model_file`): with Adam, whose file holds
/// three values per weight (16 bytes), that is about 16.7 million
/// parameters. The save itself then needs the file's size once beside the
/// model (`model::file_writer`).
pub const MAX_MODEL_FILE_BYTES: u64 = 256 << 20;

/// The most memory the runs of one page may hold together while they train
/// (estimated by `config::memory::run_bytes`): a race keeps up to
/// `MAX_RUNS` runs in one worker's wasm memory (2 GB), beside the datasets
/// and one model file being saved. It holds the largest single run the
/// other limits allow (400 MB of parameters and 1 GB of activations).
pub const MAX_RUNS_MEMORY_BYTES: u64 = 1536 << 20;

/// The limits as the schema shows them.
#[derive(serde::Serialize, Clone, Debug, PartialEq)]
pub struct Limits {
    pub max_layers: usize,
    pub max_units: usize,
    pub max_batch_size: usize,
    pub max_params: u64,
    pub max_activation_bytes: u64,
    /// The largest model file (see [`MAX_MODEL_FILE_BYTES`]).
    pub max_model_file_bytes: u64,
    /// The most runs of a race (and configurations of a k-fold comparison).
    pub max_runs: usize,
}

pub fn limits() -> Limits {
    Limits {
        max_layers: MAX_LAYERS,
        max_units: MAX_UNITS,
        max_batch_size: MAX_BATCH_SIZE,
        max_params: MAX_PARAMS,
        max_activation_bytes: MAX_ACTIVATION_BYTES,
        max_model_file_bytes: MAX_MODEL_FILE_BYTES,
        max_runs: crate::config::patch::MAX_RUNS,
    }
}
