//! `config::patch`: the race link form (`?race=`), parsed by the core only — for `gradlab kfold
//! --vary` and, through the facade's `parseRace` / `parseRun`, for the page, which gets each run's
//! [`Patch::page_form`] (the object www/js/race.js keeps and writes back; tests/unit/race.test.mjs
//! checks that writing the core's parse of a canonical link gives the same link).

use gradlab::config::patch::{parse_patch, parse_race, Patch, MAX_RUNS};
use gradlab::config::ExperimentConfig;
use serde_json::{json, Value};

fn base() -> ExperimentConfig {
    let text = r#"{"dataset":"mnist","layers":[{"type":"Flatten"},
        {"type":"Dense","units":32,"activation":"relu"},{"type":"Dropout","rate":0.1},
        {"type":"Dense","units":10,"activation":"softmax"}],"loss":"categorical_crossentropy",
        "optimizer":{"name":"adam","learning_rate":0.002,"clipnorm":1.0},"batch_size":32,"epochs":3,"seed":7}"#;
    ExperimentConfig::from_json(text.as_bytes()).unwrap()
}

fn applied(text: &str) -> Value {
    let c = parse_patch(text, 1).unwrap().apply(&base()).unwrap();
    serde_json::to_value(c).unwrap()
}

fn error(text: &str) -> String {
    match parse_race(text) {
        Err(e) => e.to_string(),
        Ok(runs) => runs
            .iter()
            .find_map(|p| p.apply(&base()).err())
            .map_or_else(|| panic!("{text}: no error"), |e| e.to_string()),
    }
}

#[test]
fn the_page_gets_each_run_as_race_js_keeps_it() {
    let runs = parse_race(
        "optimizer:SGD(learning_rate=0.1, momentum=0.9,nesterov=true)|loss:mean_squared_error;batch_size:64\
         |init:he_normal;activation[1]:tanh;dropout[2]:0.25;activation[1]:relu| ",
    )
    .unwrap();
    let forms: Vec<Value> = runs.iter().map(Patch::page_form).collect();
    assert_eq!(
        forms,
        [
            json!({"optimizer": {"name": "sgd", "learning_rate": 0.1, "momentum": 0.9, "nesterov": true}}),
            json!({"loss": "mean_squared_error", "batch_size": 64}),
            // A later change of the same field wins (as `apply`); layer indices 0-based as written.
            json!({"init": "he_normal", "layers": {"1": {"activation": "relu"}, "2": {"rate": 0.25}}}),
            json!({}),
        ]
    );
    assert_eq!(
        parse_patch("dropout[4]:0", 3).unwrap().page_form(),
        json!({"layers": {"4": {"rate": 0.0}}})
    );
    // The same messages for a run typed alone: its number is the one given.
    let e = parse_patch("batch_size:1.5", 4).unwrap_err().to_string();
    assert_eq!(e, "run 4: batch_size must be a whole number ≥ 1 (got \"1.5\")");
}

#[test]
fn a_patch_changes_only_its_fields_dataset_and_seed_stay() {
    let c = applied("optimizer:sgd(learning_rate=0.1,momentum=0.9);batch_size:64;activation[1]:tanh");
    // race.test.mjs: {name: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: false}; clipping not kept.
    let o = &c["optimizer"];
    assert_eq!(
        (o["name"].clone(), o["momentum"].clone()),
        (json!("sgd"), json!(0.9f32))
    );
    assert_eq!(o["learning_rate"], json!(0.1f32));
    assert_eq!(
        (o["nesterov"].clone(), o["clipnorm"].clone()),
        (json!(false), Value::Null)
    );
    assert_eq!(c["batch_size"], json!(64));
    assert_eq!(c["layers"][1]["activation"], json!("tanh"));
    let b = serde_json::to_value(base()).unwrap();
    for unchanged in ["dataset", "seed", "epochs", "loss", "metrics"] {
        assert_eq!(c[unchanged], b[unchanged], "{unchanged}");
    }
    assert_eq!(c["layers"][3], b["layers"][3]);
    // An empty run is the experiment itself.
    assert_eq!(parse_patch("  ", 2).unwrap().apply(&base()).unwrap(), base());
}

