//! A training step allocates nothing in the steady state but what it hands
//! back: a counting global allocator (this test binary only) watches
//! `Run::train_batches(1)` on a Flatten → Dense → Dense model with a fixed
//! batch size, after warm-up batches have sized every reused buffer.
//!
//! The returned `ChunkReport` is the only owner of new memory: its `batches`
//! vector (1 block) and the `BatchLog`'s `metrics` map, one `BTreeMap` leaf
//! node plus one `String` key per metric. These are the API's return values
//! (the browser serialises them), so they are counted, not removed: with
//! the `accuracy` metric (the classification default) a step allocates
//! exactly 3 blocks, whatever the optimizer.
//!
//! Only the TRAINING thread's allocations are counted (a thread-local flag
//! in the counting allocator): rayon's workers, the test harness and tests
//! running in parallel allocate on their own threads, so the count cannot
//! flake. The calls run inside a rayon pool (`install`), as the trainer
//! does: from a thread outside the pool rayon queues each parallel region
//! in its injector, which allocates one block per 63 regions.

use gradlab::config::ExperimentConfig;
use gradlab::kernels::bench_models::synthetic_mnist;
use gradlab::model::Run;
mod alloc_common;
use alloc_common::on_this_thread;

/// Allocations of each of 6 steady-state steps (after 3 warm-up steps) of
/// a 784 → 64 tanh → 10 softmax model, batch 16, with `metrics` and `optimizer`
/// (and the gradient-norm probe on when `probe`: its buffers are sized by `set_probe`).
fn allocations_per_step(metrics: &str, optimizer: &str, probe: bool) -> Vec<usize> {
    allocations_per_step_with(metrics, optimizer, "", probe)
}

/// As [`allocations_per_step`], with `dense_extra` appended to the hidden Dense layer's arguments.
fn allocations_per_step_with(metrics: &str, optimizer: &str, dense_extra: &str, probe: bool) -> Vec<usize> {
    let json = format!(
        r#"{{"dataset": "mnist", "layers": [{{"type": "Flatten"}},
            {{"type": "Dense", "units": 64, "activation": "tanh"{dense_extra}}},
            {{"type": "Dense", "units": 10, "activation": "softmax"}}],
            "loss": "categorical_crossentropy", "optimizer": {optimizer}, "metrics": {metrics},
            "batch_size": 16, "epochs": 5, "seed": 3}}"#
    );
    let config = ExperimentConfig::from_json(json.as_bytes()).expect("config");
    // 10 batches: warm-up and measured steps all fall inside the first epoch.
    let train = synthetic_mnist(160, 5).expect("data");
    let mut t = Run::new(config, train, None).expect("trainer");
    t.set_probe(probe);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    pool.install(|| {
        t.train_batches(3).expect("warm-up");
        (0..6)
            .map(|_| {
                let (r, counted) = on_this_thread(|| t.train_batches(1).expect("step"));
                assert_eq!(r.batches.len(), 1);
                assert!(r.batches[0].loss.is_finite());
                counted.calls
            })
            .collect()
    })
}

#[test]
fn a_training_step_allocates_only_its_report() {
    for opt in [
        r#"{"name": "adam"}"#,
        r#"{"name": "sgd", "momentum": 0.9}"#,
        r#"{"name": "rmsprop"}"#,
    ] {
        assert_eq!(allocations_per_step(r#"["accuracy"]"#, opt, false), vec![3; 6], "{opt}");
    }
}

#[test]
fn a_training_step_with_the_gradient_norm_probe_on_allocates_only_its_report() {
    let opt = r#"{"name": "adam"}"#;
    assert_eq!(allocations_per_step(r#"["accuracy"]"#, opt, true), vec![3; 6]);
}

#[test]
fn a_regularized_step_allocates_only_its_report() {
    let regs = r#", "kernel_regularizer": {"name": "l1_l2", "l1": 0.001, "l2": 0.01}, "bias_regularizer": "l2""#;
    assert_eq!(
        allocations_per_step_with(r#"["accuracy"]"#, r#"{"name": "adam"}"#, regs, false),
        vec![3; 6]
    );
}

#[test]
fn a_rolled_back_step_allocates_nothing() {
    // The rollback scratch only grows: once a step has backed up every param
    // and slot, a diverging step (restored atomically) allocates nothing; its
    // error carries no heap data and the chunk report's vectors stay empty.
    let json = r#"{"dataset": "mnist", "layers": [{"type": "Flatten"},
        {"type": "Dense", "units": 64, "activation": "tanh"}, {"type": "Dense", "units": 10}],
        "loss": "mse", "optimizer": {"name": "rmsprop"}, "batch_size": 16, "epochs": 5, "seed": 3}"#;
    let config = ExperimentConfig::from_json(json.as_bytes()).expect("config");
    let mut t = Run::new(config, synthetic_mnist(160, 5).expect("data"), None).expect("run");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    pool.install(|| {
        t.train_batches(3).expect("warm-up");
        let before = t.weights_hash();
        // RMSprop's step ≈ 3.16·lr overflows float32 at lr 3e38.
        t.set_learning_rate(3e38).expect("lr");
        for _ in 0..3 {
            let (r, counted) = on_this_thread(|| t.train_chunk(1));
            assert!(r.error.is_some() && r.batches.is_empty());
            assert_eq!(counted.calls, 0);
        }
        assert_eq!((t.weights_hash(), t.step()), (before, 3));
        t.set_learning_rate(1e-3).expect("lr");
        let (r, counted) = on_this_thread(|| t.train_batches(1).expect("step"));
        assert_eq!((r.batches.len(), t.step()), (1, 4));
        // The report: its batches Vec, the metrics map leaf and its key ("accuracy", the default).
        assert_eq!(counted.calls, 3);
    });
}
