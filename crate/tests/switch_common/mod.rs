//! Shared by the thread tests (`parallel_switch.rs`, `on_pool.rs`): a model
//! big enough to take every parallel path (the threaded GEMM with its fused
//! bias + tanh store, elementwise passes, the one-pass Adam over the
//! 200,960-value kernel), trained for 3 batches on wherever the caller runs.

use gradlab::config::ExperimentConfig;
use gradlab::kernels::bench_models::synthetic_mnist;
use gradlab::model::Trainer;

/// The bits of every weight after 3 batches from `seed`.
pub fn trained_bits(seed: u64) -> Vec<u32> {
    let json = format!(
        r#"{{"dataset": "mnist", "layers": [{{"type": "Flatten"}},
        {{"type": "Dense", "units": 256, "activation": "tanh"}},
        {{"type": "Dense", "units": 10, "activation": "softmax"}}],
        "loss": "categorical_crossentropy", "optimizer": {{"name": "adam"}},
        "batch_size": 160, "epochs": 1, "seed": {seed}}}"#
    );
    let config = ExperimentConfig::from_json(json.as_bytes()).expect("config");
    let mut t = Trainer::new(config, synthetic_mnist(480, 9).expect("data"), None).expect("trainer");
    t.train_batches(3).expect("training");
    t.model()
        .weights()
        .iter()
        .flat_map(|w| w.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
        .collect()
}
