//! Config parsing and validation: every listed incompatibility gives its
//! message, unknown fields are named, and all problems come back at once.

use super::*;
use crate::data::{truth_table, Dataset, Features, Gate, Normalization, Targets};
use crate::Error;

pub(super) fn images(classes: usize) -> Dataset {
    let n = 20;
    let labels = (0..n).map(|i| (i % classes) as u32).collect();
    Dataset::new(
        "mnist",
        vec![28, 28, 1],
        Features::U8 { data: vec![0; n * 784] },
        Targets::Classes {
            labels,
            num_classes: classes,
        },
        vec![],
        Normalization::Scale(1.0 / 255.0),
    )
    .unwrap()
}

pub(super) fn regression() -> Dataset {
    let n = 10;
    Dataset::new(
        "diabetes",
        vec![10],
        Features::F32 {
            data: vec![0.5; n * 10],
        },
        Targets::Values {
            data: vec![1.0; n],
            dim: 1,
        },
        vec![],
        Normalization::None,
    )
    .unwrap()
}

pub(super) fn mnist_json(extra: &str) -> String {
    format!(
        r#"{{"dataset":"mnist","layers":[{{"type":"Flatten"}},{{"type":"Dense","units":128,"activation":"relu"}},
        {{"type":"Dense","units":10,"activation":"softmax"}}],"loss":"categorical_crossentropy",
        "optimizer":{{"name":"adam"}}{extra}}}"#
    )
}

