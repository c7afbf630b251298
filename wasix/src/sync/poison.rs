//! Poisoning, as std's locks do it: a lock is poisoned when a thread panics while holding it (a [`Mutex`]
//! guard, an [`RwLock`] write guard), and every later lock reports so through std's own [`PoisonError`].
//!
//! A guard remembers whether its thread was already panicking when it locked; it poisons only when a panic
//! started while it was held. Without unwinding (`panic = "abort"`, the default on wasm) a panic ends the
//! process, so nothing can be poisoned and the guard keeps nothing.
//!
//! [`Mutex`]: super::Mutex
//! [`RwLock`]: super::RwLock

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LockResult, PoisonError};

/// Whether a lock is poisoned.
#[derive(Debug)]
pub(super) struct Flag {
    failed: AtomicBool,
}

impl Flag {
    pub(super) const fn new() -> Flag {
        Flag { failed: AtomicBool::new(false) }
    }

    /// A guard for a lock just taken, in `Err` when the lock is poisoned.
    #[inline]
    pub(super) fn guard(&self) -> LockResult<Guard> {
        self.wrap(Guard::new())
    }

    /// `value` as the lock's result: in a [`PoisonError`] when the lock is poisoned (what every lock call,
    /// `get_mut` and `into_inner` give).
    #[inline]
    pub(super) fn wrap<T>(&self, value: T) -> LockResult<T> {
        if self.get() {
            Err(PoisonError::new(value))
        } else {
            Ok(value)
        }
    }

    /// Called when `guard`'s lock is released: poisons the lock if a panic started while it was held.
    #[inline]
    pub(super) fn done(&self, guard: &Guard) {
        if guard.panic_started() {
            self.failed.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the lock is poisoned. Relaxed, as std's: the lock's own ordering orders the data.
    #[inline]
    pub(super) fn get(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    pub(super) fn clear(&self) {
        self.failed.store(false, Ordering::Relaxed);
    }
}

/// What a lock guard needs to know to poison its lock: whether its thread was panicking when it locked.
#[derive(Debug)]
pub(super) struct Guard {
    #[cfg(panic = "unwind")]
    panicking: bool,
}

impl Guard {
    #[inline]
    fn new() -> Guard {
        Guard {
            #[cfg(panic = "unwind")]
            panicking: std::thread::panicking(),
        }
    }

    /// Whether the thread started panicking after the guard was made.
    #[inline]
    fn panic_started(&self) -> bool {
        #[cfg(panic = "unwind")]
        {
            !self.panicking && std::thread::panicking()
        }
        #[cfg(not(panic = "unwind"))]
        {
            false
        }
    }
}

/// `result` with its value mapped by `f`, poisoned or not.
#[inline]
pub(super) fn map<T, U>(result: LockResult<T>, f: impl FnOnce(T) -> U) -> LockResult<U> {
    match result {
        Ok(t) => Ok(f(t)),
        Err(e) => Err(PoisonError::new(f(e.into_inner()))),
    }
}
