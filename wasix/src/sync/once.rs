//! [`Once`]: one-time initialisation on one futex word (std's futex `Once`), with [`OnceState`]; and
//! [`OnceLock`], a value initialised once on top of it.

#![allow(unsafe_code)] // `OnceLock` keeps its value in an `UnsafeCell` that only the initialiser writes.

use super::futex;
use core::cell::UnsafeCell;
use core::fmt;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicU32, Ordering};
use std::panic::{RefUnwindSafe, UnwindSafe};

/// Not run yet.
const INCOMPLETE: u32 = 0;
/// The last run panicked.
const POISONED: u32 = 1;
/// Running, nobody waits.
const RUNNING: u32 = 2;
/// Running, and threads wait on the word: the end of the run wakes them.
const QUEUED: u32 = 3;
/// Done.
const COMPLETE: u32 = 4;

/// Runs an initialisation exactly once, as [`std::sync::Once`]: the first [`call_once`](Once::call_once)
/// runs its closure, racing callers wait on the futex word until it has finished, and every later call
/// returns at once (one load).
///
/// # Poisoning
/// As std's: if the closure panics the `Once` is poisoned; a later `call_once` panics, and
/// [`call_once_force`](Once::call_once_force) runs its closure again, telling it so through
/// [`OnceState::is_poisoned`].
///
/// A futex wait that fails (it should not: the word is a valid, aligned atomic) counts as a spurious wake:
/// the waiter looks at the word again.
///
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use wasix::sync::Once;
///
/// static INIT: Once = Once::new();
/// static RUNS: AtomicU32 = AtomicU32::new(0);
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     for _ in 0..3 {
///         INIT.call_once(|| {
///             RUNS.fetch_add(1, Ordering::Relaxed);
///         });
///     }
///     assert!(INIT.is_completed());
///     assert_eq!(RUNS.load(Ordering::Relaxed), 1);
/// });
/// ```
///
/// # References
/// - [`std::sync::Once`]
/// - [`futex::wait`], [`futex::wake_all`]
pub struct Once {
    state: AtomicU32,
}

/// What [`Once::call_once_force`] tells its closure: whether an earlier run panicked. As std's
/// [`OnceState`](std::sync::OnceState), which other crates cannot make.
#[derive(Debug)]
pub struct OnceState {
    poisoned: bool,
}

impl OnceState {
    /// Whether an earlier run of the initialisation panicked.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }
}

/// Sets the word to its final state when the run ends, normally or by unwinding (then `POISONED`), and
/// wakes the threads that wait.
struct Completion<'a> {
    state: &'a AtomicU32,
    set_to: u32,
}

impl Drop for Completion<'_> {
    fn drop(&mut self) {
        if self.state.swap(self.set_to, Ordering::Release) == QUEUED {
            let _ = futex::wake_all(self.state);
        }
    }
}

impl Once {
    /// A new `Once`, not run yet.
    pub const fn new() -> Once {
        Once { state: AtomicU32::new(INCOMPLETE) }
    }

    /// Runs `f` if no call has completed yet, else nothing; returns once the initialisation is complete
    /// (whichever thread ran it).
    ///
    /// # Panics
    /// If the `Once` is poisoned (an earlier run panicked), and, as the panic of `f`, if `f` panics.
    #[inline]
    pub fn call_once(&self, f: impl FnOnce()) {
        if self.is_completed() {
            return;
        }
        let mut f = Some(f);
        self.call(false, &mut |_| (f.take().expect("called once"))());
    }

    /// As [`call_once`](Once::call_once), but a poisoned `Once` runs `f` again, which learns so from its
    /// [`OnceState`]; a run of `f` that returns completes the `Once`.
    #[inline]
    pub fn call_once_force(&self, f: impl FnOnce(&OnceState)) {
        if self.is_completed() {
            return;
        }
        let mut f = Some(f);
        self.call(true, &mut |state| (f.take().expect("called once"))(state));
    }

    /// Whether a call has completed (with the effects of the closure visible to this thread).
    #[inline]
    pub fn is_completed(&self) -> bool {
        self.state.load(Ordering::Acquire) == COMPLETE
    }

    #[cold]
    fn call(&self, ignore_poison: bool, f: &mut dyn FnMut(&OnceState)) {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            match state {
                POISONED if !ignore_poison => panic!("Once instance has previously been poisoned"),
                INCOMPLETE | POISONED => {
                    if let Err(now) =
                        self.state.compare_exchange_weak(state, RUNNING, Ordering::Acquire, Ordering::Acquire)
                    {
                        state = now;
                        continue;
                    }
                    // Poisons (and wakes the waiters) if `f` unwinds.
                    let mut completion = Completion { state: &self.state, set_to: POISONED };
                    f(&OnceState { poisoned: state == POISONED });
                    completion.set_to = COMPLETE;
                    return;
                }
                RUNNING | QUEUED => {
                    // Say that somebody waits, so the run wakes it when it ends.
                    if state == RUNNING {
                        if let Err(now) =
                            self.state.compare_exchange_weak(RUNNING, QUEUED, Ordering::Relaxed, Ordering::Acquire)
                        {
                            state = now;
                            continue;
                        }
                    }
                    // Any outcome, an error included, means look again.
                    let _ = futex::wait(&self.state, QUEUED, None);
                    state = self.state.load(Ordering::Acquire);
                }
                // `COMPLETE`: the only other value the word takes.
                _ => return,
            }
        }
    }
}

