//! A training step through the convolutional layers allocates nothing in the
//! steady state but its report (3 blocks with the `accuracy` metric, as
//! tests/train_step_no_alloc.rs explains for Dense models): every layer's
//! buffers, Conv2D's column matrices and MaxPooling2D's argmax included, are
//! reused between batches of the same size. Counting global allocator for
//! this test binary only; the steps run inside a rayon pool, as the trainer's do.

use gradlab::config::ExperimentConfig;
use gradlab::kernels::bench_models::synthetic_mnist;
use gradlab::model::Trainer;
mod alloc_common;
use alloc_common::allocations;

#[test]
fn a_conv_training_step_allocates_only_its_report() {
    let json = r#"{"dataset": "mnist", "layers": [
        {"type": "Conv2D", "filters": 4, "kernel_size": 3, "activation": "relu"},
        {"type": "BatchNormalization"},
        {"type": "MaxPooling2D"},
        {"type": "AveragePooling2D", "pool_size": 3, "strides": 1, "padding": "same"},
        {"type": "Conv2D", "filters": 8, "kernel_size": [2, 3], "strides": 2, "activation": "tanh"},
        {"type": "GlobalAveragePooling2D"},
        {"type": "Reshape", "target_shape": [2, 4]},
        {"type": "Flatten"},
        {"type": "Dense", "units": 10, "activation": "softmax"}],
        "loss": "categorical_crossentropy", "optimizer": {"name": "adam"},
        "batch_size": 16, "epochs": 5, "seed": 3}"#;
    let config = ExperimentConfig::from_json(json.as_bytes()).expect("config");
    let mut t = Trainer::new(config, synthetic_mnist(160, 5).expect("data"), None).expect("trainer");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    let per_step: Vec<usize> = pool.install(|| {
        t.train_batches(3).expect("warm-up");
        (0..6)
            .map(|_| {
                let before = allocations();
                let r = t.train_batches(1).expect("step");
                assert!(r.batches[0].loss.is_finite());
                allocations() - before
            })
            .collect()
    });
    assert_eq!(per_step, vec![3; 6]);
}
