//! The profile for `wasix::env`: `getcwd`.

#![allow(unsafe_code)] // Every item wraps a raw call.

use wasix_sys::{Errno, Pointersize};

/// `getcwd`, reporting a buffer too small for the path as the seed does (`OVERFLOW`, where Wasmer says
/// `RANGE`); Wasmer writes the needed length either way.
///
/// # Safety
/// As for [`wasix_sys::getcwd`].
pub(crate) unsafe fn getcwd(path: *mut u8, path_len: *mut Pointersize) -> Errno {
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::getcwd(path, path_len) } {
        Errno::RANGE => Errno::OVERFLOW,
        other => other,
    }
}
