//! The shapes of passing values to raw calls and back (CONVENTIONS.md), as rustix's `conv.rs` holds them:
//! errno returns ([`result`]), out-parameters ([`out`], [`out2`], [`out3`]), sizes, timestamps, I/O
//! vectors, path and string bytes, booleans and fd numbers. A record converts beside its Rust type
//! (`Metadata::from_raw`, `FdStat::from_raw`, `Tty`, `poll::Event`), never here.

#![allow(unsafe_code)] // Out-parameters and the iovec casts.

use crate::io::{Errno, Result};
use core::mem::MaybeUninit;
use core::time::Duration;
use std::ffi::OsString;
use std::io::{IoSlice, IoSliceMut};
#[cfg(not(target_os = "wasi"))]
use std::os::unix::ffi::{OsStrExt, OsStringExt};
#[cfg(target_os = "wasi")]
use std::os::wasi::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use wasix_sys::{Bool, Ciovec, Iovec, Lookupflags, Size, Timestamp};

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

/// Makes a raw call with two out-parameters (`ret0`, `ret1`) and returns what it wrote there.
///
/// # Safety
/// When `call` returns `SUCCESS` it must have written a valid `A` and `B` through the pointers it was given.
#[inline]
pub(crate) unsafe fn out2<A, B>(call: impl FnOnce(*mut A, *mut B) -> Errno) -> Result<(A, B)> {
    let (mut a, mut b) = (MaybeUninit::uninit(), MaybeUninit::uninit());
    result(call(a.as_mut_ptr(), b.as_mut_ptr()))?;
    // SAFETY: `SUCCESS` means `call` initialised both (the caller's contract).
    Ok(unsafe { (a.assume_init(), b.assume_init()) })
}

/// Makes a raw call with three out-parameters (`ret0`, `ret1`, `ret2`) and returns what it wrote there.
///
/// # Safety
/// When `call` returns `SUCCESS` it must have written a valid `A`, `B` and `C` through the pointers it was
/// given.
#[inline]
pub(crate) unsafe fn out3<A, B, C>(call: impl FnOnce(*mut A, *mut B, *mut C) -> Errno) -> Result<(A, B, C)> {
    let (mut a, mut b, mut c) = (MaybeUninit::uninit(), MaybeUninit::uninit(), MaybeUninit::uninit());
    result(call(a.as_mut_ptr(), b.as_mut_ptr(), c.as_mut_ptr()))?;
    // SAFETY: `SUCCESS` means `call` initialised all three (the caller's contract).
    Ok(unsafe { (a.assume_init(), b.assume_init(), c.assume_init()) })
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

/// A duration as a timestamp, saturating at `u64::MAX` nanoseconds (about 584 years: "never" for a timeout).
#[inline]
pub(crate) fn timestamp_saturating(d: Duration) -> Timestamp {
    Timestamp::try_from(d.as_nanos()).unwrap_or(Timestamp::MAX)
}

/// A realtime timestamp as a `SystemTime`.
#[inline]
pub(crate) fn system_time(ts: Timestamp) -> SystemTime {
    UNIX_EPOCH + duration(ts)
}

/// A `SystemTime` as a realtime timestamp: `INVAL` before 1970, `OVERFLOW` beyond `u64::MAX` nanoseconds.
#[inline]
pub(crate) fn realtime(t: SystemTime) -> Result<Timestamp> {
    timestamp(t.duration_since(UNIX_EPOCH).map_err(|_| Errno::INVAL)?)
}

/// The lookup flags that follow a final symlink, or not.
#[inline]
pub(crate) fn lookup(follow_symlinks: bool) -> Lookupflags {
    if follow_symlinks {
        Lookupflags::SYMLINK_FOLLOW
    } else {
        Lookupflags::empty()
    }
}

/// A path as the bytes the ABI passes (paths are byte strings on every target this crate builds for).
#[inline]
pub(crate) fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_bytes()
}

/// Bytes from the host as a path.
#[inline]
pub(crate) fn path_buf(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(os_string(bytes))
}

/// Bytes from the host as an `OsString` (a file name, which need not be UTF-8 on the host's disk).
#[inline]
pub(crate) fn os_string(bytes: Vec<u8>) -> OsString {
    OsString::from_vec(bytes)
}

/// A raw `bool`.
#[inline]
pub(crate) fn bool_from(b: Bool) -> bool {
    b != Bool::FALSE
}

/// A `bool` as the raw one.
#[inline]
pub(crate) fn raw_bool(b: bool) -> Bool {
    if b {
        Bool::TRUE
    } else {
        Bool::FALSE
    }
}

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
    fn out2_and_out3_read_every_value_only_on_success() {
        // SAFETY: the calls write every value before returning SUCCESS.
        let two = unsafe {
            out2(|a: *mut u8, b: *mut u16| {
                a.write(1);
                b.write(2);
                Errno::SUCCESS
            })
        };
        assert_eq!(two, Ok((1, 2)));
        // SAFETY: as above.
        let three = unsafe {
            out3(|a: *mut u8, b: *mut u16, c: *mut u32| {
                a.write(1);
                b.write(2);
                c.write(3);
                Errno::SUCCESS
            })
        };
        assert_eq!(three, Ok((1, 2, 3)));
        // SAFETY: the call fails, so nothing is read.
        assert_eq!(unsafe { out2(|_: *mut u8, _: *mut u8| Errno::AGAIN) }, Err(Errno::AGAIN));
    }

    #[test]
    fn timestamps_beyond_u64_nanoseconds_overflow() {
        assert_eq!(timestamp(Duration::from_nanos(u64::MAX)), Ok(u64::MAX));
        assert_eq!(timestamp(Duration::from_nanos(u64::MAX) + Duration::from_nanos(1)), Err(Errno::OVERFLOW));
        assert_eq!(duration(1_500_000_000), Duration::from_millis(1500));
    }

    #[test]
    fn times_before_1970_are_inval_and_timeouts_saturate() {
        assert_eq!(realtime(UNIX_EPOCH + Duration::from_secs(2)), Ok(2_000_000_000));
        assert_eq!(realtime(UNIX_EPOCH - Duration::from_secs(1)), Err(Errno::INVAL));
        assert_eq!(system_time(1_000_000_000), UNIX_EPOCH + Duration::from_secs(1));
        assert_eq!(timestamp_saturating(Duration::MAX), u64::MAX);
    }

    #[test]
    fn text_that_is_not_utf8_is_ilseq() {
        assert_eq!(string(b"ok".to_vec()).as_deref(), Ok("ok"));
        assert_eq!(string(vec![0xff]), Err(Errno::ILSEQ));
    }
}
