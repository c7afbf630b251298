//! [`Mutex`]: mutual exclusion on one futex word, std's API and poisoning, with [`MutexGuard`]; and the
//! raw lock under it, which [`Condvar`](super::Condvar) releases and retakes while it waits.

#![allow(unsafe_code)] // The data lives in an `UnsafeCell` that only the lock's holder touches.

use super::futex;
use super::poison;
use core::cell::UnsafeCell;
use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU32, Ordering};
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::{LockResult, TryLockError, TryLockResult};

/// The word's states.
const UNLOCKED: u32 = 0;
/// Locked, and no thread waits (or spins) for it: unlocking wakes nobody.
const LOCKED: u32 = 1;
/// Locked, and threads may be waiting: unlocking wakes one.
const CONTENDED: u32 = 2;

/// How many times a thread looks at a locked word before it waits on the futex (std's number): a lock
/// held for a few instructions is usually free again by then, and spinning is cheaper than a wait.
const SPINS: u32 = 100;

/// The classic three-state futex lock (Drepper, "Futexes Are Tricky"; std's futex mutex): `lock` is one
/// compare-and-swap when the lock is free, `unlock` one swap, with a `futex_wake` only when it was
/// contended.
///
/// A futex call that fails (it should not: the word is a valid, aligned `AtomicU32`) counts as a spurious
/// wake: the waiter looks at the word again and waits again if it must. Nothing here panics.
#[derive(Debug)]
pub(super) struct RawMutex {
    futex: AtomicU32,
}

impl RawMutex {
    pub(super) const fn new() -> RawMutex {
        RawMutex { futex: AtomicU32::new(UNLOCKED) }
    }

    #[inline]
    pub(super) fn try_lock(&self) -> bool {
        self.futex.compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed).is_ok()
    }

    #[inline]
    pub(super) fn lock(&self) {
        if !self.try_lock() {
            self.lock_contended();
        }
    }

    #[cold]
    fn lock_contended(&self) {
        let mut state = self.spin();
        // Free after spinning: take it as uncontended, since nobody is known to wait.
        if state == UNLOCKED {
            match self.futex.compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return,
                Err(now) => state = now,
            }
        }
        loop {
            // Mark the lock contended before waiting, so its holder wakes somebody. Whoever takes it this
            // way leaves it marked contended: other threads may still wait.
            if state != CONTENDED && self.futex.swap(CONTENDED, Ordering::Acquire) == UNLOCKED {
                return;
            }
            // Sleeps only while the word is still `CONTENDED`; any other outcome, an error included, is a
            // reason to look again.
            let _ = futex::wait(&self.futex, CONTENDED, None);
            state = self.spin();
        }
    }

    /// Spins while the lock is held without contention, for at most [`SPINS`] looks; the last state seen.
    fn spin(&self) -> u32 {
        let mut spins = SPINS;
        loop {
            let state = self.futex.load(Ordering::Relaxed);
            if state != LOCKED || spins == 0 {
                return state;
            }
            core::hint::spin_loop();
            spins -= 1;
        }
    }

    /// Unlocks.
    ///
    /// # Safety
    /// The calling thread holds the lock (its guard's owner gives it up).
    #[inline]
    pub(super) unsafe fn unlock(&self) {
        if self.futex.swap(UNLOCKED, Ordering::Release) == CONTENDED {
            self.wake();
        }
    }

    #[cold]
    fn wake(&self) {
        // A failed wake (see the type's doc) leaves the waiter asleep; there is nothing better to do.
        let _ = futex::wake(&self.futex);
    }
}

/// A mutual exclusion lock protecting a `T`, as [`std::sync::Mutex`], on one futex word.
///
/// [`lock`](Mutex::lock) blocks until the lock is free and returns a [`MutexGuard`], through which the
/// data is reached; dropping the guard unlocks. Free, locking is one compare-and-swap and unlocking one
/// swap; a thread that finds it held spins briefly, then waits with `futex_wait`, and an unlock wakes one
/// waiter with `futex_wake` only when there are any.
///
/// # Poisoning
/// As std's: if a thread panics while holding the guard, the mutex is poisoned, and every later `lock`
/// and `try_lock` returns the guard inside a [`PoisonError`](std::sync::PoisonError) (std's own type), so the caller decides
/// whether the data is still good; [`clear_poison`](Mutex::clear_poison) says it is.
///
/// A futex call that fails (it should not) counts as a spurious wake: the waiter looks at the lock again.
///
/// ```
/// use std::sync::Arc;
/// use wasix::sim::{Config, Sim};
/// use wasix::sync::Mutex;
///
/// Config::new().build().unwrap().run(|| {
///     let counter = Arc::new(Mutex::new(0u64));
///     let workers: Vec<_> = (0..4)
///         .map(|_| {
///             let (counter, sim) = (Arc::clone(&counter), Sim::current());
///             std::thread::spawn(move || sim.run(|| (0..1000).for_each(|_| *counter.lock().unwrap() += 1)))
///         })
///         .collect();
///     workers.into_iter().for_each(|w| w.join().unwrap());
///     assert_eq!(*counter.lock().unwrap(), 4000);
///     assert!(counter.try_lock().is_ok());
/// });
/// ```
///
/// # References
/// - [`std::sync::Mutex`]
/// - [`futex::wait`], [`futex::wake`]
/// - Ulrich Drepper, "Futexes Are Tricky" (the three-state mutex)
pub struct Mutex<T: ?Sized> {
    raw: RawMutex,
    poison: poison::Flag,
    data: UnsafeCell<T>,
}

