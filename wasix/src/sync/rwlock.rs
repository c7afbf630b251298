//! [`RwLock`]: many readers or one writer, on two futex words (std's futex rwlock), with
//! [`RwLockReadGuard`] and [`RwLockWriteGuard`].

#![allow(unsafe_code)] // The data lives in an `UnsafeCell` that the lock's holders share or own.

use super::futex;
use super::poison;
use core::cell::UnsafeCell;
use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU32, Ordering};
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::{LockResult, TryLockError, TryLockResult};

/// The state word: bits 0..30 count the readers, `WRITE_LOCKED` in them is a writer; bit 30 says readers
/// wait on the state word, bit 31 that writers wait on the writer notification word.
const READ_LOCKED: u32 = 1;
const MASK: u32 = (1 << 30) - 1;
const WRITE_LOCKED: u32 = MASK;
const MAX_READERS: u32 = MASK - 1;
const READERS_WAITING: u32 = 1 << 30;
const WRITERS_WAITING: u32 = 1 << 31;

/// Looks at a held lock before waiting (std's number; see the mutex's `SPINS`).
const SPINS: u32 = 100;

fn is_unlocked(state: u32) -> bool {
    state & MASK == 0
}

fn is_write_locked(state: u32) -> bool {
    state & MASK == WRITE_LOCKED
}

fn has_readers_waiting(state: u32) -> bool {
    state & READERS_WAITING != 0
}

fn has_writers_waiting(state: u32) -> bool {
    state & WRITERS_WAITING != 0
}

/// Whether a reader may take the lock now: not write locked, room for one more reader, and nobody waiting.
/// A waiting writer blocks new readers, so a stream of readers cannot starve it; waiting readers block
/// them too, which happens only while an unlocking thread is about to wake the waiters, writers first.
fn is_read_lockable(state: u32) -> bool {
    state & MASK < MAX_READERS && !has_readers_waiting(state) && !has_writers_waiting(state)
}

fn has_reached_max_readers(state: u32) -> bool {
    state & MASK == MAX_READERS
}

/// std's futex reader-writer lock: a state word (reader count, writer, who waits) that readers wait on, and
/// a notification counter that writers wait on, so an unlock can wake one writer without waking the
/// readers. Taking a free lock is one compare-and-swap; unlocking is one atomic operation, plus a wake
/// only when somebody waits.
///
/// A futex call that fails (it should not) counts as a spurious wake: the waiter looks at the state again.
/// Whether a `futex_wake` woke a writer is not trusted (Wasmer reports a waiter when there is none), so an
/// unlock that finds both writers and readers waiting wakes one writer and then the readers too: the
/// readers that lose the race to the writer wait again. (std does the same on hosts whose futex wake does
/// not tell.)
#[derive(Debug)]
struct RawRwLock {
    state: AtomicU32,
    writer_notify: AtomicU32,
}

impl RawRwLock {
    const fn new() -> RawRwLock {
        RawRwLock { state: AtomicU32::new(0), writer_notify: AtomicU32::new(0) }
    }

