//! Toy 2-D classification sets and a 1-D regression set (`sine`), generated
//! from a seed (stream `Data`).
//!
//! Geometry follows scikit-learn's generators (`make_circles`, `make_moons`,
//! `shuffle=True`, noise = Gaussian with standard deviation `noise` added to
//! both coordinates); the numbers differ from sklearn's because the random
//! source is [`Rng`], not NumPy's. Coordinates are computed in f64 and stored
//! as f32; samples are shuffled, so any tail or head mixes the classes.
//!
//! Out-of-range parameters are made safe instead of failing: a negative or
//! non-finite `noise` counts as its absolute value (non-finite → 0), `factor`
//! is clamped into `[0, 1]`, `classes` is at least 1.

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

use crate::rng::{Rng, Stream};

use super::dataset::{Dataset, Features, Normalization, Targets};

/// The logic gates of the course's perceptron exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    Or,
    And,
    Xor,
}

/// The 4 rows of a gate's truth table: inputs `(0,0) (0,1) (1,0) (1,1)` in
/// that order, label `a op b` (2 classes).
pub fn truth_table(op: Gate) -> Dataset {
    let (name, f): (&str, fn(bool, bool) -> bool) = match op {
        Gate::Or => ("or", |a, b| a || b),
        Gate::And => ("and", |a, b| a && b),
        Gate::Xor => ("xor", |a, b| a != b),
    };
    let inputs = [(0u8, 0u8), (0, 1), (1, 0), (1, 1)];
    let data = inputs.iter().flat_map(|&(a, b)| [a as f32, b as f32]).collect();
    let labels = inputs.iter().map(|&(a, b)| u32::from(f(a == 1, b == 1))).collect();
    assemble(name, data, labels, 2)
}

/// sklearn `make_circles`: `n/2` (floor) points on the unit circle (class 0) at
/// angles `2πi/n_out`, the other `n - n/2` on the circle of radius `factor`
/// (class 1) at angles `2πi/n_in`; then noise `N(0, noise²)` on each coordinate.
pub fn circles(n: usize, noise: f32, factor: f32, seed: u64) -> Dataset {
    let factor = if factor.is_finite() {
        factor.clamp(0.0, 1.0) as f64
    } else {
        0.5
    };
    let (n_out, n_in) = (n / 2, n - n / 2);
    let mut pts = Vec::with_capacity(n);
    for i in 0..n_out {
        let t = 2.0 * PI * i as f64 / n_out as f64;
        pts.push((t.cos(), t.sin(), 0));
    }
    for i in 0..n_in {
        let t = 2.0 * PI * i as f64 / n_in as f64;
        pts.push((factor * t.cos(), factor * t.sin(), 1));
    }
    finish("circles", pts, 2, noise, seed)
}

/// sklearn `make_moons`: class 0 `(cos t, sin t)` and class 1
/// `(1 - cos t, 1 - sin t - 0.5)`, `t = linspace(0, π, m)` with endpoints
/// (`m = n/2` floor for class 0, `n - n/2` for class 1), then noise.
/// Without noise x ∈ [-1, 2], y ∈ [-0.5, 1].
pub fn moons(n: usize, noise: f32, seed: u64) -> Dataset {
    let (n_out, n_in) = (n / 2, n - n / 2);
    let mut pts = Vec::with_capacity(n);
    for i in 0..n_out {
        let t = linspace(0.0, PI, n_out, i);
        pts.push((t.cos(), t.sin(), 0));
    }
    for i in 0..n_in {
        let t = linspace(0.0, PI, n_in, i);
        pts.push((1.0 - t.cos(), 1.0 - t.sin() - 0.5, 1));
    }
    finish("moons", pts, 2, noise, seed)
}

/// Interleaved spirals (the CS231n "spiral" set): class `k` of `m` points has
/// radius `r = linspace(0, 1, m)` and angle `θ = linspace(4k, 4(k+1), m) + noise·N(0,1)`,
/// point `(r sin θ, r cos θ)`. Here `noise` perturbs the angle (radians), not
/// the coordinates. Samples are split as evenly as possible among `classes`.
pub fn spirals(n: usize, noise: f32, classes: usize, seed: u64) -> Dataset {
    let classes = classes.max(1);
    let noise = clean_noise(noise);
    let mut rng = Rng::stream(seed, Stream::Data);
    let mut pts = Vec::with_capacity(n);
    for k in 0..classes {
        let m = n / classes + usize::from(k < n % classes);
        for i in 0..m {
            let r = linspace(0.0, 1.0, m, i);
            let t = linspace(4.0 * k as f64, 4.0 * (k + 1) as f64, m, i) + noise * rng.normal() as f64;
            pts.push((r * t.sin(), r * t.cos(), k as u32));
        }
    }
    shuffle_into("spirals", pts, classes, &mut rng)
}

