//! Golden exports: the Python script and notebook generated for four configs
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

/// The reference CNN (configs/cnn.json): every layer through the generic
/// registry rendering. Its parameter count is Keras' (pinned by the cnn
/// branch's summary test): 320 + 18,496 + 1,600·128 + 128 + 1,290 = 225,034.
#[test]
fn cnn_script() {
    let cfg = config("configs/cnn.json");
    let py = export(&cfg, &DataSource::Bundled, None, Format::Python).unwrap();
    golden("cnn.py", &py);
    py_compile("cnn script", &py);
    assert!(py.contains("layers.Conv2D(32, kernel_size=(3, 3), activation=\"relu\"),"));
    assert!(py.contains("layers.MaxPooling2D(),"));
    assert!(py.contains("prints 225,034 parameters"));
}

/// Fashion-MNIST: Keras' copy, the small set by the same first-per-class rule.
#[test]
fn fashion_mnist_uses_keras_fashion_mnist() {
    let mut cfg = config("configs/cnn.json");
    for (name, small) in [("fashion-mnist", true), ("fashion-mnist-full", false)] {
        cfg.dataset = name.into();
        let py = export(&cfg, &DataSource::Bundled, None, Format::Python).unwrap();
        assert!(py.contains("keras.datasets.fashion_mnist.load_data()"), "{name}");
        assert!(!py.contains("keras.datasets.mnist."), "{name}");
        let subset = "first_per_class(y_train, 1000), first_per_class(y_test, 200)";
        assert_eq!(py.contains(subset), small, "{name}");
        assert!(py.contains("Dataset: Fashion-MNIST"), "{name}");
    }
}

#[test]
fn every_bundled_dataset_exports_code_that_compiles() {
    for info in gradlab::data::catalogue() {
        let mut cfg = config("configs/iris-mlp.json");
        cfg.dataset = info.name.to_string();
        if info.sample_shape.len() > 1 {
            cfg.layers.insert(0, gradlab::layers::LayerConfig::flatten());
        }
        let nb = export(&cfg, &DataSource::Bundled, None, Format::Notebook).unwrap();
        py_compile(info.name, &notebook_code(&nb));
    }
}

