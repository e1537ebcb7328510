//! The 2-D test functions of the loss-surface panel, each with its analytic
//! gradient (checked against finite differences in `tests`).
//!
//! | name | f(x, y) | minimum |
//! |---|---|---|
//! | `quadratic` | `(x² + κ·y²)/2`, Hessian `diag(1, κ)`: condition number κ | 0 at (0, 0) |
//! | `rosenbrock` | `(1 − x)² + 100·(y − x²)²` | 0 at (1, 1) |
//! | `beale` | `(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²` | 0 at (3, 0.5) |
//! | `saddle` | `x² − y²` (no minimum: a saddle point at (0, 0)) | none |
//! | `linear_fit` | `(1/n)·Σᵢ (w·xᵢ + b − yᵢ)²`, x = w, y = b: the MSE of the 1-unit model `y = w·x + b` on Anscombe's quartet I | ≈ 1.251 at (0.5001, 3.0001) |
//!
//! Values and gradients are computed in f64; the optimizers see them as f32.

/// A 2-D test function (see the module table).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surface {
    /// `(x² + κ·y²)/2`, κ ≥ 1.
    Quadratic {
        kappa: f64,
    },
    Rosenbrock,
    Beale,
    Saddle,
    LinearFit,
}

/// Anscombe's quartet, set I (F. J. Anscombe, "Graphs in Statistical Analysis",
/// The American Statistician 27(1), 1973): (x, y) pairs.
pub const ANSCOMBE_I: [(f64, f64); 11] = [
    (10.0, 8.04),
    (8.0, 6.95),
    (13.0, 7.58),
    (9.0, 8.81),
    (11.0, 8.33),
    (14.0, 9.96),
    (6.0, 7.24),
    (4.0, 4.26),
    (12.0, 10.84),
    (7.0, 4.82),
    (5.0, 5.68),
];

/// The names accepted in the function JSON, in the panel's order.
pub const SURFACE_NAMES: [&str; 5] = ["quadratic", "rosenbrock", "beale", "saddle", "linear_fit"];

/// Smallest and largest condition number of the quadratic bowl.
pub const KAPPA_RANGE: (f64, f64) = (1.0, 1000.0);