#[test]
fn a_named_optimizer_takes_keras_defaults_for_what_is_not_given() {
    // keras.optimizers.SGD() learning_rate=0.01; Adagrad() 0.001; RMSprop() 0.001, rho 0.9.
    let runs = parse_race("optimizer:sgd|optimizer:ADAGRAD|optimizer:rmsprop(centered=true)").unwrap();
    let c: Vec<Value> = runs
        .iter()
        .map(|p| serde_json::to_value(p.apply(&base()).unwrap()).unwrap())
        .collect();
    assert_eq!(c[0]["optimizer"]["learning_rate"], json!(0.01f32));
    assert_eq!(c[1]["optimizer"]["name"], json!("adagrad"));
    assert_eq!(c[1]["optimizer"]["learning_rate"], json!(0.001f32));
    assert_eq!(c[2]["optimizer"]["rho"], json!(0.9f32));
    assert_eq!(c[2]["optimizer"]["centered"], json!(true));
    assert_eq!(
        runs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>()[1],
        "optimizer:ADAGRAD"
    );
}

#[test]
fn init_loss_and_dropout() {
    let c = applied("init:he_normal;loss:mean_squared_error;dropout[2]:0.25");
    assert_eq!(c["loss"], json!("mean_squared_error"));
    assert_eq!(c["layers"][2]["rate"], json!(0.25f32));
    for i in [1, 3] {
        assert_eq!(c["layers"][i]["kernel_initializer"], json!("he_normal"), "Dense {i}");
    }
    assert!(c["layers"][0].get("kernel_initializer").is_none(), "Flatten has none");
}

#[test]
fn bad_variations_say_what_to_change() {
    let cases = [
        ("colour:red", "run 1: unknown field \"colour\""),
        (
            "optimizer:adam|batch_size:0",
            "run 2: batch_size must be a whole number ≥ 1",
        ),
        ("dropout[2]:1.5", "a dropout rate must be in [0, 1)"),
        ("optimizer:sgd(0.1)", "key=value"),
        ("adam", "is not like field:value"),
        ("dropout[1]:0.5", "layer 2 is Dense, not Dropout"),
        ("activation[0]:tanh", "layer 1 (Flatten) has no activation"),
        ("activation[9]:tanh", "layer 10 does not exist in this model (it has 4)"),
        ("optimizer:sgd(learning_rate=-1)", "learning_rate"),
        (
            "optimizer:sgd(colour=1)",
            "the sgd optimizer has no argument \"colour\"",
        ),
        ("loss:nope", "loss"),
    ];
    for (text, want) in cases {
        let e = error(text);
        assert!(e.contains(want), "{text}: {e}");
    }
    let too_many = ["optimizer:adam"; MAX_RUNS + 1].join("|");
    assert!(error(&too_many).contains("at most 6 runs"));
}

#[test]
fn applying_a_race_gives_each_runs_config_or_names_the_run() {
    use gradlab::config::patch::{apply_patch, apply_race};
    // What the page's race and k-fold panels get (the facade's applyRace / addRun).
    let apply_run = |text: &str, n| parse_patch(text, n).and_then(|p| apply_patch(&base(), &p, n));
    let configs = apply_race(&base(), "optimizer:sgd|batch_size:8").unwrap();
    assert_eq!(configs.len(), 2);
    assert_eq!(
        configs[0],
        parse_patch("optimizer:sgd", 1).unwrap().apply(&base()).unwrap()
    );
    assert_eq!(configs[1].batch_size, 8);
    let e = apply_race(&base(), "optimizer:sgd|dropout[1]:0.5")
        .unwrap_err()
        .to_string();
    assert_eq!(e, "run 2: layer 2 is Dense, not Dropout");
    let e = apply_run("optimizer:sgd(learning_rate=-1)", 4).unwrap_err().to_string();
    assert!(e.starts_with("run 4: ") && e.contains("learning_rate"), "{e}");
    let e = apply_run("colour:red", 3).unwrap_err().to_string();
    assert!(e.starts_with("run 3: unknown field"), "{e}");
    assert!(!e.starts_with("run 3: run 3"), "{e}");
    let e = apply_race(&base(), &["optimizer:adam"; MAX_RUNS + 1].join("|"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("at most 6 runs"), "{e}");
}
