//! Shared by the integration tests: the repository's configs and bundled
//! datasets, read from disk (tests may do I/O; the core never does).

#![allow(dead_code)]

use std::path::PathBuf;

use gradlab::config::ExperimentConfig;
use gradlab::data::{self, bundled, Dataset};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn config(name: &str) -> ExperimentConfig {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("configs").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ExperimentConfig::from_json(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `(train, test)` of a bundled dataset, files read and gunzipped.
pub fn load(name: &str, seed: u64) -> (Dataset, Dataset) {
    let info = bundled::info(name).unwrap();
    let files: Vec<Vec<u8>> = info
        .files
        .iter()
        .map(|f| {
            let path = repo().join("datasets").join(f);
            let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            data::gunzip(&raw).unwrap()
        })
        .collect();
    let slices: Vec<&[u8]> = files.iter().map(|f| f.as_slice()).collect();
    bundled::load(name, &slices, seed).unwrap()
}
