//! Datasets: parsed from bytes (IDX, CSV), generated (toy sets), split, and
//! gathered into normalised batches. No I/O: callers read files and pass bytes.
//!
//! - [`dataset`]: [`Dataset`], [`Features`], [`Targets`], [`Normalization`], [`LabelEncoding`].
//! - [`idx`]: MNIST's IDX format. [`csv`]: CSV tables.
//! - [`toy`]: seeded 2-D generators and logic-gate truth tables.
//! - [`split`]: Keras' tail `validation_split`, k-fold, stratified subsets.
//! - [`bundled`]: the catalogue of bundled datasets (names used in configs).
//!
//! Files are parsed raw; gzip bytes get a clear error ("decompress it first").
//! The browser decompresses with `DecompressionStream`; native code (CLI,
//! tests) uses [`gunzip`].

pub mod bundled;
pub mod catalogue;
pub mod csv;
mod csv_detect;
mod csv_encode;
pub mod csv_import;
pub mod csv_job;
pub mod csv_link;
pub mod csv_preview;
pub mod dataset;
pub mod facts;
pub mod idx;
pub mod split;
pub mod toy;
pub mod upload_name;
pub mod view;

pub use bundled::{catalogue, info, load, BundledInfo};
pub use csv::{dataset_from_csv, CsvOptions, CsvTask, LabelColumn};
pub use csv_import::{import_csv, CsvImport, CsvReport, ImportedCsv, OneHotColumn, Scaling, TextColumns};
pub use csv_job::CsvJob;
pub use csv_preview::{preview_csv, CsvPreview, PreviewLine};
pub use dataset::{Dataset, Features, LabelEncoding, Normalization, Targets, Task};
pub use facts::DatasetFacts;
pub use idx::{
    dataset_from_idx, is_gzip, parse_idx_images, parse_idx_images_nhwc, parse_idx_labels, write_idx_images,
    write_idx_images_nhwc, write_idx_labels,
};
pub use split::{kfold, random_split, stratified_indices, stratified_kfold, stratified_split};
pub use toy::{circles, gaussians, moons, sine, spirals, truth_table, Gate};
pub use upload_name::{
    csv_upload_name, missing_upload_message, parse_upload_name, upload_base, upload_name, upload_options, UPLOAD_PREFIX,
};
pub use view::DataView;

/// Decompress gzip bytes (all members); bytes that are not gzip are returned
/// unchanged, so callers may pass any file. Native only (CLI and tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn gunzip(bytes: &[u8]) -> crate::Result<Vec<u8>> {
    use std::io::Read;
    if !is_gzip(bytes) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| crate::Error::Data(format!("the gzip data is damaged: {e}")))?;
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod bundled_tests;
#[cfg(test)]
mod csv_import_tests;
#[cfg(test)]
mod csv_tests;
#[cfg(test)]
mod dataset_tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod files_tests;
#[cfg(test)]
mod idx_tests;
#[cfg(test)]
mod split_tests;
#[cfg(test)]
mod toy_tests;
