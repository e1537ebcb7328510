//! Shared by the command-line tests: running the `gradlab` binary of this build.

#![allow(dead_code)]

use std::process::{Command, Output};

/// `gradlab ARGS` from the crate's directory (so `configs/…` paths resolve).
pub fn gradlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradlab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// A stream's bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
