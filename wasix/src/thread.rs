//! Threads: sleeping (`thread_sleep`) and the host's parallelism (`thread_parallelism`). Spawning, joining,
//! thread ids and thread-local keys are planned (see the support table).
//!
//! ```
//! use std::time::{Duration, Instant};
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     let start = Instant::now();
//!     wasix::thread::sleep(Duration::from_millis(2)).unwrap();
//!     assert!(start.elapsed() >= Duration::from_millis(2));
//!     assert!(wasix::thread::available_parallelism().unwrap().get() >= 1);
//! });
//! ```

#![allow(unsafe_code)] // Raw calls.

use crate::conv;
use crate::io::{Errno, Result};
use core::num::NonZeroUsize;
use core::time::Duration;

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
