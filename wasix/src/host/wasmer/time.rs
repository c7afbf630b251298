//! The profile for `wasix::time`: `clock_time_set`.

#![allow(unsafe_code)] // Every item wraps a raw call.

use wasix_sys::{Clockid, Errno, Timestamp};

/// `clock_time_set`, refusing the clocks the seed cannot set before Wasmer would move them.
///
/// # Safety
/// As for [`wasix_sys::clock_time_set`].
pub(crate) unsafe fn clock_time_set(id: Clockid, timestamp: Timestamp) -> Errno {
    if id != Clockid::REALTIME {
        return Errno::INVAL;
    }
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::clock_time_set(id, timestamp) }
}
