//! Data once, runs many: runs over one loaded dataset share it (an `Arc`),
//! their training and validation parts are views, never copies.

mod alloc_common;
mod model_common;

use std::sync::Arc;

use alloc_common::on_this_thread;
use gradlab::model::Run;
use model_common::{config, load};

#[test]
fn six_runs_over_mnist_small_cost_one_copy_of_the_data() {
    let (train, test) = load("mnist", 42);
    // 10,000 u8 images of 784 pixels + 2,000 test images: ~9.4 MB of features.
    let data_bytes = 785 * (train.len() + test.len());
    let (train, test) = (Arc::new(train), Arc::new(test));
    let mut cfg = config("mnist-128.json");
    // A small model (7,850 weights) so the data dominates what a run could cost;
    // a validation split, as the page uses, which once copied the training data.
    cfg.layers.truncate(1);
    cfg.layers.push(gradlab::layers::LayerConfig::dense(
        10,
        gradlab::activations::Activation::Softmax,
    ));
    cfg.validation_split = 0.1;
    let (runs, counted) = on_this_thread(|| {
        (0..6)
            .map(|i| {
                let mut c = cfg.clone();
                c.seed = i;
                let mut r = Run::with_data(c, Arc::clone(&train), Some(Arc::clone(&test))).unwrap();
                r.train_batches(2).unwrap();
                r
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(runs.len(), 6);
    assert!(runs.iter().all(|r| Arc::ptr_eq(r.train_set().shared(), &train)));
    assert_eq!(
        runs[0].train_set().len() + runs[0].validation_set().unwrap().len(),
        10_000
    );
    // One Arc here + train and validation views of each run.
    assert_eq!(Arc::strong_count(&train), 1 + 6 * 2);
    assert_eq!(Arc::strong_count(&test), 1 + 6);
    // Six runs (model, gradients, Adam slots, rollback scratch, an epoch's
    // permutation, batch buffers) must allocate far less than ONE copy of the data,
    // let alone six.
    assert!(
        counted.bytes < data_bytes / 2,
        "6 runs allocated {} bytes; the data is {data_bytes} bytes",
        counted.bytes
    );
}

#[test]
fn runs_sharing_data_train_round_robin_exactly_as_alone() {
    // Race mode's seam: runs over ONE dataset advanced in lock-step chunks
    // give bit-identical weights to each run trained alone on its own copy.
    let (train, test) = load("iris", 42);
    let cfg = |seed: u64, lr: f32| {
        let mut c = config("iris-mlp.json");
        c.seed = seed;
        c.epochs = 3;
        c.validation_split = 0.2;
        c.optimizer.set_learning_rate(lr).unwrap();
        c
    };
    let settings = [(42, 0.01), (42, 0.05), (7, 0.01)];
    let shared = (Arc::new(train.clone()), Arc::new(test.clone()));
    let mut runs: Vec<Run> = settings
        .iter()
        .map(|&(s, lr)| Run::with_data(cfg(s, lr), Arc::clone(&shared.0), Some(Arc::clone(&shared.1))).unwrap())
        .collect();
    while runs.iter().any(|r| !r.is_finished()) {
        for r in runs.iter_mut() {
            r.train_batches(3).unwrap();
        }
    }
    for (r, &(s, lr)) in runs.iter().zip(&settings) {
        let mut alone = Run::new(cfg(s, lr), train.clone(), Some(test.clone())).unwrap();
        alone.fit(|_| std::ops::ControlFlow::Continue(())).unwrap();
        assert_eq!(r.weights_hash(), alone.weights_hash(), "seed {s}, lr {lr}");
        assert_eq!(r.history(), alone.history());
    }
    assert_ne!(runs[0].weights_hash(), runs[1].weights_hash());
}