    #[inline]
    fn try_read(&self) -> bool {
        self.state
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |s| is_read_lockable(s).then(|| s + READ_LOCKED))
            .is_ok()
    }

    #[inline]
    fn read(&self) {
        let state = self.state.load(Ordering::Relaxed);
        if !is_read_lockable(state)
            || self
                .state
                .compare_exchange_weak(state, state + READ_LOCKED, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            self.read_contended();
        }
    }

    /// # Safety
    /// The calling thread holds a read lock and gives it up.
    #[inline]
    unsafe fn read_unlock(&self) {
        let state = self.state.fetch_sub(READ_LOCKED, Ordering::Release) - READ_LOCKED;
        // Readers wait on a read-locked lock only behind a waiting writer, so the last reader out wakes
        // only when a writer waits.
        if is_unlocked(state) && has_writers_waiting(state) {
            self.wake_writer_or_readers(state);
        }
    }

    #[cold]
    fn read_contended(&self) {
        let mut state = self.spin_read();
        loop {
            if is_read_lockable(state) {
                match self.state.compare_exchange_weak(state, state + READ_LOCKED, Ordering::Acquire, Ordering::Relaxed)
                {
                    Ok(_) => return,
                    Err(now) => {
                        state = now;
                        continue;
                    }
                }
            }
            if has_reached_max_readers(state) {
                panic!("too many active read locks on RwLock");
            }
            // Say that readers wait before waiting, so the unlocking thread wakes them.
            if !has_readers_waiting(state) {
                if let Err(now) =
                    self.state.compare_exchange(state, state | READERS_WAITING, Ordering::Relaxed, Ordering::Relaxed)
                {
                    state = now;
                    continue;
                }
            }
            // Sleeps only while the state is what it was; any outcome, an error included, means look again.
            let _ = futex::wait(&self.state, state | READERS_WAITING, None);
            state = self.spin_read();
        }
    }

    #[inline]
    fn try_write(&self) -> bool {
        self.state
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |s| is_unlocked(s).then(|| s + WRITE_LOCKED))
            .is_ok()
    }

    #[inline]
    fn write(&self) {
        if self.state.compare_exchange_weak(0, WRITE_LOCKED, Ordering::Acquire, Ordering::Relaxed).is_err() {
            self.write_contended();
        }
    }

    /// # Safety
    /// The calling thread holds the write lock and gives it up.
    #[inline]
    unsafe fn write_unlock(&self) {
        let state = self.state.fetch_sub(WRITE_LOCKED, Ordering::Release) - WRITE_LOCKED;
        if has_writers_waiting(state) || has_readers_waiting(state) {
            self.wake_writer_or_readers(state);
        }
    }

    #[cold]
    fn write_contended(&self) {
        let mut state = self.spin_write();
        // Once this writer has said writers wait, it keeps saying so when it takes the lock: others may.
        let mut other_writers_waiting = 0;
        loop {
            if is_unlocked(state) {
                match self.state.compare_exchange_weak(
                    state,
                    state | WRITE_LOCKED | other_writers_waiting,
                    Ordering::Acquire,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => return,
                    Err(now) => {
                        state = now;
                        continue;
                    }
                }
            }
            if !has_writers_waiting(state) {
                if let Err(now) =
                    self.state.compare_exchange(state, state | WRITERS_WAITING, Ordering::Relaxed, Ordering::Relaxed)
                {
                    state = now;
                    continue;
                }
            }
            other_writers_waiting = WRITERS_WAITING;
            // Read the notification count before looking at the state once more, so a wake in between
            // changes the count and the wait below does not sleep through it.
            let seq = self.writer_notify.load(Ordering::Acquire);
            state = self.state.load(Ordering::Relaxed);
            if is_unlocked(state) || !has_writers_waiting(state) {
                continue;
            }
            let _ = futex::wait(&self.writer_notify, seq, None);
            state = self.spin_write();
        }
    }

    /// Wakes the waiters after an unlock left the lock free in `state`: one writer if any waits (writers
    /// first), else every reader.
    #[cold]
    fn wake_writer_or_readers(&self, mut state: u32) {
        debug_assert!(is_unlocked(state));
        // Whoever takes the lock meanwhile wakes the waiters when it unlocks: a failed compare-and-swap
        // below means it is no longer this thread's business.
        if state == WRITERS_WAITING {
            match self.state.compare_exchange(state, 0, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => {
                    self.wake_writer();
                    return;
                }
                // Readers may have come to wait too.
                Err(now) => state = now,
            }
        }
        if state == READERS_WAITING + WRITERS_WAITING {
            if self.state.compare_exchange(state, READERS_WAITING, Ordering::Relaxed, Ordering::Relaxed).is_err() {
                return;
            }
            self.wake_writer();
            // Not knowing whether a writer was asleep to be woken (see the type's doc), wake the readers as
            // well: if the writer takes the lock first they wait again.
            state = READERS_WAITING;
        }
        if state == READERS_WAITING
            && self.state.compare_exchange(state, 0, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            let _ = futex::wake_all(&self.state);
        }
    }

    fn wake_writer(&self) {
        self.writer_notify.fetch_add(1, Ordering::Release);
        let _ = futex::wake(&self.writer_notify);
    }

    fn spin_until(&self, stop: impl Fn(u32) -> bool) -> u32 {
        let mut spins = SPINS;
        loop {
            let state = self.state.load(Ordering::Relaxed);
            if stop(state) || spins == 0 {
                return state;
            }
            core::hint::spin_loop();
            spins -= 1;
        }
    }

    /// Spins until the lock is free, or writers wait (then waiting in turn is fairer).
    fn spin_write(&self) -> u32 {
        self.spin_until(|state| is_unlocked(state) || has_writers_waiting(state))
    }

    /// Spins until the lock is not write locked, or somebody waits.
    fn spin_read(&self) -> u32 {
        self.spin_until(|state| !is_write_locked(state) || has_readers_waiting(state) || has_writers_waiting(state))
    }
}

