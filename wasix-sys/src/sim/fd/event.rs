//! `fd_event` (the simulator half of `wasix::fd::event`): a host `eventfd`. Writes add an 8-byte count, a
//! read takes the whole count (with `eventfdflags::semaphore`, 1 of it), blocking at 0 unless the fd is
//! `NONBLOCK` (then `AGAIN`); buffers shorter than 8 bytes are `INVAL`. An initial value of `u64::MAX` is
//! `INVAL` (the counter's maximum is one less). Through the host poller it wakes `poll_oneoff`.

use super::super::errno::from_host;
use super::super::fdtable::{Entry, Kind};
use super::super::{mem, rights, state, status};
use crate::{Errno, Eventfdflags, Fd, Fdflags};
use rustix::event::EventfdFlags;

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
