//! Adaptive threads: the worker switches the core's kernels between the
//! thread pool and its own thread (`www/js/worker-threads.js` measures which
//! is faster here). Results are bit-identical either way. And where the page
//! finds the kernels' heartbeat, to tell a busy worker from a stuck one.

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

/// Where the kernels' heartbeat counter (`kernels::heartbeat`, a `u32` bumped as they work)
/// lives in the wasm memory. In the threaded build that memory is shared, so the page reads
/// the counter while this worker is busy in a long call (`www/js/watchdog.js`).
#[wasm_bindgen(js_name = heartbeatAddress)]
pub fn heartbeat_address() -> usize {
    crate::kernels::heartbeat::counter().as_ptr() as usize
}
