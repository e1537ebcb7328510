//! Parsing: unknown and missing fields, wrong values and broken JSON come back
//! as problems with their paths, in Gradient Lab's words.

use super::tests::{mnist_json, path_of};
use super::*;
use crate::Error;

#[test]
fn unknown_and_missing_fields_are_named_with_paths() {
    let e = ExperimentConfig::from_json(mnist_json(r#","epocs":3"#).as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown field \"epocs\" (did you mean \"epochs\"?)"), "{e}");
    let bad_layer = mnist_json("").replace(r#""units":128"#, r#""unit":128"#);
    let e = ExperimentConfig::from_json(bad_layer.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("layers[1]") && e.contains("unit"), "{e}");
    let e = ExperimentConfig::from_json(br#"{"dataset":"mnist","layers":[]}"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("missing field \"loss\"") && e.contains("missing field \"optimizer\""),
        "{e}"
    );
    let e = ExperimentConfig::from_json(mnist_json(r#","batch_size":"big""#).as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("batch_size:"), "{e}");
    let e = ExperimentConfig::from_json(b"{not json").unwrap_err().to_string();
    assert!(e.contains("not valid JSON"), "{e}");
    let e = ExperimentConfig::from_json(b"[1,2]").unwrap_err().to_string();
    assert!(e.contains("must be a JSON object"), "{e}");
}

/// The parse problems of a config that must be rejected.
pub(super) fn parse_problems(json: &str) -> Vec<crate::Problem> {
    match ExperimentConfig::from_json(json.as_bytes()) {
        Err(Error::Invalid(p)) => p,
        other => panic!("expected problems, got {other:?} for {json}"),
    }
}

/// The one parse problem of `json`, as "path: message".
pub(super) fn parse_problem(json: &str) -> String {
    let p = parse_problems(json);
    assert_eq!(p.len(), 1, "{p:?}");
    p[0].to_string()
}

#[test]
fn parse_problems_have_paths_and_our_own_words() {
    // Issue 15.14: no serde wording ("invalid value: integer `-5`, expected usize",
    // "unknown variant `swish`").
    assert_eq!(
        parse_problem(&mnist_json(r#","batch_size":-5"#)),
        "batch_size: batch_size must be a whole number from 1 to 65,536, got -5"
    );
    let swish = mnist_json("").replace(r#""activation":"relu""#, r#""activation":"swish""#);
    let m = parse_problem(&swish);
    assert!(
        m.starts_with("layers[1].activation: \"swish\" is not an activation; use one of linear, relu"),
        "{m}"
    );
    let typo = mnist_json("").replace(r#""activation":"relu""#, r#""activation":"rellu""#);
    assert!(parse_problem(&typo).contains("(did you mean \"relu\"?)"));
    let unit = mnist_json("").replace(r#""units":128"#, r#""unit":128"#);
    let p = parse_problems(&unit);
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(p[0].path, "layers[1]");
    assert!(p[0]
        .message
        .contains("Dense has no argument \"unit\" (did you mean \"units\"?)"));
    assert_eq!(p[1].to_string(), "layers[1].units: Dense needs units: add \"units\"");
    let dense2 = mnist_json("").replace(r#""type":"Flatten""#, r#""type":"Flaten""#);
    assert_eq!(
        parse_problem(&dense2),
        "layers[0]: \"Flaten\" is not a layer type (did you mean \"Flatten\"?); use one of Dense, Flatten, \
         Dropout, Activation, Softmax, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, \
         BatchNormalization, Reshape"
    );
    // Every bad field at once, each at its path.
    let many = mnist_json(r#","epochs":1.5,"shuffle":"yes","metrics":["acc","f1"],"seed":-1"#)
        .replace(r#""units":10"#, r#""units":0"#)
        .replace(
            r#"{"name":"adam"}"#,
            r#"{"name":"adam","learning_rate":"fast","beta1":0.9}"#,
        );
    let paths: Vec<String> = parse_problems(&many).into_iter().map(|p| p.path).collect();
    assert_eq!(
        paths,
        [
            "layers[2].units",
            "optimizer",
            "optimizer.learning_rate",
            "metrics[1]",
            "epochs",
            "shuffle",
            "seed"
        ]
    );
    // Values serde would turn into infinities, and NaN, which JSON has not.
    assert_eq!(
        parse_problem(&mnist_json(r#","validation_split":1e39"#)),
        "validation_split: validation_split must be a finite number, got 1e+39"
    );
    let nan = mnist_json("").replace(r#"{"name":"adam"}"#, r#"{"name":"adam","learning_rate":NaN}"#);
    assert_eq!(
        parse_problem(&nan),
        "optimizer.learning_rate: learning_rate must be a finite number, got NaN"
    );
    let inf = mnist_json("").replace(r#""units":128"#, r#""units":Infinity"#);
    assert_eq!(
        parse_problem(&inf),
        "layers[1].units: units must be a finite number, got Infinity"
    );
    let m = parse_problem(r#"{"dataset": "mnist", "layers": [}"#);
    assert!(
        m.starts_with("the config is not valid JSON at line 1, column 33 (in layers[0])"),
        "{m}"
    );
    // The types' own checks are mapped to the field they name.
    let json = mnist_json("")
        .replace(r#"{"name":"adam"}"#, r#"{"name":"adam","beta_1":1.5}"#)
        .replace(
            "\"categorical_crossentropy\"",
            r#"{"name":"categorical_crossentropy","label_smoothing":2}"#,
        );
    let p = parse_problems(&json);
    assert_eq!(path_of(&p, "beta_1 must be >= 0 and < 1"), "optimizer.beta_1");
    assert_eq!(
        path_of(&p, "label_smoothing must be between 0 and 1"),
        "loss.label_smoothing"
    );
    assert!(p.iter().all(|p| !p.message.contains('`')), "{p:?}");
    // Unknown datasets, losses and optimizers name the choices.
    let m = parse_problem(&mnist_json("").replace(r#""dataset":"mnist""#, r#""dataset":"minst""#));
    assert!(
        m.starts_with("dataset: \"minst\" is not a dataset (did you mean \"mnist\"?)"),
        "{m}"
    );
    let m = parse_problem(&mnist_json("").replace(r#"{"name":"adam"}"#, r#""adamw""#));
    assert!(
        m.starts_with("optimizer: \"adamw\" is not an optimizer (did you mean \"adam\"?)"),
        "{m}"
    );
    // null is Keras' None where the core reads it so: a linear Dense, an
    // optimizer default.
    let nulls = mnist_json("")
        .replace(r#""activation":"relu""#, r#""activation":null"#)
        .replace(
            r#"{"name":"adam"}"#,
            r#"{"name":"adam","learning_rate":null,"clipnorm":null}"#,
        );
    let c = ExperimentConfig::from_json(nulls.as_bytes()).unwrap();
    assert_eq!(c.optimizer.learning_rate(), 0.001);
    assert_eq!(
        parse_problem(&mnist_json(r#","batch_size":null"#)),
        "batch_size: batch_size needs a value, got null"
    );
    // Aliases stay accepted.
    let mse = mnist_json(r#","metrics":["mean_squared_error"]"#).replace("\"categorical_crossentropy\"", "\"mse\"");
    assert!(ExperimentConfig::from_json(mse.as_bytes()).is_ok());
}
