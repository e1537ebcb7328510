//! Native tests of the surfaces: gradients by finite differences, optimizer
//! paths against closed-form iterates, the value grid, the JSON messages.

use super::*;
use crate::optimizers::{OptimizerConfig, OptimizerKind};

fn all_surfaces() -> Vec<Surface> {
    let mut v: Vec<Surface> = SURFACE_NAMES.iter().map(|n| Surface::from_name(n).unwrap()).collect();
    v.push(Surface::Quadratic { kappa: 1.0 });
    v.push(Surface::Quadratic { kappa: 437.5 });
    v
}

/// Central differences `(f(p + h·e) − f(p − h·e)) / 2h` (error O(h²·f''')), in f64.
#[test]
fn gradients_match_finite_differences() {
    let points = [
        (0.3, -0.7),
        (-1.2, 1.9),
        (2.5, 0.25),
        (0.0, 0.0),
        (-3.1, -2.2),
        (1.0, 1.0),
    ];
    for s in all_surfaces() {
        for &(x, y) in &points {
            let h = 1e-5;
            let fd = [
                (s.value(x + h, y) - s.value(x - h, y)) / (2.0 * h),
                (s.value(x, y + h) - s.value(x, y - h)) / (2.0 * h),
            ];
            let g = s.gradient(x, y);
            for k in 0..2 {
                let tol = 1e-6 * (1.0 + g[k].abs().max(fd[k].abs()));
                assert!(
                    (g[k] - fd[k]).abs() <= tol,
                    "{} at ({x}, {y}), component {k}: analytic {} vs finite difference {}",
                    s.name(),
                    g[k],
                    fd[k]
                );
            }
        }
    }
}

#[test]
fn minima_have_zero_gradient_and_the_least_value_nearby() {
    for s in all_surfaces() {
        let Some([x, y]) = s.minimum() else {
            assert_eq!(s, Surface::Saddle);
            continue;
        };
        let g = s.gradient(x, y);
        assert!(
            g[0].abs() < 1e-9 && g[1].abs() < 1e-9,
            "{}: gradient {g:?} at its minimum",
            s.name()
        );
        for (dx, dy) in [(1e-3, 0.0), (-1e-3, 0.0), (0.0, 1e-3), (0.0, -1e-3), (1e-3, 1e-3)] {
            assert!(s.value(x + dx, y + dy) > s.value(x, y), "{}: not a minimum", s.name());
        }
    }
    // Anscombe (1973): every set of the quartet has the regression line y = 3.00 + 0.500·x.
    let [w, b] = Surface::LinearFit.minimum().unwrap();
    assert!((w - 0.500).abs() < 5e-4 && (b - 3.00).abs() < 5e-3, "w = {w}, b = {b}");
}

fn sgd(learning_rate: f32, momentum: f32, nesterov: bool) -> OptimizerConfig {
    OptimizerConfig::with_kind(OptimizerKind::Sgd {
        learning_rate,
        momentum,
        nesterov,
    })
}

/// `|a − b| ≤ tol·scale` for every step, where scale is the start's size (f32 precision).
fn assert_iterates(path: &Path, expected: impl Fn(usize) -> [f64; 2], scale: f64, tol: f64, what: &str) {
    for (t, p) in path.path.iter().enumerate() {
        let e = expected(t);
        for k in 0..2 {
            let d = (f64::from(p[k]) - e[k]).abs();
            assert!(
                d <= tol * scale,
                "{what}: step {t} coordinate {k}: {} vs closed form {}",
                p[k],
                e[k]
            );
        }
    }
}

