//! Native x86_64 builds target baseline x86_64 (SSE2: 4 f32 lanes); the
//! GEMM's micro-kernel picks its AVX version at run time. [`wide`] does the
//! same for an element-wise loop (an optimizer's update, an activation, its
//! derivative and the bias sum): the loop, inlined into a function compiled
//! with AVX2, is vectorised 8 lanes wide (integer lanes too: the bit tricks
//! of `tanh_f32` and the finiteness checks) when the CPU has AVX2.
//!
//! FMA is not enabled (and Rust never fuses a multiply and an add by
//! itself), so LLVM emits the same IEEE operations (add, mul, div, sqrt,
//! compares, selects, integer bit operations) as the 4-lane code, each
//! correctly rounded: every element gets the same bits at either width.
//! In wasm (simd128, where the page's time goes: 4 lanes) and on other
//! targets `wide(f)` is `f()`.

/// `body()`, compiled for AVX2 when the CPU has it (x86_64; else as is).
/// `body` should be `#[inline(always)]` so that its loop is compiled inside
/// the AVX function.
#[inline(always)]
pub fn wide<R>(body: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (detected just above).
        return unsafe { avx2(body) };
    }
    body()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn avx2<R>(body: impl FnOnce() -> R) -> R {
    body()
}
