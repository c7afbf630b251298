//! `wasix::sync::futex`: a wait on a word that changed returns at once, a wait times out after at least its
//! timeout, a wake with no waiter wakes nobody, and (with threads) a wake reaches its waiter.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use wasix::sync::futex::{self, Wait};

#[test]
fn a_wait_on_a_changed_value_returns_at_once() {
    let word = AtomicU32::new(1);
    let start = Instant::now();
    assert_eq!(futex::wait(&word, 0, Some(Duration::from_secs(10))), Ok(Wait::ValueChanged));
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_wait_times_out_after_at_least_its_timeout() {
    let word = AtomicU32::new(0);
    let start = Instant::now();
    assert_eq!(futex::wait(&word, 0, Some(Duration::from_millis(20))), Ok(Wait::TimedOut));
    assert!(start.elapsed() >= Duration::from_millis(20), "waited {:?}", start.elapsed());
}

#[test]
fn a_wake_without_waiters_wakes_nobody() {
    let word = AtomicU32::new(0);
    assert_eq!(futex::wake(&word), Ok(false));
    assert_eq!(futex::wake_all(&word), Ok(false));
}

/// Threads need `wasm32-wasip1-threads` on wasm, where these are ignored unless run with `--include-ignored`.
mod threads {
    use super::*;
    use std::sync::Arc;
    use wasix_conformance::spawn;

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn a_wake_reaches_its_waiter() {
        let word = Arc::new(AtomicU32::new(0));
        let waiter = {
            let word = Arc::clone(&word);
            spawn(move || {
                let mut woken = 0;
                let deadline = Instant::now() + Duration::from_secs(10);
                while word.load(Ordering::Acquire) == 0 && Instant::now() < deadline {
                    if futex::wait(&word, 0, Some(Duration::from_secs(10))) == Ok(Wait::Woken) {
                        woken += 1;
                    }
                }
                (word.load(Ordering::Acquire), woken)
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        word.store(1, Ordering::Release);
        futex::wake_all(&word).unwrap();
        let (seen, woken) = waiter.join().unwrap();
        assert_eq!(seen, 1);
        assert!(woken >= 1, "the waiter was woken, not timed out");
    }
}