/// SGD on `(x² + κy²)/2`: `w ← w − lr·λ·w`, so `x_t = (1 − lr)^t·x₀`, `y_t = (1 − lr·κ)^t·y₀`.
#[test]
fn sgd_on_the_quadratic_follows_the_closed_form() {
    let kappa = 50.0;
    let s = Surface::Quadratic { kappa };
    let (lr, x0, y0) = (0.038f32, -9.0f64, 1.2f64);
    let path = optimizer_path(&s, &sgd(lr, 0.0, false), [x0 as f32, y0 as f32], 200);
    assert_eq!(path.path.len(), 201);
    let lr = f64::from(lr);
    let closed = |t: usize| [(1.0 - lr).powi(t as i32) * x0, (1.0 - lr * kappa).powi(t as i32) * y0];
    assert_iterates(&path, closed, 9.0, 1e-6, "sgd");
    // Near the stability limit lr < 2/κ the steep direction flips sign every step: the zig-zag.
    assert!(path.path.windows(2).take(50).all(|w| w[0][1] * w[1][1] < 0.0));
    for (t, l) in path.losses.iter().enumerate() {
        let [x, y] = path.path[t];
        assert_eq!(*l, s.value(f64::from(x), f64::from(y)) as f32);
    }
}

/// Heavy-ball momentum on one eigen-direction λ (Keras SGD: `v ← β·v − lr·g`, `w ← w + v`, v₀ = 0)
/// is the recurrence `w_{t+1} = (1 + β − lr·λ)·w_t − β·w_{t−1}` with `w₁ = (1 − lr·λ)·w₀`,
/// solved with the roots r₁, r₂ of `r² − (1 + β − lr·λ)·r + β = 0`:
/// real roots: `w_t = A·r₁^t + B·r₂^t` with `A = (w₁ − r₂·w₀)/(r₁ − r₂)`, `B = w₀ − A`;
/// complex roots `√β·e^{±iθ}`, `cos θ = (1 + β − lr·λ)/(2√β)`:
/// `w_t = β^{t/2}·(w₀·cos tθ + C·sin tθ)` with `C = (w₁/√β − w₀·cos θ)/sin θ`.
fn momentum_closed_form(w0: f64, lr: f64, beta: f64, lambda: f64, t: usize) -> f64 {
    let a = 1.0 + beta - lr * lambda;
    let w1 = (1.0 - lr * lambda) * w0;
    let disc = a * a - 4.0 * beta;
    let t = t as f64;
    if disc > 0.0 {
        let (r1, r2) = ((a + disc.sqrt()) / 2.0, (a - disc.sqrt()) / 2.0);
        let big_a = (w1 - r2 * w0) / (r1 - r2);
        big_a * r1.powf(t) + (w0 - big_a) * r2.powf(t)
    } else {
        let rho = beta.sqrt();
        let theta = (a / (2.0 * rho)).acos();
        let c = (w1 / rho - w0 * theta.cos()) / theta.sin();
        rho.powf(t) * (w0 * (t * theta).cos() + c * (t * theta).sin())
    }
}

#[test]
fn momentum_on_the_quadratic_follows_the_closed_form() {
    let kappa = 100.0;
    let s = Surface::Quadratic { kappa };
    let (x0, y0) = (-9.0f64, 0.8f64);
    // x: lr·λ = 0.019, β = 0.6 → real roots; y: lr·λ = 1.9 → complex roots. And β = 0.9: both complex.
    for beta in [0.6f32, 0.9] {
        let lr = 0.019f32;
        let path = optimizer_path(&s, &sgd(lr, beta, false), [x0 as f32, y0 as f32], 200);
        let (lr, b) = (f64::from(lr), f64::from(beta));
        let closed = |t| {
            [
                momentum_closed_form(x0, lr, b, 1.0, t),
                momentum_closed_form(y0, lr, b, kappa, t),
            ]
        };
        assert_iterates(&path, closed, 9.0, 1e-6, &format!("momentum {beta}"));
    }
}

