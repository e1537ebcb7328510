//! A counting global allocator for the allocation tests. Including this
//! module (`mod alloc_common;`) installs it for that test binary only.
//!
//! - [`allocations`]: alloc + realloc calls so far, on every thread.
//! - [`on_this_thread`]: runs a closure and returns the calls and bytes
//!   requested by THIS thread only while it ran (a thread-local flag), so
//!   rayon workers, the test harness and other tests never make it flaky.
//! - [`peak_live`]: runs a closure and returns the most bytes live at once
//!   on every thread while it ran, beyond those live before (for a binary
//!   with one test: other tests would count too).

#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrink(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

thread_local! {
    // `const` initialisers: no lazy init, so reading them never allocates.
    static TRACKING: Cell<bool> = const { Cell::new(false) };
    static CALLS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

fn count(bytes: usize) {
    ALLOCS.fetch_add(1, Ordering::Relaxed);
    // `try_with`: during thread teardown the locals may be gone.
    let _ = TRACKING.try_with(|t| {
        if t.get() {
            let _ = CALLS.try_with(|c| c.set(c.get() + 1));
            let _ = BYTES.try_with(|b| b.set(b.get() + bytes));
        }
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        grow(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size.saturating_sub(layout.size()));
        grow(new_size);
        shrink(layout.size());
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

pub fn allocations() -> usize {
    ALLOCS.load(Ordering::SeqCst)
}

/// What this thread allocated while `f` ran.
pub struct Counted {
    /// alloc + realloc calls.
    pub calls: usize,
    /// Bytes requested (a realloc counts its growth).
    pub bytes: usize,
}

/// Run `f`, counting the allocations of the calling thread only.
pub fn on_this_thread<R>(f: impl FnOnce() -> R) -> (R, Counted) {
    let (c0, b0) = (CALLS.with(Cell::get), BYTES.with(Cell::get));
    TRACKING.with(|t| t.set(true));
    let r = f();
    TRACKING.with(|t| t.set(false));
    let counted = Counted {
        calls: CALLS.with(Cell::get) - c0,
        bytes: BYTES.with(Cell::get) - b0,
    };
    (r, counted)
}

/// Run `f`; the most bytes live at once while it ran (every thread), beyond
/// those live when it started.
pub fn peak_live<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let r = f();
    (r, PEAK.load(Ordering::SeqCst) - before)
}
