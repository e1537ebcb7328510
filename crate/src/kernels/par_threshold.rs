//! When a product is worth waking rayon's pool for, and into how many
//! tasks it is cut (issue 14.1: in the browser a parallel region pays a
//! wake-up of ~100 µs, so small products and small pairs of products stay
//! on the calling thread). [`super::gemm`] asks [`tasks`]; layers that run
//! two products side by side ([`super::threads::join_if`]) ask
//! [`parallel_pays`]. The policy never changes a result, only the speed.

/// Below this many flops (`2mnk`) one thread does the whole product. Set
/// from a measurement in the browser (issue 14.1, `node
/// tests/bench/threshold.mjs`, 2 threads): a parallel product pays a wake-up
/// of ~100 µs there. Session 9, plain simd128 build: from 2.1 to 6.4 MFLOP
/// two threads ran at 0.58–1.09× the speed of one, from 8.3 MFLOP on at
/// 1.04–1.67×, so 7 MiB. Session 15, the relaxed-SIMD build the page runs in
/// Chromium (one thread ~1.3× faster, so the wake-up weighs more), three
/// sweeps on an AVX2 host: 8.3 MFLOP (the default CNN's second convolution,
/// forward and dW) at 0.83–0.97×, 12.4–12.6 MFLOP at 1.03–1.12×, from
/// 25.7 MFLOP on at 1.08–1.22× (medians of 7–11 rounds). Was `7 << 20`.
pub const PAR_MIN_FLOPS: usize = 12 << 20;

/// A parallel product is split into two tasks per thread when each still
/// has this many flops, so a thread that gets its core late (other tabs,
/// other programs) hands work over to the others instead of holding up the
/// whole product.
const SPLIT_MIN_FLOPS: usize = 1 << 21;

/// The threshold in force: [`PAR_MIN_FLOPS`], or in benchmark builds the one
/// [`set_par_min_flops`] gave (a sweep measures where threads pay).
fn par_min_flops() -> usize {
    #[cfg(feature = "bench")]
    {
        match BENCH_PAR_MIN_FLOPS.load(std::sync::atomic::Ordering::Relaxed) {
            0 => PAR_MIN_FLOPS,
            v => v,
        }
    }
    #[cfg(not(feature = "bench"))]
    PAR_MIN_FLOPS
}

/// Whether `flops` of products (one, or several run side by side with
/// [`super::threads::join_if`]) are worth waking the pool for: the same
/// threshold as one product's ([`PAR_MIN_FLOPS`]).
pub fn parallel_pays(flops: usize) -> bool {
    flops >= par_min_flops() && super::threads::threads() > 1
}

#[cfg(feature = "bench")]
static BENCH_PAR_MIN_FLOPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Benchmark builds only: use `flops` instead of [`PAR_MIN_FLOPS`] (0: the constant again).
#[cfg(feature = "bench")]
pub fn set_par_min_flops(flops: usize) {
    BENCH_PAR_MIN_FLOPS.store(flops, std::sync::atomic::Ordering::Relaxed);
}

/// The number of tasks a product of `flops` is cut into: 1 below the
/// threshold (or with one thread), one per thread above it, and two per
/// thread when each still has [`SPLIT_MIN_FLOPS`].
pub(crate) fn tasks(flops: usize) -> usize {
    let threads = if flops >= par_min_flops() {
        super::threads::threads()
    } else {
        1
    };
    if threads > 1 && flops >= 4 * threads * SPLIT_MIN_FLOPS {
        2 * threads
    } else {
        threads
    }
}