/// A reader-writer lock protecting a `T`, as [`std::sync::RwLock`]: any number of readers at once
/// ([`read`](RwLock::read)), or one writer ([`write`](RwLock::write)) and nobody else.
///
/// Built as std's futex rwlock: a state word holds the reader count, the writer, and whether readers or
/// writers wait; readers sleep on it with `futex_wait`, writers on a second word an unlock bumps to wake
/// one of them. A waiting writer keeps new readers out, so readers cannot starve writers, and an unlock
/// wakes a waiting writer before the readers.
///
/// # Poisoning
/// As std's: a panic while holding the write guard poisons the lock (one while holding a read guard does
/// not, since readers cannot have broken the data), and later locks return their guard in a
/// [`PoisonError`](std::sync::PoisonError).
///
/// A futex call that fails (it should not) counts as a spurious wake: the waiter looks at the lock again.
///
/// ```
/// use wasix::sync::RwLock;
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let lock = RwLock::new(vec![1, 2]);
///     {
///         let (a, b) = (lock.read().unwrap(), lock.read().unwrap());
///         assert_eq!(a.len() + b.len(), 4);
///         assert!(lock.try_write().is_err(), "readers keep the writer out");
///     }
///     lock.write().unwrap().push(3);
///     assert_eq!(lock.into_inner().unwrap(), [1, 2, 3]);
/// });
/// ```
///
/// # References
/// - [`std::sync::RwLock`]
/// - [`futex::wait`], [`futex::wake`], [`futex::wake_all`]
pub struct RwLock<T: ?Sized> {
    raw: RawRwLock,
    poison: poison::Flag,
    data: UnsafeCell<T>,
}

// SAFETY: as std's: the lock hands out `&mut T` to one thread, so sending it needs `T: Send`.
unsafe impl<T: ?Sized + Send> Send for RwLock<T> {}
// SAFETY: as std's: sharing the lock shares `&T` among readers (`T: Sync`) and passes `&mut T` from
// thread to thread (`T: Send`).
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}

// As std's: poisoning is what makes the lock safe to observe after a panic.
impl<T: ?Sized> UnwindSafe for RwLock<T> {}
impl<T: ?Sized> RefUnwindSafe for RwLock<T> {}

impl<T> RwLock<T> {
    /// A new, unlocked lock holding `value`.
    pub const fn new(value: T) -> RwLock<T> {
        RwLock { raw: RawRwLock::new(), poison: poison::Flag::new(), data: UnsafeCell::new(value) }
    }

    /// The data, taking the lock apart; in a [`PoisonError`](std::sync::PoisonError) if it is poisoned.
    pub fn into_inner(self) -> LockResult<T> {
        let poison = self.poison;
        poison.wrap(self.data.into_inner())
    }
}

