//! Experiment configs as raw bytes (the JSON the page sends and links encode):
//! parse, validate, build, one step, evaluate, save and load back.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gradlab_fuzz::run_config(data));
