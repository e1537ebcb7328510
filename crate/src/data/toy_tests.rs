//! Toy generators: exact geometry without noise (derived from the formulas in
//! toy.rs / sklearn), noise statistics, determinism and shapes.

use super::*;

fn points(d: &Dataset) -> Vec<(f64, f64, u32)> {
    let Features::F32 { data } = &d.features else {
        panic!("toy sets are f32")
    };
    data.chunks(2)
        .zip(0..)
        .map(|(p, i)| (p[0] as f64, p[1] as f64, d.label(i).unwrap()))
        .collect()
}

fn count(d: &Dataset, c: u32) -> usize {
    (0..d.len()).filter(|&i| d.label(i) == Some(c)).count()
}

#[test]
fn truth_tables() {
    for (gate, want) in [
        (Gate::Or, [0, 1, 1, 1]),
        (Gate::And, [0, 0, 0, 1]),
        (Gate::Xor, [0, 1, 1, 0]),
    ] {
        let d = truth_table(gate);
        let p = points(&d);
        let xy: Vec<(f64, f64)> = p.iter().map(|q| (q.0, q.1)).collect();
        assert_eq!(xy, vec![(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]);
        assert_eq!(p.iter().map(|q| q.2).collect::<Vec<_>>(), want.to_vec());
        assert_eq!((d.num_classes(), d.sample_shape.clone()), (Some(2), vec![2]));
    }
}

#[test]
fn circles_lie_on_their_radii() {
    let d = circles(101, 0.0, 0.3, 1);
    assert_eq!(
        (d.len(), d.sample_shape.clone(), d.num_classes()),
        (101, vec![2], Some(2))
    );
    // sklearn: n_out = 101 // 2 = 50 outer (class 0), the inner circle gets the odd one.
    assert_eq!((count(&d, 0), count(&d, 1)), (50, 51));
    for (x, y, c) in points(&d) {
        let r = (x * x + y * y).sqrt();
        let want = if c == 0 { 1.0 } else { 0.3 };
        assert!((r - want).abs() < 1e-6, "radius {r} for class {c}");
    }
    // Shuffled: the classes are not in two blocks.
    let labels: Vec<u32> = points(&d).iter().map(|p| p.2).collect();
    assert!(labels[..50].contains(&1) && labels[51..].contains(&0));
}

#[test]
fn circle_noise_has_the_requested_spread() {
    // Noise N(0, 0.05²) per coordinate moves the radius by ≈ N(0, 0.05²) (radial component).
    let d = circles(20_000, 0.05, 0.5, 3);
    let dev: Vec<f64> = points(&d)
        .iter()
        .map(|&(x, y, c)| (x * x + y * y).sqrt() - if c == 0 { 1.0 } else { 0.5 })
        .collect();
    let mean = dev.iter().sum::<f64>() / dev.len() as f64;
    let sd = (dev.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / dev.len() as f64).sqrt();
    assert!((sd - 0.05).abs() < 0.003, "sd {sd}");
    // A tiny bias outward (E|r + noise| > r) but well below the noise.
    assert!(mean.abs() < 0.01, "mean {mean}");
}

#[test]
fn moons_have_sklearn_geometry() {
    // 101 points per moon, so t = π/2 (the top and bottom) is on the grid.
    let d = moons(202, 0.0, 5);
    assert_eq!((count(&d, 0), count(&d, 1)), (101, 101));
    let (mut xs, mut ys) = (vec![], vec![]);
    for (x, y, c) in points(&d) {
        if c == 0 {
            // (cos t, sin t), t ∈ [0, π]: the upper unit half-circle.
            assert!((x * x + y * y - 1.0).abs() < 1e-6 && y >= -1e-7);
        } else {
            // (1 - cos t, 0.5 - sin t): lower half-circle around (1, 0.5).
            assert!(((x - 1.0).powi(2) + (y - 0.5).powi(2) - 1.0).abs() < 1e-6 && y <= 0.5 + 1e-7);
        }
        xs.push(x);
        ys.push(y);
    }
    let range = |v: &[f64]| {
        (
            v.iter().cloned().fold(f64::MAX, f64::min),
            v.iter().cloned().fold(f64::MIN, f64::max),
        )
    };
    // Endpoints included (linspace): x from -1 to 2, y from -0.5 to 1.
    let ((x0, x1), (y0, y1)) = (range(&xs), range(&ys));
    assert!((x0 + 1.0).abs() < 1e-6 && (x1 - 2.0).abs() < 1e-6, "{x0} {x1}");
    assert!((y0 + 0.5).abs() < 1e-6 && (y1 - 1.0).abs() < 1e-6, "{y0} {y1}");
}

#[test]
fn spirals_follow_radius_and_angle() {
    let d = spirals(301, 0.0, 3, 2);
    assert_eq!(
        (d.num_classes(), count(&d, 0), count(&d, 1), count(&d, 2)),
        (Some(3), 101, 100, 100)
    );
    for (x, y, c) in points(&d) {
        // Without noise: r = linspace(0,1,m), θ = 4c + 4r, point (r sin θ, r cos θ).
        let r = (x * x + y * y).sqrt();
        let t = 4.0 * c as f64 + 4.0 * r;
        assert!(r <= 1.0 + 1e-6);
        assert!(
            (x - r * t.sin()).abs() < 1e-5 && (y - r * t.cos()).abs() < 1e-5,
            "({x}, {y}) class {c}"
        );
    }
}

#[test]
fn gaussians_are_centred_on_a_radius_2_circle() {
    let d = gaussians(30_000, 0.3, 3, 4);
    for c in 0..3u32 {
        let p: Vec<(f64, f64, u32)> = points(&d).into_iter().filter(|p| p.2 == c).collect();
        assert_eq!(p.len(), 10_000);
        let a = 2.0 * std::f64::consts::PI * c as f64 / 3.0;
        let mx = p.iter().map(|q| q.0).sum::<f64>() / 1e4;
        let my = p.iter().map(|q| q.1).sum::<f64>() / 1e4;
        assert!(
            (mx - 2.0 * a.cos()).abs() < 0.02 && (my - 2.0 * a.sin()).abs() < 0.02,
            "class {c}: {mx} {my}"
        );
        let sd = (p.iter().map(|q| (q.0 - mx).powi(2)).sum::<f64>() / 1e4).sqrt();
        assert!((sd - 0.3).abs() < 0.01, "sd {sd}");
    }
}

#[test]
fn generators_are_deterministic_and_seed_dependent() {
    assert_eq!(circles(50, 0.1, 0.5, 9), circles(50, 0.1, 0.5, 9));
    assert_ne!(circles(50, 0.1, 0.5, 9), circles(50, 0.1, 0.5, 10));
    assert_eq!(moons(50, 0.1, 9), moons(50, 0.1, 9));
    assert_eq!(spirals(50, 0.2, 2, 9), spirals(50, 0.2, 2, 9));
    assert_ne!(gaussians(50, 0.2, 2, 9), gaussians(50, 0.2, 2, 1));
    // Degenerate parameters do not panic.
    assert!(circles(0, 0.1, 0.5, 0).is_empty());
    assert_eq!(spirals(5, -0.1, 0, 0).num_classes(), Some(1));
    assert_eq!(moons(1, f32::NAN, 0).len(), 1);
    assert_eq!(circles(10, -0.1, 0.5, 1), circles(10, 0.1, 0.5, 1));
}

#[test]
fn sine_is_a_noisy_sine_on_minus_pi_to_pi() {
    let d = sine(200, 0.1, 7);
    let (Features::F32 { data: xs }, Targets::Values { data: ys, dim: 1 }) = (&d.features, &d.targets) else {
        panic!("sine: f32 features and 1-wide targets");
    };
    assert_eq!((xs.len(), ys.len()), (200, 200));
    // The inputs are linspace(−π, π, 200), shuffled: sorted, they are the grid again.
    let mut sorted = xs.clone();
    sorted.sort_by(f32::total_cmp);
    for (i, x) in sorted.iter().enumerate() {
        let want = -std::f64::consts::PI + 2.0 * std::f64::consts::PI * i as f64 / 199.0;
        assert!((f64::from(*x) - want).abs() < 1e-6, "{i}: {x} vs {want}");
    }
    // Residuals y − sin x: mean ≈ 0, standard deviation ≈ 0.1 (200 draws: within ±0.03 and 0.07…0.13).
    let r: Vec<f64> = xs
        .iter()
        .zip(ys)
        .map(|(x, y)| f64::from(*y) - f64::from(*x).sin())
        .collect();
    let mean = r.iter().sum::<f64>() / 200.0;
    let sd = (r.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 199.0).sqrt();
    assert!(mean.abs() < 0.03 && (0.07..0.13).contains(&sd), "mean {mean}, sd {sd}");
    // Shuffled (not in grid order), deterministic from the seed, seed-dependent.
    assert_ne!(xs, &sorted);
    assert_eq!(sine(200, 0.1, 7).targets, sine(200, 0.1, 7).targets);
    assert_ne!(sine(200, 0.1, 7).targets, sine(200, 0.1, 8).targets);
}
