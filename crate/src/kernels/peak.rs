//! Peak multiply-add microbenchmark: the ceiling the GEMM is measured against.
//!
//! Runs `CHAINS` independent vector chains `acc ← acc · x + y` (one vector
//! multiply then one vector add, exactly the operations of the GEMM
//! micro-kernel; in the relaxed-SIMD wasm build, one `f32x4.relaxed_madd`
//! like its micro-kernel) entirely in registers, so the time is bound by
//! arithmetic throughput only. The vectors are those the GEMM uses: f32x4 on wasm and
//! x86_64 SSE, 8 lanes when the x86_64 CPU has AVX ([`lanes`]). Each lane of
//! each step is 2 flops:
//!
//! ```text
//! flops = iters · CHAINS · lanes · 2
//! ```
//!
//! With `x = 0.5` and `y = 1`, every chain converges to the fixed point
//! `y / (1 - x) = 2` (no overflow, no denormals), so the checksum is known.
//! The caller times the call; this module has no clock.

/// Independent chains: enough to hide the mul→add latency on 2-pipe cores,
/// few enough to stay in 16 vector registers.
pub const CHAINS: usize = 12;

/// f32 lanes per vector in this build on this CPU.
pub fn lanes() -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        return 8;
    }
    4
}

/// Flops done by `peak_madd(iters)`.
pub fn peak_flops(iters: u64) -> f64 {
    iters as f64 * (CHAINS * lanes() * 2) as f64
}

/// Run the chains for `iters` steps; returns the sum of all lanes
/// (→ `CHAINS · lanes · 2` once converged).
pub fn peak_madd(iters: u64) -> f32 {
    let x = std::hint::black_box(0.5f32);
    let y = std::hint::black_box(1.0f32);
    imp::run(iters, x, y)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use super::CHAINS;
    use core::arch::wasm32::*;

    pub fn run(iters: u64, x: f32, y: f32) -> f32 {
        let (xv, yv) = (f32x4_splat(x), f32x4_splat(y));
        let mut acc = [f32x4_splat(0.0); CHAINS];
        for _ in 0..iters {
            for a in acc.iter_mut() {
                #[cfg(target_feature = "relaxed-simd")]
                {
                    *a = f32x4_relaxed_madd(*a, xv, yv);
                }
                #[cfg(not(target_feature = "relaxed-simd"))]
                {
                    *a = f32x4_add(f32x4_mul(*a, xv), yv);
                }
            }
        }
        let mut s = f32x4_splat(0.0);
        for a in acc {
            s = f32x4_add(s, a);
        }
        f32x4_extract_lane::<0>(s)
            + f32x4_extract_lane::<1>(s)
            + f32x4_extract_lane::<2>(s)
            + f32x4_extract_lane::<3>(s)
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    //! SSE (x86_64 baseline): `mulps` + `addps` on 4 lanes; AVX when present:
    //! `vmulps` + `vaddps` on 8 lanes (as the GEMM's AVX micro-kernel).
    use super::CHAINS;
    use core::arch::x86_64::*;

    pub fn run(iters: u64, x: f32, y: f32) -> f32 {
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: AVX was just detected.
            return unsafe { run_avx(iters, x, y) };
        }
        // SAFETY: SSE is part of the x86_64 baseline.
        unsafe {
            let (xv, yv) = (_mm_set1_ps(x), _mm_set1_ps(y));
            let mut acc = [_mm_setzero_ps(); CHAINS];
            for _ in 0..iters {
                for a in acc.iter_mut() {
                    *a = _mm_add_ps(_mm_mul_ps(*a, xv), yv);
                }
            }
            let mut lanes = [0f32; 4];
            let mut s = _mm_setzero_ps();
            for a in acc {
                s = _mm_add_ps(s, a);
            }
            _mm_storeu_ps(lanes.as_mut_ptr(), s);
            lanes.iter().sum()
        }
    }

    #[target_feature(enable = "avx")]
    unsafe fn run_avx(iters: u64, x: f32, y: f32) -> f32 {
        let (xv, yv) = (_mm256_set1_ps(x), _mm256_set1_ps(y));
        let mut acc = [_mm256_setzero_ps(); CHAINS];
        for _ in 0..iters {
            for a in acc.iter_mut() {
                *a = _mm256_add_ps(_mm256_mul_ps(*a, xv), yv);
            }
        }
        let mut lanes = [0f32; 8];
        let mut s = _mm256_setzero_ps();
        for a in acc {
            s = _mm256_add_ps(s, a);
        }
        _mm256_storeu_ps(lanes.as_mut_ptr(), s);
        lanes.iter().sum()
    }
}

#[cfg(not(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))))]
mod imp {
    use super::CHAINS;

    pub fn run(iters: u64, x: f32, y: f32) -> f32 {
        let mut acc = [[0f32; 4]; CHAINS];
        for _ in 0..iters {
            for a in acc.iter_mut() {
                for l in a.iter_mut() {
                    *l = *l * x + y;
                }
            }
        }
        acc.iter().flatten().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_converge_to_the_fixed_point() {
        // Each lane: a_{t+1} = a_t / 2 + 1 from 0 → 2 - 2^{1-t}; after 60 steps
        // it is 2 in f32, and 12 chains · lanes · 2 (= 96 for 4 lanes).
        let l = lanes() as f32;
        assert!(l == 4.0 || l == 8.0);
        assert_eq!(peak_madd(60), 12.0 * l * 2.0);
        // One step: every lane is 1.
        assert_eq!(peak_madd(1), 12.0 * l);
        assert_eq!(peak_flops(10), 10.0 * 12.0 * l as f64 * 2.0);
    }
}
