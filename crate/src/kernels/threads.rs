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

/// `f` with rayon's pool kept awake: for a training chunk, which runs many
/// short parallel regions (two or more per layer and step) with serial work
/// between them. When the switch is off or the pool has one thread, just `f()`.
///
/// Two costs are taken out of every region:
/// - A caller outside the pool (the browser's training worker) would wait for
///   a pool thread to wake for each region, and then be woken itself when the
///   region ends (rayon's "cold" path). Here `f` runs on a pool thread, so a
///   region only offers work to the other threads.
/// - A pool thread that finds no work sleeps within microseconds, and waking
///   it takes ~0.1 ms in a browser (`Atomics.wait`/`notify`): more than half a
///   small region. Here each other pool thread runs a helper that takes
///   offered work (`rayon::yield_now`) until `f` returns, so it starts on a
///   region at once. The cost: those threads spin through the serial work
///   between regions. The worker's thread chooser compares this with one
///   thread, so a machine where spinning costs more than it brings trains on one.
///
/// The helpers are pushed before any work of `f`: other threads steal the
/// oldest job first, so a thread that waits for a stolen piece of `f` never
/// finds a helper of its own under it (which would spin until `f`, below it
/// on its stack, returned).
pub fn on_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let threads = threads();
    if threads < 2 {
        return f();
    }
    with_helpers(threads - 1, &AtomicBool::new(false), f)
}

/// `f` on this thread (a pool thread after the first `join`) with `helpers`
/// [`help_until`] jobs offered to the other threads first, one per nested
/// `join` (no allocation: a chunk of one step allocates only its report,
/// `crate/tests/train_step_no_alloc.rs`).
fn with_helpers<R: Send>(helpers: usize, done: &AtomicBool, f: impl FnOnce() -> R + Send) -> R {
    if helpers == 0 {
        let _done = SetOnDrop(done);
        return f();
    }
    rayon::join(|| with_helpers(helpers - 1, done, f), || help_until(done)).0
}

/// Run the pool's offered work until `done` (then return at once).
fn help_until(done: &AtomicBool) {
    while !done.load(Ordering::Acquire) {
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            std::hint::spin_loop();
        }
    }
}

/// Sets its flag when dropped: the helpers stop even when `f` panics (natively
/// the panic then reaches the caller, as rayon's `join` passes it on).
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}