/// The momentum demo's preset (κ = 100, lr = 0.019 just under SGD's limit 2/κ, 200 steps):
/// SGD still crawls along the flat x direction ((1 − 0.019)^200 ≈ 0.02 of the way left),
/// momentum 0.9 contracts by about √0.9 per step (≈ 3·10⁻⁵ left).
/// Nesterov's limit is lower, lr·λ < 2(1 + β)/(1 + 2β) ≈ 1.36 for β = 0.9: at lr·κ = 1.9
/// it diverges; at lr·κ = 1 it removes the steep direction in one step and beats SGD too.
#[test]
fn momentum_glides_where_sgd_zigzags() {
    let s = Surface::Quadratic { kappa: 100.0 };
    let start = [-9.0, 0.8];
    let last = |p: &Path| *p.losses.last().unwrap();
    let plain = optimizer_path(&s, &sgd(0.019, 0.0, false), start, 200);
    let heavy = optimizer_path(&s, &sgd(0.019, 0.9, false), start, 200);
    assert!(plain.stopped.is_none() && heavy.stopped.is_none());
    assert!(
        last(&heavy) < last(&plain) / 100.0,
        "{} vs {}",
        last(&heavy),
        last(&plain)
    );
    let nesterov = optimizer_path(&s, &sgd(0.019, 0.9, true), start, 200);
    let why = nesterov.stopped.expect("nesterov stops");
    assert!(why.starts_with("ran off beyond ±1e6 at step"), "{why}");
    let plain = optimizer_path(&s, &sgd(0.01, 0.0, false), start, 200);
    let nesterov = optimizer_path(&s, &sgd(0.01, 0.9, true), start, 200);
    assert!(nesterov.stopped.is_none());
    assert!(
        last(&nesterov) < last(&plain) / 100.0,
        "{} vs {}",
        last(&nesterov),
        last(&plain)
    );
}

#[test]
fn adaptive_optimizers_and_nadam_descend_rosenbrock() {
    let s = Surface::Rosenbrock;
    let start = [-1.5, 2.5];
    // Adagrad's steps shrink as its accumulator grows: it needs a larger rate.
    for (name, lr) in [("adam", 0.05), ("rmsprop", 0.05), ("adagrad", 0.5), ("nadam", 0.05)] {
        let mut o = OptimizerConfig::from_name(name).unwrap();
        o.set_learning_rate(lr).unwrap();
        let p = optimizer_path(&s, &o, start, 500);
        assert_eq!(p.path.len(), 501, "{name}: {:?}", p.stopped);
        assert!(
            p.losses[500] < p.losses[0] / 2.0,
            "{name}: {} → {}",
            p.losses[0],
            p.losses[500]
        );
    }
}

#[test]
fn a_path_that_escapes_the_saddle_stops_and_says_why() {
    let p = optimizer_path(&Surface::Saddle, &sgd(0.4, 0.0, false), [0.5, 0.5], 1000);
    // y grows by 1.8× per step: past 1e6 after about 25 steps.
    assert!(p.path.len() < 40, "{} points", p.path.len());
    let why = p.stopped.expect("stopped");
    assert!(why.starts_with("ran off beyond ±1e6 at step"), "{why}");
    assert_eq!(p.path.len(), p.losses.len());
}

#[test]
fn gradient_clipping_applies_to_the_path() {
    let mut o = sgd(1.0, 0.0, false);
    o.clipvalue = Some(0.1);
    let p = optimizer_path(&Surface::Quadratic { kappa: 10.0 }, &o, [5.0, 5.0], 3);
    // |g| ≥ 0.1 everywhere here, so each step moves each coordinate by exactly 0.1·lr.
    assert_eq!(p.path[1], [4.9, 4.9]);
}

#[test]
fn the_grid_holds_the_function_values() {
    let s = Surface::Beale;
    let b = [-4.5, 4.5, -1.0, 3.0];
    let (nx, ny) = (7, 5);
    let g = grid(&s, b, nx, ny).unwrap();
    assert_eq!(g.len(), nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let x = -4.5 + 9.0 * i as f64 / 6.0;
            let y = -1.0 + 4.0 * j as f64 / 4.0;
            assert_eq!(g[j * nx + i], s.value(x, y) as f32, "({i}, {j})");
        }
    }
    // Row 0 is y_min, the last value is the corner (x_max, y_max).
    assert_eq!(g[nx * ny - 1], s.value(4.5, 3.0) as f32);
}

