//! Any fd's data and end: `fd_read`, `fd_write` and `fd_close` (the simulator half of `wasix::fd::ops`).
//!
//! This is the hot path: one read lock and one `Arc` clone to find the fd, the guest's iovec list checked
//! as guest data and then used in place as the host's ([`mem::ciovecs`]; a read's single buffer is copied
//! onto the stack, [`mem::iovecs`]), one host call, no allocation (a pipe's write also blocks SIGPIPE around
//! it, see [`sigpipe`]).

use super::super::errno::from_host;
use super::super::fdtable::Kind;
use super::super::{mem, sigpipe, state, status, tty};
use crate::seed::needs;
use crate::{Ciovec, Errno, Fd, Filetype, Iovec, Size};
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, BorrowedFd};

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
        entry.require(needs::FD_WRITE)?;
        // SAFETY: the guest passes `iovs_len` ciovecs per the ABI contract.
        let bufs = unsafe { mem::ciovecs(iovs, iovs_len)? };
        let n = match entry.kind() {
            Kind::Stdio(stream) => stream.write(&bufs)?,
            // A pipe's reader (or a FIFO's, opened by path) may be gone: `PIPE`, never the host's SIGPIPE.
            Kind::Pipe(fd) | Kind::File { fd, filetype: Filetype::UNKNOWN } => {
                sigpipe::suppressed(|| write_host(fd.as_fd(), &bufs))?
            }
            kind => write_host(kind.stream_fd()?, &bufs)?,
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, mem::clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_read(fd: Fd, iovs: *const Iovec, iovs_len: usize, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(needs::FD_READ)?;
        // SAFETY: the guest passes `iovs_len` iovecs over memory it lets us write, per the ABI contract.
        let mut bufs = unsafe { mem::iovecs(iovs, iovs_len)? };
        let n = match entry.kind() {
            Kind::Stdio(stream) => tty::read_stdio(s, stream, &mut bufs)?,
            kind => read_host(kind.stream_fd()?, &mut bufs)?,
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, mem::clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_close(fd: Fd) -> Errno {
    status(state::with(|s| s.fds.remove(fd).map(drop)))
}
