//! sgemm allocates nothing once its per-thread packing buffers are warm: a
//! counting global allocator (this test binary only) sees zero allocations
//! over repeated calls, single-threaded and split over rayon's pool.
//!
//! The calls are made from inside the pool (`install`), as a trainer running
//! in the pool does. From a thread outside the pool, rayon itself queues each
//! parallel region in its injector, which allocates one block per 63 regions.

use gradlab::kernels::gemm::sgemm;
mod alloc_common;
use alloc_common::allocations;

#[test]
fn steady_state_sgemm_does_not_allocate() {
    // (m, n, k, trans_a, trans_b): the Dense forward, dW and dX products of a
    // 784 → 128 layer at batch 128 (threaded), and a small one (one thread).
    let shapes = [
        (128, 128, 784, false, false),
        (784, 128, 128, true, false),
        (128, 784, 128, false, true),
        (16, 10, 32, false, false),
    ];
    let bufs: Vec<_> = shapes
        .iter()
        .map(|&(m, n, k, _, _)| (vec![0.5f32; m * k], vec![0.25f32; k * n], vec![0f32; m * n]))
        .collect();
    let mut bufs = bufs;
    let run = |bufs: &mut Vec<(Vec<f32>, Vec<f32>, Vec<f32>)>| {
        for (&(m, n, k, ta, tb), (a, b, c)) in shapes.iter().zip(bufs.iter_mut()) {
            let lda = if ta { m } else { k };
            let ldb = if tb { k } else { n };
            sgemm(ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, n);
        }
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    let (before, after) = pool.install(|| {
        // Warm-up: grows every thread's packing buffers.
        for _ in 0..20 {
            run(&mut bufs);
        }
        let before = allocations();
        for _ in 0..50 {
            run(&mut bufs);
        }
        (before, allocations())
    });
    assert_eq!(
        after - before,
        0,
        "sgemm allocated {} times in the steady state",
        after - before
    );
    // The products are right too: every element of op(A)·op(B) is k · 0.5 · 0.25.
    for (&(_, _, k, _, _), (_, _, c)) in shapes.iter().zip(&bufs) {
        assert!(c.iter().all(|&x| x == k as f32 * 0.125));
    }
}