#[test]
fn bad_input_gets_a_message_that_says_what_to_change() {
    fn msg<T: std::fmt::Debug>(r: crate::Result<T>) -> String {
        r.expect_err("accepted").to_string()
    }
    let m = msg(grid(&Surface::Saddle, [0.0, 1.0, 0.0, 1.0], 1, 10));
    assert!(m.contains("nx between 2 and 1024"), "{m}");
    let m = msg(grid(&Surface::Saddle, [1.0, 0.0, 0.0, 1.0], 10, 10));
    assert!(m.contains("x_min < x_max"), "{m}");
    let m = msg(Surface::from_json(r#"{"name":"himmelblau"}"#));
    assert!(
        m.contains("unknown function \"himmelblau\"; use one of: quadratic"),
        "{m}"
    );
    let m = msg(Surface::from_json(r#"{"name":"quadratic","kappa":0.5}"#));
    assert!(
        m.contains("kappa (the condition number) must be a number from 1 to 1000"),
        "{m}"
    );
    let m = msg(Surface::from_json(r#"{"name":"beale","kappa":3}"#));
    assert!(m.contains("has no option \"kappa\""), "{m}");
    let m = msg(optimizers_from_json("[]"));
    assert!(m.contains("compare 1 to 8 optimizers"), "{m}");
    let m = msg(optimizers_from_json(
        r#"[{"name":"sgd"},{"name":"sgd","learning_rate":"fast"}]"#,
    ));
    assert!(m.contains("optimizers[1].learning_rate must be a number"), "{m}");
    let m = msg(optimizers_from_json(r#"[{"name":"sgd","momentum":1.5}]"#));
    assert!(
        m.starts_with("configuration error: optimizers[0]:") && m.contains("momentum"),
        "{m}"
    );
    let m = msg(parse::check_steps(MAX_STEPS + 1));
    assert!(m.contains("at most 10000 steps"), "{m}");
    let m = msg(parse::check_start(&[f64::NAN, 0.0]));
    assert!(m.contains("two finite numbers"), "{m}");
}

#[test]
fn function_json_forms() {
    assert_eq!(Surface::from_json("\"beale\"").unwrap(), Surface::Beale);
    assert_eq!(
        Surface::from_json(r#"{"name":"quadratic","kappa":25}"#).unwrap(),
        Surface::Quadratic { kappa: 25.0 }
    );
    assert_eq!(
        Surface::from_json(r#"{"name":"quadratic"}"#).unwrap(),
        Surface::Quadratic { kappa: 10.0 }
    );
    let opts =
        optimizers_from_json(r#"[{"name":"sgd","learning_rate":0.02,"momentum":0.9,"nesterov":true},"adam"]"#).unwrap();
    assert_eq!(opts[0], sgd(0.02, 0.9, true));
    assert_eq!(opts[1], OptimizerConfig::from_name("adam").unwrap());
    let cat = catalogue();
    assert_eq!(cat.iter().map(|i| i.name).collect::<Vec<_>>(), SURFACE_NAMES);
    for info in &cat {
        let [x0, x1, y0, y1] = info.bounds;
        let [sx, sy] = info.start;
        assert!(
            x0 < sx && sx < x1 && y0 < sy && sy < y1,
            "{}: start outside its plane",
            info.name
        );
    }
}

#[test]
fn a_gradient_too_large_for_f32_stops_the_path_before_the_step() {
    // Beale at (1e6, 1e6): ∂f/∂y ≈ 6·t₃·x·y² with t₃ ≈ x·y³ = 1e24, about 6e42 > f32::MAX.
    let p = optimizer_path(&Surface::Beale, &sgd(0.01, 0.0, false), [1e6, 1e6], 5);
    assert_eq!(p.path, vec![[1e6, 1e6]]);
    let why = p.stopped.expect("stopped");
    assert!(why.starts_with("the gradient overflowed at step 1"), "{why}");
}
