//! Signals on Wasmer 7.4.2: `proc_raise_interval` takes its interval in milliseconds (the seed's
//! `timestamp` is nanoseconds), and the numbering inserts `stkflt` at 16, so every seed signal from 16
//! (`chld`) on is one higher there, both in the calls that take a signal and in the number its signal export receives
//! (`docs/wasmer-7.4.2.md`). The calls get the seed's numbers translated, unknown numbers refused before
//! the host sees them (`INVAL`, as the seed's enum allows no others), and [`signal_from_host`] translates
//! the export's argument back (`stkflt` and Wasmer's host-only numbers have no seed signal: `none`).
//!
//! Wasmer keeps the export `callback_signal` names per thread: a thread started after the call has no
//! handler, and signals sent to it are lost. [`callback_signal`] remembers the name, and the profile's
//! `thread_spawn` names it again on each new thread before returning its id ([`name_on_new_thread`]).

use std::sync::{Mutex, PoisonError};
use wasix_sys::{Bool, Errno, Pid, Signal, Tid, Timestamp};

/// The name last given to `callback_signal`, for the threads started after it.
static NAME: Mutex<Option<Vec<u8>>> = Mutex::new(None);

/// `callback_signal`, remembering the name for the threads started later.
///
/// # Safety
/// As for [`wasix_sys::callback_signal`].
pub(crate) unsafe fn callback_signal(callback: *const u8, callback_len: usize) {
    if !callback.is_null() {
        // SAFETY: per the caller, the name's bytes.
        let name = unsafe { core::slice::from_raw_parts(callback, callback_len) };
        *NAME.lock().unwrap_or_else(PoisonError::into_inner) = Some(name.to_vec());
    }
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::callback_signal(callback, callback_len) }
}

/// Names the signal export on the calling (new) thread, if [`callback_signal`] was ever called.
pub(super) fn name_on_new_thread() {
    let name = NAME.lock().unwrap_or_else(PoisonError::into_inner).clone();
    if let Some(name) = name {
        // SAFETY: a valid name.
        unsafe { wasix_sys::callback_signal(name.as_ptr(), name.len()) };
    }
}

/// Wasmer's number of the seed's `sig` (Linux's: `seed::signal::to_linux`); `INVAL` for a number the seed
/// does not define.
fn to_host(sig: Signal) -> Result<Signal, Errno> {
    wasix_sys::seed::signal::to_linux(sig).map(Signal::from_raw).ok_or(Errno::INVAL)
}

/// The seed's signal for Wasmer's number `sig`.
#[inline]
pub(crate) fn signal_from_host(sig: Signal) -> Signal {
    wasix_sys::seed::signal::from_linux(u32::from(sig.raw()))
}

/// `proc_raise` with the seed's signal numbers.
///
/// # Safety
/// As for [`wasix_sys::proc_raise`].
pub(crate) unsafe fn proc_raise(sig: Signal) -> Errno {
    match to_host(sig) {
        // SAFETY: forwarded contract.
        Ok(sig) => unsafe { wasix_sys::proc_raise(sig) },
        Err(e) => e,
    }
}

/// Wasmer's interval, in milliseconds, for the seed's nanoseconds: rounded up, so a timer never fires
/// early and a non-zero interval never becomes 0 (which cancels).
fn interval_millis(nanos: Timestamp) -> Timestamp {
    nanos.div_ceil(1_000_000)
}

/// `proc_raise_interval` with the seed's signal numbers and its interval in Wasmer's milliseconds.
///
/// # Safety
/// As for [`wasix_sys::proc_raise_interval`].
pub(crate) unsafe fn proc_raise_interval(sig: Signal, interval: Timestamp, repeat: Bool) -> Errno {
    match to_host(sig) {
        // SAFETY: forwarded contract.
        Ok(sig) => unsafe { wasix_sys::proc_raise_interval(sig, interval_millis(interval), repeat) },
        Err(e) => e,
    }
}

/// `proc_signal` with the seed's signal numbers.
///
/// # Safety
/// As for [`wasix_sys::proc_signal`].
pub(crate) unsafe fn proc_signal(pid: Pid, sig: Signal) -> Errno {
    match to_host(sig) {
        // SAFETY: forwarded contract.
        Ok(sig) => unsafe { wasix_sys::proc_signal(pid, sig) },
        Err(e) => e,
    }
}

/// `thread_signal` with the seed's signal numbers.
///
/// # Safety
/// As for [`wasix_sys::thread_signal`].
pub(crate) unsafe fn thread_signal(tid: Tid, sig: Signal) -> Errno {
    match to_host(sig) {
        // SAFETY: forwarded contract.
        Ok(sig) => unsafe { wasix_sys::thread_signal(tid, sig) },
        Err(e) => e,
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;

    #[test]
    fn every_seed_signal_round_trips_through_wasmers_numbers() {
        for n in 0..=30 {
            let sig = Signal::from_raw(n);
            let host = to_host(sig).unwrap();
            assert_eq!(host.raw(), if n >= 16 { n + 1 } else { n });
            assert_eq!(signal_from_host(host), sig);
        }
        assert_eq!(signal_from_host(Signal::from_raw(16)), Signal::NONE, "stkflt");
        assert_eq!(to_host(Signal::from_raw(31)), Err(Errno::INVAL));
    }

    #[test]
    fn intervals_become_milliseconds_rounded_up() {
        assert_eq!(interval_millis(0), 0);
        assert_eq!(interval_millis(1), 1);
        assert_eq!(interval_millis(2_000_000), 2);
        assert_eq!(interval_millis(2_000_001), 3);
        assert_eq!(interval_millis(u64::MAX), u64::MAX / 1_000_000 + 1);
    }
}
