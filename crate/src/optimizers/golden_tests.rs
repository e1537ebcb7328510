//! Golden tests: every optimizer and option, 1 and 3 steps on a fixed
//! parameter/gradient set, against the independent f64 re-implementations in
//! `reference.rs` (written from the Keras formulas), to 1e-6 relative.
//! Learning rates are large so that the updates dominate the comparison.

use super::reference::{self, Out};
use super::*;

const W0: [f64; 6] = [0.5, -1.2, 2.0, 0.0, 3.5, -0.05];

/// Step k's gradient: sign changes, a zero, shrinking and growing entries
/// (so that amsgrad's max and the momenta matter: the last entry's gradient
/// is 0 at step 2, so its v shrinks while v_hat keeps the maximum).
fn grad(k: usize) -> Vec<f64> {
    let base = [0.1, -0.3, 0.0, 1.5, -2.0, 0.4];
    base.iter()
        .map(|&b| match k % 3 {
            0 => b,
            1 => -0.5 * b + 0.2,
            _ => 1.7 * b - 0.1,
        })
        .collect()
}

fn grads(steps: usize) -> Vec<Vec<f64>> {
    (0..steps).map(grad).collect()
}

/// Run `cfg` through the public API (clip, begin_step, update) for `steps` steps.
fn run(cfg: &OptimizerConfig, steps: usize) -> (Vec<f32>, ParamState, GlobalState) {
    let mut w: Vec<f32> = W0.iter().map(|&x| x as f32).collect();
    let mut st = cfg.init_state(w.len());
    let mut gl = cfg.init_global();
    for k in 0..steps {
        let mut g: Vec<f32> = grad(k).iter().map(|&x| x as f32).collect();
        cfg.clip(&mut [&mut g[..]]);
        cfg.begin_step(k as u64, &mut gl);
        cfg.update(k as u64, &gl, &mut w, &g, &mut st);
    }
    (w, st, gl)
}

pub(super) fn assert_close(what: &str, got: &[f32], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let tol = 1e-6 * w.abs() + 1e-9;
        assert!(
            (g as f64 - w).abs() <= tol,
            "{what}[{i}]: got {g}, want {w} (diff {:e})",
            g as f64 - w
        );
    }
}

/// Compare weights and the listed (state slot, reference slot) pairs.
fn check(name: &str, cfg: &OptimizerConfig, steps: usize, r: &Out, slot_pairs: &[(usize, usize)]) {
    let (w, st, _) = run(cfg, steps);
    assert_close(&format!("{name} w after {steps}"), &w, &r.w);
    for &(s, rs) in slot_pairs {
        assert_close(&format!("{name} slot {s} after {steps}"), &st.slots[s], &r.slots[rs]);
    }
}

fn cfg(kind: OptimizerKind) -> OptimizerConfig {
    let c = OptimizerConfig::with_kind(kind);
    c.validate().unwrap();
    c
}

#[test]
fn sgd_plain_momentum_nesterov() {
    for steps in [1, 3] {
        let g = grads(steps);
        let c = cfg(OptimizerKind::Sgd {
            learning_rate: 0.1,
            momentum: 0.0,
            nesterov: false,
        });
        check("sgd", &c, steps, &reference::sgd(&W0, &g, 0.1, 0.0, false), &[]);
        let c = cfg(OptimizerKind::Sgd {
            learning_rate: 0.1,
            momentum: 0.9,
            nesterov: false,
        });
        check(
            "sgd momentum",
            &c,
            steps,
            &reference::sgd(&W0, &g, 0.1, 0.9, false),
            &[(0, 0)],
        );
        let c = cfg(OptimizerKind::Sgd {
            learning_rate: 0.1,
            momentum: 0.9,
            nesterov: true,
        });
        check(
            "sgd nesterov",
            &c,
            steps,
            &reference::sgd(&W0, &g, 0.1, 0.9, true),
            &[(0, 0)],
        );
    }
}

