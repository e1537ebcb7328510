//! The kernels' heartbeat (`kernels::heartbeat`), which the page's watchdog
//! reads to tell a busy training worker from a stuck one. Its own test binary:
//! the counter is global, and another test's products would move it too (the
//! tests here take turns, [`ONE_AT_A_TIME`]).

use std::sync::atomic::Ordering;
use std::sync::Mutex;

use gradlab::kernels::gemm::{sgemm, sgemm_reference};
use gradlab::kernels::heartbeat::counter;
use gradlab::model::io::{decode_f32, encode_f32};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The beats while `f` runs, with the other tests held off.
fn beats_of<R>(f: impl FnOnce() -> R) -> (u32, R) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let before = counter().load(Ordering::Relaxed);
    let r = f();
    (counter().load(Ordering::Relaxed).wrapping_sub(before), r)
}

#[test]
fn every_depth_block_of_a_product_beats_once_and_the_product_is_unchanged() {
    // k = 1000 is cut into 4 depth blocks of 250 (at most KC = 256 each); 40 columns are one panel.
    let (m, n, k) = (64, 40, 1000);
    let a: Vec<f32> = (0..m * k).map(|i| ((i * 7919) % 13) as f32 / 13.0 - 0.5).collect();
    let b: Vec<f32> = (0..k * n).map(|i| ((i * 104_729) % 17) as f32 / 17.0 - 0.5).collect();
    let mut c = vec![0.0f32; m * n];
    let mut reference = vec![0.0f32; m * n];
    let (beats, ()) = beats_of(|| sgemm(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut c, n));
    sgemm_reference(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut reference, n);
    assert_eq!(beats, 4, "one beat per depth block");
    for (x, r) in c.iter().zip(&reference) {
        assert!((x - r).abs() <= 1e-4 * (1.0 + r.abs()), "{x} vs {r}");
    }
}

#[test]
fn a_model_file_beats_as_it_is_written_and_read() {
    // 2,000 values are three base64 chunks of at most 768 values, written and read.
    let values: Vec<f32> = (0..2000).map(|i| (i as f32).sin()).collect();
    let (written, text) = beats_of(|| encode_f32(&values));
    let (read, back) = beats_of(|| decode_f32(&text, values.len(), "w").unwrap());
    assert_eq!(back, values);
    assert_eq!((written, read), (3, 3), "one beat per chunk written and read");
}
