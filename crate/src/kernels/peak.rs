//! Peak multiply-add microbenchmark: the ceiling the GEMM is measured against.
//!
//! Runs `CHAINS` independent 4-lane chains `acc ← acc · x + y` (one vector
//! multiply then one vector add, exactly the operations of the GEMM
//! micro-kernel) entirely in registers, so the time is bound by arithmetic
//! throughput only. Each lane of each step is 2 flops:
//!
//! ```text
//! flops = iters · CHAINS · 4 lanes · 2
//! ```
//!
//! With `x = 0.5` and `y = 1`, every chain converges to the fixed point
//! `y / (1 - x) = 2` (no overflow, no denormals), so the checksum is known.
//! The caller times the call; this module has no clock.

/// Independent chains: enough to hide the mul→add latency on 2-pipe cores,
/// few enough to stay in 16 vector registers.
pub const CHAINS: usize = 12;

/// Flops done by `peak_madd(iters)`.
pub fn peak_flops(iters: u64) -> f64 {
    iters as f64 * (CHAINS * 4 * 2) as f64
}

/// Run the chains for `iters` steps; returns the sum of all lanes
/// (→ `CHAINS · 4 · 2 = 96` once converged).
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
                *a = f32x4_add(f32x4_mul(*a, xv), yv);
            }
        }
        let mut s = f32x4_splat(0.0);
        for a in acc {
            s = f32x4_add(s, a);
        }
        f32x4_extract_lane::<0>(s) + f32x4_extract_lane::<1>(s) + f32x4_extract_lane::<2>(s)
            + f32x4_extract_lane::<3>(s)
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    //! SSE (x86_64 baseline): `mulps` + `addps` on 4 lanes.
    use super::CHAINS;
    use core::arch::x86_64::*;

    pub fn run(iters: u64, x: f32, y: f32) -> f32 {
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
        // it is 2 in f32, and 12 chains · 4 lanes · 2 = 96.
        assert_eq!(peak_madd(60), 96.0);
        // One step: every lane is 1.
        assert_eq!(peak_madd(1), 48.0);
        assert_eq!(peak_flops(10), 960.0);
    }
}
