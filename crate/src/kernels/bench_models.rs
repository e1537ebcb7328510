//! The three benchmark models and the data they train on, shared by the
//! native benchmark (`gradlab-bench`) and the wasm benchmark export, so both
//! measure exactly the same work.
//!
//! - `mlp-small`: Flatten → Dense 128 relu → Dense 10 softmax, categorical
//!   cross-entropy, Adam, batch 128;
//! - `seed-mlp`: Flatten → Dense 1024 tanh → Dense 10 tanh, mean squared
//!   error, Adam, batch 128;
//! - `dmlp`: Flatten → Dense 1024 → 512 → 512 → 512 relu → Dense 10 softmax,
//!   categorical cross-entropy, Adam, batch 256.
//!
//! The data is MNIST-shaped (28×28×1 u8 pixels scaled by 1/255, 10 classes)
//! and drawn from the seed: throughput does not depend on the pixel values.

use crate::config::ExperimentConfig;
use crate::data::{Dataset, Features, Normalization, Targets};
use crate::model::Trainer;
use crate::rng::{Rng, Stream};
use crate::Result;

/// One benchmark model: its name and its experiment config (JSON).
#[derive(Clone, Copy, Debug)]
pub struct BenchModel {
    pub name: &'static str,
    pub batch_size: usize,
    pub config_json: &'static str,
}

/// `mlp-small`, `seed-mlp`, `dmlp` (see the module doc).
pub const BENCH_MODELS: [BenchModel; 3] = [
    BenchModel {
        name: "mlp-small",
        batch_size: 128,
        config_json: r#"{"dataset": "mnist", "layers": [{"type": "Flatten"},
            {"type": "Dense", "units": 128, "activation": "relu"},
            {"type": "Dense", "units": 10, "activation": "softmax"}],
            "loss": "categorical_crossentropy", "optimizer": {"name": "adam"},
            "batch_size": 128, "epochs": 1000000, "seed": 1}"#,
    },
    BenchModel {
        name: "seed-mlp",
        batch_size: 128,
        config_json: r#"{"dataset": "mnist", "layers": [{"type": "Flatten"},
            {"type": "Dense", "units": 1024, "activation": "tanh"},
            {"type": "Dense", "units": 10, "activation": "tanh"}],
            "loss": "mean_squared_error", "optimizer": {"name": "adam"},
            "batch_size": 128, "epochs": 1000000, "seed": 1}"#,
    },
    BenchModel {
        name: "dmlp",
        batch_size: 256,
        config_json: r#"{"dataset": "mnist", "layers": [{"type": "Flatten"},
            {"type": "Dense", "units": 1024, "activation": "relu"},
            {"type": "Dense", "units": 512, "activation": "relu"},
            {"type": "Dense", "units": 512, "activation": "relu"},
            {"type": "Dense", "units": 512, "activation": "relu"},
            {"type": "Dense", "units": 10, "activation": "softmax"}],
            "loss": "categorical_crossentropy", "optimizer": {"name": "adam"},
            "batch_size": 256, "epochs": 1000000, "seed": 1}"#,
    },
];

/// The reference CNN of issue 12 (crate/configs/cnn.json): Conv2D(32, 3, relu)
/// → MaxPooling2D 2 → Conv2D(64, 3, relu) → MaxPooling2D 2 → Flatten →
/// Dense(128, relu) → Dense(10, softmax), categorical cross-entropy, Adam, batch 128.
/// Kept apart from [`BENCH_MODELS`] (whose users loop over the MLPs); [`bench_model`] finds it.
pub const CNN: BenchModel = BenchModel {
    name: "cnn",
    batch_size: 128,
    config_json: r#"{"dataset": "mnist", "layers": [
        {"type": "Conv2D", "filters": 32, "kernel_size": 3, "activation": "relu"},
        {"type": "MaxPooling2D", "pool_size": 2},
        {"type": "Conv2D", "filters": 64, "kernel_size": 3, "activation": "relu"},
        {"type": "MaxPooling2D", "pool_size": 2},
        {"type": "Flatten"},
        {"type": "Dense", "units": 128, "activation": "relu"},
        {"type": "Dense", "units": 10, "activation": "softmax"}],
        "loss": "categorical_crossentropy", "optimizer": {"name": "adam"},
        "batch_size": 128, "epochs": 1000000, "seed": 1}"#,
};

/// The model called `name` (one of [`BENCH_MODELS`] or [`CNN`]); the error lists the valid names.
pub fn bench_model(name: &str) -> Result<BenchModel> {
    let all = || BENCH_MODELS.iter().chain([&CNN]);
    all().copied().find(|m| m.name == name).ok_or_else(|| {
        let names: Vec<&str> = all().map(|m| m.name).collect();
        crate::Error::Config(format!(
            "unknown benchmark model '{name}'; choose one of: {}",
            names.join(", ")
        ))
    })
}

/// `n` MNIST-shaped samples with uniform random pixels and labels.
pub fn synthetic_mnist(n: usize, seed: u64) -> Result<Dataset> {
    let mut rng = Rng::stream(seed, Stream::Data);
    let data: Vec<u8> = (0..n * 784).map(|_| rng.below(256) as u8).collect();
    let labels: Vec<u32> = (0..n).map(|_| rng.below(10) as u32).collect();
    Dataset::new(
        "mnist",
        vec![28, 28, 1],
        Features::U8 { data },
        Targets::Classes {
            labels,
            num_classes: 10,
        },
        (0..10).map(|d| d.to_string()).collect(),
        Normalization::Scale(1.0 / 255.0),
    )
}

/// A trainer for `model` on `batches` batches of synthetic data (one epoch),
/// ready for `train_batches`.
pub fn bench_trainer(model: &BenchModel, batches: usize) -> Result<Trainer> {
    let config = ExperimentConfig::from_json(model.config_json.as_bytes())?;
    let train = synthetic_mnist(batches.max(1) * model.batch_size, 7)?;
    Trainer::new(config, train, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_trains_a_few_batches() {
        for m in BENCH_MODELS {
            let mut t = bench_trainer(&m, 2).expect(m.name);
            t.train_batches(3).expect(m.name);
            assert_eq!(t.step(), 3, "{}", m.name);
        }
        assert!(bench_model("nope").is_err());
        assert_eq!(bench_model("dmlp").map(|m| m.batch_size), Ok(256));
        let mut t = bench_trainer(&bench_model("cnn").expect("the CNN"), 1).expect("cnn");
        t.train_batches(1).expect("cnn");
        assert_eq!(t.step(), 1);
    }
}
