//! Saving a model needs memory for its file once, not several times over
//! (`model::file_writer`): the page saves every run while it trains, and a
//! 40-million-parameter Adam model used to run the page's wasm memory out
//! while saving (each tensor's text, then the document, then the document's
//! buffer doubling: ~3× the file).

mod alloc_common;
mod model_common;

use gradlab::config::ExperimentConfig;
use gradlab::model::{io, save_model, Run};

#[test]
fn a_save_allocates_about_one_file() {
    // 784·1000 + 1000 + 1000·10 + 10 = 795,010 parameters; Adam keeps m and v:
    // a file of ~12.7 MB.
    let json = r#"{"dataset":"mnist","layers":[{"type":"Flatten"},
        {"type":"Dense","units":1000,"activation":"relu"},{"type":"Dense","units":10,"activation":"softmax"}],
        "loss":"categorical_crossentropy","optimizer":"adam","batch_size":32,"epochs":1,"seed":42}"#;
    let cfg = ExperimentConfig::from_json(json.as_bytes()).unwrap();
    let (train, test) = model_common::load("mnist", 42);
    let mut run = Run::new(cfg.clone(), train, Some(test)).unwrap();
    run.train_batches(2).unwrap();

    let (file, counted) = alloc_common::on_this_thread(|| io::save(&run));
    assert!(file.len() > 12_000_000, "{} bytes", file.len());
    assert_eq!(file.capacity(), file.len(), "the file's buffer is sized exactly");
    let extra = counted.bytes - file.len();
    assert!(
        extra < 256 * 1024,
        "a save of a {} B file allocated {} B ({extra} B besides the file)",
        file.len(),
        counted.bytes
    );
    // The same text as before the change: what it writes loads back.
    let loaded = io::load(file.as_bytes()).unwrap();
    assert_eq!(loaded.model.weights(), run.model().weights());

    let (plain, counted) = alloc_common::on_this_thread(|| save_model(&cfg, run.model()));
    assert!(
        counted.bytes - plain.len() < 256 * 1024,
        "{} B for a {} B file",
        counted.bytes,
        plain.len()
    );
}
