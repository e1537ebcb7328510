//! LayerConfig JSON (Keras class names and defaults), validation messages,
//! and the layers it builds (Flatten order, Softmax rows, Activation).

use super::*;
use crate::initializers::Initializer;
use crate::rng::Rng;
use crate::tensor::Tensor;
use crate::Error;
use ndarray::IxDyn;

fn parse(json: &str) -> std::result::Result<LayerConfig, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

#[test]
fn dense_defaults_are_keras() {
    let c = parse(r#"{"type":"Dense","units":128,"activation":"relu"}"#).unwrap();
    assert_eq!(c, LayerConfig::dense(128, Activation::Relu));
    let LayerConfig::Dense(DenseConfig {
        use_bias,
        kernel_initializer,
        bias_initializer,
        ..
    }) = c
    else {
        panic!("not Dense")
    };
    assert!(use_bias);
    assert_eq!(kernel_initializer, Initializer::GlorotUniform);
    assert_eq!(bias_initializer, Initializer::Zeros);
    assert_eq!(
        parse(r#"{"type":"Dense","units":3}"#).unwrap(),
        LayerConfig::dense(3, Activation::Linear)
    );
    assert_eq!(
        parse(r#"{"type":"Dense","units":3,"activation":null}"#).unwrap(),
        LayerConfig::dense(3, Activation::Linear)
    );
    let c = parse(
        r#"{"type":"Dense","units":3,"use_bias":false,"kernel_initializer":"he_normal","bias_initializer":"ones"}"#,
    )
    .unwrap();
    assert_eq!(
        c,
        LayerConfig::Dense(DenseConfig {
            units: 3,
            activation: Activation::Linear,
            use_bias: false,
            kernel_initializer: Initializer::HeNormal.into(),
            bias_initializer: Initializer::Ones.into(),
            kernel_regularizer: None,
            bias_regularizer: None,
        })
    );
}

#[test]
fn every_kind_parses_and_round_trips() {
    let cases = [
        (r#"{"type":"Activation","activation":"tanh"}"#, "Activation"),
        (r#"{"type":"Dropout","rate":0.2}"#, "Dropout"),
        (r#"{"type":"Flatten"}"#, "Flatten"),
        (r#"{"type":"Softmax"}"#, "Softmax"),
        (r#"{"type":"Dense","units":10,"activation":"softmax"}"#, "Dense"),
    ];
    for (json, kind) in cases {
        let c = parse(json).unwrap();
        assert_eq!(c.kind(), kind);
        let back: LayerConfig = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        assert_eq!(c.build_layer().unwrap().kind(), kind);
    }
    assert_eq!(
        serde_json::to_string(&LayerConfig::flatten()).unwrap(),
        r#"{"type":"Flatten"}"#
    );
}

#[test]
fn typos_and_bad_values_are_reported() {
    let e = parse(r#"{"type":"Dense","unit":128}"#).unwrap_err();
    assert!(e.contains("unit"), "{e}");
    let e = parse(r#"{"type":"Dense","units":128,"activaton":"relu"}"#).unwrap_err();
    assert!(e.contains("activaton"), "{e}");
    let e = parse(r#"{"type":"Dense","units":8,"activation":"rellu"}"#).unwrap_err();
    assert!(e.contains("rellu"), "{e}");
    let e = parse(r#"{"type":"Dense2","units":8}"#).unwrap_err();
    assert!(e.contains("Dense2"), "{e}");
    let e = parse(r#"{"type":"Dropout","rate":0.2,"seed":3}"#).unwrap_err();
    assert!(e.contains("seed"), "{e}");
    let e = parse(r#"{"type":"Flatten","data_format":"channels_first"}"#).unwrap_err();
    assert!(e.contains("data_format"), "{e}");
    let e = parse(r#"{"type":"Dense","units":-3}"#).unwrap_err();
    assert!(e.contains("-3"), "{e}");

    let e = LayerConfig::dense(0, Activation::Relu)
        .validate()
        .unwrap_err()
        .to_string();
    assert!(e.contains("at least 1"), "{e}");
    let e = parse(r#"{"type":"Dropout","rate":1.0}"#)
        .unwrap()
        .build_layer()
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("below 1"), "{e}");
    assert!(LayerConfig::dropout(0.5).validate().is_ok());
}

#[test]
fn flatten_keeps_nhwc_order_and_restores_the_shape() {
    let mut f = LayerConfig::flatten().build_layer().unwrap();
    assert_eq!(f.build(&[2, 3, 2], &mut Rng::new(0)).unwrap(), vec![12]);
    let x = Tensor::from_shape_fn(IxDyn(&[2, 2, 3, 2]), |i| {
        (i[0] * 100 + i[1] * 6 + i[2] * 2 + i[3]) as f32
    });
    let y = f.forward(&x, true).unwrap().clone();
    assert_eq!(y.shape(), &[2, 12]);
    assert_eq!(
        y.as_slice().unwrap()[12..].to_vec(),
        (100..112).map(|v| v as f32).collect::<Vec<_>>()
    );
    let dx = f.backward(&y).unwrap();
    assert_eq!(dx, &x);
    assert!(f.forward(&Tensor::zeros(IxDyn(&[2, 3, 2, 2])), false).is_err());
}

#[test]
fn softmax_and_activation_layers() {
    let mut s = LayerConfig::softmax().build_layer().unwrap();
    s.build(&[3], &mut Rng::new(0)).unwrap();
    let x = Tensor::from_shape_vec(vec![2, 3], vec![1.0, 2.0, 3.0, 1000.0, 1000.0, 1000.0]).unwrap();
    let y = s.forward(&x, false).unwrap();
    // softmax([1,2,3]) = e^(i-3) / (e^-2 + e^-1 + 1); a constant row is uniform.
    let z = (-2f64).exp() + (-1f64).exp() + 1.0;
    let expected = [
        (-2f64).exp() / z,
        (-1f64).exp() / z,
        1.0 / z,
        1.0 / 3.0,
        1.0 / 3.0,
        1.0 / 3.0,
    ];
    for (a, b) in y.iter().zip(expected) {
        assert!((*a as f64 - b).abs() < 1e-6, "{a} vs {b}");
    }
    let mut a = LayerConfig::activation_layer(Activation::Tanh).build_layer().unwrap();
    a.build(&[2, 2], &mut Rng::new(0)).unwrap();
    let x = Tensor::from_elem(IxDyn(&[1, 2, 2]), 0.5);
    assert!(a
        .forward(&x, true)
        .unwrap()
        .iter()
        .all(|&v| (v as f64 - 0.5f64.tanh()).abs() < 1e-7));
    let mut st = LayerConfig::activation_layer(Activation::Step).build_layer().unwrap();
    st.build(&[2], &mut Rng::new(0)).unwrap();
    st.forward(&Tensor::zeros(IxDyn(&[1, 2])), true).unwrap();
    assert!(matches!(
        st.backward(&Tensor::zeros(IxDyn(&[1, 2]))),
        Err(Error::Config(_))
    ));
}
