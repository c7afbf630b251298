//! `poll_oneoff`: waits for clocks and fd readiness, through the host poller.
//!
//! - Clock subscriptions on `realtime` (the instance's, see [`super::time`]) and `monotonic`, relative or
//!   with `subscription_clock_abstime`; `precision` is ignored. The CPU-time clocks cannot be waited for
//!   (a sleeping thread's CPU time does not advance): their subscriptions get an event with error `NOTSUP`.
//! - fd subscriptions need `POLL_FD_READWRITE` plus `FD_READ` or `FD_WRITE`; without, the event carries
//!   `NOTCAPABLE`. An fd that is not open gets an event with error `BADF`, an unknown subscription tag or
//!   clock `INVAL`, as WASI hosts do, and the other subscriptions still count.
//! - Files, directories and in-memory stdio are always ready (`nbytes`: what is left to read from the
//!   file's offset, or held by the stream). Pipes, events and inherited stdio are polled on the host:
//!   `nbytes` is 8 for a readable event counter and 1 ("at least one byte") for another readable stream,
//!   not the exact count, which would cost one more host call per fd; `fd_readwrite_hangup` is set (and
//!   `nbytes` 0) when the peer is gone.
//! - When something is ready at once, the host fds are only checked, not waited for. With no clock, the
//!   call waits until an fd is ready. `nsubscriptions == 0` is `INVAL`.

use super::errno::from_host;
use super::fdtable::{Entry, Kind};
use super::state::State;
use super::time::host_clock;
use super::{mem, state, status};
use crate::seed::needs;
use crate::{
    Clockid, Errno, Event, EventFdReadwrite, Eventrwflags, Eventtype, Size, Subclockflags, Subscription,
    SubscriptionClock, SubscriptionU, Userdata,
};
use rustix::event::{PollFd, PollFlags};
use rustix::time::{ClockId, Timespec};
use std::os::fd::{AsRawFd, BorrowedFd};
use std::sync::atomic::Ordering;
use std::sync::Arc;

fn event(userdata: Userdata, error: Errno, r#type: Eventtype, nbytes: u64, flags: Eventrwflags) -> Event {
    Event { userdata, error, r#type, fd_readwrite: EventFdReadwrite { nbytes, flags } }
}

fn now(clock: ClockId) -> i128 {
    let t = rustix::time::clock_gettime(clock);
    i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec)
}

/// When a clock subscription fires: the host clock and its reading then.
fn deadline(s: &State, c: &SubscriptionClock) -> Result<(ClockId, i128), Errno> {
    let clock = host_clock(c.id)?;
    if !Subclockflags::all().contains(c.flags) {
        return Err(Errno::INVAL);
    }
    if !matches!(c.id, Clockid::REALTIME | Clockid::MONOTONIC) {
        return Err(Errno::NOTSUP);
    }
    let timeout = i128::from(c.timeout);
    if !c.flags.contains(Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME) {
        return Ok((clock, now(clock) + timeout));
    }
    let offset = if c.id == Clockid::REALTIME { s.realtime_offset.load(Ordering::Relaxed) } else { 0 };
    Ok((clock, timeout - i128::from(offset)))
}

/// What can be read from a file from its offset on (0 when unknown).
fn file_left(entry: &Entry) -> u64 {
    let Some(fd) = entry.kind().host_fd() else { return 0 };
    match (rustix::fs::fstat(fd), rustix::fs::tell(fd)) {
        (Ok(st), Ok(at)) => u64::try_from(st.st_size).unwrap_or(0).saturating_sub(at),
        _ => 0,
    }
}

