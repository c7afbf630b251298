//! `futex_wait`, `futex_wake` and `futex_wake_all` (the simulator half of `wasix::sync::futex`): the host's
//! futex on the guest's real address. Natively every thread of every instance shares the host process's
//! address space, so a private host futex is what a wasm host's shared memory futex is.
//!
//! - `futex_wait` returns `INVAL` when the futex does not hold `expected` (the seed's rule; Wasmer 7.4.2
//!   reports success there), `false` when its timeout (relative nanoseconds; `none` waits for ever)
//!   passes, and `true` in every other case: woken, or woken spuriously (a signal), as the seed allows.
//! - `futex_wake` wakes one waiter and reports whether there was one; `futex_wake_all` wakes every waiter
//!   and reports whether there was any.
//! - A null futex is `FAULT`; one that is not 4-byte aligned is `INVAL` (a futex is an aligned `u32`).
//!
//! All three are inlined into their callers down to the syscall, as `fd_read` and `fd_write` are
//! (`sim/fd/ops.rs`): a return executed after a syscall into a frame entered before it costs about 65 ns on
//! the development machine, which put the simulator's futex calls 100-120 ns (35-70 %) over the host's
//! (the `sync` benchmark of `wasix`).

use super::super::errno::from_host;
use super::super::{mem, status};
use crate::{Bool, Errno, OptionTimestamp};
use rustix::thread::futex::{self, Flags};
use rustix::time::Timespec;
use std::sync::atomic::AtomicU32;

/// The futex at `p`: `FAULT` if null, `INVAL` if misaligned.
///
/// # Safety
/// A non-null `p` must be valid for atomic access to a `u32` for `'a`.
#[inline(always)]
unsafe fn futex<'a>(p: *mut u32) -> Result<&'a AtomicU32, Errno> {
    if p.is_null() {
        return Err(Errno::FAULT);
    }
    if !p.is_aligned() {
        return Err(Errno::INVAL);
    }
    // SAFETY: non-null and aligned (checked); valid for atomic access per the caller. Other threads only
    // access it atomically (futexes are shared memory by definition).
    Ok(unsafe { AtomicU32::from_ptr(p) })
}

#[inline(always)]
fn to_bool(b: bool) -> Bool {
    if b {
        Bool::TRUE
    } else {
        Bool::FALSE
    }
}

/// A relative timeout of `ns` nanoseconds as the host's.
#[inline(always)]
fn timespec(ns: u64) -> Timespec {
    Timespec { tv_sec: (ns / 1_000_000_000) as i64, tv_nsec: (ns % 1_000_000_000) as _ }
}

#[inline(always)]
pub(crate) unsafe fn futex_wait(
    futex_ptr: *mut u32,
    expected: u32,
    timeout: *const OptionTimestamp,
    ret: *mut Bool,
) -> Errno {
    super::super::signal::at_entry();
    status((|| {
        // SAFETY: the guest passes a valid futex and timeout per the ABI contract.
        let (word, timeout) = unsafe { (futex(futex_ptr)?, mem::read(timeout)?) };
        let timeout = match timeout.tag {
            OptionTimestamp::TAG_NONE => None,
            OptionTimestamp::TAG_SOME => Some(timespec(timeout.as_some().ok_or(Errno::INVAL)?)),
            _ => return Err(Errno::INVAL),
        };
        let woken = match futex::wait(word, Flags::PRIVATE, expected, timeout.as_ref()) {
            Ok(()) | Err(rustix::io::Errno::INTR) => true,
            Err(rustix::io::Errno::TIMEDOUT) => false,
            Err(rustix::io::Errno::AGAIN) => return Err(Errno::INVAL),
            Err(e) => return Err(from_host(e)),
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, to_bool(woken)) }
    })())
}

/// Wakes up to `count` waiters on the futex at `p` and writes whether there was one to `ret`.
///
/// # Safety
/// As for `futex_wake`.
#[inline(always)]
unsafe fn wake(p: *mut u32, count: u32, ret: *mut Bool) -> Errno {
    status((|| {
        // SAFETY: the guest passes a valid futex per the ABI contract.
        let woken = futex::wake(unsafe { futex(p)? }, Flags::PRIVATE, count).map_err(from_host)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, to_bool(woken > 0)) }
    })())
}

#[inline(always)]
pub(crate) unsafe fn futex_wake(futex: *mut u32, ret: *mut Bool) -> Errno {
    // SAFETY: forwarded contract.
    unsafe { wake(futex, 1, ret) }
}

#[inline(always)]
pub(crate) unsafe fn futex_wake_all(futex: *mut u32, ret: *mut Bool) -> Errno {
    // SAFETY: forwarded contract; the host takes `i32::MAX` for "every waiter".
    unsafe { wake(futex, i32::MAX as u32, ret) }
}
