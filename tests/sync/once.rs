//! `wasix::sync::Once` and `OnceLock`: a closure runs once however often it is called; with threads, once
//! under 8 racing threads, every one of which returns only after it ran; natively, a panicking closure
//! poisons the `Once` (and leaves a `OnceLock` empty for the next try).

use std::sync::atomic::{AtomicU32, Ordering};
use wasix::sync::{Once, OnceLock};

#[test]
fn call_once_runs_its_closure_once() {
    let (once, runs) = (Once::new(), AtomicU32::new(0));
    assert!(!once.is_completed());
    for _ in 0..3 {
        once.call_once(|| {
            runs.fetch_add(1, Ordering::Relaxed);
        });
    }
    once.call_once_force(|_| unreachable!("already complete"));
    assert!(once.is_completed());
    assert_eq!(runs.load(Ordering::Relaxed), 1);
}

#[test]
fn a_once_lock_is_set_once() {
    let mut lock = OnceLock::new();
    assert_eq!(lock.get(), None);
    assert_eq!(lock.set(1), Ok(()));
    assert_eq!(lock.set(2), Err(2));
    assert_eq!(*lock.get_or_init(|| unreachable!("already set")), 1);
    *lock.get_mut().unwrap() += 1;
    assert_eq!(format!("{lock:?}"), "OnceLock(2)");
    assert_eq!(lock.take(), Some(2));
    assert_eq!(*lock.get_or_init(|| 3), 3);
    assert_eq!(lock.into_inner(), Some(3));
}

/// Threads need `wasm32-wasip1-threads` on wasm, where these are ignored unless run with `--include-ignored`.
mod threads {
    use crate::join;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Barrier};
    use std::time::Duration;
    use wasix::sync::{Once, OnceLock};
    use wasix_conformance::spawn;

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn eight_racing_threads_run_it_exactly_once() {
        let once = Arc::new(Once::new());
        let runs = Arc::new(AtomicU32::new(0));
        let start = Arc::new(Barrier::new(8));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (once, runs, start) = (Arc::clone(&once), Arc::clone(&runs), Arc::clone(&start));
                spawn(move || {
                    start.wait();
                    once.call_once(|| {
                        // Long enough for the others to arrive and wait.
                        std::thread::sleep(Duration::from_millis(20));
                        runs.fetch_add(1, Ordering::Relaxed);
                    });
                    // Whoever ran it, it is complete (and its effect visible) when `call_once` returns.
                    (once.is_completed(), runs.load(Ordering::Relaxed))
                })
            })
            .collect();
        for thread in threads {
            assert_eq!(join(thread).unwrap(), (true, 1));
        }
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn racing_threads_all_get_the_one_value() {
        let lock = Arc::new(OnceLock::new());
        let start = Arc::new(Barrier::new(8));
        let threads: Vec<_> = (0..8u32)
            .map(|i| {
                let (lock, start) = (Arc::clone(&lock), Arc::clone(&start));
                spawn(move || {
                    start.wait();
                    *lock.get_or_init(|| i)
                })
            })
            .collect();
        let values: Vec<u32> = threads.into_iter().map(|t| join(t).unwrap()).collect();
        assert!(values.iter().all(|&v| v == values[0]), "{values:?}");
        assert_eq!(lock.get(), Some(&values[0]));
    }
}

/// Poisoning needs a panic that unwinds, which wasm (aborting on panic) has not: native only.
#[cfg(panic = "unwind")]
mod poison {
    use std::panic::catch_unwind;
    use wasix::sync::{Once, OnceLock};

    #[test]
    fn a_panic_in_the_closure_poisons_the_once() {
        let once = Once::new();
        assert!(catch_unwind(|| once.call_once(|| panic!("a failing initialisation (expected by the test)"))).is_err());
        assert!(!once.is_completed());
        assert!(catch_unwind(|| once.call_once(|| {})).is_err(), "call_once on a poisoned Once panics");
        let mut saw_poison = false;
        once.call_once_force(|state| saw_poison = state.is_poisoned());
        assert!(saw_poison);
        assert!(once.is_completed());
        once.call_once(|| unreachable!("complete"));
    }

    #[test]
    fn a_panic_in_get_or_init_leaves_the_lock_empty() {
        let lock = OnceLock::new();
        assert!(
            catch_unwind(|| lock.get_or_init(|| panic!("a failing initialisation (expected by the test)"))).is_err()
        );
        assert_eq!(lock.get(), None);
        assert_eq!(*lock.get_or_init(|| 5), 5);
    }
}
