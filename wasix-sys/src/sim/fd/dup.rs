//! `fd_dup` and `fd_renumber` (the simulator half of `wasix::fd::dup`), each one critical section of the fd
//! table, so atomic with respect to every other thread.
//!
//! `fd_renumber` replaces an fd that is open: to a number that is not open it is `BADF`, as on preview1
//! hosts. The seed says why there is no `dup2`: a number chosen by the caller could be handed out to another
//! thread at the same time; renumbering only ever replaces an fd the caller owns.

use super::super::{mem, state, status};
use crate::{Errno, Fd};

pub(crate) unsafe fn fd_dup(fd: Fd, ret: *mut Fd) -> Errno {
    status(state::with(|s| {
        let new = s.fds.dup(fd)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, new) }.inspect_err(|_| drop(s.fds.remove(new)))
    }))
}

pub(crate) unsafe fn fd_renumber(fd: Fd, to: Fd) -> Errno {
    // The replaced entry is dropped (and its host object maybe closed) after the table's lock is released.
    status(state::with(|s| s.fds.renumber(fd, to).map(drop)))
}
