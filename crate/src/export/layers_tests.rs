//! The generic layer rendering: every registered kind, defaults left out,
//! value literals, and nothing of a config's JSON dropped.

use super::*;
use crate::config::ExperimentConfig;

/// The layers of a config whose `layers` are `layers_json`.
fn layers_of(layers_json: &str) -> Vec<LayerConfig> {
    let json = format!(
        r#"{{"dataset": "mnist", "layers": {layers_json}, "loss": "categorical_crossentropy",
            "optimizer": "adam"}}"#
    );
    ExperimentConfig::from_json(json.as_bytes()).unwrap().layers
}

fn rendered(layers_json: &str) -> Vec<String> {
    layers_of(layers_json).iter().map(|l| layer(l).unwrap()).collect()
}

#[test]
fn cnn_kinds_render_as_keras_calls_with_non_default_arguments_only() {
    let got = rendered(
        r#"[{"type": "Reshape", "target_shape": [28, 28, 1]},
            {"type": "Conv2D", "filters": 32, "kernel_size": 3, "activation": "relu"},
            {"type": "Conv2D", "filters": 8, "kernel_size": [3, 2], "strides": 2, "padding": "same",
             "use_bias": false},
            {"type": "MaxPooling2D", "pool_size": 2},
            {"type": "MaxPooling2D", "pool_size": [3, 3], "strides": [1, 1], "padding": "same"},
            {"type": "AveragePooling2D", "pool_size": 2, "strides": null},
            {"type": "BatchNormalization"},
            {"type": "BatchNormalization", "momentum": 0.9, "epsilon": 0.00001, "center": false},
            {"type": "GlobalAveragePooling2D"},
            {"type": "Dropout", "rate": 0.25},
            {"type": "Dense", "units": 10, "activation": null},
            {"type": "Activation", "activation": "softmax"},
            {"type": "Softmax"}]"#,
    );
    let want = [
        "layers.Reshape((28, 28, 1))",
        "layers.Conv2D(32, kernel_size=(3, 3), activation=\"relu\")",
        "layers.Conv2D(8, kernel_size=(3, 2), strides=(2, 2), padding=\"same\", use_bias=False)",
        "layers.MaxPooling2D()",
        "layers.MaxPooling2D(pool_size=(3, 3), strides=(1, 1), padding=\"same\")",
        "layers.AveragePooling2D()",
        "layers.BatchNormalization()",
        "layers.BatchNormalization(momentum=0.9, epsilon=0.00001, center=False)",
        "layers.GlobalAveragePooling2D()",
        "layers.Dropout(0.25)",
        "layers.Dense(10)",
        "layers.Activation(\"softmax\")",
        "layers.Softmax()",
    ];
    assert_eq!(got, want);
}

#[test]
fn step_is_the_defined_function_not_a_name() {
    let got = rendered(r#"[{"type": "Flatten"}, {"type": "Dense", "units": 2, "activation": "step"}]"#);
    assert_eq!(got[1], "layers.Dense(2, activation=step)");
    assert!(uses_step(&layers_of(
        r#"[{"type": "Flatten"}, {"type": "Activation", "activation": "step"}]"#
    )));
    assert!(!uses_step(&layers_of(
        r#"[{"type": "Flatten"}, {"type": "Dense", "units": 2}]"#
    )));
}

#[test]
fn a_long_call_is_wrapped_one_argument_per_line() {
    let got = rendered(
        r#"[{"type": "Conv2D", "filters": 1024, "kernel_size": [11, 13], "strides": [3, 5], "padding": "same",
             "activation": "leaky_relu", "use_bias": false, "kernel_initializer": "lecun_normal",
             "bias_initializer": "ones"}]"#,
    );
    assert_eq!(
        got[0],
        "layers.Conv2D(\n            1024,\n            kernel_size=(11, 13),\n            strides=(3, 5),\n            \
         padding=\"same\",\n            activation=\"leaky_relu\",\n            use_bias=False,\n            \
         kernel_initializer=\"lecun_normal\",\n            bias_initializer=\"ones\",\n        )"
    );
}

/// Every field of every kind's JSON is one of its Args (else the renderer
/// would fall back to writing it after them), and a kind with all
/// defaults renders with only its required arguments.
#[test]
fn every_registered_kind_has_an_arg_for_each_json_field() {
    for spec in LayerConfig::specs() {
        let mut obj = serde_json::Map::new();
        obj.insert("type".into(), Value::String(spec.kind.into()));
        for a in spec.args.iter().filter(|a| a.required) {
            let v = match a.ty {
                ArgType::Int => Value::from(2),
                ArgType::Float => Value::from(0.5),
                ArgType::IntList => Value::from(vec![2, 2]),
                ArgType::Enum => Value::from("relu"),
                _ => Value::Null,
            };
            obj.insert(a.name.into(), v);
        }
        let l: LayerConfig = serde_json::from_value(Value::Object(obj)).unwrap();
        let json = serde_json::to_value(&l).unwrap();
        for k in json.as_object().unwrap().keys().filter(|k| *k != "type") {
            assert!(
                spec.args.iter().any(|a| a.name == k),
                "{}: JSON field {k} has no Arg",
                spec.kind
            );
        }
        let text = layer(&l).unwrap();
        let named = spec.args.iter().skip(1).filter(|a| a.required).count();
        assert_eq!(text.matches('=').count(), named, "{}: {text}", spec.kind);
        assert!(text.starts_with(&format!("layers.{}(", spec.kind)), "{text}");
    }
}

#[test]
fn literals_of_values() {
    let int = Arg::new("n", ArgType::Int, 0, "");
    let flt = Arg::new("x", ArgType::Float, 0.0, "");
    assert_eq!(value(&serde_json::json!(null), None), "None");
    assert_eq!(value(&serde_json::json!([4]), Some(&int)), "(4,)");
    assert_eq!(value(&serde_json::json!(-1), Some(&int)), "-1");
    assert_eq!(value(&serde_json::json!(3.0), Some(&int)), "3");
    assert_eq!(value(&serde_json::json!(3), Some(&flt)), "3.0");
    assert_eq!(value(&serde_json::to_value(0.99f32).unwrap(), Some(&flt)), "0.99");
    assert_eq!(value(&serde_json::json!(0.1), Some(&flt)), "0.1");
    assert_eq!(
        value(&serde_json::json!(0.1f64 + 0.2), Some(&flt)),
        "0.30000000000000004"
    );
    assert_eq!(value(&serde_json::json!("a\"b"), None), "\"a\\\"b\"");
    assert_eq!(value(&serde_json::json!({"k": true}), None), "{\"k\": True}");
}

#[test]
fn initializer_objects_become_keras_initializer_calls() {
    let init = Arg::new("kernel_initializer", ArgType::Enum, "glorot_uniform", "").choices_from("initializers");
    let keras_form = serde_json::json!({"class_name": "RandomUniform", "config": {"minval": -0.1, "maxval": 0.1}});
    assert_eq!(
        value(&keras_form, Some(&init)),
        "keras.initializers.RandomUniform(maxval=0.1, minval=-0.1)"
    );
    let named_form = serde_json::json!({"name": "random_normal", "stddev": 0.2});
    assert_eq!(
        value(&named_form, Some(&init)),
        "keras.initializers.RandomNormal(stddev=0.2)"
    );
    assert_eq!(value(&serde_json::json!("he_uniform"), Some(&init)), "\"he_uniform\"");
}