#[test]
fn adam_and_amsgrad() {
    for steps in [1, 3] {
        let g = grads(steps);
        for amsgrad in [false, true] {
            let c = cfg(OptimizerKind::Adam {
                learning_rate: 0.1,
                beta_1: 0.9,
                beta_2: 0.999,
                epsilon: 1e-7,
                amsgrad,
            });
            let r = reference::adam(&W0, &g, 0.1, 0.9, 0.999, 1e-7, amsgrad);
            let slots: &[(usize, usize)] = if amsgrad {
                &[(0, 0), (1, 1), (2, 2)]
            } else {
                &[(0, 0), (1, 1)]
            };
            check(&format!("adam amsgrad={amsgrad}"), &c, steps, &r, slots);
        }
        // Other betas and a large epsilon, so that a misplaced ε or bias correction shows.
        let c = cfg(OptimizerKind::Adam {
            learning_rate: 0.05,
            beta_1: 0.5,
            beta_2: 0.8,
            epsilon: 0.1,
            amsgrad: false,
        });
        check(
            "adam betas",
            &c,
            steps,
            &reference::adam(&W0, &g, 0.05, 0.5, 0.8, 0.1, false),
            &[(0, 0), (1, 1)],
        );
    }
}

#[test]
fn amsgrad_differs_from_adam_when_v_shrinks() {
    // Guard that the fixture exercises v_hat: the two runs must differ.
    let a = reference::adam(&W0, &grads(3), 0.1, 0.9, 0.999, 1e-7, false);
    let b = reference::adam(&W0, &grads(3), 0.1, 0.9, 0.999, 1e-7, true);
    assert!(a.w.iter().zip(&b.w).any(|(x, y)| (x - y).abs() > 1e-5));
}

#[test]
fn rmsprop_all_options() {
    for steps in [1, 3] {
        let g = grads(steps);
        for (momentum, centered) in [(0.0, false), (0.9, false), (0.0, true), (0.5, true)] {
            let c = cfg(OptimizerKind::Rmsprop {
                learning_rate: 0.1,
                rho: 0.9,
                momentum,
                epsilon: 1e-7,
                centered,
            });
            let r = reference::rmsprop(&W0, &g, 0.1, 0.9, momentum as f64, 1e-7, centered);
            let mut slots = vec![(0, 0)];
            if momentum > 0.0 {
                slots.push((1, 1));
            }
            if centered {
                slots.push((2, 2));
            }
            check(&format!("rmsprop m={momentum} c={centered}"), &c, steps, &r, &slots);
        }
    }
}

#[test]
fn rmsprop_matches_keras_docstring_example() {
    // keras/src/optimizers/rmsprop.py: RMSprop(learning_rate=0.1), var1 = 10.0,
    // loss = var1²/2 (gradient = var1), one minimize() -> var1 == 9.683772.
    let c = cfg(OptimizerKind::Rmsprop {
        learning_rate: 0.1,
        rho: 0.9,
        momentum: 0.0,
        epsilon: 1e-7,
        centered: false,
    });
    let mut w = [10.0f32];
    let mut st = c.init_state(1);
    c.update(0, &c.init_global(), &mut w, &[10.0], &mut st);
    assert!((w[0] - 9.683772).abs() < 1e-6, "{}", w[0]);
}

#[test]
fn adagrad_golden() {
    for steps in [1, 3] {
        let g = grads(steps);
        for (initial, eps) in [(0.1, 1e-7), (0.0, 1e-2)] {
            let c = cfg(OptimizerKind::Adagrad {
                learning_rate: 0.1,
                initial_accumulator_value: initial,
                epsilon: eps,
            });
            let r = reference::adagrad(&W0, &g, 0.1, initial as f64, eps as f64);
            check(&format!("adagrad init={initial}"), &c, steps, &r, &[(0, 0)]);
        }
    }
}

#[test]
fn nadam_golden() {
    for steps in [1, 3] {
        let g = grads(steps);
        let c = cfg(OptimizerKind::Nadam {
            learning_rate: 0.1,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
        });
        let r = reference::nadam(&W0, &g, 0.1, 0.9, 0.999, 1e-7);
        check("nadam", &c, steps, &r, &[(0, 0), (1, 1)]);
        let (_, _, gl) = run(&c, steps);
        assert!(
            (gl.values[0] - r.slots[2][0]).abs() <= 1e-6 * r.slots[2][0],
            "u_product {:?}",
            gl.values
        );
    }
}

