//! The schema against the parser: every default the page would prefill is
//! what leaving the argument out gives, and every field the parser writes is
//! described — so the schema and the core cannot drift apart.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::*;
use crate::config::{EarlyStoppingConfig, ExperimentConfig};
use crate::losses::Loss;
use crate::optimizers::OptimizerConfig;
use crate::schedules::Schedule;
use crate::spec::{choices_of, ArgType};

/// A valid value for a required argument.
fn sample(arg: &Arg) -> Value {
    match arg.ty {
        ArgType::Int => json!(arg.min.unwrap_or(1.0).max(1.0) as u64 + 2),
        ArgType::Float => match (arg.min, arg.max) {
            (Some(lo), Some(hi)) => json!((lo + hi) / 2.0),
            _ => json!(0.5),
        },
        ArgType::Bool => json!(true),
        ArgType::IntList => json!([2, 2]),
        ArgType::Enum => json!(choices_of(arg.choices_from.unwrap_or_default())
            .first()
            .copied()
            .unwrap_or("x")),
        _ => Value::Null,
    }
}

/// `base` plus the required args' samples.
fn minimal(mut base: Map<String, Value>, args: &[Arg]) -> Map<String, Value> {
    for a in args.iter().filter(|a| a.required) {
        base.insert(a.name.to_string(), sample(a));
    }
    base
}

fn parse<T: DeserializeOwned>(m: &Map<String, Value>) -> T {
    serde_json::from_value(Value::Object(m.clone())).unwrap_or_else(|e| panic!("{e}: {m:?}"))
}

/// Setting each optional argument to its schema default gives the same value
/// as leaving it out; every field `T` writes is one of `args` (`skip` aside).
fn defaults_agree<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    what: &str,
    base: Map<String, Value>,
    args: &[Arg],
    skip: &[&str],
) {
    let min = minimal(base, args);
    let left_out: T = parse(&min);
    for a in args.iter().filter(|a| !a.required) {
        let mut with = min.clone();
        with.insert(a.name.to_string(), a.default.clone());
        assert_eq!(parse::<T>(&with), left_out, "{what}.{}: default {}", a.name, a.default);
    }
    if let Value::Object(written) = serde_json::to_value(&left_out).unwrap() {
        for k in written.keys().filter(|k| !skip.contains(&k.as_str())) {
            assert!(
                args.iter().any(|a| a.name == k),
                "{what} writes {k}, which the schema does not describe"
            );
        }
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn layer_defaults_are_what_parsing_gives() {
    let s = schema();
    let kinds: Vec<&str> = s.layers.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            "Dense",
            "Flatten",
            "Dropout",
            "Activation",
            "Softmax",
            "Conv2D",
            "MaxPooling2D",
            "AveragePooling2D",
            "GlobalAveragePooling2D",
            "BatchNormalization",
            "Reshape"
        ]
    );
    for l in &s.layers {
        defaults_agree::<LayerConfig>(l.kind, obj(json!({"type": l.kind})), &l.args, &["type"]);
    }
    let dense = &s.layers[0];
    let names: Vec<&str> = dense.args.iter().map(|a| a.name).collect();
    assert_eq!(
        names,
        [
            "units",
            "activation",
            "use_bias",
            "kernel_initializer",
            "bias_initializer",
            "kernel_regularizer",
            "bias_regularizer"
        ]
    );
    assert!(dense.args[0].required && dense.args[0].default.is_null());
    assert_eq!(
        (&dense.args[1].default, &dense.args[3].default),
        (&json!("linear"), &json!("glorot_uniform"))
    );
}

#[test]
fn optimizer_and_loss_defaults_are_keras_and_what_parsing_gives() {
    let s = schema();
    for o in &s.optimizers {
        let args: Vec<Arg> = o.args.iter().chain(&s.clipping).cloned().collect();
        defaults_agree::<OptimizerConfig>(o.name, obj(json!({"name": o.name})), &args, &["name"]);
    }
    let adam = s.optimizers.iter().find(|o| o.name == "adam").unwrap();
    let lr = adam.args.iter().find(|a| a.name == "learning_rate").unwrap();
    // Keras 3: Adam(learning_rate=0.001), stored as f32.
    assert_eq!(lr.default, json!(0.001f32));
    let m: Vec<_> = s.optimizers.iter().map(|o| (o.keras, o.momentum_arg)).collect();
    assert_eq!(
        m,
        [
            ("SGD", Some("momentum")),
            ("Adam", Some("beta_1")),
            ("RMSprop", Some("momentum")),
            ("Adagrad", None),
            ("Nadam", Some("beta_1"))
        ]
    );
    let clips: Vec<&str> = s.clipping.iter().map(|a| a.name).collect();
    assert_eq!(clips, ["clipnorm", "clipvalue", "global_clipnorm"]);
    for l in &s.losses {
        defaults_agree::<Loss>(l.name, obj(json!({"name": l.name})), &l.args, &["name"]);
    }
    let tasks: Vec<_> = s.losses.iter().map(|l| (l.name, l.task)).collect();
    assert!(tasks.contains(&("huber", Task::Regression)) && tasks.contains(&("hinge", Task::Classification)));
}

