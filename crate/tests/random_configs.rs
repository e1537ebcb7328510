//! 10,000 seeded random experiment configs — layer stacks of every registered
//! kind (and unknown ones), sizes from 0 to absurd, every loss, optimizer and
//! activation, odd batch sizes and splits — through parse → validate → build
//! → one training step (issue 15): nothing panics, and validation accepts
//! exactly what builds (the layer plan is refused iff `Sequential::new` fails;
//! a validated config always builds its trainer and takes a step).
//! Accepted configs are kept small (absurd sizes are beyond the limits, so
//! refused) so the whole run takes seconds.

mod model_common;

use gradlab::config::ExperimentConfig;
use gradlab::data::{self, Dataset};
use gradlab::layers::{LayerConfig, Plan};
use gradlab::model::{Sequential, Trainer};
use gradlab::rng::Rng;
use gradlab::Error;

const CONFIGS: u64 = 10_000;

fn pick<'a>(r: &mut Rng, items: &[&'a str]) -> &'a str {
    items[r.below(items.len())]
}

/// A whole number: usually small; when `wild`, sometimes zero, huge or negative.
fn size(r: &mut Rng, wild: bool, small: u64) -> String {
    match if wild { r.below(40) } else { 7 + r.below(20) } {
        0 => "0".into(),
        1 => "-3".into(),
        2 => u64::MAX.to_string(),
        3 => "4294967296".into(),
        4 => "1e9".into(),
        5 => "2.5".into(),
        6 => "\"8\"".into(),
        7 => (100 + r.below(1900)).to_string(),
        8 => (5_000 + r.below(15_000)).to_string(),
        _ => (1 + r.below(small as usize)).to_string(),
    }
}

fn number(r: &mut Rng, wild: bool) -> String {
    match if wild { r.below(20) } else { 20 } {
        0 => "-1".into(),
        1 => "0".into(),
        2 => "1e39".into(),
        3 => "null".into(),
        4 => "1e6".into(),
        _ => format!("{}", r.uniform_range(0.001, 0.2)),
    }
}

const ACTIVATIONS: [&str; 10] = [
    "linear",
    "relu",
    "leaky_relu",
    "elu",
    "sigmoid",
    "tanh",
    "softmax",
    "step",
    "swish",
    "null",
];

