//! Cost of the gradient-norm probe (`Run::set_probe`, the "see inside" panel
//! open) on training: `cargo run --example probe_cost -- MODEL on|off BATCHES`
//! trains `BATCHES` batches of a benchmark model (`mlp-small`, `seed-mlp`,
//! `dmlp`; `kernels::bench_models`) on 1 thread after one warm-up batch and
//! prints samples/s. Wall-clock figures on a loaded machine mean nothing: run
//! it under `valgrind --tool=callgrind` with two batch counts, probe on and
//! off, and compare instructions per batch (the difference of the totals over
//! the difference of the batch counts removes the set-up).

use std::time::Instant;

use gradlab::kernels::bench_models::{bench_trainer, BENCH_MODELS};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = args.first().map_or("mlp-small", String::as_str);
    let on = args.get(1).is_some_and(|s| s == "on");
    let batches: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let Some(m) = BENCH_MODELS.iter().find(|m| m.name == name) else {
        eprintln!("unknown model '{name}': choose mlp-small, seed-mlp or dmlp");
        std::process::exit(2);
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    pool.install(|| {
        let mut t = bench_trainer(m, batches + 1).expect("trainer");
        t.set_probe(on);
        t.train_batches(1).expect("warm-up");
        let start = Instant::now();
        t.train_batches(batches).expect("batches");
        let secs = start.elapsed().as_secs_f64();
        let grad = t.take_probe().map(|r| r.params[0].grad_norm);
        println!(
            "{name}, probe {}: {batches} batches of {} in {secs:.3} s, {:.0} samples/s (wall clock){}",
            if on { "on" } else { "off" },
            m.batch_size,
            (batches * m.batch_size) as f64 / secs,
            grad.map_or(String::new(), |g| format!("; first kernel's mean grad norm {g:.4e}"))
        );
    });
}
