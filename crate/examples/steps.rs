//! Fixed work for instruction counting (issue 8: "no worse than before the redesign"):
//! 2 warm-up batches then N batches of a benchmark model. Built the same at any commit
//! that has `kernels::bench_models` (the pre-redesign c4e3efa too):
//! `cargo build --release --features bench --example steps`, then with RAYON_NUM_THREADS=1
//! `valgrind --tool=callgrind target/release/examples/steps dmlp 12` minus the same with 2, / 10
//! = instructions per step.
use gradlab::kernels::bench_models::{bench_model, bench_trainer};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let m = bench_model(&args[1]).unwrap();
    let n: usize = args[2].parse().unwrap();
    let mut t = bench_trainer(&m, n + 2).unwrap();
    t.train_batches(2).unwrap();
    t.train_batches(n).unwrap();
    println!("{} {}", m.name, t.step());
}
