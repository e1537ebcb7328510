//! Model files: round trips and every rejection.

use std::ops::ControlFlow;

use serde_json::Value;

use super::io::{decode_f32, encode_f32, load, load_into, save, save_model};
use super::Trainer;
use crate::config::ExperimentConfig;
use crate::data::gaussians;
use crate::Error;

fn trainer(optimizer: &str) -> Trainer {
    trainer_with(optimizer, r#"{"type":"Dropout","rate":0.2},"#)
}

fn trainer_with(optimizer: &str, dropout: &str) -> Trainer {
    let json = format!(
        r#"{{"dataset":"gaussians","layers":[{{"type":"Dense","units":6,"activation":"relu"}},
        {dropout}{{"type":"Dense","units":3,"activation":"softmax"}}],
        "loss":"categorical_crossentropy","optimizer":{optimizer},"batch_size":10,"epochs":4}}"#
    );
    let cfg = ExperimentConfig::from_json(json.as_bytes()).unwrap();
    Trainer::new(cfg, gaussians(60, 0.5, 3, 3), None).unwrap()
}

fn fit(t: &mut Trainer) {
    t.fit(|_| ControlFlow::Continue(())).unwrap();
}

fn file_error(bytes: &[u8]) -> String {
    match load(bytes) {
        Err(Error::ModelFile(m)) => m,
        Err(other) => panic!("expected a model-file error, got {other:?}"),
        Ok(_) => panic!("the file was accepted"),
    }
}