#[test]
fn nadam_without_begin_step_recomputes_the_product() {
    let c = cfg(OptimizerKind::Nadam {
        learning_rate: 0.1,
        beta_1: 0.9,
        beta_2: 0.999,
        epsilon: 1e-7,
    });
    let r = reference::nadam(&W0, &grads(3), 0.1, 0.9, 0.999, 1e-7);
    let mut w: Vec<f32> = W0.iter().map(|&x| x as f32).collect();
    let mut st = ParamState::default();
    for k in 0..3 {
        let g: Vec<f32> = grad(k).iter().map(|&x| x as f32).collect();
        c.update(k as u64, &GlobalState::default(), &mut w, &g, &mut st);
    }
    assert_close("nadam no begin_step", &w, &r.w);
}

#[test]
fn nadam_subtracts_beta_in_f32_like_keras() {
    // Keras' Nadam: beta_1 = ops.cast(0.9, float32), then `1 - beta_1` in f32:
    // 1 − 0.89999998 = 0.10000002; 1 − 0.99900001 = 0.00099998713 (1.3e-5 below 0.001).
    // After one step from zero slots: m = g·(1 − β1), v = g²·(1 − β2), both in f32.
    let c = cfg(OptimizerKind::Nadam {
        learning_rate: 0.1,
        beta_1: 0.9,
        beta_2: 0.999,
        epsilon: 1e-7,
    });
    let (_, st, _) = run(&c, 1);
    for (i, &g) in grad(0).iter().enumerate() {
        let g = g as f32;
        assert_eq!(st.slots[0][i], g * (1.0 - 0.9f32), "m[{i}]");
        assert_eq!(st.slots[1][i], g * g * (1.0 - 0.999f32), "v[{i}]");
        if g != 0.0 {
            // The f64 complement (0.001 cast to f32) is measurably different.
            let v64 = g * g * 0.001f32;
            assert!(((st.slots[1][i] - v64) / v64).abs() > 1e-5, "v[{i}]");
        }
    }
}

#[test]
fn clipping_golden_with_sgd() {
    let sgd = OptimizerKind::Sgd {
        learning_rate: 0.1,
        momentum: 0.9,
        nesterov: false,
    };
    for steps in [1, 3] {
        // clipvalue 0.25: most entries are clipped.
        let c = OptimizerConfig {
            clipvalue: Some(0.25),
            ..cfg(sgd)
        };
        let g: Vec<_> = grads(steps).iter().map(|g| reference::clip_value(g, 0.25)).collect();
        check(
            "clipvalue",
            &c,
            steps,
            &reference::sgd(&W0, &g, 0.1, 0.9, false),
            &[(0, 0)],
        );
        // clipnorm 1.0: the gradient norm is ~2.5, so it is rescaled.
        let c = OptimizerConfig {
            clipnorm: Some(1.0),
            ..cfg(sgd)
        };
        let g: Vec<_> = grads(steps).iter().map(|g| reference::clip_norm(g, 1.0)).collect();
        check(
            "clipnorm",
            &c,
            steps,
            &reference::sgd(&W0, &g, 0.1, 0.9, false),
            &[(0, 0)],
        );
        // clipnorm 10: no-op.
        let c = OptimizerConfig {
            clipnorm: Some(10.0),
            ..cfg(sgd)
        };
        check(
            "clipnorm no-op",
            &c,
            steps,
            &reference::sgd(&W0, &grads(steps), 0.1, 0.9, false),
            &[(0, 0)],
        );
        // global_clipnorm on one tensor equals clipnorm.
        let c = OptimizerConfig {
            global_clipnorm: Some(1.0),
            ..cfg(sgd)
        };
        let g: Vec<_> = grads(steps).iter().map(|g| reference::clip_norm(g, 1.0)).collect();
        check(
            "global_clipnorm",
            &c,
            steps,
            &reference::sgd(&W0, &g, 0.1, 0.9, false),
            &[(0, 0)],
        );
    }
}

