//! [`Optimizer`]: atomic rollback of a diverging step, the step counter's
//! limit, one learning rate with a schedule, every param's update in one
//! parallel region giving each param's own rule's bits.

use super::{Optimizer, OptimizerConfig, OPTIMIZER_NAMES};
use crate::activations::Activation;
use crate::layers::LayerConfig;
use crate::model::Sequential;
use crate::schedules::Schedule;
use crate::Error;

fn model() -> Sequential {
    let layers = [
        LayerConfig::dense(4, Activation::Tanh),
        LayerConfig::dense(2, Activation::Linear),
    ];
    Sequential::new(&[3], &layers, 5).unwrap()
}

/// Gradient `g` on every value of the first param, `last` on the last param.
fn set_grads(m: &mut Sequential, g: f32, last: f32) {
    let n = m.params().len();
    for (i, p) in m.params_mut().into_iter().enumerate() {
        p.grad.fill(if i + 1 == n { last } else { g });
    }
}

fn bits(m: &Sequential) -> Vec<u32> {
    m.params()
        .iter()
        .flat_map(|p| p.value.iter().map(|v| v.to_bits()))
        .collect()
}

#[test]
fn a_step_that_makes_any_slot_non_finite_leaves_no_trace() {
    let mut m = model();
    let lens: Vec<usize> = m.params().iter().map(|p| p.len()).collect();
    let mut opt = Optimizer::new(OptimizerConfig::from_name("nadam").unwrap(), None, &lens);
    set_grads(&mut m, 0.1, 0.1);
    opt.apply(&mut m, 1.0).unwrap();
    let (weights, slots, global) = (bits(&m), opt.slots().to_vec(), opt.global().clone());
    // The first params' updates are fine; the last param's gradient 1e30 makes
    // Nadam's v = (1-β2)·g² overflow to inf (its value stays finite: m/√v → 0),
    // so the whole step — three updated params included — must be undone.
    set_grads(&mut m, 0.1, 1e30);
    let err = opt.apply(&mut m, 2.0).unwrap_err();
    assert_eq!(err, Error::Diverged { step: 2, loss: 2.0 });
    assert_eq!(bits(&m), weights);
    assert_eq!(opt.slots(), slots.as_slice());
    assert_eq!(opt.global(), &global);
    assert_eq!(opt.iterations(), 1);
    // The same step with sane gradients then works, as from the state before.
    let mut twin = opt.clone();
    let mut m2 = model();
    m2.set_weights(&m.weights()).unwrap();
    set_grads(&mut m, 0.1, 0.2);
    set_grads(&mut m2, 0.1, 0.2);
    opt.apply(&mut m, 3.0).unwrap();
    twin.apply(&mut m2, 3.0).unwrap();
    assert_eq!(bits(&m), bits(&m2));
    assert_eq!(opt.iterations(), 2);
}

#[test]
fn sgd_momentum_set_live_then_a_diverging_step_restores_the_empty_velocity() {
    let mut m = model();
    let lens: Vec<usize> = m.params().iter().map(|p| p.len()).collect();
    let mut opt = Optimizer::new(OptimizerConfig::from_name("sgd").unwrap(), None, &lens);
    let before = opt.slots().to_vec();
    opt.set_momentum(0.9).unwrap();
    opt.set_learning_rate(1e38).unwrap();
    set_grads(&mut m, 0.0, 10.0);
    let w = bits(&m);
    assert!(matches!(opt.apply(&mut m, 1.0), Err(Error::Diverged { step: 1, .. })));
    assert_eq!(bits(&m), w);
    assert_eq!(opt.slots(), before.as_slice());
}

#[test]
fn the_step_counter_at_its_maximum_is_an_error_not_a_panic() {
    let mut m = model();
    let lens: Vec<usize> = m.params().iter().map(|p| p.len()).collect();
    let mut opt = Optimizer::new(OptimizerConfig::from_name("adam").unwrap(), None, &lens);
    let (slots, global) = (opt.slots().to_vec(), opt.global().clone());
    opt.restore(slots, global, u64::MAX);
    set_grads(&mut m, 0.1, 0.1);
    let w = bits(&m);
    let err = opt.apply(&mut m, 1.0).unwrap_err();
    assert!(err.to_string().contains("step counter is at its maximum"), "{err}");
    assert_eq!(bits(&m), w);
}

#[test]
fn a_schedule_sets_the_one_learning_rate_and_forbids_setting_it_by_hand() {
    let schedule: Schedule = serde_json::from_str(
        r#"{"type":"exponential_decay","initial_learning_rate":0.1,"decay_steps":1,"decay_rate":0.5}"#,
    )
    .unwrap();
    let mut m = model();
    let lens: Vec<usize> = m.params().iter().map(|p| p.len()).collect();
    let mut opt = Optimizer::new(OptimizerConfig::from_name("sgd").unwrap(), Some(schedule), &lens);
    assert!(opt.set_learning_rate(0.3).is_err());
    opt.prepare(0);
    assert_eq!(opt.learning_rate(), 0.1);
    set_grads(&mut m, 0.1, 0.1);
    opt.apply(&mut m, 1.0).unwrap();
    // 0.1 · 0.5^(1/1) at iterations = 1.
    assert_eq!(opt.scheduled_learning_rate(0), Some(0.05));
    opt.prepare(0);
    assert_eq!((opt.learning_rate(), opt.config().learning_rate()), (0.05, 0.05));
}

#[test]
fn one_region_over_all_params_gives_each_params_own_rule_on_any_number_of_threads() {
    // Long params (split over the pool's threads, one of them across the
    // halving of the list), short ones, and a frozen one in the middle.
    let layers = [
        LayerConfig::dense(160, Activation::Tanh),
        LayerConfig::dense(300, Activation::Relu),
        LayerConfig::dense(7, Activation::Linear),
    ];
    let fresh = || {
        let mut m = Sequential::new(&[250], &layers, 11).unwrap();
        for (i, p) in m.params_mut().into_iter().enumerate() {
            p.grad
                .iter_mut()
                .enumerate()
                .for_each(|(j, g)| *g = ((i * 7919 + j) as f32 * 0.37).sin() * 0.1);
            p.trainable = i != 2;
        }
        m
    };
    assert!(
        fresh()
            .params()
            .iter()
            .filter(|p| p.len() >= crate::kernels::elementwise::PAR_MIN_LEN)
            .count()
            >= 2
    );
    for name in OPTIMIZER_NAMES {
        let config = OptimizerConfig::from_name(name).unwrap();
        // The reference: the rule on each param by itself, in place, two steps.
        let mut want = fresh();
        let lens: Vec<usize> = want.params().iter().map(|p| p.len()).collect();
        let mut states: Vec<_> = lens.iter().map(|&n| config.init_state(n)).collect();
        let mut global = config.init_global();
        for step in 0..2 {
            config.begin_step(step, &mut global);
            for (p, state) in want
                .params_mut()
                .into_iter()
                .zip(&mut states)
                .filter(|(p, _)| p.trainable)
            {
                let g = p.grad.as_slice().unwrap().to_vec();
                config.update(step, &global, p.value.as_slice_mut().unwrap(), &g, state);
            }
        }
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut m = fresh();
            let mut opt = Optimizer::new(config.clone(), None, &lens);
            pool.install(|| {
                opt.apply(&mut m, 1.0).unwrap();
                opt.apply(&mut m, 1.0).unwrap();
            });
            assert_eq!(bits(&m), bits(&want), "{name} on {threads} threads");
            assert_eq!(opt.slots(), states.as_slice(), "{name} on {threads} threads");
        }
    }
}