// SAFETY: as std's: the lock hands the `T` to one thread at a time, so `T: Send` is all a `Mutex` needs to
// be shared or sent.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

// As std's: poisoning is what makes a mutex safe to observe after a panic.
impl<T: ?Sized> UnwindSafe for Mutex<T> {}
impl<T: ?Sized> RefUnwindSafe for Mutex<T> {}

impl<T> Mutex<T> {
    /// A new, unlocked mutex holding `value`.
    pub const fn new(value: T) -> Mutex<T> {
        Mutex { raw: RawMutex::new(), poison: poison::Flag::new(), data: UnsafeCell::new(value) }
    }

    /// The data, taking the mutex apart; in a [`PoisonError`](std::sync::PoisonError) if it is poisoned.
    pub fn into_inner(self) -> LockResult<T> {
        let poison = self.poison;
        poison.wrap(self.data.into_inner())
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Blocks until the lock is free and takes it; the guard is in a [`PoisonError`](std::sync::PoisonError) if the mutex is
    /// poisoned. Locking a mutex the thread already holds deadlocks.
    #[inline]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        self.raw.lock();
        // SAFETY: the lock was just taken.
        unsafe { MutexGuard::new(self) }
    }

    /// Takes the lock if it is free; [`TryLockError::WouldBlock`] if it is not, and
    /// [`TryLockError::Poisoned`] with the guard if it was free but the mutex is poisoned.
    #[inline]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        if !self.raw.try_lock() {
            return Err(TryLockError::WouldBlock);
        }
        // SAFETY: the lock was just taken.
        unsafe { MutexGuard::new(self) }.map_err(TryLockError::Poisoned)
    }

    /// Whether a thread panicked while holding the lock (and nobody cleared it since).
    #[inline]
    pub fn is_poisoned(&self) -> bool {
        self.poison.get()
    }

    /// Clears the poison: the data is declared good again.
    pub fn clear_poison(&self) {
        self.poison.clear();
    }

    /// The data, through `&mut self`: no locking is needed. In a [`PoisonError`](std::sync::PoisonError) if the mutex is poisoned.
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.poison.wrap(self.data.get_mut())
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(value: T) -> Mutex<T> {
        Mutex::new(value)
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Mutex<T> {
        Mutex::new(T::default())
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    /// As std's: the data if the lock is free, `<locked>` if not, and whether it is poisoned.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Mutex");
        match self.try_lock() {
            Ok(guard) => d.field("data", &&*guard),
            Err(TryLockError::Poisoned(err)) => d.field("data", &&**err.get_ref()),
            Err(TryLockError::WouldBlock) => d.field("data", &format_args!("<locked>")),
        };
        d.field("poisoned", &self.poison.get());
        d.finish_non_exhaustive()
    }
}

/// The lock of a [`Mutex`], held: derefs to the data, and unlocks when dropped (poisoning the mutex if the
/// thread started panicking meanwhile). As std's, it cannot be sent to another thread.
///
/// # References
/// - [`std::sync::MutexGuard`]
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct MutexGuard<'a, T: ?Sized> {
    lock: &'a Mutex<T>,
    poison: poison::Guard,
    /// Not `Send` (as std's guard), and `Sync` only by the impl below.
    _not_send: PhantomData<*const ()>,
}

// SAFETY: a shared guard gives out only `&T`, so sharing it is sharing `&T`.
unsafe impl<T: ?Sized + Sync> Sync for MutexGuard<'_, T> {}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// # Safety
    /// The calling thread has just taken `lock`'s raw lock.
    #[inline]
    unsafe fn new(lock: &'a Mutex<T>) -> LockResult<MutexGuard<'a, T>> {
        poison::map(lock.poison.guard(), |poison| MutexGuard { lock, poison, _not_send: PhantomData })
    }

    /// The raw lock `guard` holds, for [`Condvar`](super::Condvar), which releases and retakes it while the
    /// guard lives (an associated function, so it never shadows a method of `T`).
    pub(super) fn raw(guard: &MutexGuard<'a, T>) -> &'a RawMutex {
        &guard.lock.raw
    }

    /// Whether the mutex of `guard` is poisoned.
    pub(super) fn poisoned(guard: &MutexGuard<'a, T>) -> bool {
        guard.lock.poison.get()
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock, so no other thread touches the data meanwhile.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this the only reference through the guard.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.lock.poison.done(&self.poison);
        // SAFETY: the guard holds the lock and gives it up here.
        unsafe { self.lock.raw.unlock() }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
