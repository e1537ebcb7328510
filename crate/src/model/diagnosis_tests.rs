//! The rules of `diagnosis.rs` on hand-made loss sequences (the thresholds
//! are the module doc's: smoothing 0.1, 10 warm-up batches, 10× growth, 1%
//! flat, 1-point chance band).

use super::*;

fn sgd(lr: f32) -> OptimizerConfig {
    let mut o = OptimizerConfig::from_name("sgd").unwrap();
    o.set_learning_rate(lr).unwrap();
    o
}

fn facts<'a>(o: &'a OptimizerConfig, losses: &'a [f64], accuracy: Option<f64>) -> Facts<'a> {
    Facts {
        optimizer: o,
        class_shares: vec![0.1; 10],
        accuracy,
        losses,
        batches_per_epoch: 100,
    }
}

#[test]
fn a_loss_that_explodes_is_diverged_and_clears_when_it_comes_back() {
    let o = sgd(0.5);
    let mut m = Monitor::default();
    for _ in 0..20 {
        m.on_batch(1.0, &o);
    }
    assert_eq!(m.current(), None);
    // Smoothed: s = 0.9·s + 0.1·L. One batch of 200 → s = 0.9 + 20 = 20.9 > 10 × 1 and > L₁ = 1.
    m.on_batch(200.0, &o);
    let d = m.current().expect("diverged").clone();
    assert_eq!(d.kind, DiagnosisKind::Diverged);
    assert_eq!(
        d.message,
        "Training diverged: the loss grew to 20.9 (more than 10× its lowest, 1). The learning rate 0.5 is far \
         too high for sgd; try 0.01–0.1."
    );
    // Back to 1: s decays 20.9·0.9ᵏ + … below 10 after 8 batches (20.9·0.9⁸ ≈ 9.0 plus the 1s' share).
    for _ in 0..40 {
        m.on_batch(1.0, &o);
    }
    assert_eq!(m.current(), None);
}

#[test]
fn a_tiny_loss_that_wobbles_is_not_diverged() {
    // 0.001 → 0.05 is 50× the lowest but still far below the first loss (2.3): not flagged.
    let o = sgd(0.01);
    let mut m = Monitor::default();
    m.on_batch(2.3, &o);
    for _ in 0..100 {
        m.on_batch(0.001, &o);
    }
    for _ in 0..30 {
        m.on_batch(0.05, &o);
    }
    assert_eq!(m.current(), None);
}

#[test]
fn chance_needs_accuracy_at_chance_and_a_loss_that_did_not_fall() {
    let o = sgd(10.0);
    let mut m = Monitor::default();
    for _ in 0..20 {
        m.on_batch(2.3, &o);
    }
    // The epoch's mean 14.5 is not below the first batch's 2.3; accuracy 10.4% is within 1 point of 1/10.
    m.on_epoch_end(&facts(&o, &[14.5], Some(0.104)));
    let d = m.current().expect("chance");
    assert_eq!(d.kind, DiagnosisKind::Chance);
    assert_eq!(
        d.message,
        "The loss is stuck at 14.5 and accuracy at chance (10%): the model predicts one class. The learning rate \
         10 is far too high for sgd; try 0.01–0.1."
    );
    // 12% is outside the band around 10% (and no class has a 12% share): no diagnosis.
    m.on_epoch_end(&facts(&o, &[14.5], Some(0.12)));
    assert_eq!(m.current(), None);
    // At chance but the loss fell (1.9 < 0.99 × 2.3) in the first epoch: still learning.
    m.on_epoch_end(&facts(&o, &[1.9], Some(0.10)));
    assert_eq!(m.current(), None);
}

#[test]
fn predicting_one_class_scores_its_share() {
    let o = sgd(0.01);
    let mut m = Monitor::default();
    m.on_batch(2.3, &o);
    let mut f = facts(&o, &[2.3, 2.3], Some(0.3));
    f.class_shares = vec![0.3, 0.7];
    m.on_epoch_end(&f);
    assert_eq!(m.current().map(|d| d.kind), Some(DiagnosisKind::Chance));
    // lr 0.01 is sgd's default: the advice points at the setup.
    assert!(
        m.current().unwrap().message.ends_with("or try adam."),
        "{:?}",
        m.current()
    );
}

#[test]
fn plateau_is_a_flat_loss_near_where_it_started() {
    let o = sgd(1e-6);
    let mut m = Monitor::default();
    m.on_batch(1.0, &o);
    // Regression (no accuracy): 0.95 → 0.948 is a 0.2% change and ≥ 0.9 × 1.0.
    m.on_epoch_end(&facts(&o, &[0.95, 0.948], None));
    let d = m.current().expect("plateau");
    assert_eq!(d.kind, DiagnosisKind::Plateau);
    assert!(
        d.message
            .contains("The learning rate 1e-6 is very low for sgd; try 0.01–0.1."),
        "{}",
        d.message
    );
    // Flat but far below the start: a converged run, not a plateau.
    m.on_epoch_end(&facts(&o, &[0.1, 0.1], None));
    assert_eq!(m.current(), None);
    // A single epoch never makes a plateau.
    m.on_epoch_end(&facts(&o, &[0.99], None));
    assert_eq!(m.current(), None);
}

#[test]
fn short_epochs_are_compared_over_50_batches() {
    // 1 batch per epoch (a truth table): w = 50 epochs, so two flat epochs are no plateau yet.
    let o = sgd(1e-6);
    let mut m = Monitor::default();
    m.on_batch(1.0, &o);
    let mut losses = vec![0.999; 50];
    let mut f = facts(&o, &losses, None);
    f.batches_per_epoch = 1;
    m.on_epoch_end(&f);
    assert_eq!(m.current(), None);
    losses.push(0.998);
    let mut f = facts(&o, &losses, None);
    f.batches_per_epoch = 1;
    m.on_epoch_end(&f);
    let d = m.current().expect("plateau after 51 epochs");
    assert!(d.message.contains("over the last 50 epochs"), "{}", d.message);
}

#[test]
fn numbers_are_short() {
    assert_eq!(
        [14.5, 0.01, 6.02e16, 0.1, 2.304817, 1e-6, 0.0].map(num),
        ["14.5", "0.01", "6.02e16", "0.1", "2.3", "1e-6", "0"]
    );
}

#[test]
fn adam_is_not_told_to_try_adam() {
    let o = OptimizerConfig::from_name("adam").unwrap();
    let mut m = Monitor::default();
    m.on_batch(1.0, &o);
    m.on_epoch_end(&facts(&o, &[0.95, 0.95], None));
    let d = m.current().expect("plateau");
    assert!(
        d.message.ends_with("and that the inputs and targets are scaled."),
        "{}",
        d.message
    );
}
