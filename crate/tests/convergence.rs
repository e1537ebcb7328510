//! The course programs learn: each runs its config from crate/configs/
//! through `Run::fit` exactly as the CLI does.

mod model_common;

use std::ops::ControlFlow;

use gradlab::model::Run;
use model_common::{config, load};

fn fit(name: &str, dataset_override: Option<&str>, epochs: Option<u32>) -> Run {
    let mut cfg = config(name);
    if let Some(d) = dataset_override {
        cfg.dataset = d.to_string();
    }
    if let Some(e) = epochs {
        cfg.epochs = e;
    }
    let (train, test) = load(&cfg.dataset, cfg.seed);
    let mut t = Run::new(cfg, train, Some(test)).unwrap();
    t.fit(|_| ControlFlow::Continue(())).unwrap();
    t
}

fn last(t: &Run, key: &str) -> f64 {
    t.history().last(key).unwrap()
}

#[test]
fn or_perceptron_reaches_100_percent() {
    // 1 tanh unit, MSE, SGD lr 0.1, batch 4, 500 epochs (the course's perceptron).
    let mut t = fit("perceptron-or.json", None, None);
    assert_eq!(last(&t, "accuracy"), 1.0);
    let ev = t.evaluate_test().unwrap().unwrap();
    assert_eq!(ev.metrics["accuracy"], 1.0);
    assert_eq!(ev.predicted, vec![0, 1, 1, 1]);
}

#[test]
fn xor_mlp_loss_below_0_05() {
    let t = fit("xor-mlp.json", None, None);
    assert!(
        last(&t, "loss") < 0.05,
        "{:?}",
        t.history().get("loss").map(|l| &l[l.len() - 3..])
    );
    assert_eq!(last(&t, "accuracy"), 1.0);
}

#[test]
fn iris_mlp_above_95_percent_train_accuracy() {
    let mut t = fit("iris-mlp.json", None, None);
    let train = t.train_set().clone();
    let ev = t.evaluate_view(&train).unwrap();
    assert!(ev.metrics["accuracy"] > 0.95, "{:?}", ev.metrics);
}

#[test]
fn mnist_small_784_128_10_adam_one_epoch() {
    // 313 batches of 32 from the 10,000-sample subset. This is too few steps
    // for Keras-level 93 %: the same model on full MNIST (next test) gives the
    // figure of Keras' tutorials (~96 % test after 1 epoch); on the subset the
    // first epoch reaches ~88 % (measured), so the bar here is 85 %.
    let mut t = fit("mnist-128.json", None, None);
    let ev = t.evaluate_test().unwrap().unwrap();
    assert_eq!(ev.samples, 2000);
    assert!(ev.metrics["accuracy"] > 0.85, "{:?}", ev.metrics);
}

#[test]
fn mnist_full_784_128_10_adam_one_epoch_above_93_percent() {
    let mut t = fit("mnist-128.json", Some("mnist-full"), Some(1));
    assert_eq!(t.step(), 1875);
    let ev = t.evaluate_test().unwrap().unwrap();
    assert_eq!(ev.samples, 10_000);
    assert!(ev.metrics["accuracy"] > 0.93, "{:?}", ev.metrics);
}
