//! `fd_pipe` (the simulator half of `wasix::fd::pipe`): a host pipe, one-way as POSIX's and Wasmer
//! 7.4.2's are. The first fd is the read end (rights [`rights::PIPE_READ`]), the second the write end
//! ([`rights::PIPE_WRITE`]). A read after the write end is closed returns 0; a write after the read end is
//! closed gets `PIPE`. Through the host poller both ends wake `poll_oneoff`.

use super::super::errno::from_host;
use super::super::fdtable::{Entry, Kind};
use super::super::{mem, rights, state, status};
use crate::{Errno, Fd, Fdflags};

pub(crate) unsafe fn fd_pipe(ret0: *mut Fd, ret1: *mut Fd) -> Errno {
    status(state::with(|s| {
        let (reader, writer) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).map_err(from_host)?;
        let end = |fd, rights| Entry::new(Kind::Pipe(fd), rights, rights, Fdflags::empty());
        let (fa, fb) = s.fds.insert_pair(end(reader, rights::PIPE_READ), end(writer, rights::PIPE_WRITE))?;
        // SAFETY: out-pointers per the ABI contract.
        unsafe { mem::write2(ret0, fa, ret1, fb) }.inspect_err(|_| {
            drop(s.fds.remove(fa));
            drop(s.fds.remove(fb));
        })
    }))
}
