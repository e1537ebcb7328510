//! Training throughput of the three benchmark models
//! ([`gradlab::kernels::bench_models`]) and the reference CNN ([`CNN`], also
//! in the browser benchmark) through `model::Trainer`.
//! `GRADLAB_BENCH_PROBE=1` trains with the gradient-norm probe on
//! (`Run::set_probe`, the "see inside" panel open) to measure its cost.

use super::{fmt_stats, stats};
use gradlab::kernels::bench_models::{bench_trainer, BenchModel, BENCH_MODELS, CNN};
use std::time::Instant;

/// Samples/s of `batches` training batches, after `warmup` batches that
/// bring buffers and the thread pool to their steady state.
fn samples_per_sec(m: &BenchModel, threads: usize, warmup: usize, batches: usize) -> f64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("rayon thread pool");
    pool.install(|| {
        let mut t = bench_trainer(m, warmup + batches).expect("benchmark trainer");
        t.set_probe(std::env::var("GRADLAB_BENCH_PROBE").is_ok_and(|v| v == "1"));
        t.train_batches(warmup).expect("warm-up batches");
        let start = Instant::now();
        t.train_batches(batches).expect("timed batches");
        (batches * m.batch_size) as f64 / start.elapsed().as_secs_f64()
    })
}

/// `only`: a model name to run alone (all of them when `None`).
pub fn run(runs: usize, quick: bool, json: bool, only: Option<&str>) {
    let threads = rayon::current_num_threads();
    if !json {
        println!(
            "{:<12} {:>6} {:>28} {:>28} {:>8}",
            "model",
            "batch",
            "1 thread samples/s",
            format!("{threads} threads samples/s"),
            "speed-up"
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
        let one = stats((0..runs).map(|_| samples_per_sec(m, 1, 3, batches)).collect());
        let all = stats((0..runs).map(|_| samples_per_sec(m, threads, 3, batches)).collect());
        if json {
            // One line per model for tests/bench/run.mjs.
            println!(
                "{{\"model\":\"{}\",\"batch\":{},\"threads\":{threads},\"one\":[{},{},{}],\"all\":[{},{},{}]}}",
                m.name, m.batch_size, one.0, one.1, one.2, all.0, all.1, all.2
            );
            continue;
        }
        println!(
            "{:<12} {:>6} {:>28} {:>28} {:>7.2}×",
            m.name,
            m.batch_size,
            fmt_stats(one),
            fmt_stats(all),
            all.0 / one.0
        );
    }
}
