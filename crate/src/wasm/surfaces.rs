//! Loss surfaces for the page's momentum demo: conversions over [`crate::surfaces`]
//! (the function's value grid for contours, the core's optimizers' paths on it).
//! JSON forms and limits: `crate::surfaces::parse`.

use wasm_bindgen::prelude::*;

use super::{js_err, to_js};
use crate::surfaces::{self, parse, Surface};

/// `surfaceList()` → `[{name, title, bounds: [x_min, x_max, y_min, y_max], start: [x, y],
/// minimum: [x, y] | null, min_value: number | null}]`, every function with its defaults.
#[wasm_bindgen(js_name = surfaceList)]
pub fn surface_list() -> Result<JsValue, JsError> {
    to_js(&surfaces::catalogue())
}

/// `surfaceInfo(fnJson)` → the same record for one function with its options (e.g. κ).
#[wasm_bindgen(js_name = surfaceInfo)]
pub fn surface_info(fn_json: &str) -> Result<JsValue, JsError> {
    to_js(&Surface::from_json(fn_json).map_err(js_err)?.info())
}

/// `surfaceGrid(fnJson, bounds, nx, ny)` → Float32Array of `nx·ny` values,
/// row-major, row 0 at `y_min` (see `crate::surfaces::grid`).
#[wasm_bindgen(js_name = surfaceGrid)]
pub fn surface_grid(fn_json: &str, bounds: &[f64], nx: usize, ny: usize) -> Result<Vec<f32>, JsError> {
    let surface = Surface::from_json(fn_json).map_err(js_err)?;
    let bounds: [f64; 4] = bounds
        .try_into()
        .map_err(|_| JsError::new("the plane must be four finite numbers [x_min, x_max, y_min, y_max]"))?;
    surfaces::grid(&surface, bounds, nx, ny).map_err(js_err)
}

/// `surfacePaths(fnJson, optimizersJson, start, steps)` → one
/// `{path: [[x, y]…], losses: […], stopped: string | null}` per optimizer, in order.
#[wasm_bindgen(js_name = surfacePaths)]
pub fn surface_paths(fn_json: &str, optimizers_json: &str, start: &[f64], steps: usize) -> Result<JsValue, JsError> {
    let surface = Surface::from_json(fn_json).map_err(js_err)?;
    let opts = parse::optimizers_from_json(optimizers_json).map_err(js_err)?;
    let start = parse::check_start(start).map_err(js_err)?;
    let steps = parse::check_steps(steps).map_err(js_err)?;
    to_js(&surfaces::optimizer_paths(&surface, &opts, start, steps))
}
