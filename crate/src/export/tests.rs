//! Export pieces: literals, layer/loss/optimizer code, weights in, CSV data, errors.
//! (Whole exports are pinned by the goldens in `tests/export.rs`.)

use super::*;
use crate::activations::Activation;
use crate::layers::dense_config::DenseConfig;
use crate::layers::LayerConfig;
use crate::losses::{Loss, LossName};
use crate::model::{save_model, Sequential};
use crate::optimizers::OptimizerConfig;
use crate::schedules::Schedule;

fn cfg(dataset: &str, layers: Vec<LayerConfig>) -> ExperimentConfig {
    ExperimentConfig::new(
        dataset,
        layers,
        Loss::new(LossName::CategoricalCrossentropy),
        OptimizerConfig::from_name("adam").unwrap(),
    )
}

fn script(c: &ExperimentConfig) -> String {
    export(c, &DataSource::Bundled, None, Format::Python).unwrap()
}

#[test]
fn python_literals() {
    assert_eq!(pylit::float(0.001), "0.001");
    assert_eq!(pylit::float(1.0), "1.0");
    assert_eq!(pylit::float(1e-7), "0.0000001");
    assert_eq!(pylit::float64(2.0), "2.0");
    assert_eq!(pylit::tuple(&[4]), "(4,)");
    assert_eq!(pylit::tuple(&[28, 28, 1]), "(28, 28, 1)");
    assert_eq!(pylit::string("a \"b\"\n"), r#""a \"b\"\n""#);
    assert_eq!(pylit::boolean(false), "False");
}

#[test]
fn format_names() {
    assert_eq!(Format::from_name("py").unwrap(), Format::Python);
    assert_eq!(Format::from_name(".ipynb").unwrap(), Format::Notebook);
    let e = Format::from_name("pdf").unwrap_err().to_string();
    assert!(e.contains("unknown export format \"pdf\""), "{e}");
}

#[test]
fn layers_write_only_non_default_arguments() {
    let c = cfg(
        "xor",
        vec![
            LayerConfig::Dense(DenseConfig {
                use_bias: false,
                kernel_initializer: crate::initializers::Initializer::HeNormal.into(),
                ..DenseConfig::new(4, Activation::Step)
            }),
            LayerConfig::activation_layer(Activation::LeakyRelu),
            LayerConfig::dense(2, Activation::Linear),
            LayerConfig::softmax(),
        ],
    );
    let s = script(&c);
    assert!(s.contains("layers.Dense(4, activation=step, use_bias=False, kernel_initializer=\"he_normal\"),"));
    assert!(s.contains("def step(x):"), "step is defined");
    assert!(s.contains("layers.Activation(\"leaky_relu\"),"));
    assert!(s.contains("layers.Dense(2),"));
    assert!(s.contains("layers.Softmax(),"));
    // 2·4 (no bias) + 4·2 + 2 = 18 parameters.
    assert!(s.contains("prints 18 parameters"));
}

#[test]
fn loss_options_use_the_class_and_clipping_is_passed() {
    let mut c = cfg("iris", vec![LayerConfig::dense(3, Activation::Linear)]);
    c.loss.from_logits = true;
    c.loss.label_smoothing = 0.1;
    c.optimizer.clipvalue = Some(0.5);
    let s = script(&c);
    assert!(s.contains("loss=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)"));
    assert!(s.contains("    clipvalue=0.5,\n"));
    // Sparse labels stay class indices.
    c.loss = Loss::new(LossName::SparseCategoricalCrossentropy);
    assert!(script(&c).contains("y_train, y_test = y_train.astype(\"int64\"), y_test.astype(\"int64\")"));
}

#[test]
fn invalid_configs_are_refused_with_the_core_message() {
    let mut c = cfg("iris", vec![LayerConfig::dense(0, Activation::Relu)]);
    let e = export(&c, &DataSource::Bundled, None, Format::Python).unwrap_err();
    assert!(
        e.to_string().contains("layers[0].units: units must be at least 1"),
        "{e}"
    );
    c.layers = vec![LayerConfig::dense(3, Activation::Softmax)];
    c.dataset = "cifar".into();
    let e = export(&c, &DataSource::Bundled, None, Format::Python).unwrap_err();
    assert!(e.to_string().contains("unknown dataset 'cifar'"), "{e}");
}

#[test]
fn a_layer_stack_that_does_not_fit_the_data_is_refused_with_its_path() {
    let mut c = cfg("iris", vec![LayerConfig::dense(3, Activation::Softmax)]);
    c.layers = ExperimentConfig::from_json(
        br#"{"dataset": "mnist", "layers": [{"type": "Flatten"}, {"type": "Conv2D", "filters": 4, "kernel_size": 3}],
            "loss": "categorical_crossentropy", "optimizer": "adam"}"#,
    )
    .unwrap()
    .layers;
    c.dataset = "mnist".into();
    let e = export(&c, &DataSource::Bundled, None, Format::Python).unwrap_err();
    assert!(e.to_string().contains("layers[1]: Conv2D needs images"), "{e}");
}

