//! Native benchmark: `cargo run --release --bin gradlab-bench [-- --quick] [--gemm-only | --models-only [--json]] [--model NAME]`.
//!
//! `--steps N --model NAME`: exactly N training steps of one model on one
//! thread after 2 warm-up steps, no timing, for instruction counts:
//! `valgrind --tool=callgrind gradlab-bench --steps N --model NAME`; the
//! difference between two values of N divided by their difference is the
//! instruction count of one step (set-up cancels out).
//!
//! Prints (1) the peak multiply-add throughput of this build (the ceiling),
//! (2) sgemm GFLOP/s for square sizes and for the training shapes of the three
//! benchmark models, on 1 thread and on all of rayon's threads, and (3) training
//! samples/s for those models. Every figure is the median of the runs with the
//! min–max beside it.

use gradlab::kernels::gemm::sgemm;
use gradlab::kernels::peak::{peak_flops, peak_madd};
use std::time::Instant;

#[path = "gradlab-bench/models.rs"]
mod models;

/// Median, min and max of a sample.
pub fn stats(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    let med = if n % 2 == 1 {
        xs[n / 2]
    } else {
        0.5 * (xs[n / 2 - 1] + xs[n / 2])
    };
    (med, xs[0], xs[n - 1])
}

pub fn fmt_stats((med, lo, hi): (f64, f64, f64)) -> String {
    format!("{med:>9.1} ({lo:.1}–{hi:.1})")
}

/// Seconds taken by `f`, repeated until at least `min_secs` passed; per call.
fn time_per_call(min_secs: f64, mut f: impl FnMut()) -> f64 {
    f();
    let t = Instant::now();
    let mut calls = 0u64;
    while calls == 0 || t.elapsed().as_secs_f64() < min_secs {
        f();
        calls += 1;
    }
    t.elapsed().as_secs_f64() / calls as f64
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("rayon thread pool")
}

/// GFLOP/s of the peak microbenchmark on `threads` threads (each runs the chains).
fn peak_gflops(threads: usize, runs: usize, min_secs: f64) -> (f64, f64, f64) {
    let iters = 2_000_000u64;
    let p = pool(threads);
    let xs = (0..runs)
        .map(|_| {
            let s = p.install(|| {
                time_per_call(min_secs, || {
                    rayon::broadcast(|_| {
                        std::hint::black_box(peak_madd(iters));
                    });
                })
            });
            threads as f64 * peak_flops(iters) / s / 1e9
        })
        .collect();
    stats(xs)
}

struct Shape {
    name: &'static str,
    ta: bool,
    tb: bool,
    m: usize,
    n: usize,
    k: usize,
}

fn gemm_gflops(s: &Shape, threads: usize, runs: usize, min_secs: f64) -> (f64, f64, f64) {
    let (ar, ac) = if s.ta { (s.k, s.m) } else { (s.m, s.k) };
    let (br, bc) = if s.tb { (s.n, s.k) } else { (s.k, s.n) };
    let a: Vec<f32> = (0..ar * ac).map(|i| ((i * 7 % 13) as f32 - 6.0) / 8.0).collect();
    let b: Vec<f32> = (0..br * bc).map(|i| ((i * 5 % 11) as f32 - 5.0) / 8.0).collect();
    let mut c = vec![0f32; s.m * s.n];
    let flops = 2.0 * (s.m * s.n * s.k) as f64;
    let p = pool(threads);
    let xs = (0..runs)
        .map(|_| {
            let t = p.install(|| {
                time_per_call(min_secs, || {
                    sgemm(s.ta, s.tb, s.m, s.n, s.k, 1.0, &a, ac, &b, bc, 0.0, &mut c, s.n);
                })
            });
            flops / t / 1e9
        })
        .collect();
    stats(xs)
}

fn shapes() -> Vec<Shape> {
    let sh = |name, ta, tb, m, n, k| Shape { name, ta, tb, m, n, k };
    vec![
        sh("square 256", false, false, 256, 256, 256),
        sh("square 512", false, false, 512, 512, 512),
        sh("square 1024", false, false, 1024, 1024, 1024),
        sh("mlp-small fwd x·W 128x784·784x128", false, false, 128, 128, 784),
        sh("mlp-small dW xT·dZ", true, false, 784, 128, 128),
        sh("seed-mlp fwd 128x784·784x1024", false, false, 128, 1024, 784),
        sh("seed-mlp dW xT·dZ", true, false, 784, 1024, 128),
        sh("dmlp fwd 256x784·784x1024", false, false, 256, 1024, 784),
        sh("dmlp fwd 256x1024·1024x512", false, false, 256, 512, 1024),
        sh("dmlp dX dZ·WT 256x512·512x1024", false, true, 256, 1024, 512),
        sh("dmlp dW xT·dZ 1024x256·256x512", true, false, 1024, 512, 256),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let gemm_only = args.iter().any(|a| a == "--gemm-only");
    let models_only = args.iter().any(|a| a == "--models-only");
    let json = args.iter().any(|a| a == "--json");
    let only = args
        .iter()
        .position(|a| a == "--model")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let (runs, min_secs) = if quick { (3, 0.05) } else { (5, 0.25) };
    let threads = rayon::current_num_threads();
    if let Some(n) = args.iter().position(|a| a == "--steps").and_then(|i| args.get(i + 1)) {
        let n: usize = n.parse().expect("--steps takes a number of training steps");
        models::steps(only.unwrap_or("mlp-small"), n);
        return;
    }
    if models_only && json {
        models::run(runs, quick, true, only);
        return;
    }
    println!(
        "gradlab-bench: {threads} rayon threads (machine: {} logical CPUs)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let isa = if gradlab::kernels::peak::lanes() == 8 {
        "AVX, detected at run time"
    } else {
        "SSE2 baseline"
    };
    println!(
        "vectors: {} f32 lanes ({isa}); mul + add, no FMA",
        gradlab::kernels::peak::lanes()
    );
    println!("figures: median (min–max) of {runs} runs\n");

    if models_only {
        models::run(runs, quick, json, only);
        return;
    }
    let peak1 = peak_gflops(1, runs, min_secs);
    let peak_n = peak_gflops(threads, runs, min_secs);
    println!(
        "{:<40} {:>26} {:>26}",
        "peak mul+add (vectors, registers)",
        "1 thread GFLOP/s",
        format!("{threads} threads GFLOP/s")
    );
    println!("{:<40} {:>26} {:>26}\n", "", fmt_stats(peak1), fmt_stats(peak_n));

    println!(
        "{:<40} {:>26} {:>7} {:>26} {:>7}",
        "sgemm (m x n x k)",
        "1 thread GFLOP/s",
        "% peak",
        format!("{threads} threads GFLOP/s"),
        "% peak"
    );
    for s in shapes() {
        let g1 = gemm_gflops(&s, 1, runs, min_secs);
        let gn = gemm_gflops(&s, threads, runs, min_secs);
        println!(
            "{:<40} {:>26} {:>6.0}% {:>26} {:>6.0}%",
            format!("{} [{}x{}x{}]", s.name, s.m, s.n, s.k),
            fmt_stats(g1),
            100.0 * g1.0 / peak1.0,
            fmt_stats(gn),
            100.0 * gn.0 / peak_n.0
        );
    }
    if !gemm_only {
        println!();
        models::run(runs, quick, false, only);
    }
}
