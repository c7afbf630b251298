//! Futexes: `futex_wait`, `futex_wake` and `futex_wake_all` on an [`AtomicU32`], with a typed outcome.
//!
//! A waiter sleeps only while the word holds the value it expects, and any wait may end early without a
//! wake (as with every futex); callers re-check their condition in a loop.

#![allow(unsafe_code)] // Raw calls.

use crate::conv;
use crate::io::{Errno, Result};
use core::sync::atomic::AtomicU32;
use core::time::Duration;
use wasix_sys::OptionTimestamp;

/// How a [`wait`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wait {
    /// A wake (or, as futexes allow, nothing in particular) ended the wait.
    Woken,
    /// The timeout passed.
    TimedOut,
    /// The word did not hold the expected value, so there was no wait.
    ValueChanged,
}

/// `futex_wait(futex, expected, timeout)`—Waits on `futex` while it holds `expected`, for at most `timeout`
/// (`None`: for ever; a timeout too long to represent is for ever too).
///
/// # References
/// - [`wasix_sys::futex_wait`]
/// - Linux `futex(FUTEX_WAIT)`
#[doc(alias = "futex_wait")]
#[inline]
pub fn wait(futex: &AtomicU32, expected: u32, timeout: Option<Duration>) -> Result<Wait> {
    let timeout = match timeout {
        Some(t) => OptionTimestamp::some(conv::timestamp_saturating(t)),
        None => OptionTimestamp::none(0),
    };
    // SAFETY: `futex` is an aligned `u32` only accessed atomically, `timeout` a valid record and `ret`
    // valid for the `bool` written on success.
    match unsafe { conv::out(|ret| crate::host::futex_wait(futex.as_ptr(), expected, &timeout, ret)) } {
        Ok(woken) => Ok(if conv::bool_from(woken) { Wait::Woken } else { Wait::TimedOut }),
        // The address is a valid, aligned atomic and the timeout well formed: only the value can differ.
        Err(Errno::INVAL) => Ok(Wait::ValueChanged),
        Err(e) => Err(e),
    }
}

/// `futex_wake(futex)`—Wakes one thread waiting on `futex`; whether there was one.
///
/// # References
/// - [`wasix_sys::futex_wake`]
/// - Linux `futex(FUTEX_WAKE, 1)`
#[doc(alias = "futex_wake")]
#[inline]
pub fn wake(futex: &AtomicU32) -> Result<bool> {
    // SAFETY: as for `wait`.
    unsafe { conv::out(|ret| crate::host::futex_wake(futex.as_ptr(), ret)) }.map(conv::bool_from)
}

/// `futex_wake_all(futex)`—Wakes every thread waiting on `futex`; whether there was any.
///
/// # References
/// - [`wasix_sys::futex_wake_all`]
/// - Linux `futex(FUTEX_WAKE, INT_MAX)`
#[doc(alias = "futex_wake_all")]
#[inline]
pub fn wake_all(futex: &AtomicU32) -> Result<bool> {
    // SAFETY: as for `wait`.
    unsafe { conv::out(|ret| crate::host::futex_wake_all(futex.as_ptr(), ret)) }.map(conv::bool_from)
}
