//! An fd's type, flags and rights: `fd_fdstat_get`, `fd_fdstat_set_flags` and `fd_fdstat_set_rights` (the
//! simulator half of `wasix::fd::fdstat`).
//!
//! `fd_fdstat_set_flags` can switch `APPEND` and `NONBLOCK` (on the host object too, so duplicates see the
//! change, as POSIX `F_SETFL` does; one change at a time per open description, so the recorded and the host
//! flags never disagree); the synchronisation flags are fixed when the file is opened, as on
//! Linux, and asking to change them is `NOTSUP`.

use super::super::errno::from_host;
use super::super::fdtable::Kind;
use super::super::{mem, state, status};
use crate::seed::needs;
use crate::{Errno, Fd, Fdflags, Fdstat, Rights};
use rustix::fs::OFlags;

pub(crate) unsafe fn fd_fdstat_get(fd: Fd, ret: *mut Fdstat) -> Errno {
    status(state::with(|s| {
        let stat = s.fds.get(fd)?.fdstat();
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, stat) }
    }))
}

/// The flags `fd_fdstat_set_flags` can change.
const CHANGEABLE: Fdflags = Fdflags::APPEND.union(Fdflags::NONBLOCK);

pub(crate) unsafe fn fd_fdstat_set_flags(fd: Fd, flags: Fdflags) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(needs::FD_FDSTAT_SET_FLAGS)?;
        if !Fdflags::all().contains(flags) {
            return Err(Errno::INVAL);
        }
        entry.desc.change_flags(|have| {
            if (have ^ flags).intersects(!CHANGEABLE) {
                return Err(Errno::NOTSUP);
            }
            // In-memory stdio has no host object, and a directory's flags mean nothing to the host (its
            // handle may be path-only, where the host refuses `F_SETFL`): their flags are only recorded.
            if let (Some(host), false) = (entry.kind().host_fd(), matches!(entry.kind(), Kind::Dir(_))) {
                let mut o = rustix::fs::fcntl_getfl(host).map_err(from_host)?;
                o.set(OFlags::APPEND, flags.contains(Fdflags::APPEND));
                o.set(OFlags::NONBLOCK, flags.contains(Fdflags::NONBLOCK));
                rustix::fs::fcntl_setfl(host, o).map_err(from_host)?;
            }
            Ok(flags)
        })
    }))
}

pub(crate) unsafe fn fd_fdstat_set_rights(fd: Fd, base: Rights, inheriting: Rights) -> Errno {
    status(state::with(|s| s.fds.restrict(fd, base, inheriting)))
}
