//! Experiment configs built from structure (`gen::Config`): known names and
//! a few wrong ones, numbers at the edges; validate, build, one step, save/load.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|config: gradlab_fuzz::gen::Config| {
    gradlab_fuzz::run_config(config.value().to_string().as_bytes())
});
