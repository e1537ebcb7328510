//! Names, Keras defaults, validation, accessors and the JSON form.

use super::*;

fn parse(s: &str) -> crate::Result<OptimizerConfig> {
    OptimizerConfig::from_json(s.as_bytes())
}

fn err(s: &str) -> String {
    parse(s).expect_err(s).to_string()
}

#[test]
fn defaults_equal_keras_3() {
    // Keras 3 constructor defaults (keras/src/optimizers/{sgd,adam,rmsprop,adagrad,nadam}.py).
    use OptimizerKind::*;
    let want = [
        (
            "SGD",
            Sgd {
                learning_rate: 0.01,
                momentum: 0.0,
                nesterov: false,
            },
        ),
        (
            "Adam",
            Adam {
                learning_rate: 0.001,
                beta_1: 0.9,
                beta_2: 0.999,
                epsilon: 1e-7,
                amsgrad: false,
            },
        ),
        (
            "RMSprop",
            Rmsprop {
                learning_rate: 0.001,
                rho: 0.9,
                momentum: 0.0,
                epsilon: 1e-7,
                centered: false,
            },
        ),
        (
            "Adagrad",
            Adagrad {
                learning_rate: 0.001,
                initial_accumulator_value: 0.1,
                epsilon: 1e-7,
            },
        ),
        (
            "Nadam",
            Nadam {
                learning_rate: 0.001,
                beta_1: 0.9,
                beta_2: 0.999,
                epsilon: 1e-7,
            },
        ),
    ];
    for (name, kind) in want {
        let c = OptimizerConfig::from_name(name).unwrap();
        assert_eq!(c, OptimizerConfig::with_kind(kind), "{name}");
        assert_eq!(c.name(), name.to_ascii_lowercase());
        c.validate().unwrap();
        assert_eq!(parse(&format!("{{\"name\":\"{name}\"}}")).unwrap(), c);
        assert_eq!(parse(&format!("\"{}\"", name.to_ascii_uppercase())).unwrap(), c);
    }
    // Keras' compile() default optimizer is "rmsprop".
    assert_eq!(OptimizerConfig::default().name(), "rmsprop");
}

