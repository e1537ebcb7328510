//! k-fold cross-validation runs (`Run::for_fold`) and EarlyStopping's report
//! (stopped / best / restored epoch) as the page shows it.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use gradlab::config::{EarlyStoppingConfig, ExperimentConfig};
use gradlab::data::{gaussians, Dataset};
use gradlab::model::{fold_indices, EarlyStopping, Run};
use gradlab::tensor::Tensor;

fn config(extra: &str) -> ExperimentConfig {
    let json = format!(
        r#"{{"dataset":"gaussians","layers":[{{"type":"Dense","units":8,"activation":"tanh"}},
        {{"type":"Dense","units":3,"activation":"softmax"}}],"loss":"categorical_crossentropy",
        "optimizer":{{"name":"sgd","learning_rate":0.1}},"batch_size":16,"epochs":3,"seed":5{extra}}}"#
    );
    ExperimentConfig::from_json(json.as_bytes()).unwrap()
}

fn blobs() -> Arc<Dataset> {
    Arc::new(gaussians(90, 0.5, 3, 7))
}

fn view_indices(v: &gradlab::data::DataView) -> Vec<usize> {
    (0..v.len()).map(|i| v.index(i)).collect()
}

#[test]
fn fold_runs_train_on_k_minus_1_folds_and_validate_on_one() {
    let data = blobs();
    let k = 3;
    let folds = fold_indices(&data, k, 5).unwrap();
    let mut seen = Vec::new();
    for (i, (train, val)) in folds.iter().enumerate() {
        // validation_split is ignored: the fold is the validation data.
        let r = Run::for_fold(config(r#","validation_split":0.2"#), Arc::clone(&data), None, k, i).unwrap();
        assert!(Arc::ptr_eq(r.train_set().shared(), &data), "a view, not a copy");
        assert_eq!(view_indices(r.train_set()), *train);
        assert_eq!(view_indices(r.validation_set().unwrap()), *val);
        assert_eq!(r.train_set().len() + val.len(), 90);
        // 30 samples per class (gaussians deals classes evenly), k = 3: 10 of each per fold.
        let mut per_class = [0; 3];
        val.iter()
            .for_each(|&j| per_class[data.label(j).unwrap() as usize] += 1);
        assert_eq!(per_class, [10, 10, 10]);
        seen.extend(val.iter().copied());
    }
    seen.sort();
    assert_eq!(seen, (0..90).collect::<Vec<_>>());
    assert!(Run::for_fold(config(""), Arc::clone(&data), None, 3, 3).is_err());
    assert!(Run::for_fold(config(""), Arc::clone(&data), None, 1, 0).is_err());
    assert!(Run::for_fold(config(""), Arc::clone(&data), None, 91, 0).is_err());
}

#[test]
fn fold_results_are_reproducible_and_match_the_epoch_logs() {
    let data = blobs();
    let score = |fold: usize| {
        let mut r = Run::for_fold(config(""), Arc::clone(&data), None, 3, fold).unwrap();
        r.fit(|_| ControlFlow::Continue(())).unwrap();
        let last = r.history().get("val_accuracy").unwrap().last().copied().unwrap();
        let ev = r.evaluate_validation().unwrap().unwrap();
        // Keras: the epoch's val_accuracy is evaluate() on the fold with the weights at that epoch's end.
        assert_eq!(ev.metrics["accuracy"], last);
        assert_eq!(ev.samples, 30);
        (r.weights_hash(), last, ev.loss)
    };
    let a: Vec<_> = (0..3).map(score).collect();
    let b: Vec<_> = (0..3).map(score).collect();
    assert_eq!(a, b, "same seed, same folds, same numbers");
    assert_ne!(a[0].0, a[1].0, "different folds train on different samples");
    // A run without validation data has nothing to evaluate.
    let mut plain = Run::with_data(config(""), Arc::clone(&data), None).unwrap();
    assert!(plain.evaluate_validation().unwrap().is_none());
}

fn logs(v: f64) -> BTreeMap<String, f64> {
    BTreeMap::from([("val_loss".to_string(), v)])
}

#[test]
fn early_stopping_reports_stopped_best_and_restored_epochs() {
    // Keras traced by hand, val_loss 1.0, 0.8, 0.85, 0.9, patience 2, min_delta 0.001:
    // e0 best, e1 improves by 0.2 > 0.001 (best, wait 0), e2 wait 1, e3 wait 2 ≥ 2 → stop at e3.
    let cfg = EarlyStoppingConfig {
        monitor: "val_loss".into(),
        patience: 2,
        min_delta: 0.001,
        restore_best_weights: true,
        ..Default::default()
    };
    let mut s = EarlyStopping::new(&cfg).unwrap();
    for (e, v) in [1.0, 0.8, 0.85, 0.9].into_iter().enumerate() {
        s.on_epoch_end(e as u32, &logs(v), || {
            vec![Tensor::from_elem(ndarray::IxDyn(&[1]), e as f32)]
        });
    }
    let r = s.report();
    assert_eq!(
        (r.stopped_epoch, r.best_epoch, r.best, r.restored_epoch),
        (Some(3), Some(1), Some(0.8), None)
    );
    assert_eq!((r.monitor.as_str(), r.patience, r.min_delta), ("val_loss", 2, 0.001));
    assert_eq!(s.take_best_weights().unwrap()[0][[0]], 1.0);
    assert_eq!(s.report().restored_epoch, Some(1));
}

#[test]
fn the_chunk_report_says_why_training_stopped() {
    let data = blobs();
    // mode max on a falling loss: epoch 0 stays the best; patience 2 → stop at the end of epoch 2.
    let es =
        r#","epochs":10,"early_stopping":{"monitor":"loss","mode":"max","patience":2,"restore_best_weights":RESTORE}"#;
    for restore in [true, false] {
        let mut r = Run::with_data(
            config(&es.replace("RESTORE", &restore.to_string())),
            Arc::clone(&data),
            None,
        )
        .unwrap();
        let bpe = r.batches_per_epoch();
        let mut last = None;
        while !r.is_finished() {
            let c = r.train_batches(bpe).unwrap();
            assert_eq!(
                c.early_stopping.is_some(),
                c.finished,
                "reported once finished, not before"
            );
            last = Some(c);
        }
        let rep = last.unwrap().early_stopping.unwrap();
        assert_eq!((rep.stopped_epoch, rep.best_epoch), (Some(2), Some(0)));
        assert_eq!(rep.restored_epoch, restore.then_some(0));
        let mut one = Run::with_data(
            config(r#","epochs":RUN"#.replace("RUN", if restore { "1" } else { "3" }).as_str()),
            Arc::clone(&data),
            None,
        )
        .unwrap();
        one.fit(|_| ControlFlow::Continue(())).unwrap();
        assert_eq!(
            r.weights_hash(),
            one.weights_hash(),
            "restore={restore}: the weights of epoch {}",
            if restore { 0 } else { 2 }
        );
    }
    // Without EarlyStopping there is nothing to report.
    let mut plain = Run::with_data(config(""), Arc::clone(&data), None).unwrap();
    let c = plain.train_batches(10_000).unwrap();
    assert!(c.finished && c.early_stopping.is_none());
}
