//! One safe wrapper per raw process call (CONVENTIONS: socket-like subsystems): each takes slices and
//! typed values, makes the one raw call through [`crate::host`] and converts the result. The public types'
//! methods are one line over these.

#![allow(unsafe_code)] // Raw calls, and taking ownership of the fds they open.

use crate::conv;
use crate::fd::{FromRawFd, OwnedFd};
use crate::io::{BusError, Errno, Result};
use wasix_sys::{OptionFd, Pid, StdioMode};

/// What `proc_spawn` returned: the child's pid and the caller's ends of its piped streams.
pub(crate) struct Handles {
    pub pid: Pid,
    pub stdio: [Option<OwnedFd>; 3],
}

/// `proc_spawn`. `args` and `preopen` are the `\n`-separated lists the call takes.
pub(crate) fn spawn(
    name: &[u8],
    chroot: bool,
    args: &[u8],
    preopen: &[u8],
    stdio: [StdioMode; 3],
    working_dir: &[u8],
) -> core::result::Result<Handles, BusError> {
    let mut handles = wasix_sys::ProcessHandles::default();
    // SAFETY: every string is valid for its length; `handles` is valid for the record written on success.
    let e = unsafe {
        crate::host::proc_spawn(
            name.as_ptr(),
            name.len(),
            conv::raw_bool(chroot),
            args.as_ptr(),
            args.len(),
            preopen.as_ptr(),
            preopen.len(),
            stdio[0],
            stdio[1],
            stdio[2],
            working_dir.as_ptr(),
            working_dir.len(),
            &mut handles,
        )
    };
    if e != BusError::SUCCESS {
        return Err(e);
    }
    // SAFETY: the host just opened the fds it returned for this call, so nothing else owns them.
    let own = |fd: OptionFd| fd.as_some().map(|fd| unsafe { OwnedFd::from_raw_fd(fd) });
    Ok(Handles { pid: handles.bid, stdio: [own(handles.stdin), own(handles.stdout), own(handles.stderr)] })
}

/// `proc_join`: waits for child `pid` (`None`: any child); the pid joined and its exit code.
pub(crate) fn join(pid: Option<Pid>) -> Result<(Pid, u32)> {
    let mut pid = pid.unwrap_or(u32::MAX);
    let mut code = 0;
    // SAFETY: both pointers are valid for the call's reads and writes.
    conv::result(unsafe { crate::host::proc_join(&mut pid, &mut code) })?;
    Ok((pid, code))
}

/// `proc_exec`: returns only if the host refuses before replacing the program (never, by the seed).
pub(crate) fn exec(name: &[u8], args: &[u8]) -> ! {
    // SAFETY: both strings are valid for their lengths.
    unsafe { crate::host::proc_exec(name.as_ptr(), name.len(), args.as_ptr(), args.len()) }
}

/// `proc_fork`: 0 in the child, the child's pid in the parent.
///
/// # Safety
/// As for [`crate::process::fork`].
pub(crate) unsafe fn fork() -> Result<Pid> {
    // SAFETY: `ret` is valid for the pid written on success; the caller keeps `fork`'s contract.
    unsafe { conv::out(|ret| crate::host::proc_fork(conv::raw_bool(true), ret)) }
}

/// `proc_parent` of `pid`.
pub(crate) fn parent(pid: Pid) -> Result<Pid> {
    // SAFETY: `ret` is valid for a `Pid`, which `proc_parent` writes on success.
    unsafe { conv::out(|ret| crate::host::proc_parent(pid, ret)) }
}

/// The `\n`-separated list of `items` the spawn calls take; `INVAL` if one holds a `\n` or NUL: such an
/// item cannot be passed.
pub(crate) fn lines<'a>(items: impl IntoIterator<Item = &'a [u8]>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        if item.iter().any(|b| matches!(b, b'\n' | 0)) {
            return Err(Errno::INVAL);
        }
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(item);
    }
    Ok(out)
}
