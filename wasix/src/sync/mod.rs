//! Synchronisation between threads: futexes ([`futex`]), and the locks built on them with std's API
//! shapes: [`Mutex`], [`Condvar`], [`RwLock`], [`Once`] and [`OnceLock`].
//!
//! Each lock is std's futex design over [`futex::wait`], [`futex::wake`] and [`futex::wake_all`]: a free
//! lock is taken with one atomic operation and released with one more, and a futex call happens only when
//! a thread must wait or wake a waiter. Poisoning works as std's, with std's own [`PoisonError`],
//! [`TryLockError`], [`LockResult`] and [`TryLockResult`] (re-exported here); what std's crate keeps for
//! itself ([`WaitTimeoutResult`], [`OnceState`]) is defined here with the same methods.
//!
//! A futex call that fails (none should: every lock waits on an aligned `AtomicU32` of its own) counts as
//! a spurious wake: the lock looks at its state again and waits again if it must; nothing panics for it.
//!
//! ```
//! use std::sync::atomic::AtomicU32;
//! use std::time::Duration;
//! use wasix::sync::futex::{self, Wait};
//! use wasix::sync::Mutex;
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     let word = AtomicU32::new(1);
//!     assert_eq!(futex::wait(&word, 0, None), Ok(Wait::ValueChanged));
//!     assert_eq!(futex::wait(&word, 1, Some(Duration::from_millis(1))), Ok(Wait::TimedOut));
//!     assert_eq!(futex::wake(&word), Ok(false));
//!
//!     let names = Mutex::new(Vec::new());
//!     names.lock().unwrap().push("wasix");
//!     assert_eq!(names.into_inner().unwrap(), ["wasix"]);
//! });
//! ```

mod condvar;
pub mod futex;
mod mutex;
mod once;
mod poison;
mod rwlock;

pub use condvar::{Condvar, WaitTimeoutResult};
pub use mutex::{Mutex, MutexGuard};
pub use once::{Once, OnceLock, OnceState};
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};
