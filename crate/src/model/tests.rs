//! Sequential, summary, callbacks and Trainer behaviour.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use super::*;
use crate::activations::Activation;
use crate::config::{EarlyStoppingConfig, ExperimentConfig, MonitorMode};
use crate::data::{gaussians, Dataset};
use crate::layers::LayerConfig;
use crate::tensor::Tensor;
use crate::Error;

fn dense(units: usize, act: Activation) -> LayerConfig {
    LayerConfig::dense(units, act)
}

fn blobs() -> Dataset {
    gaussians(120, 0.5, 3, 7)
}

fn config(extra: &str) -> ExperimentConfig {
    let json = format!(
        r#"{{"dataset":"gaussians","layers":[{{"type":"Dense","units":8,"activation":"tanh"}},
        {{"type":"Dense","units":3,"activation":"softmax"}}],"loss":"categorical_crossentropy",
        "optimizer":{{"name":"sgd","learning_rate":0.1}},"batch_size":16,"epochs":4{extra}}}"#
    );
    ExperimentConfig::from_json(json.as_bytes()).unwrap()
}

fn trainer(extra: &str) -> Trainer {
    Trainer::new(config(extra), blobs(), None).unwrap()
}

#[test]
fn deep_mlp_summary_has_keras_names_shapes_and_counts() {
    let mut layers = vec![LayerConfig::flatten()];
    layers.extend((0..4).map(|_| dense(500, Activation::Relu)));
    layers.push(dense(10, Activation::Softmax));
    let m = Sequential::new(&[28, 28, 1], &layers, 1).unwrap();
    let s = m.summary();
    // By hand: 784·500+500 = 392,500; 3 × (500·500+500) = 751,500; 500·10+10 = 5,010.
    assert_eq!(s.total_params, 392_500 + 751_500 + 5_010);
    assert_eq!(s.total_params, 1_149_010);
    assert_eq!(s.trainable_params, 1_149_010);
    assert_eq!(m.param_count(), 1_149_010);
    let names: Vec<&str> = s.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["flatten", "dense", "dense_1", "dense_2", "dense_3", "dense_4"]);
    assert_eq!(s.rows[0].output_shape, "(None, 784)");
    assert_eq!(s.rows[1].output_shape, "(None, 500)");
    assert_eq!(s.rows[5].output_shape, "(None, 10)");
    assert_eq!(s.rows[1].params, 392_500);
    assert_eq!(m.output_shape(), &[10]);
    let text = s.to_text();
    assert!(text.contains("Total params: 1,149,010"), "{text}");
    assert!(text.contains(" dense_1 (Dense)"), "{text}");
    assert_eq!(
        sequential::keras_layer_names(&["Dense", "Dropout", "Dense", "Dropout"]),
        ["dense", "dropout", "dense_1", "dropout_1"]
    );
}

#[test]
fn weights_depend_only_on_the_seed_and_dropout_does_not_shift_them() {
    let a = [dense(4, Activation::Relu), dense(2, Activation::Linear)];
    let w1 = Sequential::new(&[3], &a, 5).unwrap().weights();
    assert_eq!(w1, Sequential::new(&[3], &a, 5).unwrap().weights());
    assert_ne!(w1, Sequential::new(&[3], &a, 6).unwrap().weights());
    let b = [
        dense(4, Activation::Relu),
        LayerConfig::dropout(0.5),
        dense(2, Activation::Linear),
    ];
    assert_eq!(w1, Sequential::new(&[3], &b, 5).unwrap().weights());
}

