//! The certified way of a step (see [`super::pass`]): Adam's certificate
//! holds at the edges of its bounds and refuses what could overflow; steps
//! it certifies run in place and give the checked way's bits; a step it
//! refuses goes the checked way and still leaves no trace when it diverges;
//! clipping drops the gradient bounds.

use super::adam::certified;
use super::{Optimizer, OptimizerConfig};
use crate::activations::Activation;
use crate::layers::LayerConfig;
use crate::model::Sequential;
use crate::rng::Rng;
use crate::tensor::Tensor;
use crate::Error;
use ndarray::IxDyn;

/// Adam's rule as `adam.rs` states it, with `h = (1 − β1, 1 − β2, α, ε)`.
fn rule(w: f32, g: f32, m: f32, v: f32, h: (f32, f32, f32, f32)) -> [f32; 3] {
    let (c1, c2, alpha, eps) = h;
    let m = m + (g - m) * c1;
    let v = v + (g * g - v) * c2;
    [w - (m * alpha) / (v.sqrt() + eps), m, v]
}

#[test]
fn adams_certificate_holds_at_the_edges_of_its_bounds() {
    let sizes = [0.0f32, 1e-30, 1.0, 1e6, 1e17, 1e18, 1e19, 1e30, 1e36, 1e38];
    let (c1s, c2s) = ([0.0f32, 0.1, 1.0], [0.0f32, 0.001, 1.0]);
    let alphas = [1e-30f32, 1e-3, 1.0, 1e10, 1e30, 3e38];
    let epss = [1e-45f32, 1e-30, 1e-7, 1.0];
    let mut certified_count = 0;
    for &g_max in &sizes {
        for &m_max in &sizes {
            for &v_max in &sizes {
                for (&c1, &c2) in c1s.iter().zip(&c2s) {
                    for &alpha in &alphas {
                        for &eps in &epss {
                            if !certified(g_max, m_max, v_max, c1, c2, alpha, eps) {
                                continue;
                            }
                            certified_count += 1;
                            for w in [f32::MAX, -f32::MAX, 0.0, 1.0] {
                                for g in [g_max, -g_max, 0.0] {
                                    for m in [m_max, -m_max, 0.0] {
                                        for v in [v_max, 0.0] {
                                            let out = rule(w, g, m, v, (c1, c2, alpha, eps));
                                            assert!(
                                                out.iter().all(|x| x.is_finite()) && out[2] >= 0.0,
                                                "certified but {out:?} from w {w} g {g} m {m} v {v} c1 {c1} c2 {c2} α {alpha} ε {eps}"
                                            );
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(certified_count > 1000, "only {certified_count} certified cases");
    // The everyday case is certified; each overflow risk is refused.
    let (c1, c2, alpha, eps) = (0.1, 0.001, 0.003, 1e-7);
    assert!(certified(10.0, 10.0, 100.0, c1, c2, alpha, eps));
    assert!(!certified(1e19, 0.0, 0.0, c1, c2, alpha, eps), "g² overflows");
    assert!(!certified(1.0, 1e38, 0.0, c1, c2, alpha, eps), "m too large");
    assert!(!certified(1.0, 1.0, 1.0, c1, c2, 1e36, eps), "the step may reach 1e30");
    assert!(!certified(1.0, 1.0, 1.0, c1, c2, alpha, 0.0), "no ε: 0/0");
    assert!(!certified(1.0, 1.0, 1.0, 1.5, c2, alpha, eps), "β1 < 0");
    assert!(!certified(f32::NAN, 1.0, 1.0, c1, c2, alpha, eps), "NaN bound");
    assert!(
        !certified(1.0, f32::INFINITY, 1.0, c1, c2, alpha, eps),
        "unknown slot bound"
    );
}

fn model(seed: u64) -> Sequential {
    let layers = [
        LayerConfig::dense(40, Activation::Tanh),
        LayerConfig::dense(3, Activation::Linear),
    ];
    Sequential::new(&[30], &layers, seed).unwrap()
}

fn bits(m: &Sequential) -> Vec<u32> {
    m.params()
        .iter()
        .flat_map(|p| p.value.iter().map(|v| v.to_bits()))
        .collect()
}

/// A forward and backward pass on batch `step` (the layers report their gradients' bounds).
fn backward(m: &mut Sequential, step: u64) {
    let mut r = Rng::new(100 + step);
    let x = Tensor::from_shape_fn(IxDyn(&[16, 30]), |_| r.uniform_range(-1.0, 1.0));
    let g = Tensor::from_shape_fn(IxDyn(&[16, 3]), |_| r.uniform_range(-0.5, 0.5));
    m.forward(&x, true).unwrap();
    m.backward(&x, &g).unwrap();
}

fn adam(m: &Sequential) -> Optimizer {
    let lens: Vec<usize> = m.params().iter().map(|p| p.len()).collect();
    Optimizer::new(OptimizerConfig::from_name("adam").unwrap(), None, &lens)
}

#[test]
fn certified_steps_run_in_place_and_give_the_checked_ways_bits() {
    let (mut a, mut b) = (model(3), model(3));
    let (mut opt_a, mut opt_b) = (adam(&a), adam(&b));
    for step in 1..=6 {
        backward(&mut a, step);
        backward(&mut b, step);
        assert!(a.params().iter().all(|p| p.grad_max.is_some()));
        for p in b.params_mut() {
            p.grad_max = None; // no bound: the checked way
        }
        opt_a.apply(&mut a, 1.0).unwrap();
        opt_b.apply(&mut b, 1.0).unwrap();
        // The first step has no slot bounds yet; every later one is certified.
        assert_eq!(opt_a.last_step_in_place(), step > 1, "step {step}");
        assert!(!opt_b.last_step_in_place());
        assert_eq!(bits(&a), bits(&b), "step {step}");
        assert_eq!(opt_a.slots(), opt_b.slots(), "step {step}");
    }
    // A state from elsewhere has no known bounds: the next step is checked.
    let (slots, global, it) = (opt_a.slots().to_vec(), opt_a.global().clone(), opt_a.iterations());
    opt_a.restore(slots, global, it);
    backward(&mut a, 7);
    opt_a.apply(&mut a, 1.0).unwrap();
    assert!(!opt_a.last_step_in_place());
}

#[test]
fn a_step_the_certificate_refuses_goes_the_checked_way_and_leaves_no_trace() {
    let mut m = model(4);
    let mut opt = adam(&m);
    for step in 1..=3 {
        backward(&mut m, step);
        opt.apply(&mut m, 1.0).unwrap();
    }
    assert!(opt.last_step_in_place());
    let (weights, slots, iterations) = (bits(&m), opt.slots().to_vec(), opt.iterations());
    // A gradient of 1e30 makes v = (1 − β2)·g² overflow: no certificate, and
    // the checked way finds the overflow and undoes the step.
    backward(&mut m, 4);
    let last = m.params_mut().into_iter().last().unwrap();
    last.grad.fill(1e30);
    last.grad_max = Some(1e30);
    let err = opt.apply(&mut m, 2.0).unwrap_err();
    assert_eq!(err, Error::Diverged { step: 4, loss: 2.0 });
    assert!(!opt.last_step_in_place());
    assert_eq!(bits(&m), weights);
    assert_eq!(opt.slots(), slots.as_slice());
    assert_eq!(opt.iterations(), iterations);
    // The bounds of the slots still hold: the next sane step is certified again.
    backward(&mut m, 5);
    opt.apply(&mut m, 1.0).unwrap();
    assert!(opt.last_step_in_place());
}

#[test]
fn clipping_drops_the_gradient_bounds_so_the_step_is_checked() {
    let mut m = model(5);
    let mut config = OptimizerConfig::from_name("adam").unwrap();
    config.clipnorm = Some(0.01);
    let lens: Vec<usize> = m.params().iter().map(|p| p.len()).collect();
    let mut opt = Optimizer::new(config, None, &lens);
    for step in 1..=3 {
        backward(&mut m, step);
        opt.apply(&mut m, 1.0).unwrap();
        assert!(!opt.last_step_in_place(), "step {step}");
        assert!(m.params().iter().all(|p| p.grad_max.is_none()));
    }
}
