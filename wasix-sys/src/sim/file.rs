//! What an open file is, beyond its data: `fd_filestat_*`, `fd_advise`, `fd_allocate`, `fd_sync`,
//! `fd_datasync`.
//!
//! In-memory stdio has no host object: its `filestat` is that of a character device with every other
//! field 0, and it cannot be synced (`INVAL`, as `fsync` on a terminal gives). `fd_allocate` grows the
//! file as `posix_fallocate` does (`SPIPE` for streams, `BADF` for directories).

use super::errno::from_host;
use super::fdtable::{Entry, Kind};
use super::stat::{self, SetTime};
use super::{mem, state, status};
use crate::{Advice, Errno, Fd, Filesize, Filestat, Filetype, Fstflags, Rights, Timestamp};
use rustix::fs::{Advice as HostAdvice, FallocateFlags, Timestamps};
use std::os::fd::{AsFd, BorrowedFd};

/// The host fd of `entry` after checking `needed` (`INVAL` for in-memory stdio).
fn host(entry: &Entry, needed: Rights) -> Result<BorrowedFd<'_>, Errno> {
    entry.require(needed)?;
    entry.kind().host_fd().ok_or(Errno::INVAL)
}

/// The host fd of a regular file (or device) of `entry` after checking `needed`.
fn file(entry: &Entry, needed: Rights) -> Result<BorrowedFd<'_>, Errno> {
    entry.require(needed)?;
    match entry.kind() {
        Kind::File { fd, .. } => Ok(fd.as_fd()),
        Kind::Dir(_) => Err(Errno::BADF),
        _ => Err(Errno::SPIPE),
    }
}

pub(crate) unsafe fn fd_filestat_get(fd: Fd, ret: *mut Filestat) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(Rights::FD_FILESTAT_GET)?;
        let st = match entry.kind().host_fd() {
            Some(host) => stat::from_stat(&rustix::fs::fstat(host).map_err(from_host)?),
            None => Filestat { filetype: Filetype::CHARACTER_DEVICE, ..Filestat::default() },
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, st) }
    }))
}

pub(crate) unsafe fn fd_filestat_set_size(fd: Fd, size: Filesize) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        rustix::fs::ftruncate(file(&entry, Rights::FD_FILESTAT_SET_SIZE)?, size).map_err(from_host)
    }))
}

pub(crate) unsafe fn fd_filestat_set_times(fd: Fd, atim: Timestamp, mtim: Timestamp, fst_flags: Fstflags) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        let host = host(&entry, Rights::FD_FILESTAT_SET_TIMES)?;
        let (a, m) = stat::set_times(atim, mtim, fst_flags)?;
        let times = Timestamps { last_access: SetTime::timespec(a), last_modification: SetTime::timespec(m) };
        rustix::fs::futimens(host, &times).map_err(from_host)
    }))
}

pub(crate) unsafe fn fd_advise(fd: Fd, offset: Filesize, len: Filesize, advice: Advice) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        let advice = match advice {
            Advice::NORMAL => HostAdvice::Normal,
            Advice::SEQUENTIAL => HostAdvice::Sequential,
            Advice::RANDOM => HostAdvice::Random,
            Advice::WILLNEED => HostAdvice::WillNeed,
            Advice::DONTNEED => HostAdvice::DontNeed,
            Advice::NOREUSE => HostAdvice::NoReuse,
            _ => return Err(Errno::INVAL),
        };
        let len = std::num::NonZeroU64::new(len);
        rustix::fs::fadvise(file(&entry, Rights::FD_ADVISE)?, offset, len, advice).map_err(from_host)
    }))
}

pub(crate) unsafe fn fd_allocate(fd: Fd, offset: Filesize, len: Filesize) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        let host = file(&entry, Rights::FD_ALLOCATE)?;
        rustix::fs::fallocate(host, FallocateFlags::empty(), offset, len).map_err(from_host)
    }))
}

pub(crate) unsafe fn fd_sync(fd: Fd) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        rustix::fs::fsync(host(&entry, Rights::FD_SYNC)?).map_err(from_host)
    }))
}

pub(crate) unsafe fn fd_datasync(fd: Fd) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        rustix::fs::fdatasync(host(&entry, Rights::FD_DATASYNC)?).map_err(from_host)
    }))
}
