//! `fd_prestat_get` and `fd_prestat_dir_name` (the simulator half of `wasix::fd::preopen`): the guest names
//! of the preopened directories. A buffer too short for the name is `NAMETOOLONG`, as preview1 hosts
//! (wasmtime) answer and preview1 programs expect; the seed says nothing of it.

use super::super::fdtable::Kind;
use super::super::{mem, state, status};
use crate::{Errno, Fd, Pointersize, Prestat, PrestatDir};

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
            return Err(Errno::NAMETOOLONG);
        }
        // SAFETY: `path` is valid for `path_len` bytes per the ABI contract.
        let out = unsafe { mem::slice_mut(path, name.len())? };
        out.copy_from_slice(name.as_bytes());
        Ok(())
    })())
}
