//! Adaptive threads: the worker switches the core's kernels between the
//! thread pool and its own thread (`www/js/worker-threads.js` measures which
//! is faster here). Results are bit-identical either way.

use wasm_bindgen::prelude::*;

/// Run the kernels on the thread pool (`true`, the default) or on the calling thread only.
#[wasm_bindgen(js_name = setParallel)]
pub fn set_parallel(on: bool) {
    crate::kernels::threads::set_parallel(on);
}

/// Whether the kernels use the thread pool.
#[wasm_bindgen(js_name = isParallel)]
pub fn is_parallel() -> bool {
    crate::kernels::threads::parallel()
}
