//! Golden exports: the Python script and notebook generated for three configs
//! are compared with the committed files in `tests/golden/`, which were checked
//! with `python3 -m py_compile` and run with Keras 3.15.1 / TensorFlow 2.21
//! (see `docs/scaling-up.md`). Regenerate after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --test export` and review the diff.
//! When `python3` is installed, every generated code also goes through
//! `py_compile` here.

use std::path::{Path, PathBuf};
use std::process::Command;

use gradlab::config::ExperimentConfig;
use gradlab::export::{export, DataSource, Format};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn config(path: &str) -> ExperimentConfig {
    let bytes = std::fs::read(root().join(path)).unwrap();
    ExperimentConfig::from_json(&bytes).unwrap()
}

/// Compare with the golden file (or write it when UPDATE_GOLDEN is set).
fn golden(name: &str, text: &str) {
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

fn python3() -> Option<&'static str> {
    Command::new("python3")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "python3")
}

/// `python3 -m py_compile` of `code` (skipped without python3).
fn py_compile(name: &str, code: &str) {
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
fn notebook_code(text: &str) -> String {
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

#[test]
fn mnist_early_stopping_script_and_notebook() {
    let cfg = config("configs/mnist-128-early-stopping.json");
    let py = export(&cfg, &DataSource::Bundled, None, Format::Python).unwrap();
    let nb = export(&cfg, &DataSource::Bundled, None, Format::Notebook).unwrap();
    golden("mnist-128-early-stopping.py", &py);
    golden("mnist-128-early-stopping.ipynb", &nb);
    py_compile("mnist script", &py);
    py_compile("mnist notebook", &notebook_code(&nb));
    // The script is the notebook's code.
    assert!(py.contains(&notebook_code(&nb).trim_end().lines().last().unwrap().to_string()));
}

#[test]
fn iris_script() {
    let cfg = config("configs/iris-mlp.json");
    let py = export(&cfg, &DataSource::Bundled, None, Format::Python).unwrap();
    golden("iris-mlp.py", &py);
    py_compile("iris script", &py);
}

#[test]
fn diabetes_sgd_step_decay_script() {
    let cfg = config("tests/golden/diabetes-sgd.json");
    let py = export(&cfg, &DataSource::Bundled, None, Format::Python).unwrap();
    golden("diabetes-sgd.py", &py);
    py_compile("diabetes script", &py);
}

#[test]
fn every_bundled_dataset_exports_code_that_compiles() {
    for info in gradlab::data::catalogue() {
        let mut cfg = config("configs/iris-mlp.json");
        cfg.dataset = info.name.to_string();
        let nb = export(&cfg, &DataSource::Bundled, None, Format::Notebook).unwrap();
        py_compile(info.name, &notebook_code(&nb));
    }
}
