//! The reference CNN (crate/configs/cnn.json: Conv2D 32 → MaxPool → Conv2D 64
//! → MaxPool → Flatten → Dense 128 → Dense 10, CE, Adam, batch 128) learns
//! MNIST: one epoch on the bundled 10,000-sample subset, through
//! `Trainer::fit` as the CLI runs it.

mod model_common;

use std::ops::ControlFlow;

use gradlab::model::Trainer;
use model_common::{config, load};

#[test]
fn reference_cnn_learns_the_mnist_subset_in_one_epoch() {
    let mut cfg = config("cnn.json");
    cfg.dataset = "mnist".into();
    cfg.epochs = 1;
    let (train, test) = load(&cfg.dataset, cfg.seed);
    let mut t = Trainer::new(cfg, train, Some(test)).unwrap();
    assert_eq!(t.model().summary().total_params, 225_034);
    t.fit(|_| ControlFlow::Continue(())).unwrap();
    let ev = t.evaluate_test().unwrap().unwrap();
    assert_eq!(ev.samples, 2000);
    eprintln!("reference CNN, 1 epoch on the MNIST subset: test {:?}", ev.metrics);
    assert!(ev.metrics["accuracy"] > 0.9, "{:?}", ev.metrics);
}

/// Every convolutional kind in one small model on MNIST-shaped random data.
fn all_kinds_trainer() -> Trainer {
    let json = r#"{"dataset": "mnist", "layers": [
        {"type": "Conv2D", "filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
        {"type": "BatchNormalization"},
        {"type": "MaxPooling2D", "pool_size": 2},
        {"type": "AveragePooling2D", "pool_size": [2, 3], "strides": 1, "padding": "same"},
        {"type": "Dropout", "rate": 0.2},
        {"type": "Conv2D", "filters": 8, "kernel_size": [2, 3], "activation": "tanh"},
        {"type": "GlobalAveragePooling2D"},
        {"type": "Reshape", "target_shape": [2, 2, 2]},
        {"type": "Flatten"},
        {"type": "Dense", "units": 10, "activation": "softmax"}],
        "loss": "categorical_crossentropy", "optimizer": {"name": "adam", "learning_rate": 0.01},
        "batch_size": 16, "epochs": 2, "validation_split": 0.25, "seed": 5}"#;
    let cfg = gradlab::config::ExperimentConfig::from_json(json.as_bytes()).unwrap();
    let data = gradlab::kernels::bench_models::synthetic_mnist(96, 3).unwrap();
    Trainer::new(cfg, data, None).unwrap()
}

#[test]
fn conv_layers_fit_equals_chunks_and_save_load_keeps_moving_statistics() {
    let mut reference = all_kinds_trainer();
    reference.fit(|_| ControlFlow::Continue(())).unwrap();
    assert!(reference.is_finished());
    for chunk in [1, 5] {
        let mut t = all_kinds_trainer();
        while !t.is_finished() {
            t.train_batches(chunk).unwrap();
        }
        assert_eq!(t.model().weights(), reference.model().weights(), "chunk {chunk}");
    }
    // The moving statistics moved (from 0 and 1) and travel with the model file.
    let stats = |m: &gradlab::model::Sequential| -> Vec<Vec<f32>> {
        m.params()
            .iter()
            .filter(|p| !p.trainable)
            .map(|p| p.value.iter().copied().collect())
            .collect()
    };
    let before = stats(reference.model());
    assert_eq!(before.len(), 2);
    assert!(
        before[0].iter().all(|&v| v != 0.0) && before[1].iter().all(|&v| v != 1.0),
        "{before:?}"
    );
    let loaded = gradlab::model::load(gradlab::model::save(&reference).as_bytes()).unwrap();
    assert_eq!(stats(&loaded.model), before);
    assert_eq!(loaded.model.weights(), reference.model().weights());
}
