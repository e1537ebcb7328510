//! Tests that run inside headless Chromium (wasm-bindgen-test), on the
//! threaded build: the rayon pool over Web Workers, the SIMD GEMM against the
//! reference, and a whole training session through the facade.
//! Run by `scripts/test` (cargo test --target wasm32-unknown-unknown --features threads --test wasm).
#![cfg(target_arch = "wasm32")]

use gradlab::kernels::gemm::{sgemm, sgemm_reference};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn pool() {
    // The pool can be started once per page; later calls fail, which is fine.
    let _ = JsFuture::from(gradlab::wasm::init_thread_pool(2)).await;
}

#[wasm_bindgen_test]
async fn rayon_pool_runs_on_two_web_workers() {
    pool().await;
    assert_eq!(gradlab::wasm::threads(), 2);
    assert_eq!(rayon::broadcast(|c| c.index()), vec![0, 1]);
}

fn fill(n: usize, seed: u32) -> Vec<f32> {
    (0..n)
        .map(|i| (((i as u32).wrapping_mul(2654435761) ^ seed) % 1000) as f32 / 500.0 - 1.0)
        .collect()
}

#[wasm_bindgen_test]
async fn simd_gemm_matches_reference_on_odd_shapes_with_threads() {
    pool().await;
    for &(m, n, k) in &[(1, 1, 1), (7, 13, 5), (65, 33, 129), (200, 300, 150)] {
        for &(ta, tb) in &[(false, false), (true, false), (false, true), (true, true)] {
            let a = fill(m * k, 1);
            let b = fill(k * n, 2);
            let (lda, ldb) = (if ta { m } else { k }, if tb { k } else { n });
            let mut c = fill(m * n, 3);
            let mut r = c.clone();
            sgemm(ta, tb, m, n, k, 0.5, &a, lda, &b, ldb, 2.0, &mut c, n);
            sgemm_reference(ta, tb, m, n, k, 0.5, &a, lda, &b, ldb, 2.0, &mut r, n);
            for (x, y) in c.iter().zip(&r) {
                assert!(
                    (x - y).abs() <= 1e-4 * (1.0 + y.abs()),
                    "{m}x{n}x{k} {ta} {tb}: {x} vs {y}"
                );
            }
        }
    }
}

#[wasm_bindgen_test]
async fn two_runs_share_one_data_and_learn_xor_in_the_browser() {
    use gradlab::wasm::{Data, Run};
    pool().await;
    let cfg = r#"{"dataset":"xor","layers":[{"type":"Dense","units":8,"activation":"tanh"},
        {"type":"Dense","units":1,"activation":"sigmoid"}],"loss":"binary_crossentropy",
        "optimizer":{"name":"adam","learning_rate":0.05},"batch_size":4,"epochs":600,"seed":1}"#;
    // One dataset, two runs over it (the worker's race): same config and seed
    // give the same weights, whatever else runs beside them.
    let data = Data::new("xor", js_sys::Array::new(), 1.0).expect("xor data");
    let mut a = Run::new(cfg, &data).expect("run a");
    let mut b = Run::new(cfg, &data).expect("run b");
    let first = a.predict(&[0., 0., 0., 1., 1., 0., 1., 1.]).unwrap();
    for _ in 0..6 {
        a.train(100).unwrap();
        b.train(100).unwrap();
    }
    assert_eq!(
        a.weights_hash(),
        b.weights_hash(),
        "lock-step runs on one Data diverged"
    );
    let out = a.predict(&[0., 0., 0., 1., 1., 0., 1., 1.]).unwrap();
    assert_ne!(first, out);
    let want = [0.0, 1.0, 1.0, 0.0];
    for (o, w) in out.iter().zip(want) {
        assert!((o - w).abs() < 0.2, "xor output {out:?}");
    }
    // Bad input is an error, not a panic.
    assert!(a.predict(&[1.0, 2.0, 3.0]).is_err());
    assert!(Run::new("{not json", &data).is_err());
    // A config for another dataset cannot run on this one.
    assert!(Run::new(&cfg.replace(r#""xor""#, r#""iris""#), &data).is_err());
}

#[wasm_bindgen_test]
fn inspect_reports_each_problem_once_and_summarises_valid_models() {
    use wasm_bindgen::JsValue;
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    // Dense straight on 2-D points with the wrong output size: validation and
    // the model build would both object to it; it must be listed once.
    let bad = r#"{"dataset":"xor","layers":[{"type":"Dense","units":3,"activation":"softmax"},
        {"type":"Dropout","rate":1.5}],"loss":"binary_crossentropy","optimizer":"adam"}"#;
    let r = gradlab::wasm::inspect(bad).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::FALSE);
    let problems: Vec<(String, String)> = js_sys::Array::from(&get(&r, "problems"))
        .iter()
        .map(|p| {
            let s = |k| get(&p, k).as_string().unwrap_or_default();
            (s("path"), s("message"))
        })
        .collect();
    let dropout: Vec<_> = problems.iter().filter(|(_, m)| m.contains("rate")).collect();
    assert_eq!(dropout.len(), 1, "the Dropout rate problem once: {problems:?}");
    assert_eq!(dropout[0].0, "layers[1].rate");
    assert!(get(&r, "summary").is_null());
    let schema = gradlab::wasm::schema().unwrap();
    assert_eq!(get(&schema, "version").as_f64(), Some(1.0));

    let good = r#"{"dataset":"xor","layers":[{"type":"Dense","units":8,"activation":"tanh"},
        {"type":"Dense","units":1,"activation":"sigmoid"}],"loss":"binary_crossentropy","optimizer":"adam"}"#;
    let r = gradlab::wasm::inspect(good).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE);
    assert_eq!(js_sys::Array::from(&get(&r, "problems")).length(), 0);
    assert_eq!(
        get(&get(&r, "summary"), "total_params").as_f64(),
        Some((2 * 8 + 8 + 8 + 1) as f64)
    );
}
