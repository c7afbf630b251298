//! Futexes, `thread_sleep` and `thread_parallelism` at the raw level: the seed's results (`INVAL` for a
//! value that differs, `false` on timeout, `true` when woken; whether a wake found a waiter), bad addresses,
//! and no lost wake-ups between threads. Every wait is bounded by a timeout, so no test can hang.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

mod common;

use common::*;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use wasix_sys::*;

fn some(ns: u64) -> OptionTimestamp {
    OptionTimestamp::some(ns)
}

/// `futex_wait` on `word` for `expected` with `timeout`: the errno and whether it reported being woken.
fn wait(word: &AtomicU32, expected: u32, timeout: OptionTimestamp) -> (Errno, bool) {
    let mut woken = Bool::default();
    // SAFETY: `word` is a valid, aligned u32 only accessed atomically; valid timeout and out-pointer.
    let e = unsafe { futex_wait(word.as_ptr(), expected, &timeout, &mut woken) };
    (e, woken == Bool::TRUE)
}

fn wake(word: &AtomicU32, all: bool) -> (Errno, bool) {
    let mut woke = Bool::default();
    // SAFETY: as above.
    let e = unsafe {
        if all {
            futex_wake_all(word.as_ptr(), &mut woke)
        } else {
            futex_wake(word.as_ptr(), &mut woke)
        }
    };
    (e, woke == Bool::TRUE)
}

#[test]
fn a_futex_that_differs_is_inval_and_a_timeout_is_false() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let word = AtomicU32::new(1);
        assert_eq!(wait(&word, 2, some(1_000_000_000)).0, Errno::INVAL);
        let start = Instant::now();
        assert_eq!(wait(&word, 1, some(20_000_000)), (Errno::SUCCESS, false));
        assert!(start.elapsed() >= Duration::from_millis(20), "waited {:?}", start.elapsed());
        assert_eq!(wait(&word, 1, some(0)), (Errno::SUCCESS, false));
        assert_eq!(wake(&word, false), (Errno::SUCCESS, false), "no waiter");
        assert_eq!(wake(&word, true), (Errno::SUCCESS, false), "no waiters");
    });
}

#[test]
fn bad_futex_addresses_and_timeouts_get_their_errno() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let words = [AtomicU32::new(0), AtomicU32::new(0)];
        let misaligned = words[0].as_ptr().cast::<u8>().wrapping_add(1).cast::<u32>();
        let (mut woken, timeout) = (Bool::default(), some(1));
        let bad_tag = OptionTimestamp { tag: 7, ..some(1) };
        // SAFETY: the simulator refuses these pointers before using them; the rest are valid.
        unsafe {
            assert_eq!(futex_wait(std::ptr::null_mut(), 0, &timeout, &mut woken), Errno::FAULT);
            assert_eq!(futex_wait(misaligned, 0, &timeout, &mut woken), Errno::INVAL);
            assert_eq!(futex_wait(words[1].as_ptr(), 0, std::ptr::null(), &mut woken), Errno::FAULT);
            assert_eq!(futex_wait(words[1].as_ptr(), 0, &bad_tag, &mut woken), Errno::INVAL);
            assert_eq!(futex_wake(std::ptr::null_mut(), &mut woken), Errno::FAULT);
            assert_eq!(futex_wake_all(misaligned, &mut woken), Errno::INVAL);
        }
    });
}

/// A waiter is woken by a wake, which reports that it found one; `futex_wake_all` wakes every waiter. A
/// waiter waits up to 10 s: a lost wake-up shows as a wait that timed out (`false`) after the store.
#[test]
fn wakes_reach_their_waiters() {
    let (_tmp, sim) = sandbox();
    for all in [false, true] {
        let word = AtomicU32::new(0);
        let woken_reported = AtomicU32::new(0);
        let mut found_any = false;
        std::thread::scope(|s| {
            for _ in 0..if all { 4 } else { 1 } {
                s.spawn(|| {
                    sim.run(|| {
                        while word.load(Ordering::Acquire) == 0 {
                            match wait(&word, 0, some(10_000_000_000)) {
                                (Errno::SUCCESS, woken) => {
                                    assert!(woken, "a wake-up was lost: the wait timed out");
                                    woken_reported.fetch_add(1, Ordering::Relaxed);
                                }
                                // The store came first: the word no longer holds 0.
                                (Errno::INVAL, _) => {}
                                (e, _) => panic!("{e:?}"),
                            }
                        }
                    })
                });
            }
            sim.run(|| {
                std::thread::sleep(Duration::from_millis(50));
                word.store(1, Ordering::Release);
                // Wake until a wake finds nobody left waiting (bounded: at most one per waiter, plus one).
                for _ in 0..6 {
                    let (e, found) = wake(&word, all);
                    assert_eq!(e, Errno::SUCCESS);
                    if !found {
                        break;
                    }
                    found_any = true;
                }
            });
        });
        assert_eq!(found_any, woken_reported.load(Ordering::Relaxed) > 0, "wakes found waiters iff waiters woke");
    }
}

#[test]
fn sleep_lasts_at_least_its_duration_and_parallelism_is_the_hosts() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let start = Instant::now();
        // SAFETY: no pointers.
        assert_eq!(unsafe { thread_sleep(15_000_000) }, Errno::SUCCESS);
        assert!(start.elapsed() >= Duration::from_millis(15));
        // SAFETY: no pointers.
        assert_eq!(unsafe { thread_sleep(0) }, Errno::SUCCESS);
        let mut n = 0;
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { thread_parallelism(&mut n) }, Errno::SUCCESS);
        assert_eq!(n as usize, std::thread::available_parallelism().unwrap().get());
        // SAFETY: a null out-pointer is what is tested.
        assert_eq!(unsafe { thread_parallelism(std::ptr::null_mut()) }, Errno::FAULT);
    });
}
