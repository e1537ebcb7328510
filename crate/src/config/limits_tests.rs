//! Sizes: absurd layer widths, model sizes, memory, batch sizes and layer
//! counts are refused with a message saying what to reduce (issue 15).

use super::parse_tests::parse_problem;
use super::tests::{cfg, images, mnist_json, path_of, problem_list};
use super::*;
use crate::Error;

#[test]
fn absurd_model_sizes_are_a_config_problem() {
    let json = mnist_json("").replace(r#""units":128"#, r#""units":100000000"#);
    assert_eq!(
        parse_problem(&json),
        "layers[1].units: units must be a whole number from 1 to 1,000,000, got 100000000"
    );
    let mut c = cfg(&mnist_json(""));
    c.layers[1] = LayerConfig::dense(100_000_000, crate::activations::Activation::Relu);
    let Err(Error::Invalid(p)) = c.validate(&images(10)) else {
        panic!("accepted")
    };
    assert_eq!(
        path_of(
            &p,
            "units is 100,000,000; Gradient Lab allows at most 1,000,000 in one layer"
        ),
        "layers[1].units"
    );
    // 60,000 units on 784 inputs: 47,040,000 weights in one layer (issue 15.6:
    // validation refuses what the builder would refuse).
    let json = mnist_json("").replace(r#""units":128"#, r#""units":60000"#);
    let p = problem_list(&json, &images(10));
    assert_eq!(
        path_of(&p, "60,000 units on 784 inputs would need 47,040,000 weights"),
        "layers[1].units"
    );
    // (784·4000 + 4000) + 3 × (4000·4000 + 4000) + (4000·10 + 10) = 51,192,010.
    let wide = r#"{"type":"Dense","units":4000,"activation":"relu"},"#.repeat(4);
    let json = mnist_json("").replace(r#"{"type":"Dense","units":128,"activation":"relu"},"#, &wide);
    let p = problem_list(&json, &images(10));
    assert_eq!(
        path_of(
            &p,
            "the model would have 51,192,010 parameters; Gradient Lab trains at most 50,000,000"
        ),
        "layers"
    );
}

#[test]
fn memory_layer_count_and_batch_size_are_bounded() {
    // Issue 15.5: circles + Dense(9,900,000) built, then aborted allocating 15.8 GB.
    let circles = crate::data::circles(40, 0.1, 0.5, 1);
    let json = r#"{"dataset":"circles","layers":[{"type":"Dense","units":9900000,"activation":"relu"},
        {"type":"Dense","units":2,"activation":"softmax"}],"loss":"categorical_crossentropy","optimizer":"adam"}"#;
    assert_eq!(
        parse_problem(json),
        "layers[0].units: units must be a whole number from 1 to 1,000,000, got 9900000"
    );
    // 900,000 units are within every parameter limit (4.5 M) but a batch of
    // 128 needs 128·(2 + 900,000 + 2)·16 B ≈ 1,757.8 MB (1,758, rounded up) of activations.
    let wide = json.replace("9900000", "900000");
    assert!(cfg(&wide).validate(&circles).is_ok());
    let p = problem_list(
        &wide.replace(r#""optimizer""#, r#""batch_size":128,"optimizer""#),
        &circles,
    );
    assert_eq!(
        path_of(&p, "a batch of 128 samples through this model needs about 1,758 MB"),
        "batch_size"
    );
    assert_eq!(p.len(), 1, "{p:?}");
    // Issue 15.4: huge batch sizes are refused with a message, when parsed
    // and when validated.
    for bs in [u64::MAX, 1 << 32] {
        let json = mnist_json(&format!(r#","batch_size":{bs}"#));
        assert_eq!(
            parse_problem(&json),
            format!("batch_size: batch_size must be a whole number from 1 to 65,536, got {bs}")
        );
    }
    let mut c = cfg(&mnist_json(""));
    c.batch_size = usize::MAX;
    let Err(Error::Invalid(p)) = c.validate(&images(10)) else {
        panic!("accepted")
    };
    assert_eq!(
        path_of(&p, "Gradient Lab trains batches of at most 65,536"),
        "batch_size"
    );
    // Issue 15.23: a maximum number of layers.
    let many = r#"{"type":"Dense","units":10,"activation":"relu"},"#.repeat(20_000);
    let json = mnist_json("").replace(r#"{"type":"Flatten"},"#, &format!(r#"{{"type":"Flatten"}},{many}"#));
    let p = problem_list(&json, &images(10));
    assert_eq!(
        path_of(&p, "the model has 20,003 layers; Gradient Lab builds at most 100"),
        "layers"
    );
}

#[test]
fn a_model_whose_file_would_pass_256_mb_is_refused_with_its_optimizer() {
    // 784 → Dense(u) → Dense(10): 795·u + 10 parameters. Adam keeps m and v,
    // so its file holds 3 values (16 bytes of base64) per parameter: at most
    // 256 MiB / 16 = 16,777,216 parameters.
    let model = |units: usize, optimizer: &str| {
        mnist_json("")
            .replace(r#""units":128"#, &format!(r#""units":{units}"#))
            .replace(r#"{"name":"adam"}"#, optimizer)
    };
    let adam = r#"{"name":"adam"}"#;
    assert!(
        cfg(&model(21_100, adam)).validate(&images(10)).is_ok(),
        "16,774,510 parameters fit"
    );
    let p = problem_list(&model(21_110, adam), &images(10));
    assert_eq!(
        path_of(
            &p,
            "this model has 16,782,460 parameters, and adam keeps 2 more values for each weight: its model \
             file (written to keep or download the model, and while it trains to recover it after a crash) \
             would be about 257 MB, and Gradient Lab writes at most 256 MB: use fewer units (at most about \
             16,777,216 parameters with adam)"
        ),
        "layers"
    );
    assert_eq!(p.len(), 1, "{p:?}");
    // The page's crash (a 40-million-parameter Adam model ran out of memory
    // saving its snapshot) is now a problem before anything is built; the
    // same layers with plain SGD (no values per weight) make a 211 MB file.
    let big = mnist_json("").replace(
        r#"{"type":"Dense","units":128,"activation":"relu"},"#,
        r#"{"type":"Dense","units":25000,"activation":"relu"},{"type":"Dense","units":800,"activation":"relu"},"#,
    );
    let p = problem_list(&big, &images(10));
    assert_eq!(
        path_of(&p, "this model has 39,633,810 parameters, and adam keeps 2 more"),
        "layers"
    );
    assert!(p[0].message.contains("would be about 605 MB"), "{p:?}");
    let sgd = big.replace(r#"{"name":"adam"}"#, r#"{"name":"sgd"}"#);
    assert!(cfg(&sgd).validate(&images(10)).is_ok());
    let p = problem_list(
        &big.replace(r#"{"name":"adam"}"#, r#"{"name":"sgd","momentum":0.9}"#),
        &images(10),
    );
    assert_eq!(path_of(&p, "and sgd keeps 1 more value for each weight"), "layers");
    assert!(
        p[0].message.contains("at most about 25,165,824 parameters with sgd"),
        "{p:?}"
    );
}
