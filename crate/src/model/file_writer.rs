//! Writing a model file (format: [`super::io`]) without copies of the
//! weights: each tensor is base64-encoded straight from its values into one
//! buffer, sized exactly by a first pass that only counts.
//!
//! A model file is about 16/3 bytes per saved value (the weights and every
//! optimizer slot), so a model near the limits makes a file of hundreds of
//! MB. Encoding each tensor into its own `String`, then the whole document
//! into a growing one, held the file up to three times over (the strings,
//! the document, and the document's buffer doubling), beside the model: a
//! 40-million-parameter Adam model ran the page's 2 GB of wasm memory out
//! while saving its recovery snapshot. Now a save needs the file's size once
//! ([`crate::limits::MAX_MODEL_FILE_BYTES`] bounds it).

use std::borrow::Cow;
use std::fmt;
use std::io;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::history::History;
use crate::kernels::heartbeat;

/// f32 values per base64 chunk: 3,072 bytes (a multiple of 3, so padding can
/// only come at the very end) → [`CHUNK_TEXT`] characters. Written and read
/// (`io::decode_f32`) a chunk at a time.
const CHUNK_VALUES: usize = 768;

/// Base64 characters per chunk of [`CHUNK_VALUES`] values: 4,096.
pub(super) const CHUNK_TEXT: usize = CHUNK_VALUES * 4 / 3 * 4;

/// Values written as the standard base64 of their little-endian bytes, the
/// text `io::encode_f32` returns, produced chunk by chunk.
pub(super) struct Base64F32<'a>(pub(super) Cow<'a, [f32]>);

impl fmt::Display for Base64F32<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut bytes = [0u8; CHUNK_VALUES * 4];
        let mut text = [0u8; CHUNK_TEXT];
        for chunk in self.0.chunks(CHUNK_VALUES) {
            let raw = &mut bytes[..chunk.len() * 4];
            for (b, v) in raw.chunks_exact_mut(4).zip(chunk) {
                b.copy_from_slice(&v.to_le_bytes());
            }
            let n = STANDARD.encode_slice(raw, &mut text).map_err(|_| fmt::Error)?;
            // Base64's alphabet is ASCII.
            f.write_str(std::str::from_utf8(&text[..n]).map_err(|_| fmt::Error)?)?;
            // A big model's file is hundreds of MB: the page's watchdog sees the save working.
            heartbeat::beat();
        }
        Ok(())
    }
}

impl Serialize for Base64F32<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One entry of `weights`, borrowing the model's values.
#[derive(Serialize)]
pub(super) struct WeightOut<'a> {
    pub(super) layer: usize,
    pub(super) name: &'a str,
    pub(super) shape: &'a [usize],
    pub(super) dtype: &'static str,
    pub(super) data: Base64F32<'a>,
}

#[derive(Serialize)]
pub(super) struct SlotsOut<'a> {
    pub(super) slots: Vec<Base64F32<'a>>,
}

#[derive(Serialize)]
pub(super) struct OptimizerOut<'a> {
    pub(super) name: &'a str,
    pub(super) learning_rate: f32,
    pub(super) global: &'a [f64],
    pub(super) params: Vec<SlotsOut<'a>>,
}

/// The document, fields in the order `io::ModelFile` reads them.
#[derive(Serialize)]
pub(super) struct FileOut<'a> {
    pub(super) format: &'static str,
    pub(super) version: u32,
    pub(super) config: Value,
    pub(super) input_shape: &'a [usize],
    pub(super) weights: Vec<WeightOut<'a>>,
    pub(super) optimizer_state: Option<OptimizerOut<'a>>,
    pub(super) step: u64,
    pub(super) history: Option<&'a History>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) checksum: Option<String>,
}

/// Counts what would be written.
struct Count(usize);

impl io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The document as JSON into `w` (one serializer for both passes: every
/// copy of serde's code is part of the page's first download).
fn write_to(w: &mut dyn io::Write, file: &FileOut) -> serde_json::Result<()> {
    serde_json::to_writer(w, file)
}

/// The document as JSON text, in a buffer of exactly its length.
pub(super) fn write(file: &FileOut) -> String {
    let mut count = Count(0);
    if let Err(e) = write_to(&mut count, file) {
        return format!("{{\"error\":\"{e}\"}}");
    }
    let mut out = Vec::with_capacity(count.0);
    if let Err(e) = write_to(&mut out, file) {
        return format!("{{\"error\":\"{e}\"}}");
    }
    debug_assert_eq!(out.len(), count.0);
    // serde_json writes UTF-8 (and base64 is ASCII).
    String::from_utf8(out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
