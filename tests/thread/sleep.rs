//! A sleep lasts at least its duration, and the host's parallelism is at least 1 (natively exactly std's).

use std::time::{Duration, Instant};

#[test]
fn a_sleep_lasts_at_least_its_duration() {
    let start = Instant::now();
    wasix::thread::sleep(Duration::from_millis(15)).unwrap();
    assert!(start.elapsed() >= Duration::from_millis(15), "slept {:?}", start.elapsed());
    wasix::thread::sleep(Duration::ZERO).unwrap();
}

#[test]
fn parallelism_is_at_least_one() {
    let n = wasix::thread::available_parallelism().unwrap().get();
    assert!(n >= 1);
    #[cfg(not(target_family = "wasm"))]
    assert_eq!(n, std::thread::available_parallelism().unwrap().get());
}
