//! Every shipped config in `crate/configs/` parses, validates against its dataset's
//! catalogue facts, and trains two batches (full-size datasets swapped for their small
//! subsets of the same shape, so no large download is needed). The course programs'
//! settings that the configs must carry are pinned too.

mod model_common;

use gradlab::config::{ExperimentConfig, ValidationData};
use gradlab::data::{bundled, LabelEncoding};
use gradlab::model::Run;

fn all() -> Vec<(String, ExperimentConfig)> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("configs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), model_common::config(&n)))
        .collect()
}

#[test]
fn every_config_validates_and_trains_two_batches() {
    let configs = all();
    assert!(configs.len() >= 16, "{}", configs.len());
    for (name, mut cfg) in configs {
        cfg.validate_facts(&bundled::info(&cfg.dataset).unwrap().facts())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        cfg.dataset = cfg.dataset.trim_end_matches("-full").to_string();
        let (train, test) = model_common::load(&cfg.dataset, cfg.seed);
        let mut run = Run::new(cfg, train, Some(test)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = run.train_batches(2).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(r.batches.iter().all(|b| b.loss.is_finite()), "{name}");
    }
}

#[test]
fn the_course_programs_settings() {
    let c = model_common::config("perceptron-or.json");
    assert_eq!(c.label_encoding, Some(LabelEncoding::PlusMinusOne));
    for (name, dataset) in [
        ("mlp-tanh-mse-adam.json", "mnist-full"),
        ("mlp-tanh-mse-adam-fashion.json", "fashion-mnist-full"),
        ("dmlp-tanh-mse-adam.json", "mnist-full"),
        ("dmlp-tanh-mse-adam-fashion.json", "fashion-mnist-full"),
    ] {
        let c = model_common::config(name);
        assert_eq!(c.dataset, dataset, "{name}");
        assert_eq!((c.batch_size, c.epochs), (128, 30), "{name}");
        assert_eq!(c.validation_data, Some(ValidationData::Test), "{name}");
        let json = c.to_json();
        assert!(json.contains("\"kernel_initializer\": \"random_uniform\""), "{name}");
        assert!(json.contains("\"mean_squared_error\""), "{name}");
    }
}
