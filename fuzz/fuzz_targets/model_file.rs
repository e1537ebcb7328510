//! Model files as raw bytes (JSON, base64 weights): load, save, load back.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gradlab_fuzz::model_file_roundtrip(data));
