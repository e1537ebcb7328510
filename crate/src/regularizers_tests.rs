//! Regularizers against Keras' formulas, worked by hand.

use super::*;

fn parse(json: &str) -> RegularizerConfig {
    serde_json::from_str(json).unwrap()
}

#[test]
fn keras_defaults_and_json_forms() {
    // keras/src/regularizers/regularizers.py: L1(l1=0.01), L2(l2=0.01), L1L2(l1=0.0, l2=0.0).
    assert_eq!((parse(r#""l1""#).l1, parse(r#""l1""#).l2), (0.01, 0.0));
    assert_eq!((parse(r#""l2""#).l1, parse(r#""l2""#).l2), (0.0, 0.01));
    assert_eq!((parse(r#""l1_l2""#).l1, parse(r#""l1_l2""#).l2), (0.0, 0.0));
    let custom = parse(r#"{"name": "l2", "l2": 0.001}"#);
    assert_eq!(custom.l2, 0.001);
    let text = serde_json::to_string(&custom).unwrap();
    assert_eq!(text, r#"{"name":"l2","l2":0.001}"#);
    assert_eq!(parse(&text), custom);
    assert_eq!(serde_json::to_string(&parse(r#"{"name": "l1"}"#)).unwrap(), r#""l1""#);
    let e = serde_json::from_str::<RegularizerConfig>(r#"{"name": "l2", "l1": 0.1}"#).unwrap_err();
    assert!(e.to_string().contains("l2 takes l2, not l1"), "{e}");
}

#[test]
fn penalty_and_gradient_by_hand() {
    // w = [0.5, -2, 0], l1 = 0.1, l2 = 0.01:
    // penalty = 0.1·(0.5 + 2 + 0) + 0.01·(0.25 + 4 + 0) = 0.25 + 0.0425 = 0.2925
    // grad    = 0.1·sign(w) + 0.02·w = [0.1 + 0.01, -0.1 - 0.04, 0 + 0] = [0.11, -0.14, 0]
    // (sign(0) = 0, as TF's sign).
    let r = parse(r#"{"name": "l1_l2", "l1": 0.1, "l2": 0.01}"#);
    let w = [0.5f32, -2.0, 0.0];
    let mut g = [1.0f32, 1.0, 1.0];
    let p = r.add_to_grad(&w, &mut g);
    assert!((p - 0.2925).abs() < 1e-7, "{p}");
    let want = [1.11f32, 0.86, 1.0];
    for (a, b) in g.iter().zip(want) {
        assert!((a - b).abs() < 1e-6, "{g:?}");
    }
}

#[test]
fn negative_or_non_finite_factors_are_problems() {
    let r = parse(r#"{"name": "l2", "l2": -0.1}"#);
    let p = r.check();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].path, "l2");
    assert!(p[0].message.contains("≥ 0"), "{}", p[0].message);
    assert!(parse(r#""l1_l2""#).check().is_empty());
}
