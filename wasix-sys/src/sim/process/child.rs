//! A process's children and `proc_join` (the simulator half of `wasix::process::child`).
//!
//! # The model
//! - Every process `proc_spawn` or `proc_fork` starts is its parent's **child** until the parent joins it.
//!   A child is a simulated process of this host process (a registered native program, on its own host
//!   thread) or a host process (a host executable, or the other side of a `proc_fork`).
//! - **`proc_join(pid, ret)`** reads `*pid`: a child's pid waits for that child, [`ANY`] (`u32::MAX`, as
//!   POSIX `waitpid(-1)`) for whichever child ends first. It writes the pid joined back into `*pid` and
//!   its exit code into `*ret`, and forgets the child (a second join of it is `CHILD`). No such child, or
//!   no children at all for [`ANY`], is `CHILD`. A signal for the joining thread ends the wait: the
//!   handler runs and the call returns `INTR` (checked every [`SIGNAL_CHECK`]).
//! - **Exit codes** are the code given to `proc_exit` (all 32 bits for a simulated child, 0..=255 for a
//!   host process, as the host keeps them), 0 for a `main` that returned, 101 for one that panicked (the
//!   code of a Rust program that panics), and 128 + the seed's number for a process a signal terminated.
//! - A host child is watched through a pidfd: a join waiting for one polls the pidfds of the host children
//!   it may take (with the signal check as its timeout), and reaps a child only under the table's lock, so
//!   until it is joined its pid cannot be reused and signalling it never reaches another process. No host
//!   thread waits for children (a process without threads of its own can still `proc_fork`).
//! - When a process ends without joining its host children, they are reaped as they end, by one host
//!   thread per child still running then; none is left a zombie.

use super::super::state::{self, State};
use super::super::{mem, signal, status};
use crate::{Errno, Exitcode, Pid, Signal};
use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

/// `proc_join`'s pid for "any child".
pub(crate) const ANY: Pid = u32::MAX;

/// How often a waiting `proc_join` looks for a signal.
const SIGNAL_CHECK: Duration = Duration::from_millis(20);

/// What a child is.
#[derive(Debug)]
pub(crate) enum Kind {
    /// A simulated process of this host process.
    Sim(Weak<State>),
    /// A host process: its host pid and a pidfd of it.
    Host(libc::pid_t, OwnedFd),
}

#[derive(Debug)]
struct Child {
    kind: Kind,
    /// The exit code, once it ended.
    code: Option<Exitcode>,
}

/// The children of one process (shared with their waiters, which record how they end).
#[derive(Debug, Default, Clone)]
pub(crate) struct Children(Arc<Table>);

#[derive(Debug, Default)]
struct Table {
    children: Mutex<HashMap<Pid, Child>>,
    ended: Condvar,
}