/// Keras' BatchNormalization weights are [gamma, beta, moving_mean,
/// moving_variance], Conv2D's [kernel (kh, kw, c, filters), bias]: Gradient
/// Lab's params in the same order and shapes, set layer by layer.
#[test]
fn cnn_weights_with_batch_normalization_are_embedded_in_keras_order() {
    let mut c = cfg("mnist", vec![]);
    c.layers = ExperimentConfig::from_json(
        br#"{"dataset": "mnist", "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": 3},
            {"type": "BatchNormalization"}, {"type": "GlobalAveragePooling2D"},
            {"type": "Dense", "units": 10, "activation": "softmax"}],
            "loss": "categorical_crossentropy", "optimizer": "adam"}"#,
    )
    .unwrap()
    .layers;
    let model = Sequential::new(&[28, 28, 1], &c.layers, 3).unwrap();
    let file = save_model(&c, &model);
    let s = export(&c, &DataSource::Bundled, Some(file.as_bytes()), Format::Python).unwrap();
    let set = |i: usize| {
        let start = s.find(&format!("model.layers[{i}].set_weights(")).unwrap();
        let end = start + s[start..].find("\n)\n").unwrap();
        s[start..end].to_string()
    };
    assert_eq!(set(0).matches("decode_f32(").count(), 2);
    assert!(set(0).contains("(3, 3, 1, 2),"), "{}", set(0));
    assert_eq!(
        set(1).matches("decode_f32(").count(),
        4,
        "gamma, beta, moving_mean, moving_variance"
    );
    assert!(
        !s.contains("model.layers[2].set_weights("),
        "GlobalAveragePooling2D has no weights"
    );
    assert_eq!(set(3).matches("decode_f32(").count(), 2);
    let ones = crate::model::io::encode_f32(&[1.0, 1.0]);
    let zeros = crate::model::io::encode_f32(&[0.0, 0.0]);
    let bn = set(1);
    let payloads: Vec<&str> = bn.split('"').skip(1).step_by(2).collect();
    assert_eq!(
        payloads,
        [&ones, &zeros, &zeros, &ones],
        "gamma 1, beta 0, moving_mean 0, moving_variance 1"
    );
}

#[test]
fn trained_weights_are_embedded_layer_by_layer() {
    let c = cfg(
        "iris",
        vec![
            LayerConfig::dense(2, Activation::Relu),
            LayerConfig::dropout(0.5),
            LayerConfig::dense(3, Activation::Softmax),
        ],
    );
    let model = Sequential::new(&[4], &c.layers, 3).unwrap();
    let file = save_model(&c, &model);
    let s = export(&c, &DataSource::Bundled, Some(file.as_bytes()), Format::Python).unwrap();
    assert!(s.contains("model.layers[0].set_weights("));
    assert!(s.contains("model.layers[2].set_weights("));
    assert!(!s.contains("model.layers[1].set_weights("), "Dropout has no weights");
    // The first kernel's base64 is the model's own bytes.
    let first: Vec<f32> = model.params()[0].value.iter().copied().collect();
    assert!(s.contains(&crate::model::io::encode_f32(&first)));
    assert!(s.contains("(4, 2),"));
    // Another stack is refused.
    let other = cfg("iris", vec![LayerConfig::dense(3, Activation::Softmax)]);
    let e = export(&other, &DataSource::Bundled, Some(file.as_bytes()), Format::Python).unwrap_err();
    assert!(e.to_string().contains("another layer stack"), "{e}");
    let e = export(&c, &DataSource::Bundled, Some(b"{}"), Format::Python).unwrap_err();
    assert!(e.to_string().contains("not a Gradient Lab model"), "{e}");
}

