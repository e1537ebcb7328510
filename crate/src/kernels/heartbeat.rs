//! A counter the kernels bump as they work, so that a watcher who cannot ask
//! the busy thread can still tell "computing" from "stuck".
//!
//! The page's watchdog (`www/js/watchdog.js`) pings the training worker, which
//! answers between calls into the core. One call can be long: a step of a big
//! model on a slow machine may take a minute or more. In the threaded build
//! the wasm memory is shared, so the page reads this counter directly
//! ([`counter`]'s address, through the facade): while it moves, an unanswered
//! ping means "busy", not "stuck". When a pool thread has died (a panic), the
//! others soon wait for its part and the counter stops.
//!
//! Bumped once per depth block of every GEMM ([`super::gemm`]), the kernel
//! behind every layer that does real work (Dense, and Conv2D through
//! im2col): at most a few tens of ms apart on any model the limits allow. One
//! relaxed add per block of ≥ 1 MFLOP costs nothing measurable, and it changes
//! no result. A model file, the other long call (hundreds of MB for a big
//! model), beats once per 4 KB of base64 written or read (`model::io`).

use std::sync::atomic::{AtomicU32, Ordering};

static BEATS: AtomicU32 = AtomicU32::new(0);

/// One more unit of work done (wraps around at `u32::MAX`).
#[inline]
pub fn beat() {
    BEATS.fetch_add(1, Ordering::Relaxed);
}

/// The counter itself: the facade hands its address to the page.
pub fn counter() -> &'static AtomicU32 {
    &BEATS
}