/// The event of a host fd the poller reported with `revents`.
fn host_event(userdata: Userdata, r#type: Eventtype, entry: &Entry, revents: PollFlags) -> Event {
    if revents.contains(PollFlags::NVAL) {
        return event(userdata, Errno::BADF, r#type, 0, Eventrwflags::empty());
    }
    let mut flags = Eventrwflags::empty();
    flags.set(Eventrwflags::FD_READWRITE_HANGUP, revents.contains(PollFlags::HUP));
    let nbytes = match (r#type, entry.kind()) {
        (Eventtype::FD_READ, Kind::Event(_)) => 8,
        (Eventtype::FD_READ, _) if !revents.contains(PollFlags::HUP) => 1,
        _ => 0,
    };
    event(userdata, Errno::SUCCESS, r#type, nbytes, flags)
}

/// A relative host timeout of `ns` nanoseconds (0 if past).
fn timespec(ns: i128) -> Timespec {
    let ns = ns.max(0);
    Timespec { tv_sec: i64::try_from(ns / 1_000_000_000).unwrap_or(i64::MAX), tv_nsec: (ns % 1_000_000_000) as _ }
}

/// The events of `subs` once at least one is ready.
fn wait(s: &State, subs: &[Subscription]) -> Result<Vec<Event>, Errno> {
    let fd_of = |sub: &Subscription| sub.u.as_fd_read().or(sub.u.as_fd_write()).map(|f| f.file_descriptor);
    let entries: Vec<Option<Result<Arc<Entry>, Errno>>> = s.fds.get_many(subs.iter().map(fd_of));
    let mut ready = Vec::new();
    let mut clocks = Vec::new();
    let mut host: Vec<PollFd<'_>> = Vec::new();
    let mut owners = Vec::new();
    for (sub, entry) in subs.iter().zip(entries) {
        let (data, none) = (sub.userdata, Eventrwflags::empty());
        let (r#type, interest) = match sub.u.tag {
            SubscriptionU::TAG_CLOCK => {
                let c = sub.u.as_clock().ok_or(Errno::INVAL)?;
                match deadline(s, &c) {
                    Ok(d) => clocks.push((data, d)),
                    Err(e) => ready.push(event(data, e, Eventtype::CLOCK, 0, none)),
                }
                continue;
            }
            SubscriptionU::TAG_FD_READ => (Eventtype::FD_READ, PollFlags::IN),
            SubscriptionU::TAG_FD_WRITE => (Eventtype::FD_WRITE, PollFlags::OUT),
            tag => {
                ready.push(event(data, Errno::INVAL, Eventtype::from_raw(tag), 0, none));
                continue;
            }
        };
        let need = needs::poll_oneoff(r#type).ok_or(Errno::INVAL)?;
        let checked = entry.ok_or(Errno::INVAL)?.and_then(|e| e.require(need).map(|()| e));
        let entry = match checked {
            Ok(entry) => entry,
            Err(e) => {
                ready.push(event(data, e, r#type, 0, none));
                continue;
            }
        };
        let reading = r#type == Eventtype::FD_READ;
        match entry.kind() {
            Kind::File { .. } | Kind::Dir(_) => {
                ready.push(event(data, Errno::SUCCESS, r#type, if reading { file_left(&entry) } else { 0 }, none))
            }
            Kind::Stdio(stream) if stream.is_virtual() => {
                let n = if reading { stream.available() as u64 } else { 0 };
                ready.push(event(data, Errno::SUCCESS, r#type, n, none))
            }
            _ => owners.push((data, r#type, entry, interest)),
        }
    }
    // One host poll entry per host fd, however many subscriptions name it: the host refuses more entries
    // than its fd limit, and one entry answers for all of them. Sorting keeps this O(n log n).
    let mut by_fd = Vec::with_capacity(owners.len());
    for (i, (_, _, entry, _)) in owners.iter().enumerate() {
        by_fd.push((entry.kind().host_fd().ok_or(Errno::BADF)?, i));
    }
    by_fd.sort_unstable_by_key(|(fd, _)| fd.as_raw_fd());
    let mut slot_of = vec![0; owners.len()];
    let mut wanted: Vec<(BorrowedFd<'_>, PollFlags)> = Vec::with_capacity(by_fd.len());
    for (fd, i) in by_fd {
        let interest = owners[i].3;
        match wanted.last_mut() {
            Some((last, flags)) if last.as_raw_fd() == fd.as_raw_fd() => *flags |= interest,
            _ => wanted.push((fd, interest)),
        }
        slot_of[i] = wanted.len() - 1;
    }
    host.extend(wanted.into_iter().map(|(fd, flags)| PollFd::from_borrowed_fd(fd, flags)));
    loop {
        let timeout = if !ready.is_empty() {
            Some(timespec(0))
        } else {
            clocks.iter().map(|(_, (clock, at))| at - now(*clock)).min().map(timespec)
        };
        match rustix::event::poll(&mut host, timeout.as_ref()) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(from_host(e)),
        }
        for ((data, r#type, entry, interest), &slot) in owners.iter().zip(&slot_of) {
            let revents = host[slot].revents();
            // A merged entry may report what another subscription on the fd asked for.
            if revents.intersects(*interest | PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                ready.push(host_event(*data, *r#type, entry, revents));
            }
        }
        for (data, (clock, at)) in &clocks {
            if now(*clock) >= *at {
                ready.push(event(*data, Errno::SUCCESS, Eventtype::CLOCK, 0, Eventrwflags::empty()));
            }
        }
        if !ready.is_empty() {
            return Ok(ready);
        }
    }
}

pub(crate) unsafe fn poll_oneoff(r#in: *const Subscription, out: *mut Event, n: Size, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        if n == 0 {
            return Err(Errno::INVAL);
        }
        // Copied first: the guest may reuse the memory of its subscriptions for the events. Neither list
        // needs to be aligned (wasm memory does not require it).
        // SAFETY: `in` is valid for `n` subscriptions per the ABI contract; they are plain data.
        let subs = unsafe { mem::read_list(r#in, n as usize)? };
        let events = wait(s, &subs)?;
        // SAFETY: `out` is valid for `n` events per the ABI contract; at most `n` are written.
        unsafe { mem::write_list(out, &events)? };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, events.len() as Size) }
    }))
}