impl Default for Once {
    fn default() -> Once {
        Once::new()
    }
}

impl fmt::Debug for Once {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Once").finish_non_exhaustive()
    }
}

/// A value set at most once, as [`std::sync::OnceLock`]: a [`Once`] guarding the slot.
///
/// [`get_or_init`](OnceLock::get_or_init) runs its closure in one thread while racing callers wait; a
/// closure that panics leaves the lock empty (not poisoned), and the next caller tries again.
///
/// ```
/// use wasix::sync::OnceLock;
///
/// static CONFIG: OnceLock<String> = OnceLock::new();
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     assert_eq!(CONFIG.get(), None);
///     assert_eq!(CONFIG.get_or_init(|| "first".to_owned()), "first");
///     assert_eq!(CONFIG.set("second".to_owned()), Err("second".to_owned()));
///     assert_eq!(CONFIG.get().map(String::as_str), Some("first"));
/// });
/// ```
///
/// # References
/// - [`std::sync::OnceLock`]
pub struct OnceLock<T> {
    once: Once,
    value: UnsafeCell<MaybeUninit<T>>,
    /// Owns a `T` (for drop check), which `MaybeUninit` does not say.
    _owns: PhantomData<T>,
}

// SAFETY: as std's: the lock shares `&T` among threads (`T: Sync`), and the thread that initialises it may
// not be the one that drops it (`T: Send`).
unsafe impl<T: Sync + Send> Sync for OnceLock<T> {}
// SAFETY: sending the lock sends the `T`.
unsafe impl<T: Send> Send for OnceLock<T> {}

impl<T: RefUnwindSafe + UnwindSafe> RefUnwindSafe for OnceLock<T> {}
impl<T: UnwindSafe> UnwindSafe for OnceLock<T> {}

impl<T> OnceLock<T> {
    /// A new, empty lock.
    pub const fn new() -> OnceLock<T> {
        OnceLock { once: Once::new(), value: UnsafeCell::new(MaybeUninit::uninit()), _owns: PhantomData }
    }

    /// The value, if set.
    #[inline]
    pub fn get(&self) -> Option<&T> {
        if self.once.is_completed() {
            // SAFETY: complete, so the value is written, and never written again.
            Some(unsafe { (*self.value.get()).assume_init_ref() })
        } else {
            None
        }
    }

    /// The value, if set, through `&mut self`.
    #[inline]
    pub fn get_mut(&mut self) -> Option<&mut T> {
        if self.once.is_completed() {
            // SAFETY: complete, so the value is written; `&mut self` makes this the only reference.
            Some(unsafe { self.value.get_mut().assume_init_mut() })
        } else {
            None
        }
    }

    /// Sets the value if it is not set yet (waiting if another thread is setting it); the value back in
    /// `Err` if it was set.
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken once"));
        match value {
            None => Ok(()),
            Some(value) => Err(value),
        }
    }

    /// The value, set first with `f` if it is not set yet. If several threads race, one runs its `f` and
    /// the others wait for it. If `f` panics the panic propagates and the lock stays empty.
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        if let Some(value) = self.get() {
            return value;
        }
        let slot = &self.value;
        self.once.call_once_force(|_| {
            let value = f();
            // SAFETY: the `Once` runs this at most once to completion and nobody reads the slot before it
            // completes; a run that panicked wrote nothing.
            unsafe { (*slot.get()).write(value) };
        });
        // SAFETY: `call_once_force` returned, so the `Once` is complete: the value is written.
        unsafe { (*self.value.get()).assume_init_ref() }
    }

    /// The value, if set, taking the lock apart.
    pub fn into_inner(mut self) -> Option<T> {
        self.take()
    }

    /// The value, if set, leaving the lock empty.
    pub fn take(&mut self) -> Option<T> {
        if self.once.is_completed() {
            self.once = Once::new();
            // SAFETY: it was complete, so the value is written; the `Once` is reset, so it is neither read
            // nor dropped again.
            Some(unsafe { self.value.get_mut().assume_init_read() })
        } else {
            None
        }
    }
}

impl<T> Default for OnceLock<T> {
    fn default() -> OnceLock<T> {
        OnceLock::new()
    }
}

impl<T> From<T> for OnceLock<T> {
    fn from(value: T) -> OnceLock<T> {
        let lock = OnceLock::new();
        let _ = lock.set(value);
        lock
    }
}

impl<T: fmt::Debug> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_tuple("OnceLock");
        match self.get() {
            Some(value) => d.field(value),
            None => d.field(&format_args!("<uninit>")),
        };
        d.finish()
    }
}

impl<T> Drop for OnceLock<T> {
    fn drop(&mut self) {
        if self.once.is_completed() {
            // SAFETY: complete, so the value is written, and this is its last use.
            unsafe { self.value.get_mut().assume_init_drop() }
        }
    }
}
