//! What every fuzz target checks, shared by the byte-level and the
//! structure-aware targets. A panic here is a finding: the core must answer
//! any input with `Ok` or a clear `Err`, and these properties must hold:
//!
//! - a config that `validate` accepts builds (`Trainer::new`) and takes a step
//!   (the step itself may report an error such as divergence, but not panic);
//! - a trained model saves, and what it saves loads back;
//! - a model file that loads saves again, and the saved file loads back with
//!   the same weights ("what loads must save and load back").

pub mod gen;

use gradlab::config::ExperimentConfig;
use gradlab::data::{self, dataset_from_idx, write_idx_images, write_idx_labels, Dataset};
use gradlab::model::{io, Trainer};

/// The train and test sets a fuzzed config runs on: the toy sets are
/// generated as the product does; the image sets get a small stand-in with
/// the same sample shape and classes (20 + 10 images), the tables are skipped.
pub fn datasets_for(name: &str, seed: u64) -> Option<(Dataset, Dataset)> {
    let entry = data::info(name).ok()?;
    if entry.files.is_empty() {
        return data::load(name, &[], seed).ok();
    }
    if !name.contains("mnist") {
        return None;
    }
    let fake = |n: usize| {
        let pixels: Vec<u8> = (0..n * 784).map(|i| ((i * 7 + i / 784) % 256) as u8).collect();
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        dataset_from_idx(name, &write_idx_images(n, 28, 28, &pixels), &write_idx_labels(&labels)).ok()
    };
    Some((fake(20)?, fake(10)?))
}

/// Parse, validate, build, take one step, evaluate, save and load back.
pub fn run_config(json: &[u8]) {
    let Ok(config) = ExperimentConfig::from_json(json) else {
        return;
    };
    let Some((train, test)) = datasets_for(&config.dataset, config.seed) else {
        return;
    };
    if config.validate(&train).is_err() {
        return;
    }
    let shown = config.to_json();
    let mut trainer = match Trainer::new(config, train, Some(test)) {
        Ok(t) => t,
        Err(e) => panic!("validate accepted a config that does not build: {e}\n{shown}"),
    };
    if trainer.train_batches(1).is_err() {
        return;
    }
    let _ = trainer.evaluate_test();
    let saved = io::save(&trainer);
    if let Err(e) = io::load(saved.as_bytes()) {
        panic!("a trained model's file does not load back: {e}\n{shown}");
    }
}

/// Load a model file; if it loads, it must save and load back unchanged.
pub fn model_file_roundtrip(bytes: &[u8]) {
    let Ok(loaded) = io::load(bytes) else { return };
    let saved = io::save_model(&loaded.config, &loaded.model);
    match io::load(saved.as_bytes()) {
        Ok(again) => assert!(
            again.model.weights() == loaded.model.weights(),
            "the weights changed on a save/load round trip"
        ),
        Err(e) => panic!("a model file that loads does not load back after saving: {e}"),
    }
}
