//! `wasix::sync`: futexes and the locks built on them. Futex waits return at once on a changed word and
//! time out after at least their timeout; the locks exclude (or share) as std's do, under threads
//! contending for them; a condvar hands items over without losing one and times out; a `Once` runs once;
//! a panic while holding a lock poisons it (natively: wasm aborts on panic). Every wait is bounded by a
//! timeout, and every thread is joined within one.

mod condvar;
mod futex;
mod mutex;
mod once;
mod rwlock;

use std::time::{Duration, Instant};
use wasix::thread::JoinHandle;

/// How long any test waits for another thread before it fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(60);

/// Joins `thread` within [`PATIENCE`]: its result, or its panic (a test that expects one checks it).
///
/// # Panics
/// If the thread is still running then (it is left behind, blocked).
fn join<T>(thread: JoinHandle<T>) -> std::thread::Result<T> {
    let deadline = Instant::now() + PATIENCE;
    while !thread.is_finished() {
        assert!(Instant::now() < deadline, "a thread did not finish within {PATIENCE:?}");
        std::thread::sleep(Duration::from_millis(1));
    }
    thread.join()
}

/// Polls `condition` until it holds or [`PATIENCE`] passes; whether it held.
fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