#[test]
fn csv_source_reproduces_the_import_decisions() {
    let text = "size,color,species\n1,red,cat\n2,blue,dog\n3,red,cat\n4,green,dog\n5,blue,cat\n6,red,dog\n";
    let opts = crate::data::CsvImport {
        scaling: crate::data::Scaling::MinMax,
        test_fraction: 0.34,
        ..Default::default()
    };
    let imp = crate::data::import_csv("pets", text.as_bytes(), &opts, 1).unwrap();
    let src = DataSource::Csv {
        file_name: "pets.csv".into(),
        report: imp.report,
    };
    let c = cfg("pets", vec![LayerConfig::dense(2, Activation::Softmax)]);
    let s = export(&c, &src, None, Format::Python).unwrap();
    assert!(s.contains("CSV_FILE = \"pets.csv\""));
    assert!(s.contains("header=0, skiprows=0"));
    assert!(s.contains("LABEL_COLUMN = 2  # species"));
    assert!(s.contains("ONE_HOT = {1: [\"blue\", \"green\", \"red\"]}"));
    assert!(s.contains("class_names = [\"cat\", \"dog\"]"));
    assert!(s.contains("stratified_split(y, 0.34, rng)"));
    assert!(s.contains("x_train, x_test = min_max(x_train, x_test)"));
    assert!(s.contains("keras.Input(shape=(4,))"), "size + 3 categories");
}

#[test]
fn notebook_is_nbformat_4_with_the_script_code() {
    let c = cfg("xor", vec![LayerConfig::dense(2, Activation::Softmax)]);
    let nb = export(&c, &DataSource::Bundled, None, Format::Notebook).unwrap();
    let v: serde_json::Value = serde_json::from_str(&nb).unwrap();
    assert_eq!(
        (v["nbformat"].as_u64(), v["nbformat_minor"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(v["metadata"]["kernelspec"]["name"], "python3");
    let cells = v["cells"].as_array().unwrap();
    let code: Vec<String> = cells
        .iter()
        .filter(|c| c["cell_type"] == "code")
        .map(|c| {
            c["source"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect()
        })
        .collect();
    let py = script(&c);
    for cell in &code {
        assert!(py.contains(cell.trim_end()), "every code cell is in the script");
    }
    assert!(
        code[1].contains("y_train = np.array([0, 1, 1, 0])"),
        "xor's truth table"
    );
}

#[test]
fn schedules_and_early_stopping() {
    let mut c = cfg("moons", vec![LayerConfig::dense(2, Activation::Softmax)]);
    c.lr_schedule = Some(Schedule::CosineDecay {
        initial_learning_rate: 0.0,
        decay_steps: 100,
        alpha: 0.1,
        warmup_target: Some(0.05),
        warmup_steps: 10,
    });
    c.early_stopping = Some(crate::config::EarlyStoppingConfig {
        monitor: "val_accuracy".into(),
        patience: 2,
        mode: crate::config::MonitorMode::Max,
        baseline: Some(0.5),
        ..Default::default()
    });
    let s = script(&c);
    assert!(s.contains(
        "lr_schedule = keras.optimizers.schedules.CosineDecay(\n    initial_learning_rate=0.0,\n    decay_steps=100,\n    \
         alpha=0.1,\n    warmup_target=0.05,\n    warmup_steps=10,\n)"
    ));
    assert!(s.contains("    learning_rate=lr_schedule,\n"));
    assert!(s.contains(
        "keras.callbacks.EarlyStopping(\n        monitor=\"val_accuracy\",\n        min_delta=0.0,\n        patience=2,\n        \
         mode=\"max\",\n        baseline=0.5,\n        restore_best_weights=False,\n        start_from_epoch=0,\n    ),"
    ));
    // Step decay: a per-epoch callback (epoch 0-based, as Gradient Lab), the rate starts at lr0.
    c.lr_schedule = Some(Schedule::StepDecay {
        initial_learning_rate: 0.1,
        factor: 0.5,
        every_epochs: 10,
    });
    let s = script(&c);
    assert!(s.contains("lambda epoch: 0.1 * 0.5 ** (epoch // 10)"));
    assert!(s.contains("    learning_rate=0.1,\n"));
}
