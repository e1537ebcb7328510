//! The `gradlab` command line: output format, and errors as a message on
//! stderr with exit code 1 (never a panic).

mod cli_common;

use cli_common::{gradlab, text};

#[test]
fn train_prints_keras_style_epochs_and_the_test_result() {
    let out = gradlab(&["train", "configs/perceptron-or.json", "--epochs", "2"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Epoch 1/2\n1/1 - ") && stdout.contains("Epoch 2/2\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(" - loss: ") && stdout.contains(" - accuracy: ") && stdout.contains("samples/s"),
        "{stdout}"
    );
    assert!(stdout.contains("Test (4 samples): loss: "), "{stdout}");
}

#[test]
fn summary_and_validate() {
    let out = gradlab(&["summary", "configs/dmlp-relu-ce-adam.json"]);
    let stdout = text(&out.stdout);
    // 784·1024+1024 + 1024·512+512 + 2·(512·512+512) + 512·10+10 = 1,859,082 (by hand).
    assert!(
        stdout.contains("Total params: 1,859,082"),
        "{stdout}{}",
        text(&out.stderr)
    );
    let out = gradlab(&["validate", "configs/mnist-128.json"]);
    assert!(out.status.success() && text(&out.stdout).contains("OK"));
}

#[test]
fn errors_go_to_stderr_with_exit_code_1() {
    let dir = std::env::temp_dir().join(format!("gradlab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"dataset":"mnist","layers":[{"type":"Dense","units":5}],"loss":"mse","optimizer":"adam"}"#,
    )
    .unwrap();
    let cases: [&[&str]; 4] = [
        &["validate", bad.to_str().unwrap()],
        &["train", "configs/no-such-config.json"],
        &["frobnicate"],
        &["train", "configs/xor-mlp.json", "--epochs", "many"],
    ];
    for args in cases {
        let out = gradlab(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr.starts_with("error: ") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
    let stderr = text(&gradlab(&["validate", bad.to_str().unwrap()]).stderr);
    assert!(
        stderr.contains("add a Flatten layer before it") && stderr.contains("set units to 10"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn train_warns_when_the_run_is_stuck_at_chance() {
    // Issue 15.24: SGD at lr 10 with cross-entropy ends at chance; the CLI says so and what to change.
    let dir = std::env::temp_dir().join(format!("gradlab-cli-chance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("lr10.json");
    std::fs::write(
        &cfg,
        r#"{"dataset":"mnist","layers":[{"type":"Flatten"},{"type":"Dense","units":32,"activation":"relu"},
        {"type":"Dense","units":10,"activation":"softmax"}],"loss":"categorical_crossentropy",
        "optimizer":{"name":"sgd","learning_rate":10},"batch_size":256,"epochs":2,"validation_split":0}"#,
    )
    .unwrap();
    let out = gradlab(&["train", cfg.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Warning: The loss is stuck at ")
            && stdout.contains("accuracy at chance")
            && stdout.contains("The learning rate 10 is far too high for sgd; try 0.01–0.1."),
        "{stdout}"
    );
    let out = gradlab(&["train", "configs/perceptron-or.json", "--epochs", "2"]);
    assert!(!text(&out.stdout).contains("Warning"), "{}", text(&out.stdout));
    std::fs::remove_dir_all(&dir).ok();
}
