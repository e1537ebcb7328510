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