#[test]
fn experiment_early_stopping_and_schedule_defaults_are_what_parsing_gives() {
    let s = schema();
    let fields: Vec<&str> = s.experiment.iter().map(|a| a.name).collect();
    assert_eq!(
        fields,
        [
            "dataset",
            "layers",
            "loss",
            "optimizer",
            "metrics",
            "label_encoding",
            "batch_size",
            "epochs",
            "validation_split",
            "shuffle",
            "seed",
            "early_stopping",
            "lr_schedule",
            "validation_data"
        ]
    );
    let base = obj(
        json!({"dataset": "iris", "layers": [{"type": "Dense", "units": 3, "activation": "softmax"}],
        "loss": "categorical_crossentropy", "optimizer": "adam"}),
    );
    let optional: Vec<Arg> = s.experiment.iter().filter(|a| !a.required).cloned().collect();
    defaults_agree::<ExperimentConfig>(
        "config",
        base.clone(),
        &optional,
        &["dataset", "layers", "loss", "optimizer"],
    );
    // The same through from_json (its own checks see the defaults as valid).
    for a in &optional {
        let mut with = base.clone();
        with.insert(a.name.into(), a.default.clone());
        let json = serde_json::to_vec(&with).unwrap();
        assert!(ExperimentConfig::from_json(&json).is_ok(), "{}", a.name);
    }
    defaults_agree::<EarlyStoppingConfig>("early_stopping", Map::new(), &s.early_stopping, &[]);
    for sch in &s.schedules {
        defaults_agree::<Schedule>(sch.name, obj(json!({"type": sch.name})), &sch.args, &["type"]);
    }
}

#[test]
fn schema_json_has_every_part_from_its_source() {
    let v = serde_json::to_value(schema()).unwrap();
    for key in [
        "version",
        "layers",
        "activations",
        "initializers",
        "losses",
        "optimizers",
        "clipping",
        "metrics",
        "datasets",
        "experiment",
        "early_stopping",
        "schedules",
        "limits",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["version"], 1);
    assert_eq!(v["activations"].as_array().unwrap().len(), Activation::ALL.len());
    assert_eq!(v["activations"][7], json!({"name": "step", "has_gradient": false}));
    let fashion = v["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "fashion-mnist")
        .unwrap();
    assert_eq!(fashion["sample_shape"], json!([28, 28, 1]));
    assert_eq!(fashion["num_classes"], 10);
    assert_eq!(fashion["group"], "Images");
    assert_eq!(v["datasets"][6]["task"], "regression");
    assert_eq!(v["datasets"][6]["num_classes"], Value::Null);
    assert_eq!(v["limits"]["max_layers"], crate::limits::MAX_LAYERS);
    let units = &v["layers"][0]["args"][0];
    assert_eq!(
        (units["type"].clone(), units["min"].clone(), units["required"].clone()),
        (json!("int"), json!(1.0), json!(true))
    );
    assert_eq!(v["layers"][0]["args"][1]["choices_from"], "activations");
    assert_eq!(
        v["experiment"][5]["choices"],
        json!(["one_hot", "sparse", "plus_minus_one"])
    );
}

#[test]
fn images_only_is_exactly_the_kinds_whose_shape_rule_rejects_flat_samples() {
    for l in &schema().layers {
        let config: LayerConfig = parse(&minimal(obj(json!({"type": l.kind})), &l.args));
        // Flat samples of 4 features (Reshape's sample target shape [2, 2] holds 4 values).
        let rejected = config.as_kind().output_shape(&[4]).is_err();
        assert_eq!(rejected, l.images_only, "{} on 4 features", l.kind);
        if l.images_only {
            assert!(
                config.as_kind().output_shape(&[28, 28, 1]).is_ok(),
                "{} on an image",
                l.kind
            );
        }
    }
}
