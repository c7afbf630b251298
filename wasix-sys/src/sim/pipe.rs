//! `fd_pipe` and `fd_event`: host objects that carry data or counts between threads (and, through the
//! host poller, wake `poll_oneoff`).
//!
//! - `fd_pipe` gives a host pipe, one-way as POSIX's and Wasmer 7.4.2's are: the first fd is the read end
//!   (rights [`PIPE_READ`]), the second the write end ([`PIPE_WRITE`]). A read after the write end is
//!   closed returns 0; a write after the read end is closed gets `PIPE`.
//! - `fd_event` is a host `eventfd`: writes add an 8-byte count, a read takes the whole count (with
//!   `eventfdflags::semaphore`, 1 of it), blocking at 0 unless the fd is `NONBLOCK` (then `AGAIN`); buffers
//!   shorter than 8 bytes are `INVAL`. An initial value of `u64::MAX` is `INVAL` (the counter's maximum is
//!   one less).

use super::errno::from_host;
use super::fdtable::{Entry, Kind};
use super::{mem, rights, state, status};
use crate::Rights;
use crate::{Errno, Eventfdflags, Fd, Fdflags};
use rustix::event::EventfdFlags;

/// The rights of a pipe's read end: [`rights::STREAM`] without `FD_WRITE`.
pub(crate) const PIPE_READ: Rights = rights::STREAM.difference(Rights::FD_WRITE);
/// The rights of a pipe's write end: [`rights::STREAM`] without `FD_READ`.
pub(crate) const PIPE_WRITE: Rights = rights::STREAM.difference(Rights::FD_READ);

pub(crate) unsafe fn fd_pipe(ret0: *mut Fd, ret1: *mut Fd) -> Errno {
    status(state::with(|s| {
        let (reader, writer) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).map_err(from_host)?;
        let end = |fd, rights| Entry::new(Kind::Pipe(fd), rights, rights, Fdflags::empty());
        let (fa, fb) = s.fds.insert_pair(end(reader, PIPE_READ), end(writer, PIPE_WRITE))?;
        // SAFETY: out-pointers per the ABI contract.
        unsafe { mem::write(ret0, fa).and_then(|()| mem::write(ret1, fb)) }.inspect_err(|_| {
            drop(s.fds.remove(fa));
            drop(s.fds.remove(fb));
        })
    }))
}

pub(crate) unsafe fn fd_event(initial_val: u64, flags: Eventfdflags, ret: *mut Fd) -> Errno {
    status(state::with(|s| {
        if !Eventfdflags::all().contains(flags) {
            return Err(Errno::INVAL);
        }
        let mut host_flags = EventfdFlags::CLOEXEC;
        host_flags.set(EventfdFlags::SEMAPHORE, flags.contains(Eventfdflags::SEMAPHORE));
        let fd = rustix::event::eventfd(0, host_flags).map_err(from_host)?;
        if initial_val != 0 {
            rustix::io::write(&fd, &initial_val.to_ne_bytes()).map_err(from_host)?;
        }
        let new = s.fds.insert(Entry::new(Kind::Event(fd), rights::STREAM, rights::STREAM, Fdflags::empty()))?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, new) }.inspect_err(|_| drop(s.fds.remove(new)))
    }))
}
