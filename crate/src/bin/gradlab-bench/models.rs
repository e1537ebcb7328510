//! Training throughput of the three benchmark models
//! ([`gradlab::kernels::bench_models`]) and the reference CNN ([`CNN`], also
//! in the browser benchmark) through `model::Trainer`.
//! `GRADLAB_BENCH_PROBE=1` trains with the gradient-norm probe on
//! (`Run::set_probe`, the "see inside" panel open) to measure its cost.

use super::{fmt_stats, stats};
use gradlab::kernels::bench_models::{bench_trainer, BenchModel, BENCH_MODELS, CNN};
use gradlab::kernels::gemm::take_gemm_nanos;
use std::time::Instant;

/// Samples/s of `batches` training batches, after `warmup` batches that
/// bring buffers and the thread pool to their steady state, and the share of
/// that time spent outside the GEMM (its fused bias + activation store counts as GEMM).
fn samples_per_sec(m: &BenchModel, threads: usize, warmup: usize, batches: usize) -> (f64, f64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("rayon thread pool");
    pool.install(|| {
        let mut t = bench_trainer(m, warmup + batches).expect("benchmark trainer");
        t.set_probe(std::env::var("GRADLAB_BENCH_PROBE").is_ok_and(|v| v == "1"));
        t.train_batches(warmup).expect("warm-up batches");
        take_gemm_nanos();
        let start = Instant::now();
        t.train_batches(batches).expect("timed batches");
        let secs = start.elapsed().as_secs_f64();
        let gemm = take_gemm_nanos() as f64 * 1e-9;
        ((batches * m.batch_size) as f64 / secs, (1.0 - gemm / secs).max(0.0))
    })
}

/// `only`: a model name to run alone (all of them when `None`).
pub fn run(runs: usize, quick: bool, json: bool, only: Option<&str>) {
    let threads = rayon::current_num_threads();
    if !json {
        println!(
            "{:<12} {:>6} {:>28} {:>28} {:>8} {:>22}",
            "model",
            "batch",
            "1 thread samples/s",
            format!("{threads} threads samples/s"),
            "speed-up",
            "non-GEMM (1 thread)"
        );
    }
    for m in BENCH_MODELS
        .iter()
        .chain([&CNN])
        .filter(|m| only.is_none_or(|o| o == m.name))
    {
        // About 0.5 s per run at native speed (quick: a quarter of that).
        let batches = match (m.name, quick) {
            ("mlp-small", false) => 100,
            ("mlp-small", true) => 25,
            ("cnn", false) => 8,
            ("cnn", true) => 3,
            (_, false) => 20,
            (_, true) => 6,
        };
        let (ones, shares): (Vec<f64>, Vec<f64>) = (0..runs).map(|_| samples_per_sec(m, 1, 3, batches)).unzip();
        let (one, non_gemm) = (stats(ones), stats(shares));
        let all = stats((0..runs).map(|_| samples_per_sec(m, threads, 3, batches).0).collect());
        if json {
            // One line per model for tests/bench/run.mjs.
            println!(
                "{{\"model\":\"{}\",\"batch\":{},\"threads\":{threads},\"one\":[{},{},{}],\"all\":[{},{},{}],\"non_gemm\":{}}}",
                m.name, m.batch_size, one.0, one.1, one.2, all.0, all.1, all.2, non_gemm.0
            );
            continue;
        }
        println!(
            "{:<12} {:>6} {:>28} {:>28} {:>7.2}× {:>21.1}%",
            m.name,
            m.batch_size,
            fmt_stats(one),
            fmt_stats(all),
            all.0 / one.0,
            100.0 * non_gemm.0
        );
    }
}

/// Exactly `n` training steps of `name` on one thread after 2 warm-up steps
/// (for `valgrind --tool=callgrind`: instruction counts, not time).
pub fn steps(name: &str, n: usize) {
    let m = BENCH_MODELS
        .iter()
        .chain([&CNN])
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("unknown model {name}"));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("rayon thread pool");
    pool.install(|| {
        let mut t = bench_trainer(m, n + 2).expect("benchmark trainer");
        t.train_batches(2).expect("warm-up batches");
        t.train_batches(n).expect("steps");
        println!("{}: {n} steps, weights hash {}", m.name, t.weights_hash());
    });
}
