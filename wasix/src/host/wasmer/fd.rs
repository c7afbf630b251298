//! The profile for `wasix::fd`: reads and writes (rights errnos, event fd writes), flags, renumbering and
//! the preopen names.

#![allow(unsafe_code)] // Every item wraps a raw call.

use super::with_right;
use wasix_sys::seed::needs;
use wasix_sys::{Ciovec, Errno, Fd, Iovec, Pointersize, Size};

rights_checked! {
    fd_read(fd: Fd, iovs: *const Iovec, iovs_len: usize, ret: *mut Size) needs FD_READ;
    fd_fdstat_set_flags(fd: Fd, flags: wasix_sys::Fdflags) needs FD_FDSTAT_SET_FLAGS;
}

/// The size of an event fd's counter.
const COUNTER: usize = size_of::<u64>();

/// `fd_write`. Wasmer reads an event fd's buffer in place as `u64`s and fails with `unknown` when it is not
/// 8-byte aligned; which fd is an event fd is not known without a call, so a single 8-byte buffer that is
/// not aligned is written from an aligned copy (8 bytes copied, no extra call).
///
/// # Safety
/// As for [`wasix_sys::fd_write`].
pub(crate) unsafe fn fd_write(fd: Fd, iovs: *const Ciovec, iovs_len: usize, ret: *mut Size) -> Errno {
    // SAFETY: forwarded contract: `iovs` holds `iovs_len` ciovecs over readable buffers.
    let misaligned = unsafe { misaligned_counter(iovs, iovs_len) };
    let (counter, aligned);
    let list = match misaligned {
        Some(value) => {
            counter = value;
            aligned = Ciovec { buf: (&raw const counter).cast(), buf_len: COUNTER };
            &raw const aligned
        }
        None => iovs,
    };
    // SAFETY: forwarded contract; `list` is `iovs`, or one ciovec over `counter`, both alive for the call.
    with_right(fd, needs::FD_WRITE, unsafe { wasix_sys::fd_write(fd, list, iovs_len, ret) })
}

/// The value of a list of one 8-byte buffer that is not 8-byte aligned.
///
/// # Safety
/// A non-null `iovs` must hold `len` ciovecs, each valid for its length.
unsafe fn misaligned_counter(iovs: *const Ciovec, len: usize) -> Option<u64> {
    if len != 1 || iovs.is_null() {
        return None;
    }
    // SAFETY: per the caller, `iovs` holds one ciovec.
    let one = unsafe { iovs.read_unaligned() };
    let buf = one.buf.cast::<u64>();
    if one.buf_len != COUNTER || buf.is_null() || buf.is_aligned() {
        return None;
    }
    // SAFETY: per the caller, the buffer is valid for its 8 bytes; no alignment is needed.
    Some(unsafe { buf.read_unaligned() })
}

/// `fd_prestat_dir_name`, reporting stdio (which Wasmer lists as a directory it cannot name) as no preopen.
///
/// # Safety
/// As for [`wasix_sys::fd_prestat_dir_name`].
pub(crate) unsafe fn fd_prestat_dir_name(fd: Fd, path: *mut u8, path_len: Pointersize) -> Errno {
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::fd_prestat_dir_name(fd, path, path_len) } {
        Errno::NOTDIR => Errno::BADF,
        other => other,
    }
}

/// `fd_renumber`, releasing `from` as the seed does (Wasmer's leaves it open, as `dup2` would).
///
/// # Safety
/// As for [`wasix_sys::fd_renumber`].
pub(crate) unsafe fn fd_renumber(from: Fd, to: Fd) -> Errno {
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::fd_renumber(from, to) } {
        Errno::SUCCESS if from != to => {
            // SAFETY: the caller gave up `from` to the renumbering, which the seed would have released.
            let _ = unsafe { wasix_sys::fd_close(from) };
            Errno::SUCCESS
        }
        other => other,
    }
}
