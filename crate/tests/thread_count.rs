//! Training does not depend on the number of rayon threads: the same seed
//! gives bit-identical weights on 1 and 2 threads. The model is sized so
//! that every parallel elementwise path is taken (tanh forward/backward on
//! 160·256 = 40,960 values and Adam on the 200,960-value kernel, both above
//! `PAR_MIN_LEN` = 32,768), as well as the threaded GEMM.

use gradlab::config::ExperimentConfig;
use gradlab::kernels::bench_models::synthetic_mnist;
use gradlab::model::Trainer;
use gradlab::tensor::Tensor;

fn weights_after_training(threads: usize, optimizer: &str, batches: usize) -> Vec<Tensor> {
    let json = format!(
        r#"{{"dataset": "mnist", "layers": [{{"type": "Flatten"}},
            {{"type": "Dense", "units": 256, "activation": "tanh"}},
            {{"type": "Dense", "units": 10, "activation": "sigmoid"}}],
            "loss": "mean_squared_error", "optimizer": {optimizer},
            "batch_size": 160, "epochs": 1, "seed": 11}}"#
    );
    let config = ExperimentConfig::from_json(json.as_bytes()).expect("config");
    let train = synthetic_mnist(480, 9).expect("data");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| {
        let mut t = Trainer::new(config, train, None).expect("trainer");
        t.train_batches(batches).expect("training");
        assert_eq!(t.step(), batches as u64);
        t.model().weights()
    })
}

#[test]
fn one_and_two_threads_give_the_same_bits() {
    for opt in [
        r#"{"name": "adam"}"#,
        r#"{"name": "adam", "amsgrad": true}"#,
        r#"{"name": "sgd"}"#,
    ] {
        let one = weights_after_training(1, opt, 3);
        let two = weights_after_training(2, opt, 3);
        // The comparison means something only if training moved the weights.
        assert_ne!(one, weights_after_training(1, opt, 0), "{opt}");
        assert_eq!(one.len(), 4);
        for (a, b) in one.iter().zip(&two) {
            let (a, b) = (a.as_slice().expect("contiguous"), b.as_slice().expect("contiguous"));
            assert!(a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits()), "{opt}");
        }
    }
}
