//! Benchmark exports for `tests/bench/` (no maths here: the work is in
//! `kernels`). JS times every call with `performance.now()`; Rust has no clock.
//! Only in builds with the `bench` feature (`scripts/bench`), not in the production wasm.
//!
//! - `benchPeak(iters)`: the register-only mul+add microbenchmark
//!   ([`crate::kernels::peak`]); `benchPeakFlops(iters)` is its flop count;
//!   `benchPeakAll(iters)` runs it on every thread of the pool at once.
//! - `BenchGemm`: one sgemm shape with its matrices allocated once; `run(reps)`.
//! - `BenchTrainer`: one of the benchmark models (three MLPs and the CNN)
//!   ([`crate::kernels::bench_models`]) on synthetic MNIST; `train(batches)`.

use wasm_bindgen::prelude::*;

use super::js_err;
use crate::kernels::bench_models::{bench_model, bench_trainer};
use crate::kernels::gemm::sgemm;
use crate::kernels::peak::{peak_flops, peak_madd};
use crate::model::Trainer;

/// Run the peak chains for `iters` steps (returns the checksum, 96 once converged).
#[wasm_bindgen(js_name = benchPeak)]
pub fn bench_peak(iters: u32) -> f32 {
    peak_madd(iters as u64)
}

/// `benchPeak(iters)` on every rayon thread at once (the multi-thread ceiling:
/// `threads · benchPeakFlops(iters)` flops); returns the sum of the checksums.
#[wasm_bindgen(js_name = benchPeakAll)]
pub fn bench_peak_all(iters: u32) -> f32 {
    rayon::broadcast(|_| peak_madd(iters as u64)).iter().sum()
}

/// Flops done by `benchPeak(iters)`.
#[wasm_bindgen(js_name = benchPeakFlops)]
pub fn bench_peak_flops(iters: u32) -> f64 {
    peak_flops(iters as u64)
}

#[wasm_bindgen]
pub struct BenchGemm {
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    a: Vec<f32>,
    b: Vec<f32>,
    c: Vec<f32>,
}

#[wasm_bindgen]
impl BenchGemm {
    /// `C[m x n] = op(A) · op(B)` with A, B filled with small values.
    #[wasm_bindgen(constructor)]
    pub fn new(m: usize, n: usize, k: usize, trans_a: bool, trans_b: bool) -> BenchGemm {
        let a = (0..m * k).map(|i| ((i * 7 % 13) as f32 - 6.0) / 8.0).collect();
        let b = (0..k * n).map(|i| ((i * 5 % 11) as f32 - 5.0) / 8.0).collect();
        BenchGemm {
            trans_a,
            trans_b,
            m,
            n,
            k,
            a,
            b,
            c: vec![0.0; m * n],
        }
    }

    /// Products from now on go parallel from `flops` (`2mnk`) up (0: the
    /// core's `PAR_MIN_FLOPS`); for the sweep of `tests/bench/threshold.mjs`.
    #[wasm_bindgen(js_name = setParMinFlops)]
    pub fn set_par_min_flops(flops: usize) {
        crate::kernels::par_threshold::set_par_min_flops(flops);
    }

    /// Flops of one product (`2mnk`).
    pub fn flops(&self) -> f64 {
        2.0 * (self.m * self.n * self.k) as f64
    }

    /// `reps` products; returns one element of C (keeps the work observable).
    pub fn run(&mut self, reps: u32) -> f32 {
        let lda = if self.trans_a { self.m } else { self.k };
        let ldb = if self.trans_b { self.k } else { self.n };
        for _ in 0..reps {
            sgemm(
                self.trans_a,
                self.trans_b,
                self.m,
                self.n,
                self.k,
                1.0,
                &self.a,
                lda,
                &self.b,
                ldb,
                0.0,
                &mut self.c,
                self.n,
            );
        }
        self.c[0]
    }
}

#[wasm_bindgen]
pub struct BenchTrainer {
    trainer: Trainer,
    batch_size: usize,
}

#[wasm_bindgen]
impl BenchTrainer {
    /// `name`: "mlp-small", "seed-mlp", "dmlp" or "cnn"; `batches`: batches of
    /// synthetic data in one epoch.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, batches: usize) -> Result<BenchTrainer, JsError> {
        let model = bench_model(name).map_err(js_err)?;
        let trainer = bench_trainer(&model, batches).map_err(js_err)?;
        Ok(BenchTrainer {
            trainer,
            batch_size: model.batch_size,
        })
    }

    #[wasm_bindgen(getter, js_name = batchSize)]
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Train `batches` batches; returns the number of optimizer steps so far.
    pub fn train(&mut self, batches: usize) -> Result<f64, JsError> {
        self.trainer.train_batches(batches).map_err(js_err)?;
        Ok(self.trainer.step() as f64)
    }
}