pub(super) fn cfg(json: &str) -> ExperimentConfig {
    ExperimentConfig::from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

/// The validation problems of a config that must be rejected.
pub(super) fn problem_list(json: &str, ds: &Dataset) -> Vec<crate::Problem> {
    match cfg(json).validate(ds) {
        Err(Error::Invalid(p)) => p,
        other => panic!("expected a config error, got {other:?} for {json}"),
    }
}

/// The validation problems as the CLI prints them, "path: message" per line.
pub(super) fn problems(json: &str, ds: &Dataset) -> String {
    Error::Invalid(problem_list(json, ds)).to_string()
}

/// The path of the one problem whose message contains `text`.
pub(super) fn path_of(problems: &[crate::Problem], text: &str) -> String {
    let found: Vec<_> = problems.iter().filter(|p| p.message.contains(text)).collect();
    assert_eq!(found.len(), 1, "{text}: {problems:?}");
    found[0].path.clone()
}

#[test]
fn defaults_are_keras_and_json_round_trips() {
    let c = cfg(&mnist_json(""));
    assert_eq!(
        (c.batch_size, c.epochs, c.validation_split, c.shuffle, c.seed),
        (32, 1, 0.0, true, 42)
    );
    assert!(c.metrics.is_empty() && c.label_encoding.is_none() && c.early_stopping.is_none());
    assert_eq!(
        c.effective_metrics(crate::data::Task::Classification),
        vec![Metric::Accuracy]
    );
    assert_eq!(c.effective_label_encoding(), LabelEncoding::OneHot);
    assert!(c.validate(&images(10)).is_ok());
    let back = ExperimentConfig::from_json(c.to_json().as_bytes()).unwrap();
    assert_eq!(back, c);
    let sparse = cfg(&mnist_json("").replace("\"categorical_crossentropy\"", "\"sparse_categorical_crossentropy\""));
    assert_eq!(sparse.effective_label_encoding(), LabelEncoding::Sparse);
    let es = cfg(&mnist_json(
        r#","validation_split":0.1,"early_stopping":{"patience":2}"#,
    ));
    let es = es.early_stopping.unwrap();
    assert_eq!(
        (es.monitor.as_str(), es.patience, es.mode),
        ("val_loss", 2, MonitorMode::Auto)
    );
}

#[test]
fn dense_on_images_needs_flatten() {
    let json = mnist_json("").replace(r#"{"type":"Flatten"},"#, "");
    let m = problems(&json, &images(10));
    assert!(
        m.contains(
            "layers[0]: Dense needs a flat input (None, n) but gets (None, 28, 28, 1): add a Flatten layer before it"
        ),
        "{m}"
    );
    assert_eq!(m.lines().count(), 1, "{m}");
}

#[test]
fn output_units_must_match_classes() {
    let json = mnist_json("").replace(r#""units":10"#, r#""units":5"#);
    let m = problems(&json, &images(10));
    assert!(
        m.contains("layers[2].units: the last Dense layer has 5 units but mnist has 10 classes: set units to 10"),
        "{m}"
    );
}

#[test]
fn loss_label_and_activation_compatibility() {
    let sparse_onehot = mnist_json(r#","label_encoding":"one_hot""#)
        .replace("\"categorical_crossentropy\"", "\"sparse_categorical_crossentropy\"");
    let m = problems(&sparse_onehot, &images(10));
    assert!(m.contains("sparse_categorical_crossentropy needs sparse labels; set label_encoding to sparse or use categorical_crossentropy"), "{m}");
    let cce_sparse = mnist_json(r#","label_encoding":"sparse""#);
    let m = problems(&cce_sparse, &images(10));
    assert!(m.contains("categorical_crossentropy needs one-hot labels"), "{m}");
    let bce = mnist_json("").replace("\"categorical_crossentropy\"", "\"binary_crossentropy\"");
    let m = problems(&bce, &images(10));
    assert!(
        m.contains("binary_crossentropy with softmax over 10 classes: use categorical_crossentropy"),
        "{m}"
    );
    let linear_ce = mnist_json("").replace(r#""activation":"softmax""#, r#""activation":"linear""#);
    let m = problems(&linear_ce, &images(10));
    assert!(m.contains("expects probabilities") && m.contains("from_logits"), "{m}");
    let logits_ok = linear_ce.replace(
        "\"categorical_crossentropy\"",
        r#"{"name":"categorical_crossentropy","from_logits":true}"#,
    );
    assert!(cfg(&logits_ok).validate(&images(10)).is_ok());
}

#[test]
fn regression_and_classification_losses() {
    let reg = r#"{"dataset":"diabetes","layers":[{"type":"Dense","units":1}],"loss":"categorical_crossentropy",
        "optimizer":"sgd","metrics":["accuracy"]}"#;
    let m = problems(reg, &regression());
    assert!(
        m.contains("categorical_crossentropy is a classification loss but diabetes is a regression dataset"),
        "{m}"
    );
    assert!(m.contains("the accuracy metric needs a classification dataset"), "{m}");
    let ok = reg
        .replace("\"categorical_crossentropy\"", "\"mse\"")
        .replace(r#""accuracy""#, r#""mae""#);
    assert!(cfg(&ok).validate(&regression()).is_ok());
    let wide = ok.replace(r#""units":1"#, r#""units":3"#);
    assert!(problems(&wide, &regression()).contains("has 1 target value(s) per sample: set units to 1"));
    // MSE on one-hot classes is fine (the course does it), and so is 1 tanh unit on a 2-class gate.
    assert!(
        cfg(&mnist_json("").replace("\"categorical_crossentropy\"", "\"mean_squared_error\""))
            .validate(&images(10))
            .is_ok()
    );
    let or =
        r#"{"dataset":"or","layers":[{"type":"Dense","units":1,"activation":"tanh"}],"loss":"mse","optimizer":"sgd"}"#;
    assert!(cfg(or).validate(&truth_table(Gate::Or)).is_ok());
}

#[test]
fn step_activation_cannot_be_trained_by_a_gradient_optimizer() {
    let or =
        r#"{"dataset":"or","layers":[{"type":"Dense","units":1,"activation":"step"}],"loss":"mse","optimizer":"sgd"}"#;
    let m = problems(or, &truth_table(Gate::Or));
    assert!(
        m.contains(
            "layers[0].activation: the step activation has no gradient, so sgd cannot train the model: \
             use sigmoid or tanh"
        ),
        "{m}"
    );
}

#[test]
fn scalar_ranges_and_all_problems_at_once() {
    let mut c = cfg(&mnist_json(r#","validation_split":1.0"#).replace(r#""units":10"#, r#""units":5"#));
    (c.batch_size, c.epochs) = (0, 0);
    let Err(Error::Invalid(p)) = c.validate(&images(10)) else {
        panic!("accepted")
    };
    assert_eq!(
        path_of(&p, "batch_size must be a whole number ≥ 1, got 0"),
        "batch_size"
    );
    assert_eq!(path_of(&p, "epochs is 0: set it to 1 or more"), "epochs");
    assert_eq!(
        path_of(&p, "validation_split is 1: use a fraction in [0, 1)"),
        "validation_split"
    );
    assert_eq!(path_of(&p, "set units to 10"), "layers[2].units");
    assert_eq!(p.len(), 4, "{p:?}");
    // Schedule problems point at their field.
    let json =
        mnist_json(r#","lr_schedule":{"type":"step_decay","initial_learning_rate":0.1,"factor":-1,"every_epochs":2}"#);
    let p = problem_list(&json, &images(10));
    assert_eq!(path_of(&p, "factor must be a finite number > 0"), "lr_schedule.factor");
}

#[test]
fn early_stopping_needs_a_logged_monitor() {
    let m = problems(&mnist_json(r#","early_stopping":{}"#), &images(10));
    assert!(
        m.contains("early_stopping monitors val_loss but there is no validation data: set validation_split"),
        "{m}"
    );
    let m = problems(
        &mnist_json(r#","validation_split":0.2,"early_stopping":{"monitor":"val_f1"}"#),
        &images(10),
    );
    assert!(
        m.contains("\"val_f1\", which is not logged: use one of loss, accuracy, val_loss, val_accuracy"),
        "{m}"
    );
    assert!(cfg(&mnist_json(
        r#","validation_split":0.2,"early_stopping":{"monitor":"val_accuracy"}"#
    ))
    .validate(&images(10))
    .is_ok());
}
