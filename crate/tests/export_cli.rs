//! `gradlab export` and data by path on the command line: bundled, CSV and
//! IDX data exported (and checked by `py_compile` when python3 exists);
//! `train`, `summary` and `validate` on a CSV given by path.

mod cli_common;
mod export_common;

use cli_common::gradlab;
use export_common::{notebook_code, py_compile, root};

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