/// Gaussian blobs: class `k` centred at `2·(cos 2πk/K, sin 2πk/K)` (`K = classes`,
/// radius 2, so two classes sit at `(±2, 0)`) with standard deviation `noise`
/// in each coordinate; samples split as evenly as possible among classes.
pub fn gaussians(n: usize, noise: f32, classes: usize, seed: u64) -> Dataset {
    let classes = classes.max(1);
    let mut pts = Vec::with_capacity(n);
    for k in 0..classes {
        let m = n / classes + usize::from(k < n % classes);
        let a = 2.0 * PI * k as f64 / classes as f64;
        pts.extend(std::iter::repeat_n((2.0 * a.cos(), 2.0 * a.sin(), k as u32), m));
    }
    finish("gaussians", pts, classes, noise, seed)
}

/// A 1-D regression set (issue 11: the fitted curve over the points): `n`
/// inputs `x = linspace(−π, π, n)` (with the endpoints), targets
/// `y = sin x + noise·N(0, 1)`, shuffled. Sample shape `[1]`, target width 1.
pub fn sine(n: usize, noise: f32, seed: u64) -> Dataset {
    let noise = clean_noise(noise);
    let mut rng = Rng::stream(seed, Stream::Data);
    let mut pts: Vec<(f32, f32)> = (0..n)
        .map(|i| {
            let x = linspace(-PI, PI, n, i);
            (x as f32, (x.sin() + noise * rng.normal() as f64) as f32)
        })
        .collect();
    rng.shuffle(&mut pts);
    Dataset {
        name: "sine".to_string(),
        sample_shape: vec![1],
        features: Features::F32 {
            data: pts.iter().map(|p| p.0).collect(),
        },
        targets: Targets::Values {
            data: pts.iter().map(|p| p.1).collect(),
            dim: 1,
        },
        class_names: Vec::new(),
        normalization: Normalization::None,
    }
}

/// numpy `linspace(lo, hi, m)[i]` with the endpoint (`m = 1` gives `lo`).
fn linspace(lo: f64, hi: f64, m: usize, i: usize) -> f64 {
    if m <= 1 {
        lo
    } else {
        lo + (hi - lo) * i as f64 / (m - 1) as f64
    }
}

fn clean_noise(noise: f32) -> f64 {
    if noise.is_finite() {
        noise.abs() as f64
    } else {
        0.0
    }
}

/// Add coordinate noise, then shuffle.
fn finish(name: &str, mut pts: Vec<(f64, f64, u32)>, classes: usize, noise: f32, seed: u64) -> Dataset {
    let noise = clean_noise(noise);
    let mut rng = Rng::stream(seed, Stream::Data);
    if noise > 0.0 {
        for p in pts.iter_mut() {
            p.0 += noise * rng.normal() as f64;
            p.1 += noise * rng.normal() as f64;
        }
    }
    shuffle_into(name, pts, classes, &mut rng)
}

fn shuffle_into(name: &str, mut pts: Vec<(f64, f64, u32)>, classes: usize, rng: &mut Rng) -> Dataset {
    rng.shuffle(&mut pts);
    let data = pts.iter().flat_map(|p| [p.0 as f32, p.1 as f32]).collect();
    let labels = pts.iter().map(|p| p.2).collect();
    assemble(name, data, labels, classes)
}

fn assemble(name: &str, data: Vec<f32>, labels: Vec<u32>, classes: usize) -> Dataset {
    Dataset {
        name: name.to_string(),
        sample_shape: vec![2],
        features: Features::F32 { data },
        targets: Targets::Classes {
            labels,
            num_classes: classes,
        },
        class_names: (0..classes).map(|c| c.to_string()).collect(),
        normalization: Normalization::None,
    }
}
