//! Golden exports: the Python script and notebook generated for four configs
//! are compared with the committed files in `tests/golden/`, which were checked
//! with `python3 -m py_compile` and run with Keras 3.15.1 / TensorFlow 2.21
//! (see `docs/scaling-up.md`). Regenerate after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --test export` and review the diff.
//! When `python3` is installed, every generated code also goes through
//! `py_compile` here.

mod export_common;

use export_common::{config, golden, notebook_code, py_compile, root};
use gradlab::export::{export, DataSource, Format};

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
