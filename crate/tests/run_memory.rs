//! The memory estimate of a run (`config::memory::run_bytes`, which the page
//! asks before it builds a run beside others in one wasm memory) covers what
//! building the run and its first training steps allocate. Found in the page:
//! 30 `Conv2D(12, 3, padding="same")` on MNIST at a batch of 128 were
//! estimated at ~600 MB and held 1,781 MiB of the 2 GiB: the estimate did
//! not count the convolutions' column buffers.

mod alloc_common;
mod model_common;

use gradlab::config::memory::run_bytes;
use gradlab::config::ExperimentConfig;
use gradlab::model::Run;

fn config(layers: &str, batch: usize) -> ExperimentConfig {
    let json = format!(
        r#"{{"dataset":"mnist","layers":[{layers}],"loss":"categorical_crossentropy","optimizer":"adam",
            "batch_size":{batch},"epochs":1,"seed":42}}"#
    );
    ExperimentConfig::from_json(json.as_bytes()).unwrap()
}

const CONV: &str = r#"{"type":"Conv2D","filters":12,"kernel_size":3,"padding":"same","activation":"relu"}"#;
const FLAT: &str = r#"{"type":"Flatten"}"#;
const DENSE_1000: &str = r#"{"type":"Dense","units":1000,"activation":"relu"}"#;
const SOFTMAX: &str = r#"{"type":"Dense","units":10,"activation":"softmax"}"#;

/// What runs share and the estimate leaves out: the GEMM's packing buffers
/// (one set per thread, reused by every run) and the sampler's batch.
const SHARED: u64 = 8 << 20;

#[test]
fn the_estimate_covers_what_a_run_allocates() {
    let (train, test) = model_common::load("mnist", 42);
    let convs = [CONV; 3].join(",");
    let cases = [
        ("a wide MLP", config(&format!("{FLAT},{DENSE_1000},{SOFTMAX}"), 32)),
        (
            "a CNN whose batch is one chunk",
            config(&format!("{convs},{FLAT},{SOFTMAX}"), 32),
        ),
        (
            "a CNN whose batch takes two chunks",
            config(&format!("{convs},{FLAT},{SOFTMAX}"), 128),
        ),
    ];
    for (what, cfg) in cases {
        let estimate = run_bytes(&cfg, &[28, 28, 1]);
        let (cfg_copy, train, test) = (cfg.clone(), train.clone(), test.clone());
        let (_, peak) = alloc_common::peak_live(move || {
            let mut run = Run::new(cfg_copy, train, Some(test)).unwrap();
            run.train_batches(2).unwrap();
            run
        });
        println!("{what}: estimate {estimate} B, at most {peak} B live");
        assert!(
            peak as u64 <= estimate + SHARED,
            "{what}: building and two steps held {peak} B at once, the estimate says {estimate} B"
        );
    }
}
