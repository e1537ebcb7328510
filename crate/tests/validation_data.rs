//! `validation_data: "test"` (Keras `fit(validation_data=(x_test, y_test))`): every epoch is
//! validated on the test split, `validation_split` is ignored (Keras: "validation_data will
//! override validation_split"), val_* reach History and EarlyStopping, the export says so.

mod model_common;

use gradlab::config::{ExperimentConfig, ValidationData};
use gradlab::model::Run;
use model_common::load;

fn cfg(extra: &str) -> ExperimentConfig {
    let json = format!(
        r#"{{"dataset": "moons", "layers": [{{"type": "Dense", "units": 8, "activation": "tanh"}},
            {{"type": "Dense", "units": 2, "activation": "softmax"}}],
            "loss": "categorical_crossentropy", "optimizer": "adam", "batch_size": 16, "epochs": 3{extra}}}"#
    );
    ExperimentConfig::from_json(json.as_bytes()).unwrap()
}

#[test]
fn validation_data_test_validates_on_the_whole_test_split_each_epoch() {
    let (train, test) = load("moons", 42);
    let c = cfg(r#", "validation_data": "test", "validation_split": 0.5"#);
    assert_eq!(c.validation_data, Some(ValidationData::Test));
    let mut run = Run::new(c, train.clone(), Some(test.clone())).unwrap();
    // validation_split is overridden: all training samples train, the test split validates.
    assert_eq!(run.train_set().len(), train.len());
    assert_eq!(run.validation_set().unwrap().len(), test.len());
    run.fit(|_| std::ops::ControlFlow::Continue(())).unwrap();
    let h = run.history().clone();
    let val_loss = h.get("val_loss").expect("val_loss in history");
    let val_acc = h.get("val_accuracy").expect("val_accuracy in history");
    assert_eq!(val_loss.len(), 3);
    assert_eq!(val_acc.len(), 3);
    // The last epoch's val_* are evaluate() on the test split with the final weights.
    let ev = run.evaluate(&test).unwrap();
    assert_eq!(*val_loss.last().unwrap(), ev.loss);
    assert_eq!(*val_acc.last().unwrap(), ev.metrics["accuracy"]);
}

#[test]
fn validation_data_without_a_test_split_is_a_clear_error() {
    let (train, _) = load("moons", 42);
    let Err(e) = Run::new(cfg(r#", "validation_data": "test""#), train, None) else {
        panic!("a run without a test split cannot validate on it")
    };
    assert!(e.to_string().contains("has no test split"), "{e}");
}

#[test]
fn early_stopping_can_monitor_val_loss_of_the_test_split() {
    let es = r#", "early_stopping": {"monitor": "val_accuracy", "patience": 0}"#;
    let without = cfg(es).validate_facts(&gradlab::data::bundled::info("moons").unwrap().facts());
    assert!(
        without.is_err(),
        "no validation data: monitoring val_accuracy is a problem"
    );
    let with = cfg(&format!(r#"{es}, "validation_data": "test""#));
    with.validate_facts(&gradlab::data::bundled::info("moons").unwrap().facts())
        .unwrap();
}

#[test]
fn unknown_validation_data_is_reported_with_its_path() {
    let json = r#"{"dataset": "moons", "layers": [{"type": "Dense", "units": 2, "activation": "softmax"}],
        "loss": "categorical_crossentropy", "optimizer": "adam", "validation_data": "train"}"#;
    let e = ExperimentConfig::from_json(json.as_bytes()).unwrap_err().to_string();
    assert!(e.contains("validation_data") && e.contains("test"), "{e}");
}

#[test]
fn configs_without_the_field_serialise_as_before_and_round_trip_with_it() {
    let plain = cfg("");
    assert!(!plain.to_json().contains("validation_data"));
    let with = cfg(r#", "validation_data": "test""#);
    let back = ExperimentConfig::from_json(with.to_json().as_bytes()).unwrap();
    assert_eq!(back, with);
}

#[test]
fn export_emits_validation_data() {
    use gradlab::export::{export, DataSource, Format};
    let with = cfg(r#", "validation_data": "test", "validation_split": 0.2"#);
    let script = export(&with, &DataSource::Bundled, None, Format::Python).unwrap();
    assert!(script.contains("validation_data=(x_test, y_test)"), "{script}");
    assert!(!script.contains("validation_split="), "{script}");
    let plain = export(
        &cfg(r#", "validation_split": 0.2"#),
        &DataSource::Bundled,
        None,
        Format::Python,
    )
    .unwrap();
    assert!(plain.contains("validation_split=0.2"));
}
