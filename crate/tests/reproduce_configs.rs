//! The course programs that `scripts/reproduce` trains (crate/configs/reproduce/, one definition per
//! program; tests/unit/lessons-configs.test.mjs checks the page's lessons open exactly these) are
//! valid experiments: each passes `inspect` (validation against the catalogue's facts) with no
//! problem, and trains on its dataset's small subset — the 5-fold program as `gradlab kfold` runs
//! it, every optimizer of its race on a fold.

mod model_common;

use std::sync::Arc;

use gradlab::config::patch::parse_race;
use gradlab::inspect::inspect;
use gradlab::model::Run;

/// The 5-fold program's race (www/js/lessons.js `optimizers-kfold`, the CLI's `--vary`).
const FOUR_OPTIMIZERS: &str = "optimizer:sgd|optimizer:adam|optimizer:adagrad|optimizer:rmsprop";

#[test]
fn every_reproduction_config_is_valid() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/reproduce");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("configs/reproduce") {
        let path = entry.expect("dir entry").path();
        let text = std::fs::read_to_string(&path).expect("config text");
        let result = inspect(&text);
        assert!(result.ok, "{}: {:?}", path.display(), result.problems);
        names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
    }
    names.sort();
    assert_eq!(
        names,
        [
            "deep-tanh",
            "fashion-adagrad",
            "fashion-adam",
            "fashion-rmsprop",
            "fashion-sgd",
            "mlp-fashion",
            "mlp-mnist",
            "optimizers-kfold",
            "perceptron-or",
            "relu-ce",
            "relu-mse"
        ],
        "the programs scripts/reproduce-plan.mjs lists"
    );
}

#[test]
fn the_kfold_program_trains_every_optimizer_on_a_fold() {
    let mut base = model_common::config("reproduce/optimizers-kfold.json");
    base.dataset = base.dataset.trim_end_matches("-full").to_string();
    let (train, test) = model_common::load(&base.dataset, base.seed);
    let (train, test) = (Arc::new(train), Arc::new(test));
    for p in parse_race(FOUR_OPTIMIZERS).unwrap() {
        let config = p.apply(&base).unwrap();
        assert_eq!(config.optimizer.name(), p.text.trim_start_matches("optimizer:"));
        let mut run = Run::for_fold(config, Arc::clone(&train), Some(Arc::clone(&test)), 5, 4).unwrap();
        let r = run.train_batches(2).unwrap();
        assert!(r.batches.iter().all(|b| b.loss.is_finite()), "{}", p.text);
        let ev = run.evaluate_validation().unwrap().unwrap();
        assert_eq!(ev.samples, train.len() / 5, "{}: the fifth fold", p.text);
    }
}
