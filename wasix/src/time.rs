//! Clocks: reading (`clock_time_get`), their resolution (`clock_res_get`) and setting (`clock_time_set`).
//!
//! Times are [`Duration`]s since the clock's epoch: 1970-01-01T00:00:00Z for [`Clock::REALTIME`], an
//! unspecified moment for the others. [`system_now`] gives the realtime clock as a
//! [`SystemTime`](std::time::SystemTime).
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use wasix::time::{self, Clock};
//! use wasix::sim::Config;
//!
//! let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
//! let sim = Config::new().realtime(start).build().unwrap();
//! sim.run(|| {
//!     let now = time::now(Clock::REALTIME).unwrap();
//!     assert!(now >= Duration::from_secs(1_000_000_000) && now < Duration::from_secs(1_000_000_060));
//!     let (a, b) = (time::now(Clock::MONOTONIC).unwrap(), time::now(Clock::MONOTONIC).unwrap());
//!     assert!(a <= b);
//! });
//! ```

#![allow(unsafe_code)] // Raw calls.

use crate::conv;
use crate::io::{Errno, Result};
use core::time::Duration;

/// Which clock to use: an open newtype over the interface's `clockid` (`Clock::REALTIME`,
/// `Clock::MONOTONIC`, `Clock::PROCESS_CPUTIME_ID`, `Clock::THREAD_CPUTIME_ID`); a value the host
/// does not know gets `INVAL`.
#[doc(alias = "clockid")]
pub use wasix_sys::Clockid as Clock;

/// The precision asked of `clock_time_get`: the finest, as wasi-libc's `clock_gettime` asks.
const FINEST: wasix_sys::Timestamp = 1;

/// `clock_time_get(clock)`—Reads a clock.
///
/// # References
/// - [`wasix_sys::clock_time_get`]
/// - POSIX `clock_gettime`
#[doc(alias = "clock_time_get", alias = "clock_gettime")]
#[inline]
pub fn now(clock: Clock) -> Result<Duration> {
    // SAFETY: `ret` is valid for a `Timestamp`, which `clock_time_get` writes on success.
    let ts = unsafe { conv::out(|ret| crate::host::clock_time_get(clock, FINEST, ret)) }?;
    Ok(conv::duration(ts))
}

/// `clock_res_get(clock)`—Gets the resolution of a clock.
///
/// # References
/// - [`wasix_sys::clock_res_get`]
/// - POSIX `clock_getres`
#[doc(alias = "clock_res_get", alias = "clock_getres")]
pub fn resolution(clock: Clock) -> Result<Duration> {
    // SAFETY: `ret` is valid for a `Timestamp`, which `clock_res_get` writes on success.
    let ts = unsafe { conv::out(|ret| crate::host::clock_res_get(clock, ret)) }?;
    Ok(conv::duration(ts))
}

/// `clock_time_set(clock, time)`—Sets a clock.
///
/// Only the realtime clock can be set; the others give `INVAL`. `OVERFLOW` for a `time` beyond
/// `u64::MAX` nanoseconds.
///
/// # References
/// - [`wasix_sys::clock_time_set`]
/// - POSIX `clock_settime`
#[doc(alias = "clock_time_set", alias = "clock_settime")]
pub fn set_time(clock: Clock, time: Duration) -> Result<()> {
    let ts = conv::timestamp(time)?;
    // SAFETY: `clock_time_set` takes no pointers.
    conv::result(unsafe { crate::host::clock_time_set(clock, ts) })
}

/// `clock_time_get(REALTIME)`—The realtime clock as a [`SystemTime`](std::time::SystemTime).
///
/// # References
/// - [`wasix_sys::clock_time_get`]
#[doc(alias = "clock_time_get")]
pub fn system_now() -> Result<std::time::SystemTime> {
    std::time::UNIX_EPOCH.checked_add(now(Clock::REALTIME)?).ok_or(Errno::OVERFLOW)
}
