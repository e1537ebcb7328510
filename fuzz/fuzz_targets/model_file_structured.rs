//! Model files built from structure (`gen::ModelFile`): valid JSON whose
//! fields take edge values, with honest or arbitrary weights.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|file: gradlab_fuzz::gen::ModelFile| {
    gradlab_fuzz::model_file_roundtrip(file.value().to_string().as_bytes())
});
