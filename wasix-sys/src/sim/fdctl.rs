//! The fd itself: `fd_close`, `fd_dup`, `fd_renumber`, `fd_fdstat_*` and the preopen queries.
//!
//! `fd_fdstat_set_flags` can switch `APPEND` and `NONBLOCK` (on the host object too, so duplicates see the
//! change, as POSIX `F_SETFL` does); the synchronisation flags are fixed when the file is opened, as on
//! Linux, and asking to change them is `NOTSUP`. `fd_renumber` to a number that is not open is allowed
//! (like `dup2`), below the table's limit of 65,536 (`BADF` beyond).

use super::errno::from_host;
use super::fdtable::Kind;
use super::{mem, state, status};
use crate::{Errno, Fd, Fdflags, Fdstat, Pointersize, Prestat, PrestatDir, Rights};
use rustix::fs::OFlags;

pub(crate) unsafe fn fd_close(fd: Fd) -> Errno {
    status(state::with(|s| s.fds.remove(fd).map(drop)))
}

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
        entry.require(Rights::FD_FDSTAT_SET_FLAGS)?;
        if !Fdflags::all().contains(flags) {
            return Err(Errno::INVAL);
        }
        let have = entry.desc.flags();
        if (have ^ flags).intersects(!CHANGEABLE) {
            return Err(Errno::NOTSUP);
        }
        // In-memory stdio has no host object: the flags are only recorded.
        if let Some(host) = entry.kind().host_fd() {
            let mut o = rustix::fs::fcntl_getfl(host).map_err(from_host)?;
            o.set(OFlags::APPEND, flags.contains(Fdflags::APPEND));
            o.set(OFlags::NONBLOCK, flags.contains(Fdflags::NONBLOCK));
            rustix::fs::fcntl_setfl(host, o).map_err(from_host)?;
        }
        entry.desc.set_flags(flags);
        Ok(())
    }))
}

pub(crate) unsafe fn fd_fdstat_set_rights(fd: Fd, base: Rights, inheriting: Rights) -> Errno {
    status(state::with(|s| s.fds.get(fd)?.restrict(base, inheriting)))
}

/// The guest name of preopen `fd` (`BADF` for an fd that is not a preopen).
fn preopen_name(fd: Fd) -> Result<String, Errno> {
    state::with(|s| match s.fds.get(fd)?.kind() {
        Kind::Dir(d) => d.preopen.clone().ok_or(Errno::BADF),
        _ => Err(Errno::BADF),
    })
}

pub(crate) unsafe fn fd_prestat_get(fd: Fd, ret: *mut Prestat) -> Errno {
    status((|| {
        let name = preopen_name(fd)?;
        let pr_name_len = u32::try_from(name.len()).map_err(|_| Errno::NAMETOOLONG)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, Prestat::dir(PrestatDir { pr_name_len })) }
    })())
}

pub(crate) unsafe fn fd_prestat_dir_name(fd: Fd, path: *mut u8, path_len: Pointersize) -> Errno {
    status((|| {
        let name = preopen_name(fd)?;
        if path_len < name.len() {
            return Err(Errno::OVERFLOW);
        }
        // SAFETY: `path` is valid for `path_len` bytes per the ABI contract.
        let out = unsafe { mem::slice_mut(path, name.len())? };
        out.copy_from_slice(name.as_bytes());
        Ok(())
    })())
}
