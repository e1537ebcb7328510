//! Hot numeric kernels. Everything that dominates training time lives here,
//! behind plain slice-based signatures, so it can be tuned (wasm simd128,
//! threads) without touching the layers.

// Benchmark code, only with the `bench` feature (gradlab-bench, scripts/bench, the crate's tests):
// it is not part of the production wasm.
#[cfg(feature = "bench")]
pub mod bench_models;
#[cfg(feature = "bench")]
pub mod peak;

// `sgemm` and the window geometry of `im2col` are public for the benchmark
// binary and the integration tests; the rest is the core's own (the unsafe
// micro-kernels are never public).
pub(crate) mod conv;
pub(crate) mod elementwise;
pub mod gemm;
pub(crate) mod gemm_kernel;
pub(crate) mod gemm_pack;
pub mod heartbeat;
pub mod im2col;
pub mod par_threshold;
pub mod threads;
pub(crate) mod update;
pub(crate) mod wide;

#[cfg(test)]
mod elementwise_tests;
#[cfg(test)]
mod gemm_tests;
#[cfg(test)]
mod update_tests;
#[cfg(test)]
mod wide_tests;