impl<T: ?Sized> RwLock<T> {
    /// Blocks until no writer holds or waits for the lock, and takes a share of it; the guard is in a
    /// [`PoisonError`](std::sync::PoisonError) if the lock is poisoned. Taking a read lock the thread already holds may deadlock (a
    /// writer waiting in between keeps it out).
    ///
    /// # Panics
    /// With about 2³⁰ read locks held at once, as std's.
    #[inline]
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        self.raw.read();
        // SAFETY: a read lock was just taken.
        unsafe { RwLockReadGuard::new(self) }
    }

    /// Takes a share of the lock if no writer holds or waits for it; [`TryLockError::WouldBlock`] if one
    /// does.
    #[inline]
    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        if !self.raw.try_read() {
            return Err(TryLockError::WouldBlock);
        }
        // SAFETY: a read lock was just taken.
        unsafe { RwLockReadGuard::new(self) }.map_err(TryLockError::Poisoned)
    }

    /// Blocks until nobody holds the lock and takes it alone; the guard is in a [`PoisonError`](std::sync::PoisonError) if the
    /// lock is poisoned.
    #[inline]
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        self.raw.write();
        // SAFETY: the write lock was just taken.
        unsafe { RwLockWriteGuard::new(self) }
    }

    /// Takes the lock alone if nobody holds it; [`TryLockError::WouldBlock`] if somebody does.
    #[inline]
    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        if !self.raw.try_write() {
            return Err(TryLockError::WouldBlock);
        }
        // SAFETY: the write lock was just taken.
        unsafe { RwLockWriteGuard::new(self) }.map_err(TryLockError::Poisoned)
    }

    /// Whether a thread panicked while holding the write lock (and nobody cleared it since).
    #[inline]
    pub fn is_poisoned(&self) -> bool {
        self.poison.get()
    }

    /// Clears the poison: the data is declared good again.
    pub fn clear_poison(&self) {
        self.poison.clear();
    }

    /// The data, through `&mut self`: no locking is needed. In a [`PoisonError`](std::sync::PoisonError) if the lock is poisoned.
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.poison.wrap(self.data.get_mut())
    }
}

impl<T> From<T> for RwLock<T> {
    fn from(value: T) -> RwLock<T> {
        RwLock::new(value)
    }
}

impl<T: Default> Default for RwLock<T> {
    fn default() -> RwLock<T> {
        RwLock::new(T::default())
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    /// As std's: the data if a read lock can be had, `<locked>` if not, and whether it is poisoned.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RwLock");
        match self.try_read() {
            Ok(guard) => d.field("data", &&*guard),
            Err(TryLockError::Poisoned(err)) => d.field("data", &&**err.get_ref()),
            Err(TryLockError::WouldBlock) => d.field("data", &format_args!("<locked>")),
        };
        d.field("poisoned", &self.poison.get());
        d.finish_non_exhaustive()
    }
}

/// A read lock of an [`RwLock`], held: derefs to the data, and gives its share up when dropped. As std's,
/// it cannot be sent to another thread.
///
/// # References
/// - [`std::sync::RwLockReadGuard`]
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    _not_send: PhantomData<*const ()>,
}

// SAFETY: a read guard gives out only `&T`.
unsafe impl<T: ?Sized + Sync> Sync for RwLockReadGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockReadGuard<'a, T> {
    /// # Safety
    /// The calling thread has just taken a read lock of `lock`.
    #[inline]
    unsafe fn new(lock: &'a RwLock<T>) -> LockResult<RwLockReadGuard<'a, T>> {
        lock.poison.wrap(RwLockReadGuard { lock, _not_send: PhantomData })
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: a read lock is held, so no writer touches the data meanwhile; readers only read it.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the guard holds a read lock and gives it up here.
        unsafe { self.lock.raw.read_unlock() }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// The write lock of an [`RwLock`], held: derefs (mutably) to the data, and unlocks when dropped,
/// poisoning the lock if the thread started panicking meanwhile. As std's, it cannot be sent to another
/// thread.
///
/// # References
/// - [`std::sync::RwLockWriteGuard`]
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
    poison: poison::Guard,
    _not_send: PhantomData<*const ()>,
}

// SAFETY: a shared write guard gives out only `&T`.
unsafe impl<T: ?Sized + Sync> Sync for RwLockWriteGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockWriteGuard<'a, T> {
    /// # Safety
    /// The calling thread has just taken the write lock of `lock`.
    #[inline]
    unsafe fn new(lock: &'a RwLock<T>) -> LockResult<RwLockWriteGuard<'a, T>> {
        poison::map(lock.poison.guard(), |poison| RwLockWriteGuard { lock, poison, _not_send: PhantomData })
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the write lock is held, so nobody else touches the data meanwhile.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this the only reference through the guard.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.lock.poison.done(&self.poison);
        // SAFETY: the guard holds the write lock and gives it up here.
        unsafe { self.lock.raw.write_unlock() }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
