//! The JSON forms of the surfaces panel, read with messages in the product's words.
//!
//! - function: `{"name": "quadratic", "kappa": 10}` (`kappa` only for the
//!   quadratic, 1 ≤ κ ≤ 1000, default 10), `{"name": "rosenbrock"}`, or a bare
//!   name such as `"beale"`;
//! - optimizers: a list of 1 to [`MAX_OPTIMIZERS`] optimizers in the
//!   experiment's optimizer form, e.g. `[{"name": "sgd", "learning_rate": 0.01, "momentum": 0.9}]`.

use serde_json::Value;

use super::functions::{Surface, KAPPA_RANGE, SURFACE_NAMES};
use super::Bounds;
use crate::error::config_err;
use crate::optimizers::OptimizerConfig;
use crate::Result;

/// Most optimizers compared at once.
pub const MAX_OPTIMIZERS: usize = 8;
/// Most steps per path.
pub const MAX_STEPS: usize = 10_000;
/// Most points per side of a value grid.
pub const MAX_GRID_SIDE: usize = 1024;
/// The quadratic's condition number when `kappa` is not given.
pub const DEFAULT_KAPPA: f64 = 10.0;

const BOOL_FIELDS: [&str; 3] = ["nesterov", "amsgrad", "centered"];

impl Surface {
    /// A function by name with its default options.
    pub fn from_name(name: &str) -> Result<Surface> {
        Ok(match name {
            "quadratic" => Surface::Quadratic { kappa: DEFAULT_KAPPA },
            "rosenbrock" => Surface::Rosenbrock,
            "beale" => Surface::Beale,
            "saddle" => Surface::Saddle,
            "linear_fit" => Surface::LinearFit,
            _ => {
                return config_err(format!(
                    "unknown function \"{name}\"; use one of: {}",
                    SURFACE_NAMES.join(", ")
                ))
            }
        })
    }

    /// Read the function JSON (see the module documentation).
    pub fn from_json(text: &str) -> Result<Surface> {
        let v: Value = match serde_json::from_slice(text.as_bytes()) {
            Ok(v) => v,
            Err(_) => return config_err("the function is not valid JSON; send e.g. {\"name\": \"rosenbrock\"}"),
        };
        let obj = match &v {
            Value::String(name) => return Surface::from_name(name),
            Value::Object(o) => o,
            _ => return config_err("the function must be a name or an object such as {\"name\": \"rosenbrock\"}"),
        };
        let Some(name) = obj.get("name").and_then(Value::as_str) else {
            return config_err(format!(
                "the function needs a \"name\": one of {}",
                SURFACE_NAMES.join(", ")
            ));
        };
        let mut s = Surface::from_name(name)?;
        for (key, value) in obj {
            match (key.as_str(), &mut s) {
                ("name", _) => {}
                ("kappa", Surface::Quadratic { kappa }) => {
                    let (lo, hi) = KAPPA_RANGE;
                    match value.as_f64() {
                        Some(k) if (lo..=hi).contains(&k) => *kappa = k,
                        _ => {
                            return config_err(format!(
                                "kappa (the condition number) must be a number from {lo} to {hi}, not {value}"
                            ))
                        }
                    }
                }
                _ => {
                    let takes = if name == "quadratic" {
                        "only \"kappa\""
                    } else {
                        "no options"
                    };
                    return config_err(format!(
                        "the function \"{name}\" has no option \"{key}\"; it takes {takes}"
                    ));
                }
            }
        }
        Ok(s)
    }
}

/// Read the optimizers JSON: a list of 1 to [`MAX_OPTIMIZERS`] optimizers.
pub fn optimizers_from_json(text: &str) -> Result<Vec<OptimizerConfig>> {
    let Ok(Value::Array(list)) = serde_json::from_slice::<Value>(text.as_bytes()) else {
        return config_err("the optimizers must be a JSON list such as [{\"name\": \"sgd\", \"learning_rate\": 0.01}]");
    };
    if list.is_empty() || list.len() > MAX_OPTIMIZERS {
        return config_err(format!(
            "compare 1 to {MAX_OPTIMIZERS} optimizers at once, not {}",
            list.len()
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.into_iter().enumerate() {
        if let Value::Object(o) = &item {
            for (key, value) in o {
                let ok = match key.as_str() {
                    "name" => value.is_string(),
                    k if BOOL_FIELDS.contains(&k) => value.is_boolean() || value.is_null(),
                    _ => value.is_number() || value.is_null(),
                };
                if !ok {
                    let want = match key.as_str() {
                        "name" => "a name such as \"sgd\"",
                        k if BOOL_FIELDS.contains(&k) => "true or false",
                        _ => "a number",
                    };
                    return config_err(format!("optimizers[{i}].{key} must be {want}, not {value}"));
                }
            }
        }
        match serde_json::from_value::<OptimizerConfig>(item) {
            Ok(o) => out.push(o),
            Err(e) => return config_err(format!("optimizers[{i}]: {e}")),
        }
    }
    Ok(out)
}

/// A start point: two finite numbers.
pub fn check_start(start: &[f64]) -> Result<[f32; 2]> {
    match start {
        [x, y] if x.is_finite() && y.is_finite() => Ok([*x as f32, *y as f32]),
        _ => config_err("the start point must be two finite numbers [x, y]"),
    }
}

/// A number of steps from 0 to [`MAX_STEPS`].
pub fn check_steps(steps: usize) -> Result<usize> {
    if steps > MAX_STEPS {
        return config_err(format!("use at most {MAX_STEPS} steps per path, not {steps}"));
    }
    Ok(steps)
}

/// Finite bounds `[x_min, x_max, y_min, y_max]` with x_min < x_max and y_min < y_max.
pub fn check_bounds(b: Bounds) -> Result<()> {
    let [x0, x1, y0, y1] = b;
    if !b.iter().all(|v| v.is_finite()) || x0 >= x1 || y0 >= y1 {
        return config_err(
            "the plane must be four finite numbers [x_min, x_max, y_min, y_max] with x_min < x_max and y_min < y_max",
        );
    }
    Ok(())
}
