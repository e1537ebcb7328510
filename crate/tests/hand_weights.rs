//! Weights typed by hand (issue 10, item 5): a perceptron whose weights a student
//! types computes OR without any training, and bad input changes nothing.

mod model_common;

use gradlab::config::ExperimentConfig;
use gradlab::model::hand_weights::MAX_HAND_WEIGHTS;
use gradlab::model::Run;
use gradlab::tensor::Tensor;
use ndarray::IxDyn;

fn perceptron() -> Run {
    let json = br#"{"dataset": "or", "layers": [{"type": "Dense", "units": 1, "activation": "tanh"}],
        "loss": "mean_squared_error", "optimizer": {"name": "sgd", "learning_rate": 0.1},
        "label_encoding": "plus_minus_one", "batch_size": 4, "epochs": 1, "seed": 42}"#;
    let (train, test) = model_common::load("or", 42);
    Run::new(ExperimentConfig::from_json(json).unwrap(), train, Some(test)).unwrap()
}

#[test]
fn typed_weights_make_the_perceptron_compute_or() {
    let mut run = perceptron();
    let rows = run.hand_weights().unwrap();
    // kernel [2, 1] (two values) then bias [1]: three rows, as `model.get_weights()` lists them.
    let layout: Vec<_> = rows
        .iter()
        .map(|r| (r.layer, r.param, r.shape.clone(), r.index))
        .collect();
    assert_eq!(
        layout,
        vec![
            (0, "kernel", vec![2, 1], 0),
            (0, "kernel", vec![2, 1], 1),
            (0, "bias", vec![1], 0)
        ]
    );
    // y = tanh(x1 + x2 − 0.5): −0.46 for (0, 0), +0.46 for one input on, +0.91 for both.
    run.set_hand_weight(0, "kernel", 0, 1.0).unwrap();
    run.set_hand_weight(0, "kernel", 1, 1.0).unwrap();
    run.set_hand_weight(0, "bias", 0, -0.5).unwrap();
    assert_eq!(
        run.hand_weights().unwrap().iter().map(|r| r.value).collect::<Vec<_>>(),
        vec![1.0, 1.0, -0.5]
    );
    let x = Tensor::from_shape_vec(IxDyn(&[4, 2]), vec![0., 0., 0., 1., 1., 0., 1., 1.]).unwrap();
    let y = run.predict(&x).unwrap();
    let expect = [-0.5f32, 0.5, 0.5, 1.5].map(f32::tanh);
    for (i, e) in expect.iter().enumerate() {
        assert!((y[[i, 0]] - e).abs() < 1e-6, "row {i}: {} vs {e}", y[[i, 0]]);
    }
    let ev = run.evaluate_test().unwrap().unwrap();
    assert_eq!(
        ev.metrics["accuracy"], 1.0,
        "no training step: the typed weights alone give OR"
    );
    assert_eq!(run.step(), 0);
}

#[test]
fn bad_hand_weights_change_nothing() {
    let mut run = perceptron();
    let before = run.weights_hash();
    let err = |r: gradlab::Result<()>| r.unwrap_err().to_string();
    assert!(err(run.set_hand_weight(0, "kernel", 0, f32::NAN)).contains("finite"));
    assert!(err(run.set_hand_weight(0, "kernel", 2, 1.0)).contains("index 2 is out of range"));
    assert!(err(run.set_hand_weight(0, "gamma", 0, 1.0)).contains("no weight called 'gamma'"));
    assert!(err(run.set_hand_weight(3, "kernel", 0, 1.0)).contains("there is no layer 3"));
    assert_eq!(run.weights_hash(), before);
}

#[test]
fn large_models_are_not_listed() {
    let json = br#"{"dataset": "iris", "layers": [{"type": "Dense", "units": 16, "activation": "relu"},
        {"type": "Dense", "units": 3, "activation": "softmax"}], "loss": "categorical_crossentropy",
        "optimizer": "adam", "seed": 1}"#;
    let (train, test) = model_common::load("iris", 1);
    let mut run = Run::new(ExperimentConfig::from_json(json).unwrap(), train, Some(test)).unwrap();
    // 4·16 + 16 + 16·3 + 3 = 131 weights.
    let e = run.hand_weights().unwrap_err().to_string();
    assert!(
        e.contains("131 weights") && e.contains(&MAX_HAND_WEIGHTS.to_string()),
        "{e}"
    );
    assert!(run.set_hand_weight(0, "kernel", 0, 1.0).is_err());
}
