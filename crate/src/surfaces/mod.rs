//! Loss surfaces: 2-D test functions with analytic gradients ([`functions`]),
//! their value grid for contour plots ([`grid`]) and the paths of the core's
//! optimizers on them ([`paths`]). The JSON forms the page sends are read in
//! [`parse`]. Used by the momentum demo: the same update code that trains
//! networks, on a 2-element parameter.

pub mod functions;
pub mod parse;
pub mod paths;

#[cfg(test)]
mod tests;

pub use functions::{Surface, SURFACE_NAMES};
pub use parse::{optimizers_from_json, MAX_GRID_SIDE, MAX_OPTIMIZERS, MAX_STEPS};
pub use paths::{optimizer_path, optimizer_paths, Path};

use crate::error::config_err;
use crate::Result;
use serde::Serialize;

/// The plane `[x_min, x_max, y_min, y_max]`.
pub type Bounds = [f64; 4];

/// `f` on an `nx × ny` grid over `bounds`, row-major with row 0 at `y_min`:
/// `values[j·nx + i] = f(x_min + i·(x_max − x_min)/(nx − 1), y_min + j·(y_max − y_min)/(ny − 1))`.
/// Needs 2 ≤ nx, ny ≤ [`MAX_GRID_SIDE`] and finite bounds with min < max.
pub fn grid(surface: &Surface, bounds: Bounds, nx: usize, ny: usize) -> Result<Vec<f32>> {
    parse::check_bounds(bounds)?;
    for (name, n) in [("nx", nx), ("ny", ny)] {
        if !(2..=MAX_GRID_SIDE).contains(&n) {
            return config_err(format!(
                "the grid needs {name} between 2 and {MAX_GRID_SIDE} points, not {n}"
            ));
        }
    }
    let [x0, x1, y0, y1] = bounds;
    let at = |a: f64, b: f64, k: usize, n: usize| a + (b - a) * k as f64 / (n - 1) as f64;
    let mut values = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        let y = at(y0, y1, j, ny);
        for i in 0..nx {
            values.push(surface.value(at(x0, x1, i, nx), y) as f32);
        }
    }
    Ok(values)
}

/// What the panel needs to show a function: its name and title, the plane
/// and start point it opens with, and its minimum (`None` for the saddle).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurfaceInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub bounds: Bounds,
    pub start: [f64; 2],
    pub minimum: Option<[f64; 2]>,
    pub min_value: Option<f64>,
}

impl Surface {
    pub fn info(&self) -> SurfaceInfo {
        let (bounds, start) = self.view();
        let minimum = self.minimum();
        SurfaceInfo {
            name: self.name(),
            title: self.title(),
            bounds,
            start,
            minimum,
            min_value: minimum.map(|[x, y]| self.value(x, y)),
        }
    }
}

/// Every function with its default options, in the panel's order.
pub fn catalogue() -> Vec<SurfaceInfo> {
    SURFACE_NAMES
        .iter()
        .filter_map(|n| Surface::from_name(n).ok())
        .map(|s| s.info())
        .collect()
}