fn lock(t: &Table) -> MutexGuard<'_, HashMap<Pid, Child>> {
    t.children.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Children {
    /// Records a new child.
    pub fn add(&self, pid: Pid, kind: Kind) {
        lock(&self.0).insert(pid, Child { kind, code: None });
    }

    /// Records that child `pid` ended with `code`.
    pub fn ended(&self, pid: Pid, code: Exitcode) {
        if let Some(child) = lock(&self.0).get_mut(&pid) {
            child.code = Some(code);
        }
        self.0.ended.notify_all();
    }

    /// Forgets child `pid` (one that could not be started).
    pub fn forget(&self, pid: Pid) {
        lock(&self.0).remove(&pid);
    }

    /// Forgets every child (a `proc_fork` child's copy of its parent's table).
    pub fn clear(&self) {
        lock(&self.0).clear();
    }

    /// Whether `pid` is a child of this process.
    pub fn contains(&self, pid: Pid) -> bool {
        lock(&self.0).contains_key(&pid)
    }

    /// Sends `sig` (a defined, non-`none` signal) to child `pid`; `SRCH` if it is none. A child that ended
    /// but was not joined yet takes it and nothing happens, as a POSIX zombie does.
    pub fn signal(&self, pid: Pid, sig: Signal) -> Result<(), Errno> {
        let children = lock(&self.0);
        let child = children.get(&pid).ok_or(Errno::SRCH)?;
        if child.code.is_some() {
            return Ok(());
        }
        match &child.kind {
            Kind::Sim(state) => match state.upgrade() {
                Some(state) => signal::send(&state, sig),
                None => Ok(()),
            },
            Kind::Host(host, _) => {
                let Some(n) = crate::seed::signal::to_linux(sig) else { return Err(Errno::INVAL) };
                // SAFETY: `kill` takes no pointers; the child is not reaped while the lock is held, so
                // `host` is still its pid.
                if n != 0 && unsafe { libc::kill(*host, i32::from(n)) } != 0 {
                    return Err(super::super::errno::from_io(&std::io::Error::last_os_error()));
                }
                Ok(())
            }
        }
    }

    /// Waits for child `want` (or [`ANY`]) to end and forgets it; `INTR` if a signal for the calling thread
    /// came first (delivered before returning).
    fn join(&self, state: &State, want: Pid) -> Result<(Pid, Exitcode), Errno> {
        let mut children = lock(&self.0);
        loop {
            let found = if want == ANY {
                if children.is_empty() {
                    return Err(Errno::CHILD);
                }
                children.iter().find(|(_, c)| c.code.is_some()).map(|(&pid, _)| pid)
            } else {
                match children.get(&want) {
                    None => return Err(Errno::CHILD),
                    Some(c) => c.code.is_some().then_some(want),
                }
            };
            if let Some(pid) = found {
                let child = children.remove(&pid).expect("found under the lock");
                return Ok((pid, child.code.expect("found ended")));
            }
            if signal::pending_here(state) {
                drop(children);
                signal::deliver_pending(state);
                return Err(Errno::INTR);
            }
            // The host children this join may take: reap the ones that ended, else wait on their pidfds.
            let mut fds = Vec::new();
            for (&pid, child) in children.iter_mut().filter(|(pid, _)| want == ANY || **pid == want) {
                if let (Kind::Host(host, pidfd), None) = (&child.kind, child.code) {
                    match try_reap(*host) {
                        Some(code) => child.code = Some(code),
                        None => fds.push((pid, pidfd.try_clone())),
                    }
                }
            }
            if children.iter().any(|(&pid, c)| (want == ANY || pid == want) && c.code.is_some()) {
                continue;
            }
            if fds.is_empty() {
                children = self.0.ended.wait_timeout(children, SIGNAL_CHECK).unwrap_or_else(PoisonError::into_inner).0;
            } else {
                drop(children);
                let fds: Vec<OwnedFd> = fds.into_iter().filter_map(|(_, fd)| fd.ok()).collect();
                let mut polled: Vec<_> =
                    fds.iter().map(|fd| rustix::event::PollFd::new(fd, rustix::event::PollFlags::IN)).collect();
                let timeout = rustix::time::Timespec { tv_sec: 0, tv_nsec: SIGNAL_CHECK.as_nanos() as i64 };
                let _ = rustix::event::poll(&mut polled, Some(&timeout));
                children = lock(&self.0);
            }
        }
    }

    /// Puts back a child [`Children::join`] took, when its results could not be written.
    fn restore(&self, pid: Pid, code: Exitcode, kind: Kind) {
        lock(&self.0).insert(pid, Child { kind, code: Some(code) });
    }
}

impl Drop for Table {
    fn drop(&mut self) {
        let children = std::mem::take(self.children.get_mut().unwrap_or_else(PoisonError::into_inner));
        for (pid, child) in children {
            if let (Kind::Host(host, _), None) = (child.kind, child.code) {
                if try_reap(host).is_none() {
                    let reaper = std::thread::Builder::new().name(format!("wasix child {pid} reaper"));
                    let _ = reaper.spawn(move || reap(host, 0));
                }
            }
        }
    }
}

/// Reaps host child `host` if it has ended, giving its exit code.
fn try_reap(host: libc::pid_t) -> Option<Exitcode> {
    reap(host, libc::WNOHANG)
}

/// Reaps host child `host` (waiting for it unless `flags` has `WNOHANG`) and gives its exit code (see the
/// module docs); `None` if it is still running, 255 if it cannot be waited for.
fn reap(host: libc::pid_t, flags: i32) -> Option<Exitcode> {
    let mut status = 0;
    loop {
        // SAFETY: `status` is valid for writing.
        let r = unsafe { libc::waitpid(host, &mut status, flags) };
        if r == host {
            break;
        }
        if r == 0 {
            return None;
        }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return Some(255);
        }
    }
    Some(if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status) as Exitcode
    } else if libc::WIFSIGNALED(status) {
        crate::seed::signal::exit_code(crate::seed::signal::from_linux(libc::WTERMSIG(status) as u32))
    } else {
        255
    })
}

/// Opens a pidfd for host child `host` (to record it with [`Kind::Host`]).
pub(crate) fn pidfd(host: libc::pid_t) -> Result<OwnedFd, Errno> {
    let pid = rustix::process::Pid::from_raw(host).ok_or(Errno::SRCH)?;
    rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty()).map_err(super::super::errno::from_host)
}

pub(crate) unsafe fn proc_join(pid: *mut Pid, ret: *mut Exitcode) -> Errno {
    status(state::with(|s| {
        // SAFETY: in-out pointer per the ABI contract.
        let want = unsafe { mem::read(pid)? };
        if ret.is_null() {
            return Err(Errno::FAULT);
        }
        let (joined, code) = s.children.join(s, want)?;
        // SAFETY: out-pointers per the ABI contract (`pid` was readable, so it is non-null).
        unsafe { mem::write2(pid, joined, ret, code) }
            .inspect_err(|_| s.children.restore(joined, code, Kind::Sim(Weak::new())))
    }))
}
