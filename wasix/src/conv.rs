//! Every conversion between `wasix_sys`'s raw values and this crate's Rust types, in one place
//! (CONVENTIONS.md): errno returns, out-parameters, sizes, timestamps, I/O vectors, strings and paths,
//! seek positions, file metadata and times, directory entries, poll subscriptions and events, and the tty.

use crate::io::{Errno, Result};
use core::mem::MaybeUninit;
use core::time::Duration;
use std::ffi::OsString;
use std::io::{IoSlice, IoSliceMut, SeekFrom};
#[cfg(not(target_os = "wasi"))]
use std::os::unix::ffi::{OsStrExt, OsStringExt};
#[cfg(target_os = "wasi")]
use std::os::wasi::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use wasix_sys::{
    Bool, Ciovec, Clockid, Dirent, Fd, Filedelta, Fstflags, Iovec, Lookupflags, Size, Subclockflags, Subscription,
    SubscriptionClock, SubscriptionFdReadwrite, SubscriptionU, Timestamp, Userdata, Whence,
};

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

/// The `(atim, mtim, fst_flags)` arguments of the `*_filestat_set_times` calls for `times`.
pub(crate) fn file_times(times: &crate::fs::FileTimes) -> Result<(Timestamp, Timestamp, Fstflags)> {
    use crate::fs::SetTime;
    let one = |t: Option<SetTime>, at: Fstflags, now: Fstflags| match t {
        None => Ok((0, Fstflags::empty())),
        Some(SetTime::Now) => Ok((0, now)),
        Some(SetTime::At(t)) => Ok((realtime(t)?, at)),
    };
    let (atim, aflags) = one(times.accessed, Fstflags::ATIM, Fstflags::ATIM_NOW)?;
    let (mtim, mflags) = one(times.modified, Fstflags::MTIM, Fstflags::MTIM_NOW)?;
    Ok((atim, mtim, aflags | mflags))
}

