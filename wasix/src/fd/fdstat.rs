//! An fd's type, flags and rights: `fd_fdstat_get`, `fd_fdstat_set_flags` and `fd_fdstat_set_rights`.

#![allow(unsafe_code)] // Raw calls.

use super::{AsFd, AsRawFd, Fdflags, Filetype, Rights};
use crate::conv;
use crate::io::Result;

/// What `fd_fdstat_get` reports about an fd.
#[doc(alias = "fdstat")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FdStat {
    /// What the fd refers to.
    pub filetype: Filetype,
    /// Its fd flags.
    pub flags: Fdflags,
    /// The rights the fd holds.
    pub rights_base: Rights,
    /// The rights fds opened through this one may hold.
    pub rights_inheriting: Rights,
}

impl FdStat {
    /// The `fdstat` record as an `FdStat`.
    #[inline]
    pub(crate) fn from_raw(raw: wasix_sys::Fdstat) -> Self {
        FdStat {
            filetype: raw.fs_filetype,
            flags: raw.fs_flags,
            rights_base: raw.fs_rights_base,
            rights_inheriting: raw.fs_rights_inheriting,
        }
    }
}

/// `fd_fdstat_get(fd)`—Gets an fd's file type, flags and rights.
///
/// # References
/// - [`wasix_sys::fd_fdstat_get`]
#[doc(alias = "fd_fdstat_get")]
pub fn fdstat(fd: impl AsFd) -> Result<FdStat> {
    let fd = fd.as_fd().as_raw_fd();
    // SAFETY: `ret` is valid for a `Fdstat`, which `fd_fdstat_get` writes on success.
    let raw = unsafe { conv::out(|ret| crate::host::fd_fdstat_get(fd, ret)) }?;
    Ok(FdStat::from_raw(raw))
}

/// `fd_fdstat_set_flags(fd, flags)`—Replaces an fd's flags (`APPEND`, `NONBLOCK`, the sync flags).
///
/// Needs [`Rights::FD_FDSTAT_SET_FLAGS`]; without it the call fails with `NOTCAPABLE`.
///
/// # References
/// - [`wasix_sys::fd_fdstat_set_flags`]
/// - POSIX `fcntl(fd, F_SETFL, flags)`
#[doc(alias = "fd_fdstat_set_flags", alias = "fcntl")]
#[inline]
pub fn set_flags(fd: impl AsFd, flags: Fdflags) -> Result<()> {
    let fd = fd.as_fd().as_raw_fd();
    // SAFETY: `fd_fdstat_set_flags` takes no pointers.
    conv::result(unsafe { crate::host::fd_fdstat_set_flags(fd, flags) })
}

/// `fd_fdstat_set_rights(fd, base, inheriting)`—Narrows an fd's rights to `base` and `inheriting`.
///
/// Rights can only be removed: asking for one the fd does not hold fails with `NOTCAPABLE` and changes
/// nothing.
///
/// # References
/// - [`wasix_sys::fd_fdstat_set_rights`]
#[doc(alias = "fd_fdstat_set_rights")]
#[inline]
pub fn set_rights(fd: impl AsFd, base: Rights, inheriting: Rights) -> Result<()> {
    let fd = fd.as_fd().as_raw_fd();
    // SAFETY: `fd_fdstat_set_rights` takes no pointers.
    conv::result(unsafe { crate::host::fd_fdstat_set_rights(fd, base, inheriting) })
}
