//! The perceptron as the course teaches it: OR with targets −1/+1
//! (`label_encoding: "plus_minus_one"`), one tanh unit, MSE, SGD 0.1. Accuracy with
//! ±1 targets is sign agreement, `(ŷ > 0) == (y > 0)`.

mod model_common;

use std::ops::ControlFlow;

use gradlab::config::ExperimentConfig;
use gradlab::metrics::sign_accuracy_counts;
use gradlab::model::Run;
use gradlab::tensor::Tensor;
use ndarray::IxDyn;

fn cfg(dataset: &str, extra: &str) -> ExperimentConfig {
    let json = format!(
        r#"{{"dataset": "{dataset}", "layers": [{{"type": "Dense", "units": 1, "activation": "tanh"}}],
            "loss": "mean_squared_error", "optimizer": {{"name": "sgd", "learning_rate": 0.1}},
            "label_encoding": "plus_minus_one", "batch_size": 4, "epochs": 200, "seed": 42{extra}}}"#
    );
    ExperimentConfig::from_json(json.as_bytes()).unwrap()
}

#[test]
fn or_with_plus_minus_one_targets_reaches_100_percent() {
    let (train, test) = model_common::load("or", 42);
    let mut run = Run::new(cfg("or", ""), train, Some(test)).unwrap();
    run.fit(|_| ControlFlow::Continue(())).unwrap();
    assert_eq!(run.history().last("accuracy"), Some(1.0));
    let ev = run.evaluate_test().unwrap().unwrap();
    assert_eq!(ev.metrics["accuracy"], 1.0);
    assert_eq!(ev.predicted, vec![0, 1, 1, 1]);
    // The outputs head for the targets −1, +1, +1, +1 (tanh, MSE), not for 0/1.
    let x = Tensor::from_shape_vec(IxDyn(&[4, 2]), vec![0., 0., 0., 1., 1., 0., 1., 1.]).unwrap();
    let y = run.predict(&x).unwrap();
    assert!(y[[0, 0]] < -0.5, "{y:?}");
    assert!((1..4).all(|i| y[[i, 0]] > 0.5), "{y:?}");
}

#[test]
fn sign_agreement_is_the_accuracy_of_plus_minus_one_targets() {
    // ŷ = 0.3 for +1 is right (positive), −0.1 for −1 is right, 0.2 for −1 is wrong, −0.4 for +1
    // is wrong: 2 of 4. (Keras' binary accuracy, ŷ > 0.5 == y, would count none of them.)
    let p = Tensor::from_shape_vec(IxDyn(&[4, 1]), vec![0.3, -0.1, 0.2, -0.4]).unwrap();
    let t = Tensor::from_shape_vec(IxDyn(&[4, 1]), vec![1., -1., -1., 1.]).unwrap();
    assert_eq!(sign_accuracy_counts(&p, &t).unwrap(), (2, 4));
}

#[test]
fn plus_minus_one_needs_one_unit_on_two_classes_and_no_crossentropy() {
    let facts = |d: &str| gradlab::data::bundled::info(d).unwrap().facts();
    let ten = ExperimentConfig::from_json(
        br#"{"dataset": "digits", "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 10, "activation": "tanh"}],
            "loss": "mean_squared_error", "optimizer": "sgd", "label_encoding": "plus_minus_one"}"#,
    )
    .unwrap();
    let e = ten.validate_facts(&facts("digits")).unwrap_err().to_string();
    assert!(
        e.contains("label_encoding: plus_minus_one targets need 1 output unit"),
        "{e}"
    );
    let mut ce = cfg("or", "");
    ce.loss = gradlab::losses::Loss::new(gradlab::losses::LossName::BinaryCrossentropy);
    let e = ce.validate_facts(&facts("or")).unwrap_err().to_string();
    assert!(e.contains("needs 0/1 targets, not −1/+1"), "{e}");
}

#[test]
fn export_maps_labels_to_plus_minus_one() {
    use gradlab::export::{export, DataSource, Format};
    let py = export(&cfg("or", ""), &DataSource::Bundled, None, Format::Python).unwrap();
    assert!(py.contains("y_train = (2 * y_train - 1)"), "{py}");
}
