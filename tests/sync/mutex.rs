//! `wasix::sync::Mutex`: the data through the guard, `try_lock` on a held mutex, `into_inner` and
//! `get_mut`; with threads, mutual exclusion under contention and a lock that blocks until unlocked;
//! natively, poisoning by a panicking holder.

use std::sync::TryLockError;
use wasix::sync::Mutex;

#[test]
fn the_guard_reaches_the_data_and_unlocks_when_dropped() {
    let mut mutex = Mutex::new(vec![1]);
    mutex.lock().unwrap().push(2);
    {
        let guard = mutex.lock().unwrap();
        assert_eq!(*guard, [1, 2]);
        assert!(!mutex.is_poisoned());
    }
    mutex.get_mut().unwrap().push(3);
    assert_eq!(format!("{mutex:?}"), "Mutex { data: [1, 2, 3], poisoned: false, .. }");
    assert_eq!(mutex.into_inner().unwrap(), [1, 2, 3]);
}

#[test]
fn try_lock_on_a_held_mutex_would_block() {
    let mutex = Mutex::new(7);
    let guard = mutex.try_lock().expect("a free mutex");
    assert!(matches!(mutex.try_lock(), Err(TryLockError::WouldBlock)));
    assert_eq!(format!("{mutex:?}"), "Mutex { data: <locked>, poisoned: false, .. }");
    drop(guard);
    assert_eq!(*mutex.try_lock().expect("free again"), 7);
}

/// Threads need `wasm32-wasip1-threads` on wasm, where these are ignored unless run with `--include-ignored`.
mod threads {
    use crate::{eventually, join};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;
    use wasix::sync::Mutex;
    use wasix_conformance::spawn;

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn eight_threads_of_10000_increments_count_to_80000() {
        let counter = Arc::new(Mutex::new(0u64));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let counter = Arc::clone(&counter);
                spawn(move || {
                    for _ in 0..10_000 {
                        // A read and a write apart, so a lost exclusion loses increments.
                        let mut guard = counter.lock().unwrap();
                        let seen = *guard;
                        std::hint::spin_loop();
                        *guard = seen + 1;
                    }
                })
            })
            .collect();
        for thread in threads {
            join(thread).unwrap();
        }
        assert_eq!(*counter.lock().unwrap(), 80_000);
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn a_lock_blocks_until_the_holder_unlocks() {
        let mutex = Arc::new(Mutex::new(0));
        let entered = Arc::new(AtomicBool::new(false));
        let guard = mutex.lock().unwrap();
        let waiter = {
            let (mutex, entered) = (Arc::clone(&mutex), Arc::clone(&entered));
            spawn(move || {
                let value = *mutex.lock().unwrap();
                entered.store(true, Ordering::Release);
                value
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!entered.load(Ordering::Acquire), "the waiter got in while the lock was held");
        let mut guard = guard;
        *guard = 42;
        drop(guard);
        assert!(eventually(|| entered.load(Ordering::Acquire)), "the waiter never got in");
        assert_eq!(join(waiter).unwrap(), 42);
    }
}

/// Poisoning needs a panic that unwinds, which wasm (aborting on panic) has not: native only, "n/a" on
/// Wasmer.
#[cfg(panic = "unwind")]
mod poison {
    use crate::join;
    use std::sync::{Arc, TryLockError};
    use wasix::sync::Mutex;
    use wasix_conformance::spawn;

    #[test]
    fn a_panic_while_holding_the_lock_poisons_it() {
        let mutex = Arc::new(Mutex::new(5));
        let holder = {
            let mutex = Arc::clone(&mutex);
            spawn(move || {
                let mut guard = mutex.lock().unwrap();
                *guard = 6;
                panic!("a panic while holding the lock (expected by the test)");
            })
        };
        assert!(join(holder).is_err());
        assert!(mutex.is_poisoned());
        assert_eq!(*mutex.lock().unwrap_err().into_inner(), 6, "the data is still there");
        assert!(matches!(mutex.try_lock(), Err(TryLockError::Poisoned(_))));
        let mutex = Arc::try_unwrap(mutex).expect("the only reference");
        assert_eq!(mutex.into_inner().unwrap_err().into_inner(), 6);
    }

    #[test]
    fn clear_poison_makes_the_lock_good_again() {
        let mutex = Arc::new(Mutex::new(()));
        let holder = {
            let mutex = Arc::clone(&mutex);
            spawn(move || {
                let _guard = mutex.lock().unwrap();
                panic!("a panic while holding the lock (expected by the test)");
            })
        };
        assert!(join(holder).is_err());
        assert!(mutex.is_poisoned());
        mutex.clear_poison();
        assert!(!mutex.is_poisoned());
        assert!(mutex.lock().is_ok());
    }

    #[test]
    fn a_guard_taken_while_panicking_does_not_poison() {
        struct LockOnDrop<'a>(&'a Mutex<u32>);
        impl Drop for LockOnDrop<'_> {
            fn drop(&mut self) {
                // Locked and unlocked during the unwinding: the panic did not start under this guard.
                *self.0.lock().unwrap() += 1;
            }
        }
        let mutex = Mutex::new(0);
        let unwound = std::panic::catch_unwind(|| {
            let _locks = LockOnDrop(&mutex);
            panic!("unwinding through a lock (expected by the test)");
        });
        assert!(unwound.is_err());
        assert!(!mutex.is_poisoned());
        assert_eq!(mutex.into_inner().unwrap(), 1);
    }
}
