//! The kernels' heartbeat (`kernels::heartbeat`), which the page's watchdog
//! reads to tell a busy training worker from a stuck one. Its own test binary:
//! the counter is global, and another test's products would move it too.

use std::sync::atomic::Ordering;

use gradlab::kernels::gemm::{sgemm, sgemm_reference};
use gradlab::kernels::heartbeat::counter;

#[test]
fn every_depth_block_of_a_product_beats_once_and_the_product_is_unchanged() {
    // k = 1000 is cut into 4 depth blocks of 250 (at most KC = 256 each); 40 columns are one panel.
    let (m, n, k) = (64, 40, 1000);
    let a: Vec<f32> = (0..m * k).map(|i| ((i * 7919) % 13) as f32 / 13.0 - 0.5).collect();
    let b: Vec<f32> = (0..k * n).map(|i| ((i * 104_729) % 17) as f32 / 17.0 - 0.5).collect();
    let mut c = vec![0.0f32; m * n];
    let mut reference = vec![0.0f32; m * n];
    let before = counter().load(Ordering::Relaxed);
    sgemm(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut c, n);
    let beats = counter().load(Ordering::Relaxed).wrapping_sub(before);
    sgemm_reference(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut reference, n);
    assert_eq!(beats, 4, "one beat per depth block");
    for (x, r) in c.iter().zip(&reference) {
        assert!((x - r).abs() <= 1e-4 * (1.0 + r.abs()), "{x} vs {r}");
    }
}