fn layer(r: &mut Rng, wild: bool) -> String {
    let act = |r: &mut Rng| {
        let a = pick(r, &ACTIVATIONS[..if wild { 10 } else { 6 }]);
        if a == "null" {
            a.to_string()
        } else {
            format!("\"{a}\"")
        }
    };
    match r.below(if wild { 12 } else { 10 }) {
        0..=4 => {
            let extra = match r.below(if wild { 6 } else { 2 } + 2) {
                0 => r#","use_bias":false"#.to_string(),
                1 => format!(
                    r#","kernel_initializer":"{}""#,
                    pick(r, &["he_normal", "zeros", "glorot"])
                ),
                2 => r#","unit":3"#.into(),
                _ => String::new(),
            };
            format!(
                r#"{{"type":"Dense","units":{},"activation":{}{extra}}}"#,
                size(r, wild, 12),
                act(r)
            )
        }
        5 | 6 => r#"{"type":"Flatten"}"#.into(),
        7 => format!(
            r#"{{"type":"Dropout","rate":{}}}"#,
            pick(
                r,
                &["0", "0.2", "0.5", "0.99", "1", "-0.1", "1.5", "\"x\""][..if wild { 8 } else { 4 }]
            )
        ),
        8 => format!(r#"{{"type":"Activation","activation":{}}}"#, act(r)),
        9 => r#"{"type":"Softmax"}"#.into(),
        10 => r#"{"type":"Conv9D","filters":3}"#.into(),
        _ => "7".into(),
    }
}

/// Half the configs are `wild` (any field may be absurd or mistyped); the
/// others are plausible, ending half the time in an output layer that fits
/// the dataset, so that every stage is reached often.
fn random_config(r: &mut Rng, datasets: &[&str]) -> String {
    let wild = r.below(2) == 0;
    let n_layers = match if wild { r.below(50) } else { 50 } {
        0 => 0,
        1 => 101 + r.below(20),
        _ => 1 + r.below(4),
    };
    let mut layers: Vec<String> = (0..n_layers).map(|_| layer(r, wild)).collect();
    let dataset = pick(r, datasets);
    let info = gradlab::data::info(dataset).unwrap();
    let fitting = !wild && r.below(2) == 0;
    if fitting {
        if info.sample_shape.len() > 1 {
            layers.insert(0, r#"{"type":"Flatten"}"#.into());
        }
        let (units, act) = match info.num_classes() {
            Some(k) => (k, "softmax"),
            None => (1, "linear"),
        };
        layers.push(format!(r#"{{"type":"Dense","units":{units},"activation":"{act}"}}"#));
    }
    let loss = pick(
        r,
        &[
            "mse",
            "mean_absolute_error",
            "huber",
            "categorical_crossentropy",
            "sparse_categorical_crossentropy",
            "binary_crossentropy",
            "hinge",
            "categorical_hinge",
            "kl_divergence",
            "poisson",
        ][..if wild { 10 } else { 9 }],
    );
    let loss = match (fitting, info.num_classes()) {
        (true, Some(_)) => "categorical_crossentropy",
        (true, None) => "mse",
        _ => loss,
    };
    let loss = match r.below(if wild { 6 } else { 8 }) {
        0 => format!(r#"{{"name":"{loss}","from_logits":true}}"#),
        1 => format!(r#"{{"name":"{loss}","label_smoothing":{}}}"#, number(r, wild)),
        _ => format!("\"{loss}\""),
    };
    let opt = pick(
        r,
        &["sgd", "adam", "rmsprop", "adagrad", "nadam", "adamw"][..if wild { 6 } else { 5 }],
    );
    let optimizer = match r.below(4) {
        0 => format!("\"{opt}\""),
        1 => format!(
            r#"{{"name":"{opt}","learning_rate":{},"clipnorm":{}}}"#,
            number(r, wild),
            number(r, wild)
        ),
        _ => format!(r#"{{"name":"{opt}","learning_rate":{}}}"#, number(r, wild)),
    };
    let metrics = pick(
        r,
        &["[]", r#"["accuracy"]"#, r#"["mae","mse"]"#, r#"["f1"]"#][..if wild { 4 } else { 2 }],
    );
    let split = pick(r, &["0", "0", "0.2", "0.5", "1", "-0.1"][..if wild { 6 } else { 4 }]);
    format!(
        r#"{{"dataset":"{}","layers":[{}],"loss":{loss},"optimizer":{optimizer},"metrics":{metrics},
        "batch_size":{},"epochs":{},"validation_split":{split},"seed":{}}}"#,
        dataset,
        layers.join(","),
        size(r, wild, 64),
        size(r, wild, 3),
        r.below(1000)
    )
}

#[test]
fn random_configs_never_panic_and_validation_agrees_with_the_builder() {
    let names = [
        "xor",
        "or",
        "circles",
        "moons",
        "spirals",
        "gaussians",
        "iris",
        "digits",
        "diabetes",
    ];
    let sets: Vec<(Dataset, Dataset)> = names
        .iter()
        .map(|n| {
            if data::info(n).unwrap().files.is_empty() {
                data::load(n, &[], 1).unwrap()
            } else {
                model_common::load(n, 1)
            }
        })
        .collect();
    let mut r = Rng::new(2026);
    let (mut parsed, mut valid, mut stepped, mut refused_builds) = (0, 0, 0, 0);
    for i in 0..CONFIGS {
        let json = random_config(&mut r, &names);
        let Ok(cfg) = ExperimentConfig::from_json(json.as_bytes()) else {
            continue;
        };
        parsed += 1;
        let (train, test) = &sets[names.iter().position(|n| *n == cfg.dataset).unwrap()];
        let plan_ok = Plan::new(&train.sample_shape, &cfg.layers).1.is_empty();
        let built = Sequential::new(&train.sample_shape, &cfg.layers, cfg.seed);
        assert_eq!(
            plan_ok,
            built.is_ok(),
            "config {i}: plan vs build {:?}\n{json}",
            built.err()
        );
        refused_builds += usize::from(!plan_ok);
        let validated = cfg.validate(train);
        if let Err(e) = &validated {
            assert!(matches!(e, Error::Invalid(p) if !p.is_empty()), "config {i}: {e:?}");
            assert!(Trainer::new(cfg.clone(), train.clone(), Some(test.clone())).is_err());
            continue;
        }
        valid += 1;
        assert!(built.is_ok(), "config {i}: validated but did not build\n{json}");
        let too_big = Plan::new(&train.sample_shape, &cfg.layers).0.total_params > 200_000;
        if too_big {
            continue;
        }
        let mut t = Trainer::new(cfg, train.clone(), Some(test.clone()))
            .unwrap_or_else(|e| panic!("config {i}: validated but the trainer refused: {e}\n{json}"));
        match t.train_batches(1) {
            Ok(_) | Err(Error::Diverged { .. }) => stepped += 1,
            Err(e) => panic!("config {i}: validated but the step failed: {e}\n{json}"),
        }
    }
    // The generator reaches every stage often enough to mean something.
    assert!(
        parsed > 1_000 && valid > 300 && stepped > 300,
        "{parsed} {valid} {stepped}"
    );
    assert!(refused_builds > 100, "{refused_builds}");
    println!(
        "{CONFIGS} configs: {parsed} parsed, {refused_builds} refused by the builder, {valid} valid, \
         {stepped} trained one step"
    );
}

/// At each limit's edge, the plan and the builder agree (the random configs
/// rarely land exactly there).
#[test]
fn plan_and_builder_agree_at_the_limits() {
    use gradlab::activations::Activation::Relu;
    let dense = |u| LayerConfig::dense(u, Relu);
    // One kernel: 4472² = 19,998,784 ≤ 20,000,000 < 4473² = 20,007,729.
    let cases: Vec<(Vec<usize>, Vec<LayerConfig>, bool)> = vec![
        (vec![4472], vec![dense(4472)], true),
        (vec![4473], vec![dense(4473)], false),
        (vec![4472, 1], vec![LayerConfig::flatten(), dense(4472)], true),
        // 100 layers is the most.
        (vec![2], (0..100).map(|_| dense(2)).collect(), true),
        (vec![2], (0..101).map(|_| dense(2)).collect(), false),
        // 3 × (4000·4000 + 4000) = 48,012,000 ≤ 50 M; a 4th layer crosses it.
        (vec![4000], (0..3).map(|_| dense(4000)).collect(), true),
        (vec![4000], (0..4).map(|_| dense(4000)).collect(), false),
        // 2²⁶ = 67,108,864 values per sample is the most.
        (vec![1 << 26], vec![LayerConfig::flatten()], true),
        (vec![(1 << 26) + 1], vec![LayerConfig::flatten()], false),
    ];
    for (i, (input, layers, ok)) in cases.into_iter().enumerate() {
        let plan_ok = Plan::new(&input, &layers).1.is_empty();
        assert_eq!(plan_ok, ok, "case {i}");
        assert_eq!(Sequential::new(&input, &layers, 0).is_ok(), ok, "case {i}");
    }
}

#[test]
fn plans_of_absurd_stacks_are_refused_without_allocating() {
    let huge = [
        LayerConfig::flatten(),
        LayerConfig::dense(usize::MAX, gradlab::activations::Activation::Relu),
    ];
    let (_, problems) = Plan::new(&[usize::MAX, usize::MAX], &huge);
    assert!(!problems.is_empty());
    assert!(Sequential::new(&[1 << 20, 1 << 20], &huge, 0).is_err());
}
