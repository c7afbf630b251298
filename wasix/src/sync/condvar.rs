//! [`Condvar`]: waiting for a condition under a [`Mutex`], on a futex sequence counter (std's futex
//! condvar), and [`WaitTimeoutResult`].

#![allow(unsafe_code)] // A wait releases and retakes the lock its guard holds.

use super::futex::{self, Wait};
use super::mutex::MutexGuard;
use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use std::sync::{LockResult, PoisonError};
use std::time::Instant;

#[cfg(doc)]
use super::Mutex;

/// A condition variable, as [`std::sync::Condvar`]: threads wait on it, holding a [`Mutex`] they release
/// while they sleep, until another thread notifies it.
///
/// It is one futex word counting notifications. A waiter reads the count, unlocks, and sleeps with
/// `futex_wait` while the count is unchanged; [`notify_one`](Condvar::notify_one) and
/// [`notify_all`](Condvar::notify_all) bump the count and call `futex_wake` or `futex_wake_all`, so no
/// notification between the unlock and the sleep is lost. A woken waiter retakes the mutex before its wait
/// returns.
///
/// As with every condition variable a wait may return without a notification (a spurious wake-up): wait
/// in a loop over the condition, or use [`wait_while`](Condvar::wait_while). A futex wait that ends
/// without the count changing (interrupted, or a wake the host reports oddly) is waited again, for what is
/// left of the timeout; a futex call that fails (it should not: the word is a valid, aligned atomic) ends
/// the wait as a spurious wake-up, never in a panic.
///
/// ```
/// use std::sync::Arc;
/// use wasix::sim::{Config, Sim};
/// use wasix::sync::{Condvar, Mutex};
///
/// Config::new().build().unwrap().run(|| {
///     let pair = Arc::new((Mutex::new(false), Condvar::new()));
///     let (notifier, sim) = (Arc::clone(&pair), Sim::current());
///     let worker = std::thread::spawn(move || {
///         sim.run(|| {
///             let (started, condvar) = &*notifier;
///             *started.lock().unwrap() = true;
///             condvar.notify_one();
///         })
///     });
///     let (started, condvar) = &*pair;
///     let started = condvar.wait_while(started.lock().unwrap(), |started| !*started).unwrap();
///     assert!(*started);
///     drop(started);
///     worker.join().unwrap();
/// });
/// ```
///
/// # References
/// - [`std::sync::Condvar`]
/// - [`futex::wait`], [`futex::wake`], [`futex::wake_all`]
pub struct Condvar {
    /// Bumped by every notification (wrapping).
    seq: AtomicU32,
}

/// Whether a timed wait of a [`Condvar`] ended because its timeout passed, as std's
/// [`WaitTimeoutResult`](std::sync::WaitTimeoutResult) (which other crates cannot make).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    /// Whether the wait timed out (rather than being notified, or waking spuriously).
    #[must_use]
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    /// A new condition variable.
    pub const fn new() -> Condvar {
        Condvar { seq: AtomicU32::new(0) }
    }

    /// Releases `guard`'s mutex, sleeps until notified (or woken spuriously), and retakes the mutex. The
    /// guard is in a [`PoisonError`] if the mutex is poisoned when it is retaken.
    pub fn wait<'a, T: ?Sized>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.wait_optional_timeout(&guard, None);
        poison_check(MutexGuard::poisoned(&guard), guard)
    }

    /// Waits while `condition` holds for the data: [`wait`](Condvar::wait) in a loop, checking before each
    /// wait, so spurious wake-ups never show.
    pub fn wait_while<'a, T: ?Sized, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// As [`wait`](Condvar::wait), for at most `timeout` (at least that long, unless notified); whether the
    /// timeout passed. A timeout too long to represent waits for ever.
    pub fn wait_timeout<'a, T: ?Sized>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let timed_out = WaitTimeoutResult(self.wait_optional_timeout(&guard, Some(timeout)));
        poison_check(MutexGuard::poisoned(&guard), (guard, timed_out))
    }

    /// As [`wait_while`](Condvar::wait_while), for at most `timeout` in all; the guard and whether the
    /// timeout passed with `condition` still holding.
    pub fn wait_timeout_while<'a, T: ?Sized, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        let start = Instant::now();
        loop {
            if !condition(&mut *guard) {
                return Ok((guard, WaitTimeoutResult(false)));
            }
            let Some(left) = timeout.checked_sub(start.elapsed()) else {
                return Ok((guard, WaitTimeoutResult(true)));
            };
            guard = self.wait_timeout(guard, left)?.0;
        }
    }

    /// Wakes one thread waiting on this condition variable, if any.
    #[inline]
    pub fn notify_one(&self) {
        self.seq.fetch_add(1, Ordering::Relaxed);
        // Waking is all a notification can do; a failed wake has no better fallback.
        let _ = futex::wake(&self.seq);
    }

    /// Wakes every thread waiting on this condition variable.
    #[inline]
    pub fn notify_all(&self) {
        self.seq.fetch_add(1, Ordering::Relaxed);
        let _ = futex::wake_all(&self.seq);
    }

    /// Unlocks `guard`'s mutex, waits for a notification for at most `timeout`, and locks it again;
    /// whether the timeout passed.
    fn wait_optional_timeout<T: ?Sized>(&self, guard: &MutexGuard<'_, T>, timeout: Option<Duration>) -> bool {
        let raw = MutexGuard::raw(guard);
        // Read before unlocking: a notification made after the unlock changes the count, so the futex wait
        // below does not sleep through it.
        let seq = self.seq.load(Ordering::Relaxed);
        // SAFETY: `guard` holds the lock; it is locked again below before the guard can be used or dropped.
        unsafe { raw.unlock() };
        let timed_out = self.sleep(seq, timeout);
        raw.lock();
        timed_out
    }

    /// Sleeps while the count is `seq`, for at most `timeout`; whether the timeout passed.
    fn sleep(&self, seq: u32, timeout: Option<Duration>) -> bool {
        // No deadline (for ever) also for a timeout too long to represent.
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        loop {
            let left = match deadline {
                Some(deadline) => match deadline.saturating_duration_since(Instant::now()) {
                    left if left.is_zero() => return true,
                    left => Some(left),
                },
                None => None,
            };
            match futex::wait(&self.seq, seq, left) {
                Ok(Wait::TimedOut) => return true,
                // Woken with the count unchanged: not a notification (a signal, or the host's own spurious
                // wake); sleep on, for what is left of the timeout.
                Ok(Wait::Woken) if self.seq.load(Ordering::Relaxed) == seq => {}
                Ok(Wait::Woken | Wait::ValueChanged) => return false,
                // See the type's doc: a spurious wake-up.
                Err(_) => return false,
            }
        }
    }
}

/// `value` (a guard, or a guard and more), in a [`PoisonError`] if `poisoned`.
fn poison_check<G>(poisoned: bool, value: G) -> LockResult<G> {
    if poisoned {
        Err(PoisonError::new(value))
    } else {
        Ok(value)
    }
}

impl Default for Condvar {
    fn default() -> Condvar {
        Condvar::new()
    }
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}
