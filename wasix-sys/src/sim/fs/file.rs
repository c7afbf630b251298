//! An open file (the simulator half of `wasix::fs::File`): reads and writes at an offset (`fd_pread`,
//! `fd_pwrite`), the offset (`fd_seek`, `fd_tell`), and what the file is beyond its data (`fd_filestat_*`,
//! `fd_advise`, `fd_allocate`, `fd_sync`, `fd_datasync`).
//!
//! In-memory stdio has no host object: its `filestat` is that of a character device with every other
//! field 0, and it cannot be synced (`INVAL`, as `fsync` on a terminal gives). `fd_allocate` grows the
//! file as `posix_fallocate` does (`SPIPE` for streams, `BADF` for directories).

use super::super::errno::from_host;
use super::super::fdtable::{Entry, Kind};
use super::super::{mem, state, status};
use super::metadata::{self, SetTime};
use crate::seed::needs::{self, Need};
use crate::{Advice, Ciovec, Errno, Fd, Filedelta, Filesize, Filestat, Filetype, Fstflags, Iovec, Size};
use crate::{Timestamp, Whence};
use rustix::fs::{Advice as HostAdvice, FallocateFlags, SeekFrom, Timestamps};
use std::os::fd::{AsFd, BorrowedFd};

/// Runs `f` on the host fd of `entry` after checking `need` (`INVAL` for in-memory stdio). A directory
/// gets itself opened read-only ([`Directory::readable`](super::dir::Directory::readable)): its capability
/// handle may be path-only, on which the host refuses these calls.
fn with_host<T>(entry: &Entry, need: Need, f: impl FnOnce(BorrowedFd<'_>) -> Result<T, Errno>) -> Result<T, Errno> {
    entry.require(need)?;
    match entry.kind() {
        Kind::Dir(d) => f(d.readable()?.as_fd()),
        kind => f(kind.host_fd().ok_or(Errno::INVAL)?),
    }
}

/// The host fd of a regular file (or device) of `entry` after checking `need`.
fn file(entry: &Entry, need: Need) -> Result<BorrowedFd<'_>, Errno> {
    entry.require(need)?;
    match entry.kind() {
        Kind::File { fd, .. } => Ok(fd.as_fd()),
        Kind::Dir(_) => Err(Errno::BADF),
        _ => Err(Errno::SPIPE),
    }
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
        entry.require(needs::FD_PWRITE)?;
        // SAFETY: the guest passes `iovs_len` ciovecs per the ABI contract.
        let bufs = unsafe { mem::ciovecs(iovs, iovs_len)? };
        let n = rustix::io::pwritev(entry.kind().seekable_fd()?, &bufs, offset).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, mem::clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_pread(fd: Fd, iovs: *const Iovec, iovs_len: usize, offset: Filesize, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(needs::FD_PREAD)?;
        // SAFETY: the guest passes `iovs_len` iovecs over memory it lets us write, per the ABI contract.
        let mut bufs = unsafe { mem::iovecs(iovs, iovs_len)? };
        let n = rustix::io::preadv(entry.kind().seekable_fd()?, &mut bufs, offset).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, mem::clamp_size(n)) }
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
        entry.require(needs::fd_seek(offset, whence))?;
        let at = rustix::fs::seek(entry.kind().seekable_fd()?, pos).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, at) }
    }))
}

pub(crate) unsafe fn fd_tell(fd: Fd, ret: *mut Filesize) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(needs::FD_TELL)?;
        let at = rustix::fs::tell(entry.kind().seekable_fd()?).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, at) }
    }))
}

pub(crate) unsafe fn fd_filestat_get(fd: Fd, ret: *mut Filestat) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(needs::FD_FILESTAT_GET)?;
        let mut st = match entry.kind().host_fd() {
            Some(host) => metadata::from_stat(&rustix::fs::fstat(host).map_err(from_host)?),
            None => Filestat { filetype: Filetype::CHARACTER_DEVICE, ..Filestat::default() },
        };
        // The host says only "socket"; the simulator knows whether it is a stream or a datagram one.
        if let Kind::Socket(sock) = entry.kind() {
            st.filetype = sock.filetype();
        }
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, st) }
    }))
}

pub(crate) unsafe fn fd_filestat_set_size(fd: Fd, size: Filesize) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        rustix::fs::ftruncate(file(&entry, needs::FD_FILESTAT_SET_SIZE)?, size).map_err(from_host)
    }))
}

pub(crate) unsafe fn fd_filestat_set_times(fd: Fd, atim: Timestamp, mtim: Timestamp, fst_flags: Fstflags) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        let (a, m) = metadata::set_times(atim, mtim, fst_flags)?;
        let times = Timestamps { last_access: SetTime::timespec(a), last_modification: SetTime::timespec(m) };
        with_host(&entry, needs::FD_FILESTAT_SET_TIMES, |host| rustix::fs::futimens(host, &times).map_err(from_host))
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
        rustix::fs::fadvise(file(&entry, needs::FD_ADVISE)?, offset, len, advice).map_err(from_host)
    }))
}

pub(crate) unsafe fn fd_allocate(fd: Fd, offset: Filesize, len: Filesize) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        let host = file(&entry, needs::FD_ALLOCATE)?;
        rustix::fs::fallocate(host, FallocateFlags::empty(), offset, len).map_err(from_host)
    }))
}

pub(crate) unsafe fn fd_sync(fd: Fd) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        with_host(&entry, needs::FD_SYNC, |host| rustix::fs::fsync(host).map_err(from_host))
    }))
}

pub(crate) unsafe fn fd_datasync(fd: Fd) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        with_host(&entry, needs::FD_DATASYNC, |host| rustix::fs::fdatasync(host).map_err(from_host))
    }))
}
