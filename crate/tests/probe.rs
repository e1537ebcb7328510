//! The training probe (`model::probe`): its norms equal a direct computation
//! from the params the step left behind, chunking does not change them, it
//! never changes training, and it shows the vanishing gradient of a deep
//! sigmoid stack on real data against relu + he_normal.

mod model_common;

use gradlab::config::ExperimentConfig;
use gradlab::kernels::bench_models::synthetic_mnist;
use gradlab::model::Run;

fn small_run(seed: u64) -> Run {
    let json = r#"{"dataset": "mnist", "layers": [{"type": "Flatten"},
        {"type": "Dense", "units": 16, "activation": "tanh"},
        {"type": "Dense", "units": 10, "activation": "softmax"}],
        "loss": "categorical_crossentropy", "optimizer": {"name": "sgd", "learning_rate": 0.1, "momentum": 0.9},
        "batch_size": 16, "epochs": 3, "seed": 7}"#;
    let config = ExperimentConfig::from_json(json.as_bytes()).expect("config");
    Run::new(config, synthetic_mnist(96, seed).expect("data"), None).expect("run")
}

/// `sqrt(Σ v²)`, summed in f64 in a different order (reversed) from the probe.
fn direct_norm(t: &gradlab::tensor::Tensor) -> f64 {
    let v: Vec<f32> = t.iter().copied().collect();
    v.iter().rev().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-30)
}

#[test]
fn norms_equal_a_direct_computation_and_chunking_does_not_change_them() {
    // Chunked: one batch at a time, the gradients each step left in the params measured directly.
    let mut a = small_run(1);
    a.set_probe(true);
    let mut per_batch: Vec<Vec<f64>> = Vec::new();
    for _ in 0..5 {
        a.train_batches(1).expect("step");
        per_batch.push(a.model().params().iter().map(|p| direct_norm(&p.grad)).collect());
    }
    let ra = a.take_probe().expect("probe on");
    assert_eq!((ra.batches, ra.step, ra.params.len()), (5, 5, 4));
    let names: Vec<_> = ra.params.iter().map(|p| (p.layer_name.as_str(), p.param)).collect();
    assert_eq!(
        names,
        [
            ("dense", "kernel"),
            ("dense", "bias"),
            ("dense_1", "kernel"),
            ("dense_1", "bias")
        ]
    );
    for (i, (p, w)) in ra.params.iter().zip(a.model().params()).enumerate() {
        let mean = per_batch.iter().map(|b| b[i]).sum::<f64>() / 5.0;
        assert!(close(p.grad_norm, mean), "{i}: {} vs {mean}", p.grad_norm);
        assert!(close(p.last_grad_norm, per_batch[4][i]));
        assert!(close(p.weight_norm, direct_norm(&w.value)));
        assert!(p.grad_norm > 0.0 && p.size == w.len());
    }
    // Not chunked: the same 5 batches in one call give the same report.
    let mut b = small_run(1);
    b.set_probe(true);
    b.train_batches(5).expect("chunk");
    assert_eq!(b.take_probe().expect("on"), ra);
    // A report restarts the means; an empty one says 0 batches.
    let empty = b.take_probe().expect("on");
    assert_eq!(empty.batches, 0);
    assert!(empty.params.iter().all(|p| p.grad_norm == 0.0));
}

#[test]
fn the_probe_never_changes_training_and_is_none_when_off() {
    let mut off = small_run(2);
    let mut on = small_run(2);
    on.set_probe(true);
    for k in [1, 3, 2, 6] {
        off.train_batches(k).expect("off");
        on.train_batches(k).expect("on");
        assert_eq!(off.weights_hash(), on.weights_hash());
        assert!(on.take_probe().is_some());
    }
    assert!(off.take_probe().is_none());
    on.set_probe(false);
    assert!(!on.probe_on() && on.take_probe().is_none());
    // After a reset the sums start again.
    on.set_probe(true);
    on.train_batches(2).expect("step");
    on.reset().expect("reset");
    assert_eq!(on.take_probe().expect("on").batches, 0);
}

/// First hidden layer's kernel gradient norm over the last hidden layer's, over 20 batches
/// of mnist (the small set), 8 × Dense(32) with `activation` and `init`.
fn first_over_last(activation: &str, init: &str) -> f64 {
    let dense =
        format!(r#"{{"type": "Dense", "units": 32, "activation": "{activation}", "kernel_initializer": "{init}"}}"#);
    let layers = vec![dense; 8].join(",");
    let json = format!(
        r#"{{"dataset": "mnist", "layers": [{{"type": "Flatten"}}, {layers},
        {{"type": "Dense", "units": 10, "activation": "softmax"}}],
        "loss": "categorical_crossentropy", "optimizer": {{"name": "sgd", "learning_rate": 0.01}},
        "batch_size": 32, "epochs": 1, "seed": 42}}"#
    );
    let config = ExperimentConfig::from_json(json.as_bytes()).expect("config");
    let (train, test) = model_common::load("mnist", 42);
    let mut run = Run::new(config, train, Some(test)).expect("run");
    run.set_probe(true);
    run.train_batches(20).expect("train");
    let r = run.take_probe().expect("on");
    let kernels: Vec<f64> = r
        .params
        .iter()
        .filter(|p| p.param == "kernel")
        .map(|p| p.grad_norm)
        .collect();
    eprintln!("{activation}/{init}: kernel grad norms per layer {kernels:?}");
    kernels[0] / kernels[7]
}

#[test]
fn a_deep_sigmoid_stack_shows_a_vanishing_gradient_and_relu_he_does_not() {
    let sigmoid = first_over_last("sigmoid", "glorot_uniform");
    let relu = first_over_last("relu", "he_normal");
    eprintln!("first/last hidden kernel grad norm: sigmoid {sigmoid:.3e}, relu+he {relu:.3e}");
    assert!(sigmoid < 1e-2, "sigmoid: first/last = {sigmoid}");
    assert!(relu > 0.1 && relu < 10.0, "relu + he_normal: first/last = {relu}");
}
