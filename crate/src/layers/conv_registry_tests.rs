//! The convolutional kinds in the registry: JSON with Keras names and
//! defaults, summaries and parameter counts as Keras prints them, problems
//! with paths and fixes, and the built model agreeing with its plan.

use crate::kernels::im2col::{Padding, Size2};
use crate::layers::{LayerConfig, Plan};
use crate::model::summary::Summary;
use crate::model::Sequential;
use crate::problem::Problem;

fn layers(json: &str) -> Vec<LayerConfig> {
    serde_json::from_str(json).unwrap()
}

/// The reference CNN of issue 12 on MNIST.
const CNN: &str = r#"[
    {"type": "Conv2D", "filters": 32, "kernel_size": 3, "activation": "relu"},
    {"type": "MaxPooling2D", "pool_size": 2},
    {"type": "Conv2D", "filters": 64, "kernel_size": [3, 3], "activation": "relu"},
    {"type": "MaxPooling2D"},
    {"type": "Flatten"},
    {"type": "Dense", "units": 128, "activation": "relu"},
    {"type": "Dense", "units": 10, "activation": "softmax"}
]"#;

#[test]
fn json_defaults_are_keras_and_round_trip() {
    let l = layers(CNN);
    let LayerConfig::Conv2D(c) = &l[0] else {
        panic!("{:?}", l[0])
    };
    assert_eq!(
        (c.kernel_size, c.strides, c.padding, c.use_bias),
        (Size2(3, 3), Size2(1, 1), Padding::Valid, true)
    );
    let LayerConfig::MaxPooling2D(p) = &l[3] else {
        panic!("{:?}", l[3])
    };
    assert_eq!(
        (p.0.pool_size, p.0.strides, p.0.padding),
        (Size2(2, 2), None, Padding::Valid)
    );
    let more = layers(
        r#"[{"type": "AveragePooling2D", "pool_size": [3, 2], "strides": 1, "padding": "same"},
            {"type": "BatchNormalization"}, {"type": "GlobalAveragePooling2D"},
            {"type": "Reshape", "target_shape": [28, -1, 1]}]"#,
    );
    let LayerConfig::AveragePooling2D(a) = &more[0] else {
        panic!()
    };
    assert_eq!(
        (a.0.pool_size, a.0.strides, a.0.padding),
        (Size2(3, 2), Some(Size2(1, 1)), Padding::Same)
    );
    let LayerConfig::BatchNormalization(b) = &more[1] else {
        panic!()
    };
    assert_eq!(
        (b.axis, b.momentum, b.epsilon, b.center, b.scale),
        (-1, 0.99, 1e-3, true, true)
    );
    for l in l.iter().chain(&more) {
        let back: LayerConfig = serde_json::from_str(&serde_json::to_string(l).unwrap()).unwrap();
        assert_eq!(&back, l);
    }
    let bad = |j: &str| serde_json::from_str::<LayerConfig>(j).unwrap_err().to_string();
    assert!(bad(r#"{"type": "Conv2D", "filters": 8, "kernel_size": 3, "kernal": 1}"#).contains("kernal"));
    assert!(bad(r#"{"type": "Conv2D", "filters": 8, "kernel_size": [3]}"#).contains("a list of two like [3, 2]"));
    assert!(bad(r#"{"type": "MaxPooling2D", "padding": "full"}"#).contains("valid"));
}

#[test]
fn summary_matches_keras() {
    // Keras 3 summary of the reference CNN on (28, 28, 1):
    // conv2d (None, 26, 26, 32) 320 · max_pooling2d (None, 13, 13, 32) 0 ·
    // conv2d_1 (None, 11, 11, 64) 18,496 · max_pooling2d_1 (None, 5, 5, 64) 0 ·
    // flatten (None, 1600) 0 · dense (None, 128) 204,928 · dense_1 (None, 10) 1,290; total 225,034.
    let s = Summary::of(&[28, 28, 1], &layers(CNN)).unwrap();
    let rows: Vec<(&str, &str, u64)> = s.rows.iter().map(|r| (&*r.name, &*r.output_shape, r.params)).collect();
    assert_eq!(
        rows,
        vec![
            ("conv2d", "(None, 26, 26, 32)", 320),
            ("max_pooling2d", "(None, 13, 13, 32)", 0),
            ("conv2d_1", "(None, 11, 11, 64)", 18_496),
            ("max_pooling2d_1", "(None, 5, 5, 64)", 0),
            ("flatten", "(None, 1600)", 0),
            ("dense", "(None, 128)", 204_928),
            ("dense_1", "(None, 10)", 1_290),
        ]
    );
    assert_eq!((s.total_params, s.trainable_params), (225_034, 225_034));
    // BatchNormalization on 32 channels: 128 params, 64 non-trainable (Keras);
    // "same" keeps 28×28; GlobalAveragePooling2D → (None, 32).
    let l = layers(
        r#"[{"type": "Conv2D", "filters": 32, "kernel_size": 3, "padding": "same", "use_bias": false},
            {"type": "BatchNormalization"}, {"type": "AveragePooling2D", "padding": "same"},
            {"type": "GlobalAveragePooling2D"}, {"type": "Dense", "units": 10}]"#,
    );
    let s = Summary::of(&[28, 28, 1], &l).unwrap();
    let rows: Vec<(&str, &str, u64)> = s.rows.iter().map(|r| (&*r.name, &*r.output_shape, r.params)).collect();
    assert_eq!(rows[0], ("conv2d", "(None, 28, 28, 32)", 288));
    assert_eq!(rows[1], ("batch_normalization", "(None, 28, 28, 32)", 128));
    assert_eq!(rows[2], ("average_pooling2d", "(None, 14, 14, 32)", 0));
    assert_eq!(rows[3], ("global_average_pooling2d", "(None, 32)", 0));
    assert_eq!((s.total_params, s.trainable_params), (288 + 128 + 330, 288 + 64 + 330));
    let s = Summary::of(
        &[784],
        &layers(r#"[{"type": "Reshape", "target_shape": [28, 28, -1]}]"#),
    )
    .unwrap();
    assert_eq!(s.rows[0].output_shape, "(None, 28, 28, 1)");
}

fn problems(input: &[usize], json: &str) -> Vec<Problem> {
    Plan::new(input, &layers(json)).1
}

#[test]
fn impossible_shapes_say_what_to_change() {
    // 28 → 26 → 13 → 11 → 5 → 3 → 1 → a 2×2 pool on a 1×1 map.
    let p = problems(
        &[28, 28, 1],
        r#"[{"type": "Conv2D", "filters": 4, "kernel_size": 3}, {"type": "MaxPooling2D"},
            {"type": "Conv2D", "filters": 4, "kernel_size": 3}, {"type": "MaxPooling2D"},
            {"type": "Conv2D", "filters": 4, "kernel_size": 3}, {"type": "MaxPooling2D"},
            {"type": "MaxPooling2D"}]"#,
    );
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].path, "layers[6]");
    assert!(p[0]
        .message
        .contains("the feature map is 1×1 here, smaller than the 2×2 pool_size; use padding='same'"));
    let p = problems(
        &[28, 28, 1],
        r#"[{"type": "Flatten"}, {"type": "Conv2D", "filters": 4, "kernel_size": 3}]"#,
    );
    assert_eq!(p[0].path, "layers[1]");
    assert!(p[0]
        .message
        .contains("needs images of shape (None, height, width, channels) but gets (None, 784)"));
    let p = problems(
        &[28, 28, 1],
        r#"[{"type": "Conv2D", "filters": 0, "kernel_size": [0, 3], "strides": 0},
            {"type": "MaxPooling2D", "pool_size": 5000}, {"type": "BatchNormalization", "axis": 1, "momentum": 2}]"#,
    );
    let paths: Vec<&str> = p.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "layers[0].filters",
            "layers[0].kernel_size",
            "layers[0].strides",
            "layers[1].pool_size",
            "layers[2].axis",
            "layers[2].momentum"
        ]
    );
    // 8·8·512·10,000 = 327,680,000 weights > 20,000,000.
    let p = problems(
        &[8, 8, 512],
        r#"[{"type": "Conv2D", "filters": 10000, "kernel_size": 8}]"#,
    );
    assert_eq!(p[0].path, "layers[0].filters");
    assert!(p[0].message.contains("use fewer filters or a smaller kernel_size"));
    let p = problems(&[10], r#"[{"type": "Reshape", "target_shape": [3, -1]}]"#);
    assert_eq!(p[0].path, "layers[0].target_shape");
    assert!(p[0].message.contains("multiply to 10"));
}

