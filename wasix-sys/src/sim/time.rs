//! `clock_*` (the simulator half of `wasix::time`): the host's clocks, with a per-instance offset for the
//! realtime clock.
//!
//! `clock_time_set` only moves the instance's realtime clock (the host's is never touched); the other
//! clocks cannot be set and give `INVAL`, as `clock_settime` does for them in POSIX.

use super::{mem, state, status};
use crate::{Clockid, Errno, Timestamp};
use rustix::time::{ClockId, Timespec};
use std::sync::atomic::Ordering;

pub(crate) fn host_clock(id: Clockid) -> Result<ClockId, Errno> {
    Ok(match id {
        Clockid::REALTIME => ClockId::Realtime,
        Clockid::MONOTONIC => ClockId::Monotonic,
        Clockid::PROCESS_CPUTIME_ID => ClockId::ProcessCPUTime,
        Clockid::THREAD_CPUTIME_ID => ClockId::ThreadCPUTime,
        _ => return Err(Errno::INVAL),
    })
}

fn nanos(t: Timespec) -> i128 {
    i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec)
}

/// The host's realtime clock in nanoseconds since the epoch.
fn host_realtime() -> i128 {
    nanos(rustix::time::clock_gettime(ClockId::Realtime))
}

pub(crate) unsafe fn clock_res_get(id: Clockid, ret: *mut Timestamp) -> Errno {
    status((|| {
        let res = rustix::time::clock_getres(host_clock(id)?);
        let res = Timestamp::try_from(nanos(res)).map_err(|_| Errno::OVERFLOW)?.max(1);
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, res) }
    })())
}

pub(crate) unsafe fn clock_time_get(id: Clockid, _precision: Timestamp, ret: *mut Timestamp) -> Errno {
    status((|| {
        let now = nanos(rustix::time::clock_gettime(host_clock(id)?));
        let now = if id == Clockid::REALTIME {
            now + i128::from(state::with(|s| s.realtime_offset.load(Ordering::Relaxed)))
        } else {
            now
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, Timestamp::try_from(now).map_err(|_| Errno::OVERFLOW)?) }
    })())
}

pub(crate) unsafe fn clock_time_set(id: Clockid, timestamp: Timestamp) -> Errno {
    status((|| {
        host_clock(id)?;
        if id != Clockid::REALTIME {
            return Err(Errno::INVAL);
        }
        let offset = i64::try_from(i128::from(timestamp) - host_realtime()).map_err(|_| Errno::OVERFLOW)?;
        state::with(|s| s.realtime_offset.store(offset, Ordering::Relaxed));
        Ok(())
    })())
}
