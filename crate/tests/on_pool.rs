//! `kernels::threads::on_pool`, which runs each training chunk on rayon's pool
//! with the other pool threads kept awake (issue 14.1), called from outside
//! the pool as the browser's training worker calls it: the chunk runs on a
//! pool thread, gives the same bits as one thread, survives callers racing
//! for the pool, and passes a panic on instead of hanging. Its own test
//! binary: it sets the global pool (3 threads, so two helpers are nested)
//! and the process-wide switch.

use gradlab::kernels::threads::{on_pool, set_parallel, threads};
use std::sync::{Mutex, Once};
mod switch_common;
use switch_common::trained_bits;

static POOL: Once = Once::new();
/// The tests share the process-wide switch: one at a time.
static SWITCH: Mutex<()> = Mutex::new(());

fn global_pool() {
    POOL.call_once(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build_global()
            .expect("global pool");
    });
}

#[test]
fn a_chunk_runs_on_the_pool_only_when_the_switch_is_on() {
    global_pool();
    let _one = SWITCH.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(
        rayon::current_thread_index(),
        None,
        "the test thread is outside the pool"
    );
    assert_eq!(threads(), 3);
    assert!(on_pool(rayon::current_thread_index).is_some());
    set_parallel(false);
    assert_eq!(on_pool(rayon::current_thread_index), None);
    set_parallel(true);
}

#[test]
fn training_from_outside_the_pool_gives_the_bits_of_one_thread() {
    global_pool();
    let _one = SWITCH.lock().unwrap_or_else(|e| e.into_inner());
    let pooled = trained_bits(11);
    set_parallel(false);
    let alone = trained_bits(11);
    set_parallel(true);
    assert!(!pooled.is_empty());
    assert_eq!(pooled, alone);
}

#[test]
fn callers_racing_for_the_pool_all_finish_with_their_own_bits() {
    global_pool();
    let _one = SWITCH.lock().unwrap_or_else(|e| e.into_inner());
    let seeds = [1, 2, 3, 4];
    let raced: Vec<Vec<u32>> = std::thread::scope(|s| {
        let hs: Vec<_> = seeds.iter().map(|&seed| s.spawn(move || trained_bits(seed))).collect();
        hs.into_iter().map(|h| h.join().expect("a racing caller")).collect()
    });
    set_parallel(false);
    let alone: Vec<Vec<u32>> = seeds.iter().map(|&seed| trained_bits(seed)).collect();
    set_parallel(true);
    assert_eq!(raced, alone);
}

#[test]
fn a_panic_in_the_chunk_reaches_the_caller() {
    global_pool();
    let _one = SWITCH.lock().unwrap_or_else(|e| e.into_inner());
    let caught = std::panic::catch_unwind(|| on_pool(|| -> u32 { panic!("inside the chunk") }));
    assert!(caught.is_err());
    // The helpers stopped: the pool still runs the next chunk.
    assert!(on_pool(rayon::current_thread_index).is_some());
}
