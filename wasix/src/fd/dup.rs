//! Duplicating and renumbering fds: `fd_dup` and `fd_renumber`, both atomic with respect to other threads.

#![allow(unsafe_code)] // Raw calls, and taking ownership of the fds they open.

use super::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use crate::conv;
use crate::io::Result;

/// `fd_dup(fd)`—A new fd for the same open file, sharing its offset and flags.
///
/// # References
/// - [`wasix_sys::fd_dup`]
/// - POSIX `dup`
#[doc(alias = "fd_dup")]
#[inline]
pub fn dup(fd: impl AsFd) -> Result<OwnedFd> {
    let fd = fd.as_fd().as_raw_fd();
    // SAFETY: `ret` is valid for an `Fd`, which `fd_dup` writes on success.
    let new = unsafe { conv::out(|ret| crate::host::fd_dup(fd, ret)) }?;
    // SAFETY: the host just opened `new` for this call, so nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

/// `fd_renumber(from, to)`—Moves `from` to `to`'s number: `to`'s old file is closed and `to` then refers to
/// `from`'s file, in one atomic step; `from`'s number is released.
///
/// `from` is consumed whatever the outcome: on failure it is closed, as [`close`](super::close) releases an
/// fd even when it fails. Only a value that owns `to` may replace what it refers to, hence `&mut`.
///
/// # References
/// - [`wasix_sys::fd_renumber`]
/// - POSIX `dup2` followed by `close`
#[doc(alias = "fd_renumber", alias = "dup2")]
pub fn renumber(from: OwnedFd, to: &mut OwnedFd) -> Result<()> {
    let from = from.into_raw_fd();
    // SAFETY: `fd_renumber` takes no pointers; this call owns `from` and `to` is exclusively borrowed.
    let result = conv::result(unsafe { crate::host::fd_renumber(from, to.as_raw_fd()) });
    if result.is_err() {
        // SAFETY: the renumbering failed, so this call still owns `from`.
        drop(unsafe { OwnedFd::from_raw_fd(from) });
    }
    result
}
