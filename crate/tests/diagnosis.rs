//! The run's diagnosis (model/diagnosis.rs) on real training: SGD at lr 10
//! with cross-entropy on 640 MNIST digits sits at chance and is flagged with
//! advice; healthy runs are never flagged, checked after every batch.

mod model_common;

use gradlab::config::ExperimentConfig;
use gradlab::model::{DiagnosisKind, Run};
use model_common::load;

const N: usize = 640;

fn mnist_run(loss: &str, out: &str, optimizer: &str, epochs: u32) -> Run {
    let json = format!(
        r#"{{"dataset":"mnist","layers":[{{"type":"Flatten"}},{{"type":"Dense","units":64,"activation":"relu"}},
        {{"type":"Dense","units":10,"activation":"{out}"}}],"loss":"{loss}","optimizer":{optimizer},
        "batch_size":32,"epochs":{epochs},"validation_split":0.0,"seed":7}}"#
    );
    let cfg = ExperimentConfig::from_json(json.as_bytes()).unwrap();
    let (train, test) = load("mnist", cfg.seed);
    let idx: Vec<usize> = (0..N).collect();
    Run::new(cfg, train.subset(&idx), Some(test)).unwrap()
}

/// Trains batch by batch; the diagnosis kinds seen after each batch, with the step.
fn watch(run: &mut Run) -> Vec<(u64, DiagnosisKind, String)> {
    let mut seen = Vec::new();
    while !run.is_finished() {
        let r = run.train_chunk(1);
        assert!(r.error.is_none(), "{:?}", r.error);
        if let Some(d) = r.diagnosis {
            seen.push((r.step, d.kind, d.message));
        }
    }
    seen
}

#[test]
fn sgd_lr_10_with_crossentropy_is_stuck_at_chance_and_told_to_lower_the_rate() {
    let mut run = mnist_run(
        "categorical_crossentropy",
        "softmax",
        r#"{"name":"sgd","learning_rate":10}"#,
        3,
    );
    let seen = watch(&mut run);
    println!("{seen:?}");
    let (step, kind, msg) = seen.last().expect("flagged").clone();
    assert_eq!(kind, DiagnosisKind::Chance, "{msg}");
    assert!(msg.contains("accuracy at chance"), "{msg}");
    assert!(
        msg.contains("The learning rate 10 is far too high for sgd; try 0.01–0.1."),
        "{msg}"
    );
    assert_eq!(step, run.step());
    // Not before the first epoch ended (20 batches of 32).
    assert!(
        seen.iter().all(|(s, k, _)| *k != DiagnosisKind::Chance || *s >= 20),
        "{seen:?}"
    );
}

#[test]
fn healthy_runs_are_never_flagged() {
    for opt in [r#"{"name":"sgd","learning_rate":0.1}"#, r#"{"name":"adam"}"#] {
        let mut run = mnist_run("categorical_crossentropy", "softmax", opt, 4);
        let seen = watch(&mut run);
        assert!(seen.is_empty(), "{opt}: {seen:?}");
        assert!(
            run.history().last("accuracy").unwrap() > 0.8,
            "{opt}: {:?}",
            run.history()
        );
    }
}

#[test]
fn a_linear_output_whose_loss_explodes_is_flagged_before_it_overflows() {
    // Issue 15.15: with a linear output the loss can grow to 6e16 and stay finite, so no step fails.
    // SGD at lr 0.3 on the diabetes set's Dense(1): each step overshoots, the MSE grows geometrically.
    let json = r#"{"dataset":"diabetes","layers":[{"type":"Dense","units":1}],"loss":"mean_squared_error",
        "optimizer":{"name":"sgd","learning_rate":0.3},"batch_size":8,"epochs":50,"validation_split":0,"seed":1}"#;
    let cfg = ExperimentConfig::from_json(json.as_bytes()).unwrap();
    let (train, test) = load("diabetes", cfg.seed);
    let mut run = Run::new(cfg, train, Some(test)).unwrap();
    let mut losses = Vec::new();
    let flagged = loop {
        let r = run.train_chunk(1);
        if let Some(e) = r.error {
            panic!("overflowed before any diagnosis: {e}; losses {losses:?}");
        }
        losses.extend(r.batches.iter().map(|b| b.loss));
        if let Some(d) = r.diagnosis {
            break d;
        }
        assert!(!run.is_finished(), "never flagged: {losses:?}");
    };
    assert_eq!(flagged.kind, DiagnosisKind::Diverged, "{}", flagged.message);
    assert!(
        flagged.message.starts_with("Training diverged: the loss grew to "),
        "{}",
        flagged.message
    );
    assert!(
        flagged
            .message
            .contains("The learning rate 0.3 is far too high for sgd; try 0.01–0.1."),
        "{}",
        flagged.message
    );
    assert!(losses.iter().all(|l| l.is_finite()));
}
