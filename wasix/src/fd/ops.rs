//! Reading, writing and closing any fd: `fd_read`, `fd_write` and `fd_close`.

#![allow(unsafe_code)] // Raw calls.

use super::{AsFd, AsRawFd, IntoRawFd, OwnedFd, RawFd};
use crate::conv;
use crate::io::Result;
use std::io::{IoSlice, IoSliceMut};

/// Closes raw fd `fd`. Always inlined, like the simulator's `fd_close` under it, so that a caller inlined
/// in turn makes the close syscall in its own frame, as the raw call does (a return after a syscall costs
/// tens of nanoseconds on some hosts; see `wasix-sys`'s `sim_vs_host` benchmark).
///
/// # Safety
/// The caller owns `fd` and nothing uses it afterwards.
#[inline(always)]
pub(super) unsafe fn close_raw(fd: RawFd) -> Result<()> {
    // SAFETY: `fd_close` takes no pointers; ownership per the caller.
    conv::result(unsafe { crate::host::fd_close(fd) })
}

/// `fd_close(fd)`—Closes an fd, reporting what closing it returned.
///
/// The fd is released even when this fails. Dropping an [`OwnedFd`] closes it too, ignoring the result.
///
/// # References
/// - [`wasix_sys::fd_close`]
/// - POSIX `close`
#[doc(alias = "fd_close")]
pub fn close(fd: OwnedFd) -> Result<()> {
    // SAFETY: `into_raw_fd` hands the fd over, so this call owns it and nothing else can use it.
    unsafe { close_raw(fd.into_raw_fd()) }
}

/// `fd_write(fd, buf)`—Writes bytes from `buf`, returning how many were written.
///
/// # References
/// - [`wasix_sys::fd_write`]
/// - POSIX `write`
#[doc(alias = "fd_write")]
#[inline]
pub fn write(fd: impl AsFd, buf: &[u8]) -> Result<usize> {
    write_vectored(fd, &[IoSlice::new(buf)])
}

/// `fd_write(fd, bufs)`—Writes bytes gathered from `bufs` in order, returning how many were written.
///
/// # References
/// - [`wasix_sys::fd_write`]
/// - POSIX `writev`
#[doc(alias = "fd_write", alias = "writev")]
#[inline]
pub fn write_vectored(fd: impl AsFd, bufs: &[IoSlice<'_>]) -> Result<usize> {
    let fd = fd.as_fd().as_raw_fd();
    let iovs = conv::ciovecs(bufs);
    // SAFETY: `iovs` points to `bufs.len()` valid ciovecs over readable buffers, and `ret` is valid for the
    // `size` that `fd_write` writes on success.
    let written = unsafe { conv::out(|ret| crate::host::fd_write(fd, iovs, bufs.len(), ret)) }?;
    Ok(conv::usize_from(written))
}

/// `fd_read(fd, buf)`—Reads bytes into `buf`, returning how many were read (0 at end of input).
///
/// # References
/// - [`wasix_sys::fd_read`]
/// - POSIX `read`
#[doc(alias = "fd_read")]
#[inline]
pub fn read(fd: impl AsFd, buf: &mut [u8]) -> Result<usize> {
    read_vectored(fd, &mut [IoSliceMut::new(buf)])
}

/// `fd_read(fd, bufs)`—Reads bytes scattered into `bufs` in order, returning how many were read (0 at
/// end of input).
///
/// # References
/// - [`wasix_sys::fd_read`]
/// - POSIX `readv`
#[doc(alias = "fd_read", alias = "readv")]
#[inline]
pub fn read_vectored(fd: impl AsFd, bufs: &mut [IoSliceMut<'_>]) -> Result<usize> {
    let fd = fd.as_fd().as_raw_fd();
    let len = bufs.len();
    let iovs = conv::iovecs(bufs);
    // SAFETY: `iovs` points to `len` valid iovecs over buffers this call borrows mutably, so the host may
    // write them, and `ret` is valid for the `size` that `fd_read` writes on success.
    let read = unsafe { conv::out(|ret| crate::host::fd_read(fd, iovs, len, ret)) }?;
    Ok(conv::usize_from(read))
}