#[test]
fn bad_inputs_are_errors() {
    let mut m = Sequential::new(&[3], &[dense(2, Activation::Linear)], 1).unwrap();
    let x = Tensor::zeros(ndarray::IxDyn(&[4, 5]));
    assert!(matches!(m.forward(&x, false), Err(Error::Shape(_))));
    assert!(Sequential::new(&[3], &[], 1).is_err());
    let e = Sequential::new(&[28, 28, 1], &[dense(2, Activation::Linear)], 1)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("layers[0]: Dense needs a flat input"), "{e}");
    // Absurd sizes are refused before any allocation (2e6 · 1e9 values here).
    let huge = [dense(1_000_000_000, Activation::Relu)];
    let e = Sequential::new(&[2_000_000], &huge, 1).err().unwrap().to_string();
    assert!(e.contains("Gradient Lab allows at most 1,000,000 in one layer"), "{e}");
    let e = Sequential::new(&[usize::MAX, 2], &huge, 1).err().unwrap().to_string();
    assert!(e.contains("values per sample; Gradient Lab handles at most"), "{e}");
    // Issue 15.1: a Flatten whose size overflows usize is refused, no panic.
    let e = Sequential::new(&[usize::MAX / 4, 8], &[LayerConfig::flatten()], 1)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("values per sample; Gradient Lab handles at most"), "{e}");
    assert_eq!(
        sequential::count_params(
            &[28, 28, 1],
            &[
                LayerConfig::flatten(),
                dense(128, Activation::Relu),
                dense(10, Activation::Softmax)
            ]
        ),
        101_770
    );
    let wrong = vec![Tensor::zeros(ndarray::IxDyn(&[3, 3]))];
    assert!(m.set_weights(&wrong).is_err());
}

fn es(monitor: &str, patience: u32, restore: bool) -> EarlyStopping {
    let cfg = EarlyStoppingConfig {
        monitor: monitor.into(),
        patience,
        restore_best_weights: restore,
        ..Default::default()
    };
    EarlyStopping::new(&cfg).unwrap()
}

fn logs(key: &str, v: f64) -> BTreeMap<String, f64> {
    BTreeMap::from([(key.to_string(), v)])
}

#[test]
fn early_stopping_follows_keras() {
    // Keras' loop traced by hand for val_loss 1.0, 0.8, 0.85, 0.9, patience 2:
    // e0 improves (wait 0), e1 improves (wait 0), e2 wait 1 < 2, e3 wait 2 >= 2 -> stop.
    let mut s = es("val_loss", 2, true);
    let seq = [1.0, 0.8, 0.85, 0.9];
    let stops: Vec<bool> = seq
        .iter()
        .enumerate()
        .map(|(e, v)| {
            s.on_epoch_end(e as u32, &logs("val_loss", *v), || {
                vec![Tensor::from_elem(ndarray::IxDyn(&[1]), e as f32)]
            })
        })
        .collect();
    assert_eq!(stops, [false, false, false, true]);
    assert_eq!((s.best(), s.best_epoch(), s.stopped_epoch()), (0.8, Some(1), Some(3)));
    assert_eq!(s.take_best_weights().unwrap()[0][[0]], 1.0);
    // patience 0 stops at the first epoch (after the first) that does not improve.
    let mut s = es("loss", 0, false);
    assert!(!s.on_epoch_end(0, &logs("loss", 1.0), Vec::new));
    assert!(s.on_epoch_end(1, &logs("loss", 1.0), Vec::new));
    // accuracy goes up in auto mode; min_delta requires a real gain.
    let cfg = EarlyStoppingConfig {
        monitor: "accuracy".into(),
        min_delta: 0.05,
        patience: 1,
        ..Default::default()
    };
    let mut s = EarlyStopping::new(&cfg).unwrap();
    assert!(!s.on_epoch_end(0, &logs("accuracy", 0.5), Vec::new));
    assert!(s.on_epoch_end(1, &logs("accuracy", 0.52), Vec::new));
    let odd = EarlyStoppingConfig {
        monitor: "f1".into(),
        mode: MonitorMode::Auto,
        ..Default::default()
    };
    assert!(EarlyStopping::new(&odd).is_err());
}

