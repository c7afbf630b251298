//! `wasix::sync::Condvar`: timed waits time out after at least their timeout, `wait_timeout_while` returns
//! at once when the condition is false; with threads, a bounded queue passes 100,000 items in order losing
//! none, and `notify_all` wakes every waiter; natively, a wait under a poisoned mutex reports it.

use std::time::{Duration, Instant};
use wasix::sync::{Condvar, Mutex};

#[test]
fn wait_timeout_waits_at_least_its_timeout_and_times_out() {
    let (mutex, condvar) = (Mutex::new(0), Condvar::new());
    let start = Instant::now();
    let (guard, result) = condvar.wait_timeout(mutex.lock().unwrap(), Duration::from_millis(20)).unwrap();
    assert!(start.elapsed() >= Duration::from_millis(20), "waited {:?}", start.elapsed());
    assert!(result.timed_out());
    assert_eq!(*guard, 0, "the lock is held again");
    drop(guard);
    assert!(mutex.try_lock().is_ok(), "and released with the guard");
}

#[test]
fn wait_timeout_while_times_out_only_while_the_condition_holds() {
    let (mutex, condvar) = (Mutex::new(false), Condvar::new());
    let start = Instant::now();
    let (guard, result) =
        condvar.wait_timeout_while(mutex.lock().unwrap(), Duration::from_millis(20), |ready| !*ready).unwrap();
    assert!(result.timed_out(), "the condition held throughout");
    assert!(start.elapsed() >= Duration::from_millis(20), "waited {:?}", start.elapsed());
    drop(guard);

    *mutex.lock().unwrap() = true;
    let start = Instant::now();
    let (guard, result) =
        condvar.wait_timeout_while(mutex.lock().unwrap(), Duration::from_secs(30), |ready| !*ready).unwrap();
    assert!(!result.timed_out() && *guard, "the condition was already false");
    assert!(start.elapsed() < Duration::from_secs(10), "returned at once, not after {:?}", start.elapsed());
}

#[test]
fn a_notification_without_waiters_is_harmless() {
    let condvar = Condvar::new();
    condvar.notify_one();
    condvar.notify_all();
    let mutex = Mutex::new(());
    let (_guard, result) = condvar.wait_timeout(mutex.lock().unwrap(), Duration::from_millis(1)).unwrap();
    assert!(result.timed_out(), "an earlier notification does not end a later wait");
}

/// Threads need `wasm32-wasip1-threads` on wasm, where these are ignored unless run with `--include-ignored`.
mod threads {
    use crate::{join, PATIENCE};
    use std::collections::VecDeque;
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    use wasix::sync::{Condvar, Mutex};
    use wasix_conformance::spawn;

    /// A queue of at most `CAPACITY` items: the producer waits while it is full, the consumer while it is
    /// empty, each bounded by the test's deadline.
    struct Queue {
        items: Mutex<VecDeque<u32>>,
        not_empty: Condvar,
        not_full: Condvar,
        deadline: Instant,
    }

    const CAPACITY: usize = 16;

    impl Queue {
        fn left(&self) -> Duration {
            self.deadline.saturating_duration_since(Instant::now())
        }

        fn push(&self, item: u32) {
            let items = self.items.lock().unwrap();
            let (mut items, result) =
                self.not_full.wait_timeout_while(items, self.left(), |items| items.len() == CAPACITY).unwrap();
            assert!(!result.timed_out(), "the producer waited for room past the deadline");
            items.push_back(item);
            drop(items);
            self.not_empty.notify_one();
        }

        fn pop(&self) -> u32 {
            let items = self.items.lock().unwrap();
            let (mut items, result) =
                self.not_empty.wait_timeout_while(items, self.left(), |items| items.is_empty()).unwrap();
            assert!(!result.timed_out(), "the consumer waited for an item past the deadline");
            let item = items.pop_front().expect("not empty");
            drop(items);
            self.not_full.notify_one();
            item
        }
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn a_bounded_queue_passes_100000_items_in_order() {
        const ITEMS: u32 = 100_000;
        let queue = Arc::new(Queue {
            items: Mutex::new(VecDeque::with_capacity(CAPACITY)),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            deadline: Instant::now() + PATIENCE,
        });
        let producer = {
            let queue = Arc::clone(&queue);
            spawn(move || (0..ITEMS).for_each(|item| queue.push(item)))
        };
        let consumer = {
            let queue = Arc::clone(&queue);
            spawn(move || (0..ITEMS).filter(|&expected| queue.pop() != expected).count())
        };
        join(producer).unwrap();
        assert_eq!(join(consumer).unwrap(), 0, "every item arrived, in order");
        assert!(queue.items.lock().unwrap().is_empty());
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn notify_all_wakes_every_waiter() {
        let state = Arc::new((Mutex::new((false, 0)), Condvar::new()));
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let state = Arc::clone(&state);
                spawn(move || {
                    let (mutex, condvar) = &*state;
                    let mut guard = mutex.lock().unwrap();
                    guard.1 += 1;
                    let (_guard, result) = condvar.wait_timeout_while(guard, PATIENCE, |(go, _)| !*go).unwrap();
                    !result.timed_out()
                })
            })
            .collect();
        let (mutex, condvar) = &*state;
        // A waiter that counted itself and let the lock go is inside its wait.
        let mut guard = mutex.lock().unwrap();
        let deadline = Instant::now() + PATIENCE;
        while guard.1 < 4 {
            assert!(Instant::now() < deadline, "the waiters did not all start");
            drop(guard);
            std::thread::sleep(Duration::from_millis(1));
            guard = mutex.lock().unwrap();
        }
        guard.0 = true;
        drop(guard);
        condvar.notify_all();
        for waiter in waiters {
            assert!(join(waiter).unwrap(), "a waiter timed out instead of being notified");
        }
    }
}

/// Poisoning needs a panic that unwinds, which wasm (aborting on panic) has not: native only.
#[cfg(panic = "unwind")]
mod poison {
    use crate::join;
    use std::sync::Arc;
    use std::time::Duration;
    use wasix::sync::{Condvar, Mutex};
    use wasix_conformance::spawn;

    #[test]
    fn a_wait_under_a_poisoned_mutex_reports_it() {
        let mutex = Arc::new(Mutex::new(1));
        let holder = {
            let mutex = Arc::clone(&mutex);
            spawn(move || {
                let _guard = mutex.lock().unwrap();
                panic!("a panic while holding the lock (expected by the test)");
            })
        };
        assert!(join(holder).is_err());
        let condvar = Condvar::new();
        let guard = mutex.lock().unwrap_err().into_inner();
        let (guard, result) = condvar.wait_timeout(guard, Duration::from_millis(1)).unwrap_err().into_inner();
        assert!(result.timed_out());
        assert_eq!(*guard, 1);
    }
}
