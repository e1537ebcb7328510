//! kernel_regularizer / bias_regularizer through training: the gradient of the regularized
//! loss checked by finite differences against an independent f64 formula, the logged loss
//! (Keras' `loss` includes the penalty) and the evaluated / validation loss (Keras'
//! `test_step` goes through `compute_loss` too, so `val_loss` and `evaluate()` include it).

mod gradcheck_common;
mod model_common;

use gradlab::config::ExperimentConfig;
use gradlab::model::Run;

/// Perceptron on OR: Dense(1, tanh), MSE, one full batch, SGD lr 1 (so the step is −grad).
fn cfg(extra: &str) -> ExperimentConfig {
    let json = format!(
        r#"{{"dataset": "or", "layers": [{{"type": "Dense", "units": 1, "activation": "tanh",
            "kernel_initializer": {{"name": "random_uniform", "minval": -1, "maxval": 1}},
            "bias_initializer": {{"name": "constant", "value": 0.2}}{extra}}}],
            "loss": "mean_squared_error", "optimizer": {{"name": "sgd", "learning_rate": 1.0}},
            "batch_size": 4, "epochs": 1, "shuffle": false, "seed": 7}}"#
    );
    ExperimentConfig::from_json(json.as_bytes()).unwrap()
}

const REGS: &str = r#", "kernel_regularizer": {"name": "l1_l2", "l1": 0.05, "l2": 0.1},
    "bias_regularizer": {"name": "l2", "l2": 0.3}"#;

/// The regularized loss in f64, written from the formulas: mean over the 4 truth-table rows of
/// (tanh(x·w + b) − y)², plus 0.05·Σ|w| + 0.1·Σw² + 0.3·b².
fn reference_loss(p: &[f64]) -> f64 {
    let (w, b) = ([p[0], p[1]], p[2]);
    let rows = [
        ([0.0, 0.0], 0.0),
        ([0.0, 1.0], 1.0),
        ([1.0, 0.0], 1.0),
        ([1.0, 1.0], 1.0),
    ];
    let data: f64 = rows
        .iter()
        .map(|(x, y)| ((x[0] * w[0] + x[1] * w[1] + b).tanh() - y).powi(2))
        .sum::<f64>()
        / 4.0;
    data + 0.05 * (w[0].abs() + w[1].abs()) + 0.1 * (w[0] * w[0] + w[1] * w[1]) + 0.3 * b * b
}

fn params(run: &Run) -> Vec<f64> {
    run.model()
        .weights()
        .iter()
        .flat_map(|t| t.iter().map(|&v| f64::from(v)))
        .collect()
}

fn or_run(extra: &str) -> Run {
    let (train, test) = model_common::load("or", 7);
    Run::new(cfg(extra), train, Some(test)).unwrap()
}

#[test]
fn regularized_gradient_matches_finite_differences_and_the_loss_includes_the_penalty() {
    let mut run = or_run(REGS);
    let before = params(&run);
    assert_eq!(before.len(), 3);
    assert!(
        before.iter().all(|&v| v != 0.0),
        "weights away from sign's kink: {before:?}"
    );
    let report = run.train_batches(1).unwrap();
    let after = params(&run);
    // SGD with learning rate 1: w' = w − g, so g = w − w'.
    let analytic: Vec<f32> = before.iter().zip(&after).map(|(a, b)| (a - b) as f32).collect();
    let numeric = gradcheck_common::numeric_grad(reference_loss, &before);
    gradcheck_common::check("regularized Dense", &analytic, &numeric);
    // The logged loss is Keras' total loss, computed before the step.
    let logged = f64::from(report.batches[0].loss);
    assert!(
        (logged - reference_loss(&before)).abs() < 1e-5,
        "{logged} vs {}",
        reference_loss(&before)
    );
}

#[test]
fn evaluate_and_val_loss_include_the_penalty() {
    let mut plain = or_run("");
    let mut reg = or_run(REGS);
    let w = params(&reg);
    assert_eq!(w, params(&plain), "regularizers do not change the initial weights");
    let (train, _) = model_common::load("or", 7);
    let e_plain = plain.evaluate(&train).unwrap().loss;
    let e_reg = reg.evaluate(&train).unwrap().loss;
    let penalty = 0.05 * (w[0].abs() + w[1].abs()) + 0.1 * (w[0] * w[0] + w[1] * w[1]) + 0.3 * w[2] * w[2];
    assert!(
        (e_reg - e_plain - penalty).abs() < 1e-5,
        "{e_reg} − {e_plain} ≠ {penalty}"
    );
    assert!((e_reg - reference_loss(&w)).abs() < 1e-5);
}

#[test]
fn bad_factors_and_initializer_arguments_are_reported_at_their_paths() {
    let json = r#"{"dataset": "or", "layers": [{"type": "Dense", "units": 1, "activation": "tanh"},
        {"type": "Dense", "units": 1, "activation": "tanh",
         "kernel_initializer": {"name": "random_uniform", "minval": 1, "maxval": -1},
         "kernel_regularizer": {"name": "l2", "l2": -0.5}}],
        "loss": "mean_squared_error", "optimizer": "sgd"}"#;
    let cfg = ExperimentConfig::from_json(json.as_bytes()).unwrap();
    let facts = gradlab::data::bundled::info("or").unwrap().facts();
    let gradlab::Error::Invalid(problems) = cfg.validate_facts(&facts).unwrap_err() else {
        panic!("expected problems")
    };
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        shown.contains(&"layers[1].kernel_initializer.minval: minval must be less than maxval, got 1 ≥ -1".into()),
        "{shown:?}"
    );
    assert!(shown
        .iter()
        .any(|s| s.starts_with("layers[1].kernel_regularizer.l2: l2 must be a finite number ≥ 0")));
}

#[test]
fn unknown_arguments_in_the_object_form_are_reported_with_the_layer_path() {
    let json = r#"{"dataset": "or", "layers": [{"type": "Dense", "units": 1,
         "kernel_initializer": {"name": "random_uniform", "stddev": 1}}],
        "loss": "mean_squared_error", "optimizer": "sgd"}"#;
    let e = ExperimentConfig::from_json(json.as_bytes()).unwrap_err().to_string();
    assert!(
        e.contains("layers[0].kernel_initializer") && e.contains("minval, maxval"),
        "{e}"
    );
}

#[test]
fn export_writes_keras_initializer_and_regularizer_objects() {
    use gradlab::export::{export, DataSource, Format};
    let py = export(&cfg(REGS), &DataSource::Bundled, None, Format::Python).unwrap();
    assert!(py.contains("keras.initializers.RandomUniform("), "{py}");
    assert!(py.contains("minval=-1.0") && py.contains("maxval=1.0"), "{py}");
    assert!(py.contains("keras.initializers.Constant(value=0.2)"), "{py}");
    assert!(py.contains("keras.regularizers.L1L2(l1=0.05, l2=0.1)"), "{py}");
    assert!(py.contains("bias_regularizer=keras.regularizers.L2(l2=0.3)"), "{py}");
}