#[test]
fn trainer_early_stopping_stops_and_restores_the_best_weights() {
    // mode max on a falling loss: epoch 0 stays best, so training stops at
    // epoch 1 and the weights go back to those after epoch 0.
    let extra =
        r#","epochs":10,"early_stopping":{"monitor":"loss","mode":"max","patience":1,"restore_best_weights":true}"#;
    let mut t = trainer(extra);
    t.fit(|_| ControlFlow::Continue(())).unwrap();
    let loss = t.history().get("loss").unwrap().to_vec();
    assert!(t.stopped_early() && t.is_finished());
    assert_eq!(loss.len(), 2, "{loss:?}");
    assert!(loss[1] < loss[0]);
    let mut one = trainer(r#","epochs":1"#);
    one.fit(|_| ControlFlow::Continue(())).unwrap();
    assert_eq!(t.model().weights(), one.model().weights());
}

#[test]
fn learning_rate_change_applies_next_batch_and_is_in_history() {
    let mut t = trainer("");
    let bpe = t.batches_per_epoch();
    t.train_batches(bpe).unwrap();
    t.set_learning_rate(0.5).unwrap();
    let before = t.model().weights();
    let r = t.train_batches(1).unwrap();
    assert_eq!(r.batches[0].lr, 0.5);
    // Plain SGD: w' = w - lr·g, computed here in f32 from the batch's gradients.
    let after = t.model().weights();
    for ((w0, w1), p) in before.iter().zip(&after).zip(t.model().params()) {
        for ((a, b), g) in w0.iter().zip(w1.iter()).zip(p.grad.iter()) {
            assert_eq!(*b, a - 0.5 * g);
        }
    }
    t.train_batches(bpe).unwrap();
    assert_eq!(t.history().get("lr").unwrap(), &[0.1f32 as f64, 0.5]);
    assert_eq!(t.config().optimizer.learning_rate(), 0.5);
    let mut s =
        trainer(r#","lr_schedule":{"type":"step_decay","initial_learning_rate":0.1,"factor":0.5,"every_epochs":1}"#);
    assert!(s.set_learning_rate(0.2).is_err());
    s.fit(|_| ControlFlow::Continue(())).unwrap();
    // lr0 · 0.5^epoch for epochs 0..3.
    let want: Vec<f64> = (0..4).map(|e| (0.1f32 * 0.5f32.powi(e)) as f64).collect();
    assert_eq!(s.history().get("lr").unwrap(), want.as_slice());
}

#[test]
fn absurd_learning_rate_diverges_with_the_step_and_finite_weights() {
    let json = r#"{"dataset":"gaussians","layers":[{"type":"Dense","units":8,"activation":"relu"},{"type":"Dense","units":3}],
        "loss":"mse","optimizer":{"name":"sgd","learning_rate":1e30},"batch_size":16,"epochs":50}"#;
    let mut t = Trainer::new(ExperimentConfig::from_json(json.as_bytes()).unwrap(), blobs(), None).unwrap();
    let err = t.fit(|_| ControlFlow::Continue(())).unwrap_err();
    let Error::Diverged { step, .. } = err else {
        panic!("expected divergence, got {err:?}")
    };
    assert!(step >= 1);
    assert_eq!(t.step(), step - 1, "the failing step was not counted");
    assert!(t.model().params().iter().all(|p| p.value.iter().all(|v| v.is_finite())));
    assert!(err.to_string().contains(&format!("step {step}")));
}

#[test]
fn break_resumes_to_the_same_result_and_reset_starts_over() {
    let mut a = trainer(r#","validation_split":0.25"#);
    let mut seen = 0;
    a.fit(|ev| {
        seen += 1;
        if seen == 3 && matches!(ev, TrainEvent::Batch(_)) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap();
    assert_eq!((a.step(), a.is_finished()), (3, false));
    a.fit(|_| ControlFlow::Continue(())).unwrap();
    let mut b = trainer(r#","validation_split":0.25"#);
    b.fit(|_| ControlFlow::Continue(())).unwrap();
    assert_eq!(a.model().weights(), b.model().weights());
    assert_eq!(a.history(), b.history());
    assert_eq!(a.history().get("val_loss").map(<[f64]>::len), Some(4));
    let fresh = trainer("").model().weights();
    a.reset().unwrap();
    assert_eq!((a.step(), a.epoch(), a.history().len()), (0, 0, 0));
    assert_eq!(a.model().weights(), fresh);
}

#[test]
fn evaluate_reports_loss_accuracy_and_confusion() {
    let mut t = trainer("");
    t.fit(|_| ControlFlow::Continue(())).unwrap();
    let ds = blobs();
    let ev = t.evaluate(&ds).unwrap();
    let cm = ev.confusion.as_ref().unwrap();
    assert_eq!(cm.total(), 120);
    assert_eq!(ev.predicted.len(), 120);
    let correct = ev
        .predicted
        .iter()
        .enumerate()
        .filter(|(i, p)| ds.label(*i) == Some(**p))
        .count();
    assert!((ev.metrics["accuracy"] - correct as f64 / 120.0).abs() < 1e-12);
    assert!((cm.accuracy() - ev.metrics["accuracy"]).abs() < 1e-12);
    assert!(ev.metrics["accuracy"] > 0.8, "{:?}", ev.metrics);
    let other = gaussians(10, 0.5, 4, 1);
    assert!(t.evaluate(&other).is_err());
    assert!(t.evaluate_test().unwrap().is_none());
}

#[test]
fn an_overflowing_update_leaves_a_large_kernel_bit_identical() {
    // RMSprop's first step is lr·g/(√(0.1·g²)+ε) ≈ 3.16·lr: it overflows f32
    // for the 784·64 = 50,176-value kernel (above PAR_MIN_LEN, so its backup
    // and restore are the parallel copies): the first step must diverge and
    // that kernel must hold exactly its initial bits.
    let json = r#"{"dataset":"mnist","layers":[{"type":"Flatten"},{"type":"Dense","units":64},{"type":"Dense","units":10}],
        "loss":"mse","optimizer":{"name":"rmsprop","learning_rate":3e38},"batch_size":32,"epochs":1}"#;
    let train = crate::kernels::bench_models::synthetic_mnist(64, 3).unwrap();
    let mut t = Trainer::new(ExperimentConfig::from_json(json.as_bytes()).unwrap(), train, None).unwrap();
    let before = t.model().weights();
    let err = t.train_batches(1).unwrap_err();
    assert!(matches!(err, Error::Diverged { step: 1, .. }), "{err:?}");
    assert_eq!(t.step(), 0);
    let after = t.model().weights();
    let bits = |x: &Tensor| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&after[0]), bits(&before[0]));
    assert!(after.iter().all(|w| w.iter().all(|v| v.is_finite())));
    // Issue 15.7: a lower rate then trains on, and the file saved after the
    // divergence loads into a fresh run.
    t.set_learning_rate(1e-3).unwrap();
    let r = t.train_chunk(2);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!((r.batches.len(), t.step()), (2, 2));
    let file = save(&t);
    let mut fresh = Trainer::new(
        ExperimentConfig::from_json(json.as_bytes()).unwrap(),
        crate::kernels::bench_models::synthetic_mnist(64, 3).unwrap(),
        None,
    )
    .unwrap();
    load_into(&mut fresh, file.as_bytes()).unwrap();
    assert_eq!((fresh.step(), fresh.model().weights()), (2, t.model().weights()));
}

#[test]
fn a_chunk_that_diverges_after_good_batches_reports_them() {
    // Issue 15.19: SGD at lr 2 on a linear MSE model grows the loss step by
    // step until it overflows; the chunk's report must hold the good batches
    // before the failing one, with the step they reached, and the error.
    let json = r#"{"dataset":"gaussians","layers":[{"type":"Dense","units":8},{"type":"Dense","units":3}],
        "loss":"mse","optimizer":{"name":"sgd","learning_rate":2},"batch_size":16,"epochs":500}"#;
    let mut t = Trainer::new(ExperimentConfig::from_json(json.as_bytes()).unwrap(), blobs(), None).unwrap();
    let r = t.train_chunk(100_000);
    let Some(Error::Diverged { step, .. }) = r.error else {
        panic!("expected divergence, got {:?}", r.error)
    };
    assert!(r.batches.len() >= 2, "{} good batches", r.batches.len());
    assert_eq!(
        (r.batches.len() as u64, r.step, t.step()),
        (step - 1, step - 1, step - 1)
    );
    assert_eq!(r.batches.last().map(|b| b.step), Some(step - 1));
    let js = serde_json::to_value(&r).unwrap();
    assert!(js["error"].as_str().unwrap().contains(&format!("step {step}")));
    assert!(t.train_batches(1).is_err(), "train_batches still reports the error");
}
