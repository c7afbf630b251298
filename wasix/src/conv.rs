//! Every conversion between `wasix_sys`'s raw values and this crate's Rust types, in one place
//! (CONVENTIONS.md): errno returns, out-parameters, sizes, timestamps, I/O vectors and strings.

use crate::io::{Errno, Result};
use core::mem::MaybeUninit;
use core::time::Duration;
use std::io::{IoSlice, IoSliceMut};
use wasix_sys::{Ciovec, Iovec, Size, Timestamp};

/// The result of a raw call that returned `errno`: `SUCCESS` is `Ok`, anything else the error, as the
/// host profile translates it ([`crate::host::errno`]).
#[inline]
pub(crate) fn result(errno: Errno) -> Result<()> {
    if errno == Errno::SUCCESS {
        Ok(())
    } else {
        Err(crate::host::errno(errno))
    }
}

/// Makes a raw call with one out-parameter and returns what it wrote there.
///
/// # Safety
/// When `call` returns `SUCCESS` it must have written a valid `T` through the pointer it was given (what
/// every raw function does for its `ret` pointer).
#[inline]
pub(crate) unsafe fn out<T>(call: impl FnOnce(*mut T) -> Errno) -> Result<T> {
    let mut value = MaybeUninit::uninit();
    result(call(value.as_mut_ptr()))?;
    // SAFETY: `SUCCESS` means `call` initialised `value` (the caller's contract).
    Ok(unsafe { value.assume_init() })
}

// Every target wasix-sys builds for has at least 32-bit pointers, so a `size` always fits a `usize`.
const _: () = assert!(size_of::<usize>() >= size_of::<Size>());

/// A count the ABI carries as `size`.
#[inline]
pub(crate) fn usize_from(size: Size) -> usize {
    size as usize
}

/// A timestamp (nanoseconds) as a `Duration`.
#[inline]
pub(crate) fn duration(ts: Timestamp) -> Duration {
    Duration::from_nanos(ts)
}

/// A `Duration` as a timestamp; `OVERFLOW` beyond `u64::MAX` nanoseconds (about 584 years).
#[inline]
pub(crate) fn timestamp(d: Duration) -> Result<Timestamp> {
    Timestamp::try_from(d.as_nanos()).map_err(|_| Errno::OVERFLOW)
}

// `IoSlice` and `IoSliceMut` are guaranteed ABI-compatible with the platform's `iovec` (wasi's on wasm,
// POSIX's natively), which is `{ pointer, usize }` like `Ciovec` and `Iovec`; check what can be checked.
const _: () = assert!(size_of::<IoSlice<'_>>() == size_of::<Ciovec>());
const _: () = assert!(align_of::<IoSlice<'_>>() == align_of::<Ciovec>());
const _: () = assert!(size_of::<IoSliceMut<'_>>() == size_of::<Iovec>());
const _: () = assert!(align_of::<IoSliceMut<'_>>() == align_of::<Iovec>());

/// `bufs` as the `ciovec` array `fd_write` reads.
#[inline]
pub(crate) fn ciovecs(bufs: &[IoSlice<'_>]) -> *const Ciovec {
    // `IoSlice` has `Ciovec`'s layout (asserted above); the pointer is only read through.
    bufs.as_ptr().cast()
}

/// `bufs` as the `iovec` array `fd_read` reads; the host writes only into the buffers it points to.
#[inline]
pub(crate) fn iovecs(bufs: &mut [IoSliceMut<'_>]) -> *const Iovec {
    // `IoSliceMut` has `Iovec`'s layout (asserted above); taken from a `&mut` slice so the buffers the
    // entries point to may be written.
    bufs.as_mut_ptr().cast_const().cast()
}

/// Bytes the interface says are text; `ILSEQ` when they are not UTF-8.
#[inline]
pub(crate) fn string(bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| Errno::ILSEQ)
}

/// The `fdstat` record as the safe layer's [`FdStat`](crate::fd::FdStat).
#[inline]
pub(crate) fn fdstat(raw: wasix_sys::Fdstat) -> crate::fd::FdStat {
    crate::fd::FdStat {
        filetype: raw.fs_filetype,
        flags: raw.fs_flags,
        rights_base: raw.fs_rights_base,
        rights_inheriting: raw.fs_rights_inheriting,
    }
}

/// A WASIX fd number as std's fd number (a C `int` on wasi): the same bits, as wasi-libc sees them.
#[cfg(target_os = "wasi")]
#[inline]
pub(crate) fn std_raw_fd(fd: crate::fd::RawFd) -> std::os::fd::RawFd {
    fd as std::os::fd::RawFd
}

/// std's fd number as the WASIX fd with the same bits.
#[cfg(target_os = "wasi")]
#[inline]
pub(crate) fn wasix_raw_fd(fd: std::os::fd::RawFd) -> crate::fd::RawFd {
    fd as crate::fd::RawFd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_is_ok_and_every_other_errno_is_the_error() {
        assert_eq!(result(Errno::SUCCESS), Ok(()));
        assert_eq!(result(Errno::BADF), Err(Errno::BADF));
        assert_eq!(result(Errno::from_raw(9999)), Err(Errno::from_raw(9999)));
    }

    #[test]
    fn out_reads_the_value_only_on_success() {
        // SAFETY: the call writes the value before returning SUCCESS.
        let ok = unsafe {
            out(|p: *mut u32| {
                p.write(7);
                Errno::SUCCESS
            })
        };
        assert_eq!(ok, Ok(7));
        // SAFETY: the call fails, so nothing is read.
        assert_eq!(unsafe { out(|_: *mut u32| Errno::INVAL) }, Err(Errno::INVAL));
    }

    #[test]
    fn timestamps_beyond_u64_nanoseconds_overflow() {
        assert_eq!(timestamp(Duration::from_nanos(u64::MAX)), Ok(u64::MAX));
        assert_eq!(timestamp(Duration::from_nanos(u64::MAX) + Duration::from_nanos(1)), Err(Errno::OVERFLOW));
        assert_eq!(duration(1_500_000_000), Duration::from_millis(1500));
    }

    #[test]
    fn text_that_is_not_utf8_is_ilseq() {
        assert_eq!(string(b"ok".to_vec()).as_deref(), Ok("ok"));
        assert_eq!(string(vec![0xff]), Err(Errno::ILSEQ));
    }
}