#[test]
fn unknown_name_lists_the_valid_ones() {
    let e = OptimizerConfig::from_name("adamw").unwrap_err().to_string();
    assert!(
        e.contains("adamw") && e.contains("sgd, adam, rmsprop, adagrad, nadam"),
        "{e}"
    );
    let e = err(r#"{"name":"lion"}"#);
    assert!(
        e.contains("lion") && e.contains("sgd, adam, rmsprop, adagrad, nadam"),
        "{e}"
    );
    let e = err(r#"{"learning_rate":0.1}"#);
    assert!(e.contains("name") && e.contains("adagrad"), "{e}");
}

#[test]
fn unknown_or_inapplicable_field_is_named() {
    let e = err(r#"{"name":"adam","learning_rte":0.1}"#);
    assert!(e.contains("`learning_rte`") && e.contains("beta_1"), "{e}");
    // `nesterov` exists, but not for adam; the field comes before the name.
    let e = err(r#"{"nesterov":true,"name":"adam"}"#);
    assert!(e.contains("`nesterov`") && e.contains("adam"), "{e}");
    let e = err(r#"{"name":"sgd","rho":0.9}"#);
    assert!(e.contains("`rho`") && e.contains("momentum, nesterov"), "{e}");
    let e = err(r#"{"name":"sgd","momentum":"high"}"#);
    assert!(e.contains("`momentum`"), "{e}");
    let e = err(r#"{"name":"sgd","momentum":0.5,"momentum":0.6}"#);
    assert!(e.contains("duplicate") && e.contains("momentum"), "{e}");
    assert!(parse("42").is_err());
}

#[test]
fn values_are_validated_on_parse() {
    let cases = [
        (r#"{"name":"sgd","learning_rate":0}"#, "learning_rate"),
        (r#"{"name":"sgd","learning_rate":-1}"#, "learning_rate"),
        (r#"{"name":"sgd","learning_rate":1e60}"#, "learning_rate"),
        (r#"{"name":"sgd","momentum":1.0}"#, "momentum"),
        (r#"{"name":"sgd","momentum":-0.1}"#, "momentum"),
        (r#"{"name":"adam","beta_1":1.5}"#, "beta_1"),
        (r#"{"name":"nadam","beta_2":1}"#, "beta_2"),
        (r#"{"name":"adam","epsilon":0}"#, "epsilon"),
        (r#"{"name":"rmsprop","rho":1}"#, "rho"),
        (r#"{"name":"rmsprop","rho":0}"#, "rho"),
        (
            r#"{"name":"adagrad","initial_accumulator_value":-0.1}"#,
            "initial_accumulator_value",
        ),
        (r#"{"name":"adam","clipnorm":0}"#, "clipnorm"),
        (r#"{"name":"adam","clipvalue":-1}"#, "clipvalue"),
        (r#"{"name":"adam","clipnorm":1,"clipvalue":1}"#, "only one of"),
    ];
    for (json, word) in cases {
        let e = err(json);
        assert!(e.contains(word), "{json}: {e}");
    }
}

#[test]
fn json_round_trip_and_flat_shape() {
    let c = parse(
        r#"{"name":"Adam","learning_rate":0.01,"beta_1":0.8,"amsgrad":true,"epsilon":null,"global_clipnorm":1.5}"#,
    )
    .unwrap();
    assert_eq!(
        c,
        OptimizerConfig {
            kind: OptimizerKind::Adam {
                learning_rate: 0.01,
                beta_1: 0.8,
                beta_2: 0.999,
                epsilon: 1e-7,
                amsgrad: true
            },
            clipnorm: None,
            clipvalue: None,
            global_clipnorm: Some(1.5),
        }
    );
    let s = serde_json::to_string(&c).unwrap();
    assert_eq!(
        s,
        r#"{"name":"adam","learning_rate":0.01,"beta_1":0.8,"beta_2":0.999,"epsilon":1e-7,"amsgrad":true,"clipnorm":null,"clipvalue":null,"global_clipnorm":1.5}"#
    );
    for name in OPTIMIZER_NAMES {
        let mut c = OptimizerConfig::from_name(name).unwrap();
        c.clipvalue = Some(0.5);
        let back: OptimizerConfig = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c, "{name}");
    }
    // Integers are accepted where numbers are expected.
    assert_eq!(
        parse(r#"{"name":"sgd","learning_rate":1}"#).unwrap().learning_rate(),
        1.0
    );
}

#[test]
fn learning_rate_and_momentum_accessors() {
    let mut c = OptimizerConfig::from_name("sgd").unwrap();
    assert_eq!((c.learning_rate(), c.momentum()), (0.01, Some(0.0)));
    c.set_learning_rate(0.5).unwrap();
    c.set_momentum(0.9).unwrap();
    assert_eq!((c.learning_rate(), c.momentum()), (0.5, Some(0.9)));
    assert!(c
        .set_learning_rate(0.0)
        .unwrap_err()
        .to_string()
        .contains("learning_rate"));
    assert!(c.set_learning_rate(f32::NAN).is_err());
    assert!(c.set_momentum(1.0).unwrap_err().to_string().contains("momentum"));
    assert_eq!((c.learning_rate(), c.momentum()), (0.5, Some(0.9)));

    let mut a = OptimizerConfig::from_name("adam").unwrap();
    assert_eq!(a.momentum(), Some(0.9));
    a.set_momentum(0.7).unwrap();
    assert!(matches!(a.kind, OptimizerKind::Adam { beta_1, .. } if beta_1 == 0.7));
    let mut g = OptimizerConfig::from_name("adagrad").unwrap();
    assert_eq!(g.momentum(), None);
    assert!(g.set_momentum(0.5).unwrap_err().to_string().contains("adagrad"));
}

#[test]
fn state_layout_and_serde() {
    let c = parse(r#"{"name":"rmsprop","centered":true}"#).unwrap();
    let st = c.init_state(4);
    assert_eq!(st.slots.iter().map(Vec::len).collect::<Vec<_>>(), [4, 0, 4]);
    let a = OptimizerConfig::from_name("adagrad").unwrap().init_state(2);
    assert_eq!(a.slots, vec![vec![0.1f32; 2]]);
    assert!(OptimizerConfig::from_name("sgd")
        .unwrap()
        .init_state(3)
        .slots
        .is_empty());
    let s = serde_json::to_string(&st).unwrap();
    assert_eq!(serde_json::from_str::<ParamState>(&s).unwrap(), st);
    let e = c.check_state(4, &a).unwrap_err().to_string();
    assert!(e.contains("slot 0"), "{e}");
    let n = OptimizerConfig::from_name("nadam").unwrap();
    assert_eq!(n.init_global().values, vec![1.0]);
}
