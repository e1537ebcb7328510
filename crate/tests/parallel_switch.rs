//! The core's thread switch (`kernels::threads::set_parallel`, the page's
//! adaptive threads) changes only where kernels run, never a result: the
//! same seed gives bit-identical weights with the switch on and off on a
//! 2-thread pool, for a model big enough to take every parallel path (the
//! threaded GEMM with its fused bias + tanh store, elementwise passes, the
//! one-pass Adam over the 200,960-value kernel). Its own test binary: the
//! switch is process-wide.

use gradlab::config::ExperimentConfig;
use gradlab::kernels::bench_models::synthetic_mnist;
use gradlab::kernels::threads::{parallel, set_parallel};
use gradlab::model::Trainer;

fn bits_after_training(on: bool) -> Vec<u32> {
    let json = r#"{"dataset": "mnist", "layers": [{"type": "Flatten"},
        {"type": "Dense", "units": 256, "activation": "tanh"},
        {"type": "Dense", "units": 10, "activation": "softmax"}],
        "loss": "categorical_crossentropy", "optimizer": {"name": "adam"},
        "batch_size": 160, "epochs": 1, "seed": 11}"#;
    let config = ExperimentConfig::from_json(json.as_bytes()).expect("config");
    let train = synthetic_mnist(480, 9).expect("data");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    pool.install(|| {
        set_parallel(on);
        assert_eq!(parallel(), on);
        assert_eq!(gradlab::kernels::threads::threads(), if on { 2 } else { 1 });
        let mut t = Trainer::new(config, train, None).expect("trainer");
        t.train_batches(3).expect("training");
        set_parallel(true);
        t.model()
            .weights()
            .iter()
            .flat_map(|w| w.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
            .collect()
    })
}

#[test]
fn the_switch_changes_no_bit() {
    let on = bits_after_training(true);
    let off = bits_after_training(false);
    assert!(!on.is_empty());
    assert_eq!(on, off);
}
