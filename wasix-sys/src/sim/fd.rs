//! The fd functions the foundation serves: read/write on stdio, close, fdstat and the preopen queries.

use super::fdtable::Kind;
use super::{mem, state, status};
use crate::{Ciovec, Errno, Fd, Fdstat, Iovec, Pointersize, Prestat, PrestatDir, Rights, Size};
use std::io::{IoSlice, IoSliceMut};

/// Narrows a byte count to the ABI's 32-bit `size`: a transfer is never reported larger than it can be.
fn clamp_size(n: usize) -> Size {
    Size::try_from(n).unwrap_or(Size::MAX)
}

/// Caps a scatter/gather list at `u32::MAX` bytes in total so the count fits the ABI's `size`.
fn total_fits(mut lens: impl Iterator<Item = usize>) -> Result<(), Errno> {
    let total = lens.try_fold(0usize, |acc, l| acc.checked_add(l)).ok_or(Errno::OVERFLOW)?;
    if total > Size::MAX as usize {
        return Err(Errno::INVAL);
    }
    Ok(())
}

pub(crate) unsafe fn fd_write(fd: Fd, iovs: *const Ciovec, iovs_len: usize, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(Rights::FD_WRITE)?;
        // SAFETY: the guest passes `iovs_len` ciovecs; `Ciovec` is `{ *const u8, usize }` and `IoSlice` is
        // guaranteed ABI-compatible with `iovec`, which has that same layout.
        let bufs: &[IoSlice<'_>] = unsafe { mem::slice(iovs.cast::<IoSlice<'_>>(), iovs_len)? };
        total_fits(bufs.iter().map(|b| b.len()))?;
        let n = match &entry.kind {
            Kind::Stdio(stream) => stream.write(bufs)?,
            Kind::Dir(_) => return Err(Errno::BADF),
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_read(fd: Fd, iovs: *const Iovec, iovs_len: usize, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        entry.require(Rights::FD_READ)?;
        // SAFETY: the guest passes `iovs_len` iovecs over memory it lets us write; `IoSliceMut` is
        // guaranteed ABI-compatible with `iovec` (`{ *mut u8, usize }`), the layout of `Iovec`. Only the
        // buffers are written, never the list.
        let bufs: &mut [IoSliceMut<'_>] = unsafe { mem::slice_mut(iovs.cast_mut().cast(), iovs_len)? };
        total_fits(bufs.iter().map(|b| b.len()))?;
        let n = match &entry.kind {
            Kind::Stdio(stream) => stream.read(bufs)?,
            Kind::Dir(_) => return Err(Errno::BADF),
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, clamp_size(n)) }
    }))
}

pub(crate) unsafe fn fd_close(fd: Fd) -> Errno {
    status(state::with(|s| s.fds.remove(fd).map(drop)))
}

pub(crate) unsafe fn fd_fdstat_get(fd: Fd, ret: *mut Fdstat) -> Errno {
    status(state::with(|s| {
        let stat = s.fds.get(fd)?.fdstat();
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, stat) }
    }))
}

/// The guest name of preopen `fd` (`BADF` for an fd that is not a preopen).
fn preopen_name(fd: Fd) -> Result<String, Errno> {
    state::with(|s| match &s.fds.get(fd)?.kind {
        Kind::Dir(d) => d.preopen.clone().ok_or(Errno::BADF),
        Kind::Stdio(_) => Err(Errno::BADF),
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
