//! The core's one switch between rayon's pool and the calling thread
//! (issue 14.1: on a busy machine two threads can be slower than one). The
//! kernels ask [`threads`] instead of `rayon::current_num_threads`; with the
//! switch off they take their one-thread paths. Every kernel gives the same
//! bits on any number of threads, so the switch never changes a result
//! (`crate/tests/thread_count.rs`), only the speed.

use std::sync::atomic::{AtomicBool, Ordering};

static SEQUENTIAL: AtomicBool = AtomicBool::new(false);

/// Let the kernels use rayon's pool (`true`, the default) or only the calling thread.
pub fn set_parallel(on: bool) {
    SEQUENTIAL.store(!on, Ordering::Relaxed);
}

/// Whether the kernels may use rayon's pool.
pub fn parallel() -> bool {
    !SEQUENTIAL.load(Ordering::Relaxed)
}

/// The threads a kernel may split its work over: rayon's pool size, or 1
/// when the switch is off.
pub fn threads() -> usize {
    if parallel() {
        rayon::current_num_threads()
    } else {
        1
    }
}

/// `a` and `b`, side by side on rayon's pool when `worth` it (e.g. two
/// products whose flops together reach the parallel threshold,
/// `par_threshold::parallel_pays`) and the switch is on; otherwise one after the
/// other on the calling thread (a join would wake a thread for nothing).
/// Each gives the same bits either way.
pub fn join_if<A: Send, B: Send>(worth: bool, a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    if worth && parallel() {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}