#[test]
fn built_model_agrees_with_its_plan() {
    let l = layers(CNN);
    let m = Sequential::new(&[28, 28, 1], &l, 7).unwrap();
    assert_eq!(m.summary(), Summary::of(&[28, 28, 1], &l).unwrap());
}

#[test]
fn experiment_configs_take_keras_sizes_and_report_bad_ones_with_paths() {
    let cfg = |layers: &str| {
        let json = format!(
            r#"{{"dataset": "mnist", "layers": {layers}, "loss": "categorical_crossentropy",
                "optimizer": {{"name": "adam"}}}}"#
        );
        crate::config::ExperimentConfig::from_json(json.as_bytes()).map_err(|e| e.to_string())
    };
    let ok = cfg(
        r#"[{"type": "Conv2D", "filters": 2, "kernel_size": 3, "strides": [2, 1]},
        {"type": "BatchNormalization", "axis": -1}, {"type": "MaxPooling2D", "strides": null},
        {"type": "Reshape", "target_shape": [-1]}, {"type": "Dense", "units": 10}]"#,
    );
    assert!(ok.is_ok(), "{ok:?}");
    let e = cfg(r#"[{"type": "Conv2D", "filters": 2, "kernel_size": "3"}]"#).unwrap_err();
    assert!(
        e.contains("layers[0].kernel_size: kernel_size must be a whole number or a list like [3, 3]"),
        "{e}"
    );
    let e = cfg(r#"[{"type": "BatchNormalization", "axis": 3}]"#).unwrap_err();
    assert!(
        e.contains("layers[0].axis: axis must be a whole number from -1 to -1, got 3"),
        "{e}"
    );
}
