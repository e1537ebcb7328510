//! Shared by the export tests: paths, configs, goldens and Python checks.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use gradlab::config::ExperimentConfig;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

pub fn config(path: &str) -> ExperimentConfig {
    let bytes = std::fs::read(root().join(path)).unwrap();
    ExperimentConfig::from_json(&bytes).unwrap()
}

/// Compare with the golden file (or write it when UPDATE_GOLDEN is set).
pub fn golden(name: &str, text: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        want == text,
        "{name} differs from the generated export; run UPDATE_GOLDEN=1 cargo test --test export and review"
    );
}

pub fn python3() -> Option<&'static str> {
    Command::new("python3")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "python3")
}

/// `python3 -m py_compile` of `code` (skipped without python3).
pub fn py_compile(name: &str, code: &str) {
    let Some(py) = python3() else {
        eprintln!("python3 not found: py_compile of {name} skipped");
        return;
    };
    let stem = format!(
        "gradlab-export-{}-{}",
        std::process::id(),
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    let file = std::env::temp_dir().join(format!("{stem}.py"));
    std::fs::write(&file, code).unwrap();
    // -c with compile(): no .pyc is written next to the file.
    let out = Command::new(py)
        .args([
            "-c",
            "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "{name} does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The code cells of a notebook, joined (checks the JSON shape on the way).
pub fn notebook_code(text: &str) -> String {
    let nb: serde_json::Value = serde_json::from_str(text).expect("the notebook is JSON");
    assert_eq!(nb["nbformat"], 4);
    let cells = nb["cells"].as_array().expect("cells");
    let mut code = String::new();
    for c in cells {
        let lines = c["source"].as_array().expect("source lines");
        let src: String = lines.iter().map(|l| l.as_str().unwrap()).collect();
        match c["cell_type"].as_str() {
            Some("code") => {
                assert_eq!(c["outputs"], serde_json::json!([]));
                code += &src;
                code += "\n\n";
            }
            Some("markdown") => {}
            other => panic!("unexpected cell type {other:?}"),
        }
    }
    code
}
