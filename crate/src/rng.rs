//! Seeded random numbers. Every random draw in the core goes through [`Rng`],
//! so a run is reproducible from its seed on every platform (ChaCha12 via
//! `rand::rngs::StdRng`, portable and independent of the OS).
//!
//! Independent streams (weights, batch order, dropout, data generators) are
//! derived with [`Rng::stream`], so that e.g. changing the dropout rate does not
//! change the batch order — race mode depends on that.

use rand::rngs::StdRng;
use rand::{Rng as _, RngCore, SeedableRng};

#[derive(Clone, Debug)]
pub struct Rng {
    inner: StdRng,
}

/// Named streams derived from one experiment seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Weights = 1,
    Shuffle = 2,
    Dropout = 3,
    Data = 4,
    Split = 5,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng {
            inner: StdRng::seed_from_u64(seed),
        }
    }

    /// A generator for one named purpose, derived from the experiment seed.
    pub fn stream(seed: u64, stream: Stream) -> Self {
        // SplitMix64 finaliser: nearby seeds and streams give unrelated states.
        let mut z = seed ^ (stream as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng::new(z ^ (z >> 31))
    }

    /// A child generator (e.g. one per Dropout layer), advancing this one.
    pub fn fork(&mut self) -> Self {
        Rng::new(self.inner.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f32 {
        self.inner.random::<f32>()
    }

    /// Uniform in [lo, hi).
    pub fn uniform_range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.uniform()
    }

    /// Uniform integer in [0, n). `n` must be > 0.
    pub fn below(&mut self, n: usize) -> usize {
        self.inner.random_range(0..n)
    }

    /// Standard normal N(0, 1) by the Box–Muller transform (computed in f64).
    pub fn normal(&mut self) -> f32 {
        let u1: f64 = 1.0 - self.inner.random::<f64>(); // (0, 1]
        let u2: f64 = self.inner.random::<f64>();
        ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
    }

    /// Normal N(0, 1) truncated to [-2, 2] by rejection, as Keras'
    /// `TruncatedNormal` (values more than two standard deviations away are redrawn).
    pub fn truncated_normal(&mut self) -> f32 {
        loop {
            let v = self.normal();
            if v.abs() <= 2.0 {
                return v;
            }
        }
    }

    /// Fisher–Yates shuffle in place.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// 0..n in random order.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        self.shuffle(&mut v);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers_and_streams_differ() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        let mut w = Rng::stream(7, Stream::Weights);
        let mut s = Rng::stream(7, Stream::Shuffle);
        assert_ne!(w.next_u64(), s.next_u64());
    }

    #[test]
    fn normal_has_unit_moments_and_truncation_holds() {
        let mut r = Rng::new(1);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal() as f64).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "var {var}");
        assert!((0..10_000).all(|_| r.truncated_normal().abs() <= 2.0));
    }

    #[test]
    fn permutation_is_a_permutation() {
        let mut p = Rng::new(3).permutation(1000);
        assert_ne!(p, (0..1000).collect::<Vec<_>>());
        p.sort();
        assert_eq!(p, (0..1000).collect::<Vec<_>>());
    }
}
