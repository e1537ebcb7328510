//! Activation names, known values, softmax stability, NaN propagation. Derivatives
//! are checked by finite differences in tests/gradcheck_activations.rs.

use super::*;

#[test]
fn names_round_trip_through_json() {
    for a in Activation::ALL {
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, format!("\"{}\"", a.name()));
        assert_eq!(serde_json::from_str::<Activation>(&json).unwrap(), a);
        assert_eq!(Activation::from_name(a.name()).unwrap(), a);
    }
    assert_eq!(Activation::default(), Activation::Linear);
    let err = Activation::from_name("rellu").unwrap_err().to_string();
    assert!(err.contains("rellu") && err.contains("leaky_relu"), "{err}");
    assert!(serde_json::from_str::<Activation>("\"swish\"").is_err());
}

#[test]
fn known_values() {
    // Hand values: sigmoid(0)=0.5, tanh(0)=0, elu(-1)=e^-1-1, leaky(-2)=-0.4, step(0)=1.
    assert_eq!(Activation::Sigmoid.scalar(0.0), Some(0.5));
    assert_eq!(Activation::Tanh.scalar(0.0), Some(0.0));
    let elu = Activation::Elu.scalar(-1.0).unwrap() as f64;
    assert!((elu - ((-1f64).exp() - 1.0)).abs() < 1e-7);
    assert!((Activation::LeakyRelu.scalar(-2.0).unwrap() + 0.4).abs() < 1e-7);
    assert_eq!(Activation::Step.scalar(0.0), Some(1.0));
    assert_eq!(Activation::Step.scalar(-1e-6), Some(0.0));
    assert_eq!(Activation::Softmax.scalar(1.0), None);
    assert!(!Activation::Step.has_gradient());
    assert!(Activation::Relu.has_gradient());
}

#[test]
fn softmax_is_stable_and_sums_to_one() {
    // exp(1000) overflows f32; with the max subtracted the row is [e^-1, 1]/(1+e^-1).
    let mut x = vec![999.0f32, 1000.0, -1000.0, 0.0];
    Activation::Softmax.apply(&mut x, 2);
    let e = (-1f64).exp();
    assert!((x[0] as f64 - e / (1.0 + e)).abs() < 1e-6);
    assert!((x[1] as f64 - 1.0 / (1.0 + e)).abs() < 1e-6);
    assert!(x[2] < 1e-30 && (x[3] - 1.0).abs() < 1e-6);
}

#[test]
fn step_backward_is_refused() {
    let y = [1.0f32, 0.0];
    let mut g = [1.0f32, 1.0];
    let err = Activation::Step.backward_in_place(&y, &mut g, 2).unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("sigmoid/tanh")),
        "{err}"
    );
}

#[test]
fn nan_propagates_through_every_activation() {
    // A diverged pre-activation must stay visible to the loss's finiteness check.
    for a in Activation::ALL {
        if a == Activation::Step {
            continue;
        }
        let mut x = vec![f32::NAN, 1.0];
        a.apply(&mut x, 2);
        assert!(x[0].is_nan(), "{} hid a NaN", a.name());
    }
}
