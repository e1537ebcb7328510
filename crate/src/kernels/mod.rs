//! Hot numeric kernels. Everything that dominates training time lives here,
//! behind plain slice-based signatures, so it can be tuned (wasm simd128,
//! threads) without touching the layers.

pub mod bench_models;
pub mod conv;
pub mod elementwise;
pub mod gemm;
pub mod gemm_kernel;
pub mod gemm_pack;
pub mod im2col;
pub mod peak;

#[cfg(test)]
mod elementwise_tests;
#[cfg(test)]
mod gemm_tests;