impl Surface {
    pub fn name(&self) -> &'static str {
        match self {
            Surface::Quadratic { .. } => "quadratic",
            Surface::Rosenbrock => "rosenbrock",
            Surface::Beale => "beale",
            Surface::Saddle => "saddle",
            Surface::LinearFit => "linear_fit",
        }
    }

    /// f(x, y).
    pub fn value(&self, x: f64, y: f64) -> f64 {
        match *self {
            Surface::Quadratic { kappa } => (x * x + kappa * y * y) / 2.0,
            Surface::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            Surface::Beale => {
                let [t1, t2, t3] = beale_terms(x, y);
                t1 * t1 + t2 * t2 + t3 * t3
            }
            Surface::Saddle => x * x - y * y,
            Surface::LinearFit => {
                let n = ANSCOMBE_I.len() as f64;
                ANSCOMBE_I
                    .iter()
                    .map(|&(xi, yi)| (x * xi + y - yi).powi(2))
                    .sum::<f64>()
                    / n
            }
        }
    }

    /// ∇f(x, y) = [∂f/∂x, ∂f/∂y]:
    /// - quadratic: `[x, κ·y]`;
    /// - rosenbrock: `[−2(1 − x) − 400·x(y − x²), 200(y − x²)]`;
    /// - beale, with `t₁, t₂, t₃` its three terms:
    ///   `[2t₁(y − 1) + 2t₂(y² − 1) + 2t₃(y³ − 1), 2t₁·x + 4t₂·xy + 6t₃·xy²]`;
    /// - saddle: `[2x, −2y]`;
    /// - linear_fit, with residuals `rᵢ = w·xᵢ + b − yᵢ`: `[(2/n)·Σ rᵢ·xᵢ, (2/n)·Σ rᵢ]`.
    pub fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        match *self {
            Surface::Quadratic { kappa } => [x, kappa * y],
            Surface::Rosenbrock => {
                let d = y - x * x;
                [-2.0 * (1.0 - x) - 400.0 * x * d, 200.0 * d]
            }
            Surface::Beale => {
                let [t1, t2, t3] = beale_terms(x, y);
                [
                    2.0 * t1 * (y - 1.0) + 2.0 * t2 * (y * y - 1.0) + 2.0 * t3 * (y * y * y - 1.0),
                    2.0 * t1 * x + 4.0 * t2 * x * y + 6.0 * t3 * x * y * y,
                ]
            }
            Surface::Saddle => [2.0 * x, -2.0 * y],
            Surface::LinearFit => {
                let n = ANSCOMBE_I.len() as f64;
                let (mut gw, mut gb) = (0.0, 0.0);
                for &(xi, yi) in &ANSCOMBE_I {
                    let r = x * xi + y - yi;
                    gw += r * xi;
                    gb += r;
                }
                [2.0 * gw / n, 2.0 * gb / n]
            }
        }
    }

    /// Where the minimum is (`None` for the saddle, which has none).
    /// linear_fit: the least-squares solution `w = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)²`, `b = ȳ − w·x̄`.
    pub fn minimum(&self) -> Option<[f64; 2]> {
        match self {
            Surface::Quadratic { .. } => Some([0.0, 0.0]),
            Surface::Rosenbrock => Some([1.0, 1.0]),
            Surface::Beale => Some([3.0, 0.5]),
            Surface::Saddle => None,
            Surface::LinearFit => {
                let n = ANSCOMBE_I.len() as f64;
                let mx = ANSCOMBE_I.iter().map(|p| p.0).sum::<f64>() / n;
                let my = ANSCOMBE_I.iter().map(|p| p.1).sum::<f64>() / n;
                let sxy: f64 = ANSCOMBE_I.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
                let sxx: f64 = ANSCOMBE_I.iter().map(|p| (p.0 - mx).powi(2)).sum();
                let w = sxy / sxx;
                Some([w, my - w * mx])
            }
        }
    }

    /// The plane the panel shows first, `[x_min, x_max, y_min, y_max]`, and a start point inside it.
    pub fn view(&self) -> ([f64; 4], [f64; 2]) {
        match self {
            Surface::Quadratic { kappa } => {
                // Keep the bowl's shape readable: the y range shrinks like 1/√κ.
                let h = (10.0 / kappa.max(1.0).sqrt()).max(0.5);
                ([-10.0, 10.0, -h, h], [-9.0, 0.8 * h])
            }
            Surface::Rosenbrock => ([-2.0, 2.0, -1.0, 3.0], [-1.5, 2.5]),
            Surface::Beale => ([-4.5, 4.5, -4.5, 4.5], [1.0, 1.75]),
            Surface::Saddle => ([-2.0, 2.0, -2.0, 2.0], [-1.8, 0.05]),
            Surface::LinearFit => ([-0.5, 1.5, -2.0, 8.0], [1.3, -1.5]),
        }
    }

    /// A one-line description for the panel.
    pub fn title(&self) -> &'static str {
        match self {
            Surface::Quadratic { .. } => "Ill-conditioned bowl (x² + κ·y²)/2",
            Surface::Rosenbrock => "Rosenbrock (1 − x)² + 100·(y − x²)²",
            Surface::Beale => "Beale",
            Surface::Saddle => "Saddle x² − y²",
            Surface::LinearFit => "MSE of y = w·x + b on Anscombe's quartet I (x = w, y = b)",
        }
    }
}

/// Beale's three terms `[1.5 − x + xy, 2.25 − x + xy², 2.625 − x + xy³]`.
fn beale_terms(x: f64, y: f64) -> [f64; 3] {
    [1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y]
}