/// The file the export's last cell wrote in a Keras 3.15.1 / TF 2.21 run of
/// `diabetes-sgd.py` (40 epochs, 720 steps): its checksum is the CRC-32 of its
/// weight bytes, and it loads as a Gradient Lab model with that checksum
/// checked (contracts §5): a wrong one is refused.
#[test]
fn model_file_written_by_keras_loads() {
    use base64::Engine as _;
    let bytes = std::fs::read(root().join("tests/golden/keras-diabetes-model.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let mut crc = flate2::Crc::new();
    for w in doc["weights"].as_array().unwrap() {
        let data = base64::engine::general_purpose::STANDARD
            .decode(w["data"].as_str().unwrap())
            .unwrap();
        crc.update(&data);
    }
    assert_eq!(doc["checksum"], format!("crc32:{:08x}", crc.sum()));
    let loaded = gradlab::model::load(&serde_json::to_vec(&doc).unwrap()).unwrap();
    assert_eq!(loaded.config, config("tests/golden/diabetes-sgd.json"));
    assert_eq!(loaded.model.input_shape(), &[10]);
    assert_eq!(loaded.step, 720);
    assert!(loaded.optimizer_state.is_none());
    doc["checksum"] = format!("crc32:{:08x}", crc.sum() ^ 1).into();
    let Err(e) = gradlab::model::load(&serde_json::to_vec(&doc).unwrap()) else {
        panic!("a wrong checksum is refused");
    };
    assert!(e.to_string().contains("checksum"), "{e}");
}

/// A CNN with BatchNormalization, strides and 'same' padding
/// (`tests/golden/keras-cnn-bn.json`) exported and run for 2 epochs with Keras
/// 3.15.1 / TF 2.21 on MNIST-small (data from `datasets/mnist`, the same
/// images as `keras.datasets.mnist`); the model file its last cell wrote
/// (`keras-cnn-bn-model.json`) loads with its checksum checked, and Gradient
/// Lab's evaluation of Keras' weights on the same 2,000 test images gives what
/// Keras' `model.evaluate` printed: accuracy 0.36649999022483826 (733 right),
/// loss 1.6968677043914795. The low accuracy is BatchNormalization's moving
/// statistics after 314 steps (momentum 0.99), which inference uses: a
/// wrong weight order or kernel layout would not reproduce it.
#[test]
fn keras_trained_cnn_evaluates_as_in_keras() {
    let bytes = std::fs::read(root().join("tests/golden/keras-cnn-bn-model.json")).unwrap();
    let loaded = gradlab::model::load(&bytes).unwrap();
    assert_eq!(loaded.config, config("tests/golden/keras-cnn-bn.json"));
    assert_eq!(loaded.step, 314);
    let info = gradlab::data::info("mnist").unwrap();
    let files: Vec<Vec<u8>> = info
        .files
        .iter()
        .map(|f| gradlab::data::gunzip(&std::fs::read(root().join("../datasets").join(f)).unwrap()).unwrap())
        .collect();
    let slices: Vec<&[u8]> = files.iter().map(Vec::as_slice).collect();
    let (train, test) = gradlab::data::load("mnist", &slices, loaded.config.seed).unwrap();
    let mut run = gradlab::model::Run::new(loaded.config.clone(), train, Some(test)).unwrap();
    run.model_mut().set_weights(&loaded.model.weights()).unwrap();
    let eval = run.evaluate_test().unwrap().unwrap();
    assert_eq!(eval.samples, 2000);
    assert_eq!((eval.metrics["accuracy"] * 2000.0).round(), 733.0);
    assert!((eval.loss - 1.6968677043914795).abs() < 1e-4, "loss {}", eval.loss);
}

fn gradlab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gradlab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn cli_exports_bundled_csv_and_idx_data() {
    let out = gradlab(&["export", "configs/iris-mlp.json", "--format", "py"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let golden_iris = std::fs::read_to_string(root().join("tests/golden/iris-mlp.py")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), golden_iris);

    let dir = std::env::temp_dir().join(format!("gradlab-export-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("pets.csv");
    let rows: String = (0..20)
        .map(|i| format!("{i},{},{}\n", ["red", "blue"][i % 2], ["cat", "dog"][i % 2]))
        .collect();
    std::fs::write(&csv, format!("size,color,species\n{rows}")).unwrap();
    let cfg = dir.join("pets.json");
    std::fs::write(
        &cfg,
        r#"{"dataset": "pets", "layers": [{"type": "Dense", "units": 2, "activation": "softmax"}],
            "loss": "categorical_crossentropy", "optimizer": "adam"}"#,
    )
    .unwrap();
    let nb = dir.join("pets.ipynb");
    let (cfg_s, csv_s, nb_s) = (cfg.to_str().unwrap(), csv.to_str().unwrap(), nb.to_str().unwrap());
    let out = gradlab(&[
        "export",
        cfg_s,
        "--csv",
        csv_s,
        "--label",
        "species",
        "--scaling",
        "none",
        "-o",
        nb_s,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("20 rows (16 train, 4 test), label column 2 ('species'), classification, 3 features"));
    let code = notebook_code(&std::fs::read_to_string(&nb).unwrap());
    assert!(code.contains("ONE_HOT = {1: [\"blue\", \"red\"]}"));
    py_compile("pets notebook", &code);

    // The config is checked against the file's data: 3 classes do not fit 2 units.
    std::fs::write(&csv, format!("size,color,species\n{rows}20,red,bird\n")).unwrap();
    let out = gradlab(&["export", cfg_s, "--csv", csv_s]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: "));
    let out = gradlab(&["export", cfg_s, "--csv", csv_s, "--label", "kind"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("error: {csv_s}: data error: no column is named 'kind'; the columns are: size, color, species\n")
    );

    // IDX pair, gzip-compressed, without a test pair: a stratified 20 % in the Python too.
    let (img, lab) = (dir.join("img.gz"), dir.join("lab.gz"));
    let gz = |b: &[u8]| {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    };
    let labels: Vec<u8> = (0..10).map(|i| i % 2).collect();
    std::fs::write(&img, gz(&gradlab::data::write_idx_images(10, 3, 3, &[7; 90]))).unwrap();
    std::fs::write(&lab, gz(&gradlab::data::write_idx_labels(&labels))).unwrap();
    std::fs::write(
        &cfg,
        r#"{"dataset": "tiny", "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 2, "activation": "softmax"}],
            "loss": "categorical_crossentropy", "optimizer": "adam"}"#,
    )
    .unwrap();
    let out = gradlab(&["export", cfg_s, "--idx", img.to_str().unwrap(), lab.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let py = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(py.contains("x, y = read_idx(\"img.gz\"), read_idx(\"lab.gz\")"));
    assert!(py.contains("keras.Input(shape=(3, 3, 1))"));
    assert!(py.contains("stratified_split(y, 0.2, rng)"));
    py_compile("idx script", &py);
    let _ = std::fs::remove_dir_all(&dir);

    let out = gradlab(&["export", "configs/iris-mlp.json", "--csv", "a.csv", "--idx", "b", "c"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).lines().next(),
        Some("error: give either --csv or --idx, not both")
    );
}

#[test]
fn cli_trains_and_summarises_data_given_by_path() {
    let dir = std::env::temp_dir().join(format!("gradlab-path-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // y = 2·a − b + 1 on a grid: a regression table with a header and a preamble line.
    let rows: String = (0..40)
        .map(|i| format!("{},{},{}\n", i % 8, i / 8, 2 * (i % 8) - i / 8 + 1))
        .collect();
    let csv = dir.join("line.csv");
    std::fs::write(&csv, format!("measured 2026-12-02\na,b,y\n{rows}")).unwrap();
    let cfg = dir.join("line.json");
    std::fs::write(
        &cfg,
        r#"{"dataset": "line", "layers": [{"type": "Dense", "units": 1}], "loss": "mse",
            "optimizer": {"name": "sgd", "learning_rate": 0.05}, "epochs": 3, "batch_size": 8}"#,
    )
    .unwrap();
    let (cfg_s, csv_s) = (cfg.to_str().unwrap(), csv.to_str().unwrap());
    // 19 distinct whole numbers would be guessed as classes: the task is given.
    let out = gradlab(&[
        "train",
        cfg_s,
        "--csv",
        csv_s,
        "--skip-lines",
        "1",
        "--label",
        "y",
        "--task",
        "regression",
    ]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("40 rows (32 train, 8 test), label column 2 ('y'), regression, 2 features"),
        "{stderr}"
    );
    assert!(
        stdout.contains("Epoch 3/3") && stdout.contains("Test (8 samples): loss: "),
        "{stdout}"
    );
    let out = gradlab(&[
        "summary",
        cfg_s,
        "--csv",
        csv_s,
        "--skip-lines",
        "1",
        "--task",
        "regression",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Total params: 3"));
    // Without --skip-lines the preamble sets the width: a clear error naming the lines.
    let out = gradlab(&["validate", cfg_s, "--csv", csv_s]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2 has 1 columns but line 1 has 2"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
