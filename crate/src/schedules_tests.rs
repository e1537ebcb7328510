//! Schedule values at several steps against hand-derived values of the
//! Keras formulas (powers of 1/2 and cosines at multiples of π/4).

use super::*;

fn close(got: f32, want: f64) {
    assert!(
        (got as f64 - want).abs() <= 1e-6 * want.abs() + 1e-12,
        "got {got}, want {want}"
    );
}

#[test]
fn exponential_decay() {
    let s = Schedule::ExponentialDecay {
        initial_learning_rate: 0.1,
        decay_steps: 10,
        decay_rate: 0.5,
        staircase: false,
    };
    s.validate().unwrap();
    close(s.learning_rate(0, 0), 0.1);
    close(s.learning_rate(5, 0), 0.1 / 2f64.sqrt()); // 0.5^(1/2)
    close(s.learning_rate(10, 3), 0.05);
    close(s.learning_rate(25, 0), 0.1 / 2f64.powf(2.5));
    let st = Schedule::ExponentialDecay {
        initial_learning_rate: 0.1,
        decay_steps: 10,
        decay_rate: 0.5,
        staircase: true,
    };
    close(st.learning_rate(9, 0), 0.1);
    close(st.learning_rate(19, 0), 0.05);
    close(st.learning_rate(20, 0), 0.025);
}

fn cosine(lr0: f32, decay_steps: u64, alpha: f32) -> Schedule {
    Schedule::CosineDecay {
        initial_learning_rate: lr0,
        decay_steps,
        alpha,
        warmup_target: None,
        warmup_steps: 0,
    }
}

fn warm(lr0: f32, warmup_target: Option<f32>, warmup_steps: u64) -> Schedule {
    Schedule::CosineDecay {
        initial_learning_rate: lr0,
        decay_steps: 10,
        alpha: 0.0,
        warmup_target,
        warmup_steps,
    }
}

#[test]
fn cosine_decay_with_warmup() {
    // Keras 3 docstring example: from 0 up to 0.1 over 1000 steps, then decay over 1000.
    let s = Schedule::CosineDecay {
        initial_learning_rate: 0.0,
        decay_steps: 1000,
        alpha: 0.0,
        warmup_target: Some(0.1),
        warmup_steps: 1000,
    };
    s.validate().unwrap();
    assert_eq!(s.learning_rate(0, 0), 0.0);
    close(s.learning_rate(250, 0), 0.025); // linear: 0.1 · 250/1000
    close(s.learning_rate(1000, 0), 0.1); // warmup done, cos(0) = 1
    close(s.learning_rate(1500, 0), 0.05); // cos(π/2) = 0
    assert!(s.learning_rate(5000, 0).abs() < 1e-7);
    let json = serde_json::to_string(&s).unwrap();
    assert!(
        json.contains("\"warmup_target\":0.1") && json.contains("\"warmup_steps\":1000"),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), s);
    assert!(!serde_json::to_string(&cosine(0.1, 10, 0.0)).unwrap().contains("warmup"));
}

#[test]
fn cosine_decay() {
    let s = cosine(1.0, 100, 0.0);
    s.validate().unwrap();
    close(s.learning_rate(0, 0), 1.0);
    close(s.learning_rate(25, 0), 0.5 * (1.0 + 0.5f64.sqrt())); // cos(π/4) = √½
    close(s.learning_rate(50, 0), 0.5); // cos(π/2) = 0
    assert!(s.learning_rate(100, 0).abs() < 1e-7);
    assert!(s.learning_rate(1000, 0).abs() < 1e-7, "stays at the end");
    let a = cosine(0.2, 100, 0.1);
    close(a.learning_rate(50, 0), 0.2 * (0.9 * 0.5 + 0.1));
    close(a.learning_rate(100, 0), 0.02);
    close(a.learning_rate(500, 0), 0.02);
}

#[test]
fn step_decay() {
    let s = Schedule::StepDecay {
        initial_learning_rate: 0.1,
        factor: 0.5,
        every_epochs: 10,
    };
    s.validate().unwrap();
    for (epoch, want) in [(0, 0.1), (9, 0.1), (10, 0.05), (19, 0.05), (20, 0.025), (35, 0.0125)] {
        close(s.learning_rate(123_456, epoch), want);
    }
}

#[test]
fn json_shape_defaults_and_errors() {
    let s: Schedule = serde_json::from_str(
        r#"{"type":"exponential_decay","initial_learning_rate":0.1,"decay_steps":100,"decay_rate":0.9}"#,
    )
    .unwrap();
    assert_eq!(
        s,
        Schedule::ExponentialDecay {
            initial_learning_rate: 0.1,
            decay_steps: 100,
            decay_rate: 0.9,
            staircase: false
        }
    );
    let c: Schedule =
        serde_json::from_str(r#"{"type":"cosine_decay","initial_learning_rate":0.1,"decay_steps":100}"#).unwrap();
    assert_eq!(c, cosine(0.1, 100, 0.0));
    for s in [
        s,
        c,
        Schedule::StepDecay {
            initial_learning_rate: 0.1,
            factor: 0.5,
            every_epochs: 3,
        },
    ] {
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.starts_with(&format!("{{\"type\":\"{}\"", s.type_name())), "{json}");
        assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), s);
    }
    let e = serde_json::from_str::<Schedule>(r#"{"type":"linear","initial_learning_rate":0.1}"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("linear") && e.contains("exponential_decay") && e.contains("step_decay"),
        "{e}"
    );
    let e = serde_json::from_str::<Schedule>(
        r#"{"type":"step_decay","initial_learning_rate":0.1,"factor":0.5,"every_epochs":2,"drop":1}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("drop"), "{e}");
}

#[test]
fn validation_names_the_field() {
    let bad = [
        (
            Schedule::ExponentialDecay {
                initial_learning_rate: 0.1,
                decay_steps: 0,
                decay_rate: 0.9,
                staircase: false,
            },
            "decay_steps",
        ),
        (
            Schedule::ExponentialDecay {
                initial_learning_rate: 0.1,
                decay_steps: 10,
                decay_rate: 0.0,
                staircase: false,
            },
            "decay_rate",
        ),
        (cosine(0.1, 10, 1.5), "alpha"),
        (cosine(-0.1, 10, 0.0), "initial_learning_rate"),
        (warm(0.1, None, 5), "warmup_target"),
        (warm(0.1, Some(0.0), 5), "warmup_target"),
        (warm(-0.1, Some(0.1), 5), "initial_learning_rate"),
        (
            Schedule::StepDecay {
                initial_learning_rate: 0.1,
                factor: 0.5,
                every_epochs: 0,
            },
            "every_epochs",
        ),
        (
            Schedule::StepDecay {
                initial_learning_rate: 0.1,
                factor: f32::NAN,
                every_epochs: 1,
            },
            "factor",
        ),
    ];
    for (s, field) in bad {
        let e = s.validate().unwrap_err().to_string();
        assert!(e.contains(field), "{e}");
    }
}