/// The saved file as JSON, changed by `f`, back to bytes.
fn edited(file: &str, f: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v: Value = serde_json::from_str(file).unwrap();
    f(&mut v);
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn base64_of_little_endian_f32() {
    // 1.0f32 = 0x3F800000 -> LE bytes 00 00 80 3F -> base64 "AACAPw==" (RFC 4648 by hand).
    assert_eq!(encode_f32(&[1.0]), "AACAPw==");
    assert_eq!(decode_f32("AACAPw==", 1, "w").unwrap(), vec![1.0]);
    let vals = [0.0, -2.5, 3.25e-8, f32::MAX];
    assert_eq!(decode_f32(&encode_f32(&vals), 4, "w").unwrap(), vals);
}

#[test]
fn long_data_decodes_chunk_by_chunk_with_the_same_values_and_messages() {
    // 2,000 values: two whole 768-value chunks and a last one of 464 (with padding).
    let vals: Vec<f32> = (0..2000).map(|i| (i as f32 - 1000.0) * 0.37).collect();
    let text = encode_f32(&vals);
    assert_eq!(decode_f32(&text, 2000, "w").unwrap(), vals);
    assert_eq!(decode_f32(&format!("  {text}\n"), 2000, "w").unwrap(), vals);
    let mut bad = vals.clone();
    bad[1500] = f32::INFINITY;
    let e = decode_f32(&encode_f32(&bad), 2000, "w").unwrap_err().to_string();
    assert!(e.contains("w: value 1500 is inf"), "{e}");
    // Padding that ends the first chunk: the right length, but not one base64 text.
    let split = encode_f32(&vals[..767]) + &encode_f32(&vals[767..]);
    assert_eq!(split.len(), text.len());
    let e = decode_f32(&split, 2000, "w").unwrap_err().to_string();
    assert!(e.contains("not valid base64"), "{e}");
    let e = decode_f32(&text, 1999, "w").unwrap_err().to_string();
    assert!(
        e.contains("holds 8000 bytes but 1999 float32 values need 7996 bytes"),
        "{e}"
    );
}

#[test]
fn round_trip_gives_identical_predictions() {
    let mut t = trainer(r#"{"name":"adam"}"#);
    fit(&mut t);
    let x = {
        let ds = gaussians(15, 0.5, 3, 9);
        let mut x = crate::tensor::Tensor::zeros(ndarray::IxDyn(&[0]));
        ds.gather_x(&(0..15).collect::<Vec<_>>(), &mut x);
        x
    };
    let want = t.predict(&x).unwrap();
    let file = save(&t);
    let mut loaded = load(file.as_bytes()).unwrap();
    assert_eq!(loaded.config, t.config());
    assert_eq!(loaded.step, t.step());
    assert_eq!(loaded.history.as_ref(), Some(t.history()));
    assert_eq!(loaded.model.predict(&x, 7).unwrap(), want);
    let plain = save_model(&t.config(), t.model());
    assert_eq!(load(plain.as_bytes()).unwrap().model.weights(), t.model().weights());
    // Into a fresh trainer of the same experiment: weights, Adam state, step, history.
    let mut fresh = trainer(r#"{"name":"adam"}"#);
    load_into(&mut fresh, file.as_bytes()).unwrap();
    assert_eq!(fresh.predict(&x).unwrap(), want);
    assert_eq!((fresh.step(), fresh.epoch(), fresh.is_finished()), (t.step(), 4, true));
    assert_eq!(save(&fresh), file);
}

#[test]
fn resumed_training_matches_uninterrupted_training() {
    // No dropout: its noise restarts from the seed after a resume; everything
    // else (weights, Adam slots, step, the epoch permutation) carries over.
    let adam = r#"{"name":"adam"}"#;
    let mut full = trainer_with(adam, "");
    fit(&mut full);
    let mut half = trainer_with(adam, "");
    let bpe = half.batches_per_epoch();
    half.train_batches(2 * bpe).unwrap();
    let file = save(&half);
    let mut resumed = trainer_with(adam, "");
    resumed.resume(file.as_bytes()).unwrap();
    assert_eq!((resumed.step(), resumed.epoch()), (2 * bpe as u64, 2));
    fit(&mut resumed);
    assert_eq!(resumed.model().weights(), full.model().weights());
    assert_eq!(resumed.history(), full.history());
}

#[test]
fn load_weights_keeps_the_optimizer_and_checks_compatibility() {
    let mut a = trainer(r#"{"name":"sgd"}"#);
    fit(&mut a);
    let file = save(&a);
    let mut b = trainer(r#"{"name":"adam"}"#);
    // Another optimizer: only the weights are taken.
    load_into(&mut b, file.as_bytes()).unwrap();
    assert_eq!(b.model().weights(), a.model().weights());
    assert_eq!(b.step(), 0);
    assert!(matches!(b.resume(file.as_bytes()), Err(Error::ModelFile(m)) if m.contains("optimizer state is for sgd")));
    let mut wide = {
        let json = r#"{"dataset":"gaussians","layers":[{"type":"Dense","units":7,"activation":"relu"},
            {"type":"Dense","units":3,"activation":"softmax"}],"loss":"categorical_crossentropy","optimizer":"sgd"}"#;
        Trainer::new(
            ExperimentConfig::from_json(json.as_bytes()).unwrap(),
            gaussians(60, 0.5, 3, 3),
            None,
        )
        .unwrap()
    };
    let before = wide.model().weights();
    let e = wide.load_weights(file.as_bytes()).unwrap_err().to_string();
    assert!(e.contains("shape [2, 6] in the file but [2, 7] in the model"), "{e}");
    assert_eq!(wide.model().weights(), before, "nothing changes on error");
}

#[test]
fn every_bad_file_is_rejected_with_a_clear_message() {
    let mut t = trainer(r#"{"name":"sgd"}"#);
    fit(&mut t);
    let file = save(&t);
    assert!(file_error(b"{oops").contains("not valid JSON"));
    let m = file_error(&edited(&file, |v| v["format"] = "keras".into()));
    assert!(m.contains("not a Gradient Lab model"), "{m}");
    let m = file_error(&edited(&file, |v| v["version"] = 2.into()));
    assert!(m.contains("version 2 is not supported"), "{m}");
    let m = file_error(&edited(&file, |v| v["weights"][0]["shape"] = serde_json::json!([3, 6])));
    assert!(m.contains("shape [3, 6] in the file but [2, 6] in the model"), "{m}");
    let m = file_error(&edited(&file, |v| {
        v["weights"][1]["data"] = encode_f32(&[1.0; 5]).into()
    }));
    assert!(m.contains("holds 20 bytes but 6 float32 values need 24 bytes"), "{m}");
    let m = file_error(&edited(&file, |v| v["weights"][1]["data"] = "!!notbase64".into()));
    assert!(m.contains("not valid base64"), "{m}");
    let mut nan = vec![0.0f32; 6];
    nan[4] = f32::NAN;
    let m = file_error(&edited(&file, |v| v["weights"][1]["data"] = encode_f32(&nan).into()));
    assert!(m.contains("value 4 is NaN"), "{m}");
    let m = file_error(&edited(&file, |v| {
        v["weights"].as_array_mut().unwrap().pop();
    }));
    assert!(m.contains("the file has 3 weight tensors but the model has 4"), "{m}");
    let m = file_error(&edited(&file, |v| v["weights"][0]["dtype"] = "float16".into()));
    assert!(m.contains("dtype \"float16\""), "{m}");
    let m = file_error(&edited(&file, |v| v["config"]["layers"][0]["units"] = "six".into()));
    assert!(m.contains("config"), "{m}");
    let m = file_error(&edited(&file, |v| {
        v["input_shape"] = serde_json::json!([4_000_000_000u64, 100_000])
    }));
    assert!(m.contains("Gradient Lab handles at most"), "{m}");
    let m = file_error(&edited(&file, |v| v["extra"] = 1.into()));
    assert!(m.contains("extra"), "{m}");
}

#[test]
fn the_checksum_is_crc32_of_weights_then_slots_and_catches_a_bit_flip() {
    let mut t = trainer(r#"{"name":"adam"}"#);
    fit(&mut t);
    let file = save(&t);
    let v: Value = serde_json::from_str(&file).unwrap();
    // The concatenated bytes, decoded independently, through the one-shot crc32.
    let b64 = |s: &Value| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(s.as_str().unwrap())
            .unwrap()
    };
    let mut bytes = Vec::new();
    for w in v["weights"].as_array().unwrap() {
        bytes.extend(b64(&w["data"]));
    }
    for p in v["optimizer_state"]["params"].as_array().unwrap() {
        for s in p["slots"].as_array().unwrap() {
            bytes.extend(b64(s));
        }
    }
    assert!(
        bytes.len() > 4 * 2 * t.model().param_count(),
        "Adam's slots are included"
    );
    let want = format!("crc32:{:08x}", super::checksum::crc32(&bytes));
    assert_eq!(v["checksum"], Value::from(want));
    // One flipped bit that stays valid base64 and a finite number.
    let flipped = edited(&file, |v| {
        let mut w = decode_f32(v["weights"][0]["data"].as_str().unwrap(), 12, "w").unwrap();
        w[3] = f32::from_bits(w[3].to_bits() ^ 1);
        v["weights"][0]["data"] = encode_f32(&w).into();
    });
    let m = file_error(&flipped);
    assert!(m.contains("checksum does not match"), "{m}");
    let mut fresh = trainer(r#"{"name":"adam"}"#);
    assert!(load_into(&mut fresh, &flipped).is_err());
    let m = file_error(&edited(&file, |v| v["checksum"] = "crc32:XYZ".into()));
    assert!(m.contains("8 lowercase hex digits"), "{m}");
    // Files written before the checksum existed load.
    let old = edited(&file, |v| {
        v.as_object_mut().unwrap().remove("checksum");
    });
    assert_eq!(load(&old).unwrap().model.weights(), t.model().weights());
}

#[test]
fn out_of_range_numbers_are_rejected_so_what_loads_saves_and_loads_back() {
    let mut t = trainer(r#"{"name":"nadam"}"#);
    fit(&mut t);
    let file = save(&t);
    // Issue 15.3: 1e39 would become inf as float32 and be saved as null.
    let m = file_error(&edited(&file, |v| {
        v["config"]["validation_split"] = serde_json::json!(1e39)
    }));
    assert!(m.contains("config.validation_split") && m.contains("too large"), "{m}");
    let m = file_error(&edited(&file, |v| {
        v["optimizer_state"]["global"][0] = serde_json::json!(-1e39)
    }));
    assert!(m.contains("optimizer_state.global"), "{m}");
    // What loads saves and loads back, bit for bit.
    let mut again = trainer(r#"{"name":"nadam"}"#);
    load_into(&mut again, file.as_bytes()).unwrap();
    let resaved = save(&again);
    assert_eq!(resaved, file);
    let mut third = trainer(r#"{"name":"nadam"}"#);
    load_into(&mut third, resaved.as_bytes()).unwrap();
}

#[test]
fn a_step_counter_at_its_maximum_loads_and_then_says_so_instead_of_panicking() {
    let mut t = trainer_with(r#"{"name":"sgd"}"#, "");
    t.train_batches(1).unwrap();
    let file = edited(&save(&t), |v| v["step"] = serde_json::json!(u64::MAX));
    let mut u = trainer_with(r#"{"name":"sgd"}"#, "");
    load_into(&mut u, &file).unwrap();
    assert_eq!(u.step(), u64::MAX);
    let e = u.train_batches(1).unwrap_err().to_string();
    assert!(e.contains("step counter is at its maximum"), "{e}");
}

#[test]
fn without_optimizer_state_a_file_resumes_with_a_fresh_optimizer() {
    let mut t = trainer_with(r#"{"name":"adam"}"#, "");
    t.train_batches(3).unwrap();
    let file = edited(&save(&t), |v| {
        v.as_object_mut().unwrap().remove("optimizer_state");
        v.as_object_mut().unwrap().remove("checksum");
    });
    let mut u = trainer_with(r#"{"name":"adam"}"#, "");
    u.resume(&file).unwrap();
    assert_eq!((u.step(), u.model().weights()), (3, t.model().weights()));
    assert!(u
        .optimizer()
        .slots()
        .iter()
        .all(|s| s.slots.iter().all(|v| v.iter().all(|&x| x == 0.0))));
    u.train_batches(1).unwrap();
}
