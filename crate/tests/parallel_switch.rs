//! The core's thread switch (`kernels::threads::set_parallel`, the page's
//! adaptive threads) changes only where kernels run, never a result: the
//! same seed gives bit-identical weights with the switch on and off on a
//! 2-thread pool, for a model big enough to take every parallel path (the
//! threaded GEMM with its fused bias + tanh store, elementwise passes, the
//! one-pass Adam over the 200,960-value kernel). Its own test binary: the
//! switch is process-wide.

use gradlab::kernels::threads::{parallel, set_parallel};
mod switch_common;
use switch_common::trained_bits;

fn bits_after_training(on: bool) -> Vec<u32> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    pool.install(|| {
        set_parallel(on);
        assert_eq!(parallel(), on);
        assert_eq!(gradlab::kernels::threads::threads(), if on { 2 } else { 1 });
        let bits = trained_bits(11);
        set_parallel(true);
        bits
    })
}

#[test]
fn the_switch_changes_no_bit() {
    let on = bits_after_training(true);
    let off = bits_after_training(false);
    assert!(!on.is_empty());
    assert_eq!(on, off);
}
