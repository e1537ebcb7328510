//! Same seed and config ⇒ bit-identical weights, whether trained by one
//! `fit()` or by `train_batches` in chunks of any size (dropout, shuffling,
//! a validation split and several epochs included).

use std::ops::ControlFlow;

use gradlab::config::ExperimentConfig;
use gradlab::data::circles;
use gradlab::model::Run;

fn config() -> ExperimentConfig {
    let json = r#"{"dataset":"circles","layers":[{"type":"Dense","units":16,"activation":"relu"},
        {"type":"Dropout","rate":0.3},{"type":"Dense","units":8,"activation":"tanh"},
        {"type":"Dense","units":1,"activation":"sigmoid"}],"loss":"binary_crossentropy",
        "optimizer":{"name":"nadam","learning_rate":0.01},"batch_size":24,"epochs":5,
        "validation_split":0.2,"seed":11}"#;
    ExperimentConfig::from_json(json.as_bytes()).unwrap()
}

fn trainer() -> Run {
    Run::new(config(), circles(250, 0.1, 0.5, 3), None).unwrap()
}

#[test]
fn fit_equals_every_chunking() {
    let mut reference = trainer();
    reference.fit(|_| ControlFlow::Continue(())).unwrap();
    assert!(reference.is_finished());
    for chunk in [1, 7, 1000] {
        let mut t = trainer();
        let mut calls = 0;
        while !t.is_finished() {
            let r = t.train_batches(chunk).unwrap();
            assert!(r.batches.len() <= chunk);
            calls += 1;
        }
        assert_eq!(t.step(), reference.step(), "chunk {chunk}");
        assert_eq!(
            t.model().weights(),
            reference.model().weights(),
            "chunk {chunk} after {calls} calls"
        );
        assert_eq!(t.history(), reference.history(), "chunk {chunk}");
    }
}

#[test]
fn same_seed_same_weights_other_seed_other_weights() {
    let run = |seed: u64| {
        let mut cfg = config();
        cfg.seed = seed;
        let mut t = Run::new(cfg, circles(250, 0.1, 0.5, 3), None).unwrap();
        t.fit(|_| ControlFlow::Continue(())).unwrap();
        t.model().weights()
    };
    let a = run(11);
    assert_eq!(a, run(11));
    assert_ne!(a, run(12));
}

#[test]
fn chunk_reports_track_the_cursor() {
    let mut t = trainer();
    let bpe = t.batches_per_epoch();
    // 250 samples, 20 % validation -> 200 train, batch 24 -> 9 batches (last one of 8).
    assert_eq!(bpe, 9);
    let r = t.train_batches(bpe + 2).unwrap();
    assert_eq!((r.step, r.epoch, r.batch_in_epoch, r.batches_per_epoch), (11, 1, 2, 9));
    assert_eq!(r.epochs.len(), 1);
    assert_eq!(r.samples, 200 + 48);
    assert_eq!(r.batches[8].size, 8);
    assert!(r.epochs[0].logs.contains_key("val_loss") && r.epochs[0].logs.contains_key("val_accuracy"));
}
