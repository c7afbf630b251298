//! The profile for `wasix::sync`: `futex_wait` on a word that does not hold the expected value.

#![allow(unsafe_code)] // Every item wraps a raw call.

use core::sync::atomic::{AtomicU32, Ordering};
use wasix_sys::{Bool, Errno, OptionTimestamp};

/// `futex_wait`, refusing a word that does not hold `expected` as the seed does (`INVAL`); Wasmer returns
/// success and "woken" there. The value is checked before the call; should it change between the check and
/// the host's own, Wasmer's "woken" is a spurious wake, which every futex user already allows.
///
/// # Safety
/// As for [`wasix_sys::futex_wait`].
pub(crate) unsafe fn futex_wait(
    futex: *mut u32,
    expected: u32,
    timeout: *const OptionTimestamp,
    ret: *mut Bool,
) -> Errno {
    if !futex.is_null() && futex.is_aligned() {
        // SAFETY: forwarded contract: a non-null futex is valid for atomic access; checked aligned.
        if unsafe { AtomicU32::from_ptr(futex) }.load(Ordering::SeqCst) != expected {
            return Errno::INVAL;
        }
    }
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::futex_wait(futex, expected, timeout, ret) }
}
