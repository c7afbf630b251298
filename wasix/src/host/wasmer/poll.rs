//! The profile for `wasix::poll`: `poll_oneoff`'s clock timeouts and fds that are not open.

#![allow(unsafe_code)] // Every item wraps a raw call.

use crate::conv;
use wasix_sys::{Clockid, Errno, Size, Subclockflags};

/// The subscriptions to give Wasmer in place of `subs` (`None`: `subs` as they are). Wasmer waits for the
/// last clock subscription's timeout and then fires every clock subscription, and takes a relative timeout
/// of 0 as "no timeout". So when there is more than one clock, or a zero timeout, only the clock that
/// fires first is passed on, as a relative monotonic timeout of at least 1 ns, with its own userdata.
/// Clocks other than realtime and monotonic are passed on unchanged (Wasmer refuses them itself).
fn clocks_for_wasmer(subs: &[wasix_sys::Subscription]) -> Option<Vec<wasix_sys::Subscription>> {
    use wasix_sys::{SubscriptionClock, SubscriptionU};
    let remaining = |c: &SubscriptionClock| -> Option<u64> {
        if !matches!(c.id, Clockid::REALTIME | Clockid::MONOTONIC) {
            return None;
        }
        if !c.flags.contains(Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME) {
            return Some(c.timeout);
        }
        let mut now = 0;
        // SAFETY: `now` is valid for the timestamp.
        (unsafe { wasix_sys::clock_time_get(c.id, 1, &mut now) } == Errno::SUCCESS)
            .then(|| c.timeout.saturating_sub(now))
    };
    let clocks: Vec<(usize, Option<u64>)> =
        subs.iter().enumerate().filter_map(|(i, s)| s.u.as_clock().map(|c| (i, remaining(&c)))).collect();
    let zero = subs.iter().any(|s| {
        s.u.as_clock().is_some_and(|c| c.timeout == 0 && !c.flags.contains(Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME))
    });
    if !(zero || clocks.len() > 1) || clocks.iter().any(|(_, r)| r.is_none()) {
        return None;
    }
    let (first, wait) = clocks.iter().filter_map(|&(i, r)| r.map(|r| (i, r))).min_by_key(|&(_, r)| r)?;
    let first_clock = subs[first].u.as_clock()?;
    Some(
        subs.iter()
            .enumerate()
            .filter_map(|(i, s)| match s.u.as_clock() {
                None => Some(*s),
                Some(_) if i == first => Some(wasix_sys::Subscription {
                    userdata: s.userdata,
                    u: SubscriptionU::clock(SubscriptionClock {
                        id: Clockid::MONOTONIC,
                        timeout: wait.max(1),
                        flags: Subclockflags::empty(),
                        ..first_clock
                    }),
                }),
                Some(_) => None,
            })
            .collect(),
    )
}

/// `poll_oneoff`, with a relative clock timeout of 0 sent as 1 ns: Wasmer takes 0 for "no timeout" and
/// would wait forever where the seed returns at once. The subscriptions are copied only in that case.
///
/// # Safety
/// As for [`wasix_sys::poll_oneoff`].
pub(crate) unsafe fn poll_oneoff(
    subscriptions: *const wasix_sys::Subscription,
    events: *mut wasix_sys::Event,
    count: Size,
    ret: *mut Size,
) -> Errno {
    let all = match usize::try_from(count) {
        // SAFETY: forwarded contract: `subscriptions` holds `count` records (a null pointer is the host's to
        // report).
        Ok(n) if !subscriptions.is_null() => unsafe { core::slice::from_raw_parts(subscriptions, n) },
        _ => &[],
    };
    let e = match clocks_for_wasmer(all) {
        // SAFETY: forwarded contract.
        None => unsafe { wasix_sys::poll_oneoff(subscriptions, events, count, ret) },
        // SAFETY: `adjusted` holds its length of records, no more than `count`; the rest is forwarded.
        Some(adjusted) => unsafe { wasix_sys::poll_oneoff(adjusted.as_ptr(), events, adjusted.len() as Size, ret) },
    };
    if e != Errno::BADF {
        return e;
    }
    // Wasmer fails the whole call for an fd that is not open; the seed reports it in that subscription's
    // event. Only on this error path: find those fds and return their events (they are ready at once).
    let mut n = 0;
    for s in all {
        let (fd, r#type) = match (s.u.as_fd_read(), s.u.as_fd_write()) {
            (Some(sub), _) => (sub.file_descriptor, wasix_sys::Eventtype::FD_READ),
            (_, Some(sub)) => (sub.file_descriptor, wasix_sys::Eventtype::FD_WRITE),
            _ => continue,
        };
        // SAFETY: `ret` is valid for the `fdstat` written on success.
        if unsafe { conv::out(|ret| wasix_sys::fd_fdstat_get(fd, ret)) } == Err(Errno::BADF) {
            let event = wasix_sys::Event { userdata: s.userdata, error: Errno::BADF, r#type, ..Default::default() };
            // SAFETY: `events` is valid for `count` events (forwarded contract) and `n < count`.
            unsafe { events.add(n).write(event) };
            n += 1;
        }
    }
    if n == 0 {
        return e;
    }
    // SAFETY: `ret` is valid for the count (forwarded contract).
    unsafe { ret.write(n as Size) };
    Errno::SUCCESS
}
