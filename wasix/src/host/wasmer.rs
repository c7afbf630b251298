//! The Wasmer 7.x host profile: every translation the safe layer needs to present the seed's semantics on
//! Wasmer 7.4.2 (facts from `../shared/abi/wasmer-7.4.2-differences.md` and from running the conformance
//! suite on Wasmer).
//!
//! | item | Wasmer 7.4.2 | the seed / the simulator | adaptation | proven by |
//! |---|---|---|---|---|
//! | errno 78, 79 | `memviolation` (a guest pointer out of bounds) and `unknown` | not defined | 78 → `FAULT`, 79 → `IO` | `tests/errors.rs`: `host_errnos_outside_the_seed_are_mapped` |
//! | `clock_time_set` on a clock other than realtime | succeeds and moves that clock | `INVAL` (only realtime can be set, as in POSIX) | `INVAL` without calling the host | `tests/time.rs`: `clocks_other_than_realtime_cannot_be_set` |
//! | `fd_prestat_dir_name` on stdio | `fd_prestat_get` reports a directory, then `fd_prestat_dir_name` fails with `NOTDIR` | `BADF` (not a preopen) | `NOTDIR` → `BADF` | `tests/fd.rs`: `stdio_is_not_a_preopen` |

use wasix_sys::{Clockid, Errno, Fd, Pointersize, Timestamp};

/// Wasmer's `__WASI_EMEMVIOLATION`.
const MEMVIOLATION: Errno = Errno::from_raw(78);
/// Wasmer's `__WASI_EUNKNOWN`.
const UNKNOWN: Errno = Errno::from_raw(79);

/// Maps the errno values Wasmer adds to the seed's nearest ones.
#[inline]
pub(crate) fn errno(e: Errno) -> Errno {
    match e {
        MEMVIOLATION => Errno::FAULT,
        UNKNOWN => Errno::IO,
        other => other,
    }
}

/// `clock_time_set`, refusing the clocks the seed cannot set before Wasmer would move them.
///
/// # Safety
/// As for [`wasix_sys::clock_time_set`].
pub(crate) unsafe fn clock_time_set(id: Clockid, timestamp: Timestamp) -> Errno {
    if id != Clockid::REALTIME {
        return Errno::INVAL;
    }
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::clock_time_set(id, timestamp) }
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
