//! `proc_fork` (the simulator half of `wasix::process::fork`): the host's `fork`, where that gives WASIX
//! semantics.
//!
//! A forked WASIX process continues in a copy of its memory and fd table. The host's `fork` gives exactly
//! that when the simulated process **is** the whole host process and nothing else runs in it: the caller
//! is in the default instance (not a scoped [`Sim`](crate::sim::Sim), which shares the host process with
//! other instances) and the host process has one thread (a `fork` copies only the calling thread, so the
//! others' locks and work would be lost in the child). Otherwise the call is **`NOTSUP`**: e.g. inside
//! libtest's threaded harness; a test that forks gets a binary of its own with `harness = false`.
//!
//! The child gets a new simulated pid, its parent's pid as parent, no children and no pending signals,
//! and `proc_fork` returns 0 there; the parent gets the child's simulated pid and joins it with
//! `proc_join` like any child (its exit code, or 128 + the signal that ended it). Both copies of every fd
//! refer to the same host objects, as after a POSIX `fork`. `copy_memory` false (a `vfork`, memory shared
//! until the child execs or exits) is served as a copy too: a copy keeps every promise a share makes to
//! a child that only execs or exits. A `copy_memory` other than 0 or 1 is `INVAL`.

use super::super::state::{self, in_scoped_instance, next_pid};
use super::super::{errno, mem, status};
use super::child;
use crate::{Bool, Errno, Pid};

/// How many threads the host process has (`/proc/self/task`).
fn host_threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(usize::MAX, |d| d.count())
}

pub(crate) unsafe fn proc_fork(copy_memory: Bool, ret: *mut Pid) -> Errno {
    if !matches!(copy_memory, Bool::FALSE | Bool::TRUE) {
        return Errno::INVAL;
    }
    if ret.is_null() {
        return Errno::FAULT;
    }
    status(state::with(|s| {
        if in_scoped_instance() || host_threads() != 1 {
            return Err(Errno::NOTSUP);
        }
        let pid = next_pid();
        let parent = s.pid();
        // SAFETY: the host process has one thread (checked above), so the child continues with a
        // consistent copy of every lock and allocator.
        match unsafe { libc::fork() } {
            -1 => Err(errno::from_io(&std::io::Error::last_os_error())),
            0 => {
                s.pid.store(pid, std::sync::atomic::Ordering::Relaxed);
                s.parent.store(parent, std::sync::atomic::Ordering::Relaxed);
                s.children.clear();
                super::super::thread::local::renumber(parent, pid);
                // SAFETY: out-pointer per the ABI contract.
                unsafe { mem::write(ret, 0) }
            }
            host => {
                let pidfd = child::pidfd(host)?;
                s.children.add(pid, child::Kind::Host(host, pidfd));
                // SAFETY: out-pointer per the ABI contract.
                unsafe { mem::write(ret, pid) }
            }
        }
    }))
}
