//! Data through fds: `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`, `fd_seek`, `fd_tell`.
//!
//! This is the hot path: one read lock and one `Arc` clone to find the fd, the guest's iovec list used in
//! place as the host's (`IoSlice` is ABI-compatible with `iovec`), one host call, no allocation.

use super::errno::from_host;
use super::fdtable::Kind;
use super::{mem, state, status, tty};
use crate::{Ciovec, Errno, Fd, Filedelta, Filesize, Iovec, Rights, Size, Whence};
use rustix::fs::SeekFrom;
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, BorrowedFd};

/// Either right allows `fd_tell`.
const TELL: Rights = Rights::FD_TELL.union(Rights::FD_SEEK);

/// Narrows a byte count to the ABI's 32-bit `size`: a transfer is never reported larger than it can be.
fn clamp_size(n: usize) -> Size {
    Size::try_from(n).unwrap_or(Size::MAX)
}

/// Caps a scatter/gather list at `u32::MAX` bytes in total so the count fits the ABI's `size`.
fn total_fits(mut lens: impl Iterator<Item = usize>) -> Result<(), Errno> {
    let total = lens.try_fold(0usize, |acc, l| acc.checked_add(l)).ok_or(Errno::OVERFLOW)?;
    if total > Size::MAX as usize {
        return Err(Errno::INVAL);
    }
    Ok(())
}

/// The guest's ciovecs as host `IoSlice`s.
///
/// # Safety
/// A non-null `iovs` must be valid for `len` ciovecs, each valid for its length, for `'a`.
unsafe fn ciovecs<'a>(iovs: *const Ciovec, len: usize) -> Result<&'a [IoSlice<'a>], Errno> {
    // SAFETY: `Ciovec` is `{ *const u8, usize }` and `IoSlice` is guaranteed ABI-compatible with `iovec`,
    // which has that same layout; validity per the caller.
    let bufs: &[IoSlice<'_>] = unsafe { mem::slice(iovs.cast::<IoSlice<'_>>(), len)? };
    total_fits(bufs.iter().map(|b| b.len()))?;
    Ok(bufs)
}

/// The guest's iovecs as host `IoSliceMut`s.
///
/// # Safety
/// A non-null `iovs` must be valid for `len` iovecs, each valid for writing its length, with no other
/// access for `'a`.
unsafe fn iovecs<'a>(iovs: *const Iovec, len: usize) -> Result<&'a mut [IoSliceMut<'a>], Errno> {
    // SAFETY: `IoSliceMut` is guaranteed ABI-compatible with `iovec` (`{ *mut u8, usize }`), the layout of
    // `Iovec`. Only the buffers are written, never the list; validity per the caller.
    let bufs: &mut [IoSliceMut<'_>] = unsafe { mem::slice_mut(iovs.cast_mut().cast(), len)? };
    total_fits(bufs.iter().map(|b| b.len()))?;
    Ok(bufs)
}

/// The host fd to read or write: `ISDIR` for directories.
fn stream_fd(kind: &Kind) -> Result<BorrowedFd<'_>, Errno> {
    match kind {
        Kind::Dir(_) => Err(Errno::ISDIR),
        _ => kind.host_fd().ok_or(Errno::BADF),
    }
}

/// The host fd of a file with an offset: `ISDIR` for directories, `SPIPE` for streams.
fn seekable_fd(kind: &Kind) -> Result<BorrowedFd<'_>, Errno> {
    match kind {
        Kind::Dir(_) => Err(Errno::ISDIR),
        Kind::File { fd, .. } => Ok(fd.as_fd()),
        Kind::Stdio(s) => s.host_fd().ok_or(Errno::SPIPE),
        Kind::Pipe(_) | Kind::Event(_) => Err(Errno::SPIPE),
    }
}

/// `writev`, or `write` for the common single buffer (a cheaper host call).
fn write_host(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>]) -> Result<usize, Errno> {
    match bufs {
        [one] => rustix::io::write(fd, one),
        _ => rustix::io::writev(fd, bufs),
    }
    .map_err(from_host)
}

/// `readv`, or `read` for the common single buffer (a cheaper host call).
fn read_host(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>]) -> Result<usize, Errno> {
    match bufs {
        [one] => rustix::io::read(fd, &mut **one),
        _ => rustix::io::readv(fd, bufs),
    }
    .map_err(from_host)
}

pub(crate) unsafe fn fd_write(fd: Fd, iovs: *const Ciovec, iovs_len: usize, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(Rights::FD_WRITE)?;
        // SAFETY: the guest passes `iovs_len` ciovecs per the ABI contract.
        let bufs = unsafe { ciovecs(iovs, iovs_len)? };
        let n = match entry.kind() {
            Kind::Stdio(stream) => stream.write(bufs)?,
            kind => write_host(stream_fd(kind)?, bufs)?,
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_read(fd: Fd, iovs: *const Iovec, iovs_len: usize, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(Rights::FD_READ)?;
        // SAFETY: the guest passes `iovs_len` iovecs over memory it lets us write, per the ABI contract.
        let bufs = unsafe { iovecs(iovs, iovs_len)? };
        let n = match entry.kind() {
            Kind::Stdio(stream) => tty::read_stdio(s, stream, bufs)?,
            kind => read_host(stream_fd(kind)?, bufs)?,
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_pwrite(
    fd: Fd,
    iovs: *const Ciovec,
    iovs_len: usize,
    offset: Filesize,
    ret: *mut Size,
) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(Rights::FD_WRITE | Rights::FD_SEEK)?;
        // SAFETY: the guest passes `iovs_len` ciovecs per the ABI contract.
        let bufs = unsafe { ciovecs(iovs, iovs_len)? };
        let n = rustix::io::pwritev(seekable_fd(entry.kind())?, bufs, offset).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_pread(fd: Fd, iovs: *const Iovec, iovs_len: usize, offset: Filesize, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(Rights::FD_READ | Rights::FD_SEEK)?;
        // SAFETY: the guest passes `iovs_len` iovecs over memory it lets us write, per the ABI contract.
        let bufs = unsafe { iovecs(iovs, iovs_len)? };
        let n = rustix::io::preadv(seekable_fd(entry.kind())?, bufs, offset).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_seek(fd: Fd, offset: Filedelta, whence: Whence, ret: *mut Filesize) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        let pos = match whence {
            Whence::SET => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::INVAL)?),
            Whence::CUR => SeekFrom::Current(offset),
            Whence::END => SeekFrom::End(offset),
            _ => return Err(Errno::INVAL),
        };
        // Asking where the offset is needs only `fd_tell` (which `fd_seek` implies).
        if pos == SeekFrom::Current(0) {
            entry.require_any(TELL)?;
        } else {
            entry.require(Rights::FD_SEEK)?;
        }
        let at = rustix::fs::seek(seekable_fd(entry.kind())?, pos).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, at) }
    }))
}

pub(crate) unsafe fn fd_tell(fd: Fd, ret: *mut Filesize) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require_any(TELL)?;
        let at = rustix::fs::tell(seekable_fd(entry.kind())?).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, at) }
    }))
}