#[test]
fn clip_over_several_tensors() {
    let a = vec![3.0, -4.0];
    let b = vec![0.0, 12.0, 0.5];
    let z = vec![0.0, 0.0];
    let to32 = |v: &Vec<f64>| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
    let ref_all = |f: &dyn Fn(&[f64]) -> Vec<f64>| [f(&a), f(&b), f(&z)];

    let run = |c: OptimizerConfig| {
        let (mut x, mut y, mut w) = (to32(&a), to32(&b), to32(&z));
        c.clip(&mut [&mut x[..], &mut y[..], &mut w[..]]);
        [x, y, w]
    };
    let base = OptimizerConfig::from_name("sgd").unwrap();
    let got = run(OptimizerConfig {
        clipnorm: Some(2.0),
        ..base.clone()
    });
    for (g, r) in got.iter().zip(ref_all(&|g| reference::clip_norm(g, 2.0))) {
        assert_close("clipnorm per tensor", g, &r);
    }
    let got = run(OptimizerConfig {
        clipvalue: Some(1.0),
        ..base.clone()
    });
    for (g, r) in got.iter().zip(ref_all(&|g| reference::clip_value(g, 1.0))) {
        assert_close("clipvalue", g, &r);
    }
    let got = run(OptimizerConfig {
        global_clipnorm: Some(6.5),
        ..base.clone()
    });
    let want = reference::clip_global_norm(&[a.clone(), b.clone(), z.clone()], 6.5);
    for (g, r) in got.iter().zip(&want) {
        assert_close("global_clipnorm", g, r);
    }
    // Global norm = 13.0096..: after clipping it is 6.5.
    let n: f64 = got.iter().flatten().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt();
    assert!((n - 6.5).abs() < 1e-5, "{n}");
    // No clipping configured: unchanged.
    let got = run(base);
    assert_eq!(got, [to32(&a), to32(&b), to32(&z)]);
}

#[test]
fn global_clipnorm_of_non_finite_gradients_is_nan_like_keras() {
    let c = OptimizerConfig {
        global_clipnorm: Some(1.0),
        ..OptimizerConfig::from_name("sgd").unwrap()
    };
    let mut a = [1.0f32, f32::INFINITY];
    let mut b = [0.5f32];
    c.clip(&mut [&mut a[..], &mut b[..]]);
    assert!(a.iter().chain(&b).all(|x| x.is_nan()));
}

#[test]
fn learning_rate_change_takes_effect_at_the_next_step() {
    let mut c = cfg(OptimizerKind::Adam {
        learning_rate: 0.1,
        beta_1: 0.9,
        beta_2: 0.999,
        epsilon: 1e-7,
        amsgrad: false,
    });
    let mut w: Vec<f32> = W0.iter().map(|&x| x as f32).collect();
    let mut st = c.init_state(6);
    let gl = c.init_global();
    let g32 = |k: usize| grad(k).iter().map(|&x| x as f32).collect::<Vec<f32>>();
    c.update(0, &gl, &mut w, &g32(0), &mut st);
    c.set_learning_rate(0.01).unwrap();
    c.update(1, &gl, &mut w, &g32(1), &mut st);
    // Reference: step 1 with lr 0.1, then step 2 with lr 0.01 on the same moments.
    let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-7);
    let mut want = W0.to_vec();
    let (mut m, mut v) = (vec![0.0; 6], vec![0.0; 6]);
    for (k, lr) in [(0usize, 0.1f64), (1, 0.01)] {
        let t = k as f64 + 1.0;
        let g = grad(k);
        for i in 0..6 {
            m[i] += (g[i] - m[i]) * (1.0 - b1);
            v[i] += (g[i] * g[i] - v[i]) * (1.0 - b2);
            let alpha = lr * (1.0 - reference::as_f32(b2).powf(t)).sqrt() / (1.0 - reference::as_f32(b1).powf(t));
            want[i] -= m[i] * alpha / (v[i].sqrt() + eps);
        }
    }
    assert_close("lr change", &w, &want);
}

#[test]
fn update_from_an_empty_state_equals_update_from_init_state() {
    for name in OPTIMIZER_NAMES {
        let mut c = OptimizerConfig::from_name(name).unwrap();
        if c.momentum().is_some() {
            c.set_momentum(0.5).unwrap();
        }
        let (w_init, st_init, _) = run(&c, 3);
        let mut w: Vec<f32> = W0.iter().map(|&x| x as f32).collect();
        let mut st = ParamState::default();
        let mut gl = GlobalState::default();
        for k in 0..3 {
            let g: Vec<f32> = grad(k).iter().map(|&x| x as f32).collect();
            c.begin_step(k as u64, &mut gl);
            c.update(k as u64, &gl, &mut w, &g, &mut st);
        }
        assert_eq!(w, w_init, "{name}");
        assert_eq!(st, st_init, "{name}");
        c.check_state(6, &st).unwrap();
        assert!(c.check_state(5, &st).is_err(), "{name}");
    }
}
