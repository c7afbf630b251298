//! Threads: spawning and joining ([`spawn`], [`Builder`], [`scope`]), ids, exiting, sleeping, the host's
//! parallelism, and typed thread-local values ([`Local`]).
//!
//! ```
//! use std::time::{Duration, Instant};
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     let worker = wasix::thread::spawn(|| wasix::thread::current_id().unwrap());
//!     let id = worker.join().unwrap();
//!     assert_ne!(id, wasix::thread::current_id().unwrap());
//!
//!     let start = Instant::now();
//!     wasix::thread::sleep(Duration::from_millis(2)).unwrap();
//!     assert!(start.elapsed() >= Duration::from_millis(2));
//!     assert!(wasix::thread::available_parallelism().unwrap().get() >= 1);
//! });
//! ```
//!
//! # How threads start, natively and on Wasmer
//! A thread is a WASIX `thread_spawn` whose `user_data` is the closure to run; the guest's thread entry
//! (`_start_thread`) runs it and stores its result for [`JoinHandle::join`], which waits in `thread_join`.
//!
//! - **Natively** the simulator serves `thread_spawn` with a host thread in the creator's simulator
//!   instance, so a thread spawned here sees the fds, environment, current directory and clocks of the
//!   [`Sim`](crate::sim::Sim) it was spawned from. (A thread started with `std::thread::spawn` does not:
//!   see [`crate::sim`].) This crate registers its `_start_thread` and `_thread_local_destroy` with the
//!   simulator's export table (`wasix_sys::sim::exports`) the first time it needs them.
//! - **On Wasmer 7.4.2** the host profile starts the thread with `std::thread` (built for
//!   `wasm32-wasip1-threads`), which spawns through the `wasi`.`thread-spawn` import Wasmer serves and
//!   enters the guest at std's own `wasi_thread_start`. Wasmer's WASIX `thread_spawn` reads the same
//!   64-byte start record but leaves setting up the new thread's stack pointer and TLS to the guest's
//!   `wasi_thread_start`, which must be written in wasm assembly (stable Rust does not accept it for
//!   wasm); std's start already does that work, so the profile builds on it. Ids are Wasmer's
//!   `thread_id`s (the main thread is 1); joins wait for the thread's end as recorded by the profile.
//!   On `wasm32-wasip1` (no threads) spawning fails with `NOTSUP`.
//!
//! Thread-local values ([`Local`]) use WASIX's `thread_local_*` keys where the host has them (the
//! simulator); Wasmer 7.4.2 lacks those imports, so there the profile keeps the keys in wasm TLS and runs
//! the destructors itself: a guest using only this module instantiates on Wasmer.

#![allow(unsafe_code)] // Raw calls.

mod local;
mod spawn;

#[doc(hidden)]
pub use local::destroy_value;
pub use local::{current_name, AccessError, Local};
#[doc(hidden)]
pub use spawn::start_thread;
pub use spawn::{scope, spawn, Builder, JoinHandle, Scope, ScopedJoinHandle};

use crate::conv;
use crate::io::{Errno, Result};
use core::fmt;
use core::num::NonZeroUsize;
use core::time::Duration;

/// A thread's id, as `thread_id` reports it: unique among the live threads of a process and stable for a
/// thread's life. Natively and on Wasmer 7.4.2 the main thread is 1 and spawned threads count up from 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ThreadId(wasix_sys::Tid);

impl ThreadId {
    /// The raw `tid`.
    pub fn as_raw(self) -> wasix_sys::Tid {
        self.0
    }
}

impl fmt::Display for ThreadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The payload [`JoinHandle::join`] returns for a thread that ended with [`exit`] instead of returning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Exited {
    /// The code given to [`exit`].
    pub code: u32,
}

/// `thread_id()`—The calling thread's id.
///
/// # References
/// - [`wasix_sys::thread_id`]
/// - [`std::thread::Thread::id`]
#[doc(alias = "thread_id", alias = "gettid")]
pub fn current_id() -> Result<ThreadId> {
    // SAFETY: `ret` is valid for the `tid` written on success.
    unsafe { conv::out(|ret| crate::host::thread_id(ret)) }.map(ThreadId)
}

/// `thread_exit(code)`—Ends the calling thread, after its thread-local destructors. A [`JoinHandle`] of it
/// then joins with `Err` carrying [`Exited`]. On the main thread the process goes on until its last thread
/// ends (the simulator's `run_main` then returns the code of the last thread to exit; Wasmer 7.4.2 always
/// ends the process with 0).
///
/// # References
/// - [`wasix_sys::thread_exit`]
/// - POSIX `pthread_exit`
#[doc(alias = "thread_exit", alias = "pthread_exit")]
pub fn exit(code: u32) -> ! {
    spawn::exiting(code);
    // SAFETY: `thread_exit` takes no pointers.
    unsafe { crate::host::thread_exit(code) }
}

/// `thread_sleep(duration)`—Puts the calling thread to sleep for at least `duration` (a duration too long
/// to represent sleeps for ever).
///
/// # References
/// - [`wasix_sys::thread_sleep`]
/// - POSIX `nanosleep`
#[doc(alias = "thread_sleep", alias = "nanosleep")]
pub fn sleep(duration: Duration) -> Result<()> {
    // SAFETY: `thread_sleep` takes no pointers.
    conv::result(unsafe { crate::host::thread_sleep(conv::timestamp_saturating(duration)) })
}

/// `thread_parallelism()`—How many threads can run at once, normally the number of cores available.
///
/// A host reporting 0 gets `IO` (it broke the ABI's promise).
///
/// # References
/// - [`wasix_sys::thread_parallelism`]
/// - [`std::thread::available_parallelism`]
#[doc(alias = "thread_parallelism")]
pub fn available_parallelism() -> Result<NonZeroUsize> {
    // SAFETY: `ret` is valid for the `size` written on success.
    let n = unsafe { conv::out(|ret| crate::host::thread_parallelism(ret)) }?;
    NonZeroUsize::new(conv::usize_from(n)).ok_or(Errno::IO)
}