/// A `SeekFrom` as `fd_seek`'s `(offset, whence)`; `INVAL` for a start beyond `i64::MAX` (the ABI's
/// `filedelta` is signed).
#[inline]
pub(crate) fn seek_from(pos: SeekFrom) -> Result<(Filedelta, Whence)> {
    Ok(match pos {
        SeekFrom::Start(n) => (Filedelta::try_from(n).map_err(|_| Errno::INVAL)?, Whence::SET),
        SeekFrom::Current(n) => (n, Whence::CUR),
        SeekFrom::End(n) => (n, Whence::END),
    })
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

/// The `filestat` record as [`Metadata`](crate::fs::Metadata).
#[inline]
pub(crate) fn metadata(raw: wasix_sys::Filestat) -> crate::fs::Metadata {
    crate::fs::Metadata::from_raw(raw)
}

/// The size of the `dirent` header that precedes each name in `fd_readdir`'s buffer.
pub(crate) const DIRENT_SIZE: usize = size_of::<Dirent>();

/// The `dirent` header at the start of `bytes`, if all of it is there.
#[inline]
pub(crate) fn dirent(bytes: &[u8]) -> Option<Dirent> {
    let header = bytes.get(..DIRENT_SIZE)?;
    // SAFETY: `header` holds `size_of::<Dirent>()` initialised bytes; `Dirent` is `repr(C)` integers and a
    // `u8` newtype, valid for any bits, and `read_unaligned` needs no alignment.
    Some(unsafe { header.as_ptr().cast::<Dirent>().read_unaligned() })
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

/// A clock subscription; `absolute` sets `subscription_clock_abstime`. Timeouts saturate ([`timestamp_saturating`]).
#[inline]
pub(crate) fn clock_subscription(userdata: Userdata, id: Clockid, timeout: Duration, absolute: bool) -> Subscription {
    let flags = if absolute { Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME } else { Subclockflags::empty() };
    let clock = SubscriptionClock { id, timeout: timestamp_saturating(timeout), precision: 0, flags };
    Subscription { userdata, u: SubscriptionU::clock(clock) }
}

/// An fd readiness subscription: for writing when `write`, else for reading.
#[inline]
pub(crate) fn fd_subscription(userdata: Userdata, file_descriptor: Fd, write: bool) -> Subscription {
    let fd = SubscriptionFdReadwrite { file_descriptor };
    let u = if write { SubscriptionU::fd_write(fd) } else { SubscriptionU::fd_read(fd) };
    Subscription { userdata, u }
}

/// Raw events as the safe layer's [`Event`](crate::poll::Event)s, which wrap them without copying.
#[inline]
pub(crate) fn events(raw: &[wasix_sys::Event]) -> &[crate::poll::Event] {
    // SAFETY: `poll::Event` is a `repr(transparent)` wrapper of `wasix_sys::Event`, so the slices have the same
    // layout, and the lifetime is kept.
    unsafe { core::slice::from_raw_parts(raw.as_ptr().cast(), raw.len()) }
}

/// The `tty` record as [`Tty`](crate::tty::Tty).
#[inline]
pub(crate) fn tty(raw: wasix_sys::Tty) -> crate::tty::Tty {
    crate::tty::Tty {
        columns: raw.cols,
        rows: raw.rows,
        width: raw.width,
        height: raw.height,
        stdin_tty: bool_from(raw.stdin_tty),
        stdout_tty: bool_from(raw.stdout_tty),
        stderr_tty: bool_from(raw.stderr_tty),
        echo: bool_from(raw.echo),
        line_buffered: bool_from(raw.line_buffered),
    }
}

/// [`Tty`](crate::tty::Tty) as the `tty` record.
#[inline]
pub(crate) fn raw_tty(tty: &crate::tty::Tty) -> wasix_sys::Tty {
    wasix_sys::Tty {
        cols: tty.columns,
        rows: tty.rows,
        width: tty.width,
        height: tty.height,
        stdin_tty: raw_bool(tty.stdin_tty),
        stdout_tty: raw_bool(tty.stdout_tty),
        stderr_tty: raw_bool(tty.stderr_tty),
        echo: raw_bool(tty.echo),
        line_buffered: raw_bool(tty.line_buffered),
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
    fn seek_positions_beyond_filedelta_are_inval() {
        assert_eq!(seek_from(SeekFrom::Start(5)), Ok((5, Whence::SET)));
        assert_eq!(seek_from(SeekFrom::Current(-3)), Ok((-3, Whence::CUR)));
        assert_eq!(seek_from(SeekFrom::End(0)), Ok((0, Whence::END)));
        assert_eq!(seek_from(SeekFrom::Start(u64::MAX)), Err(Errno::INVAL));
    }

    #[test]
    fn times_before_1970_are_inval_and_timeouts_saturate() {
        assert_eq!(realtime(UNIX_EPOCH + Duration::from_secs(2)), Ok(2_000_000_000));
        assert_eq!(realtime(UNIX_EPOCH - Duration::from_secs(1)), Err(Errno::INVAL));
        assert_eq!(system_time(1_000_000_000), UNIX_EPOCH + Duration::from_secs(1));
        assert_eq!(timestamp_saturating(Duration::MAX), u64::MAX);
    }

    #[test]
    fn file_times_set_only_what_is_asked() {
        use crate::fs::FileTimes;
        let t = UNIX_EPOCH + Duration::from_secs(3);
        assert_eq!(file_times(&FileTimes::new()), Ok((0, 0, Fstflags::empty())));
        assert_eq!(file_times(&FileTimes::new().set_accessed(t)), Ok((3_000_000_000, 0, Fstflags::ATIM)));
        assert_eq!(file_times(&FileTimes::new().set_modified_now()), Ok((0, 0, Fstflags::MTIM_NOW)));
        assert_eq!(file_times(&FileTimes::new().set_modified(UNIX_EPOCH - Duration::from_secs(1))), Err(Errno::INVAL));
    }

    #[test]
    fn dirent_headers_are_read_only_when_complete() {
        let raw = Dirent { d_next: 7, d_ino: 9, d_namlen: 3, d_type: wasix_sys::Filetype::DIRECTORY };
        let mut bytes = [0u8; DIRENT_SIZE + 1];
        // SAFETY: `bytes` has room for a `Dirent` at offset 1; the write needs no alignment.
        unsafe { bytes.as_mut_ptr().add(1).cast::<Dirent>().write_unaligned(raw) };
        assert_eq!(dirent(&bytes[1..]), Some(raw));
        assert_eq!(dirent(&bytes[1..DIRENT_SIZE]), None);
    }

    #[test]
    fn text_that_is_not_utf8_is_ilseq() {
        assert_eq!(string(b"ok".to_vec()).as_deref(), Ok("ok"));
        assert_eq!(string(vec![0xff]), Err(Errno::ILSEQ));
    }
}
