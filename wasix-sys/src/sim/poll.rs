//! `poll_oneoff`: waits for clocks and fd readiness, through the host poller.
//!
//! - Clock subscriptions on `realtime` (the instance's, see [`super::time`]) and `monotonic`, relative or
//!   with `subscription_clock_abstime`; `precision` is ignored. The CPU-time clocks cannot be waited for
//!   (a sleeping thread's CPU time does not advance): their subscriptions get an event with error `NOTSUP`.
//! - fd subscriptions need `POLL_FD_READWRITE` plus `FD_READ` or `FD_WRITE`; without, the event carries
//!   `NOTCAPABLE`. An fd that is not open gets an event with error `BADF`, an unknown subscription tag or
//!   clock `INVAL`, as WASI hosts do, and the other subscriptions still count.
//! - Files, directories and in-memory stdio are always ready (`nbytes`: what is left to read from the
//!   file's offset, or held by the stream). Pipes, events, sockets, HTTP and WebSocket fds and inherited stdio are polled on the
//!   host (a listening socket is readable with a connection to accept, a connecting one writable once the
//!   connection is made or has failed):
//!   `nbytes` is 8 for a readable event counter and 1 ("at least one byte") for another readable stream,
//!   not the exact count, which would cost one more host call per fd; `fd_readwrite_hangup` is set (and
//!   `nbytes` 0) when the peer is gone.
//! - When something is ready at once, the host fds are only checked, not waited for. With no clock, the
//!   call waits until an fd is ready. `nsubscriptions == 0` is `INVAL`.
//! - Cost: everything is first checked without waiting, under the fd table's read lock, with the entries
//!   borrowed and the subscriptions read in place: three allocations and no reference count per fd when
//!   something is ready. Only a call that must wait clones the entries it waits on and drops the lock
//!   (see [`wait`]), for one more host check than waiting at once would take.

use super::errno::from_host;
use super::fdtable::{Entry, Kind, Snapshot};
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
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
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

/// The event of a host fd the poller reported with `revents`; `counter` if it is an event counter.
fn host_event(userdata: Userdata, r#type: Eventtype, counter: bool, revents: PollFlags) -> Event {
    if revents.contains(PollFlags::NVAL) {
        return event(userdata, Errno::BADF, r#type, 0, Eventrwflags::empty());
    }
    let mut flags = Eventrwflags::empty();
    flags.set(Eventrwflags::FD_READWRITE_HANGUP, revents.contains(PollFlags::HUP));
    let nbytes = match (r#type, counter) {
        (Eventtype::FD_READ, true) => 8,
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

/// A subscription the host poller answers: its event's fields, the fd's entry (`E`: borrowed from the
/// read-locked table, or an `Arc` clone while waiting without the lock), what it waits for, and whether
/// the fd is an event counter. The last is noted while the entry is at hand, so that making the event
/// needs no look at the entry after the host call: the host's poll evicts the entries from the cache, and
/// that second look was a fifth of the simulator's own time for 64 fds.
struct Watch<E> {
    userdata: Userdata,
    r#type: Eventtype,
    entry: E,
    interest: PollFlags,
    counter: bool,
}

/// Which host poll entry answers each watch. The host refuses more entries than its fd limit, so there is
/// one entry per host fd however many subscriptions name it, and one entry answers for all of them.
enum Slots {
    /// Every watch has an entry of its own, in watch order: no fd is named twice (the common case, found
    /// without sorting when the fds come in increasing order).
    One,
    /// Watch `i` is answered by entry `slot_of[i]`; entry `j` polls the fd of watch `wanted[j].0` for the
    /// events `wanted[j].1` (the union of what its watches wait for).
    Merged { slot_of: Vec<usize>, wanted: Vec<(usize, PollFlags)> },
}

impl Slots {
    /// The layout for `watches`, whose host fds are `fds` (in watch order).
    fn new<E>(watches: &[Watch<E>], fds: &[PollFd<'_>]) -> Slots {
        if fds.windows(2).all(|w| w[0].as_fd().as_raw_fd() < w[1].as_fd().as_raw_fd()) {
            return Slots::One;
        }
        // Sorting keeps this O(n log n).
        let mut by_fd: Vec<(i32, usize)> = fds.iter().map(|p| p.as_fd().as_raw_fd()).zip(0..).collect();
        by_fd.sort_unstable();
        let mut slot_of = vec![0; watches.len()];
        let mut wanted: Vec<(usize, PollFlags)> = Vec::with_capacity(by_fd.len());
        let mut last = None;
        for (fd, i) in by_fd {
            match wanted.last_mut() {
                Some((_, flags)) if last == Some(fd) => *flags |= watches[i].interest,
                _ => wanted.push((i, watches[i].interest)),
            }
            last = Some(fd);
            slot_of[i] = wanted.len() - 1;
        }
        Slots::Merged { slot_of, wanted }
    }

    /// The entry answering watch `i`.
    fn of(&self, i: usize) -> usize {
        match self {
            Slots::One => i,
            Slots::Merged { slot_of, .. } => slot_of[i],
        }
    }

    /// The host poll entries for `watches` in this layout.
    fn entries<'w, E: AsRef<Entry>>(&self, watches: &'w [Watch<E>]) -> Result<Vec<PollFd<'w>>, Errno> {
        let entry = |i: usize, flags| Ok(PollFd::from_borrowed_fd(host_fd(watches[i].entry.as_ref())?, flags));
        match self {
            Slots::One => watches.iter().enumerate().map(|(i, w)| entry(i, w.interest)).collect(),
            Slots::Merged { wanted, .. } => wanted.iter().map(|&(i, flags)| entry(i, flags)).collect(),
        }
    }
}

/// The host fd a watch polls.
fn host_fd(entry: &Entry) -> Result<BorrowedFd<'_>, Errno> {
    entry.kind().host_fd().ok_or(Errno::BADF)
}

/// What the subscriptions wait for: the clock deadlines and the subscriptions for the host poller.
struct Plan<E> {
    clocks: Vec<(Userdata, (ClockId, i128))>,
    watches: Vec<Watch<E>>,
}

/// The events known at once and the rest of the plan.
type Planned<'t> = (Vec<Event>, Plan<&'t Arc<Entry>>, Vec<PollFd<'t>>);

/// One pass over `subs`, looking fds up in `table`: the events already known (in subscription order), what
/// is left to wait for, and one host poll entry per watch, in watch order.
fn plan<'t>(
    s: &State,
    table: &'t Snapshot<'_>,
    subs: impl ExactSizeIterator<Item = Subscription>,
) -> Result<Planned<'t>, Errno> {
    let n = subs.len();
    let mut ready = Vec::with_capacity(n);
    let mut plan = Plan { clocks: Vec::new(), watches: Vec::new() };
    let mut host = Vec::new();
    for sub in subs {
        let (data, none) = (sub.userdata, Eventrwflags::empty());
        let (r#type, interest) = match sub.u.tag {
            SubscriptionU::TAG_CLOCK => {
                let c = sub.u.as_clock().ok_or(Errno::INVAL)?;
                match deadline(s, &c) {
                    Ok(d) => plan.clocks.push((data, d)),
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
        let fd = sub.u.as_fd_read().or(sub.u.as_fd_write()).ok_or(Errno::INVAL)?.file_descriptor;
        let need = needs::poll_oneoff(r#type).ok_or(Errno::INVAL)?;
        let entry = match table.get(fd).and_then(|e| e.require(need).map(|()| e)) {
            Ok(entry) => entry,
            Err(e) => {
                ready.push(event(data, e, r#type, 0, none));
                continue;
            }
        };
        if let Some((host_fd, counter)) = entry.polled_fd() {
            // The common case (pipes, counters, sockets), without a look at the description.
            if plan.watches.is_empty() {
                plan.watches.reserve_exact(n);
                host.reserve_exact(n);
            }
            host.push(PollFd::from_borrowed_fd(host_fd, interest));
            plan.watches.push(Watch { userdata: data, r#type, entry, interest, counter });
            continue;
        }
        let reading = r#type == Eventtype::FD_READ;
        match entry.kind() {
            Kind::File { .. } | Kind::Dir(_) => {
                ready.push(event(data, Errno::SUCCESS, r#type, if reading { file_left(entry) } else { 0 }, none))
            }
            Kind::Stdio(stream) if stream.is_virtual() => {
                let n = if reading { stream.available() as u64 } else { 0 };
                ready.push(event(data, Errno::SUCCESS, r#type, n, none))
            }
            Kind::Payload(payload) => {
                let n = if reading { payload.available() as u64 } else { 0 };
                ready.push(event(data, Errno::SUCCESS, r#type, n, none))
            }
            _ => {
                match entry.kind() {
                    // Waiting for `response` or `headers` sends the request, as reading them does; a
                    // worker serves a polled HTTP or WebSocket fd through its pair.
                    Kind::Http(h) => h.before_poll(),
                    Kind::WebSocket(w) => w.before_poll(),
                    _ => {}
                }
                if plan.watches.is_empty() {
                    plan.watches.reserve_exact(n);
                    host.reserve_exact(n);
                }
                host.push(PollFd::from_borrowed_fd(host_fd(entry)?, interest));
                let counter = matches!(entry.kind(), Kind::Event(_));
                plan.watches.push(Watch { userdata: data, r#type, entry, interest, counter });
            }
        }
    }
    Ok((ready, plan, host))
}

/// Polls `host` for the watches of `plan` (laid out as `slots` says) with `timeout`, then adds to `ready` the
/// events the host reported and the clocks due. With no host fd and no time to wait there is nothing to
/// ask the host.
fn check<E>(
    plan: &Plan<E>,
    ready: &mut Vec<Event>,
    host: &mut [PollFd<'_>],
    slots: &Slots,
    timeout: Option<Timespec>,
) -> Result<(), Errno> {
    let at_once = timeout.is_some_and(|t| t.tv_sec == 0 && t.tv_nsec == 0);
    if !host.is_empty() || !at_once {
        match rustix::event::poll(host, timeout.as_ref()) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(from_host(e)),
        }
    }
    for (i, w) in plan.watches.iter().enumerate() {
        let revents = host[slots.of(i)].revents();
        // A merged entry may report what another subscription on the fd asked for.
        if revents.intersects(w.interest | PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
            ready.push(host_event(w.userdata, w.r#type, w.counter, revents));
        }
    }
    for (data, (clock, at)) in &plan.clocks {
        if now(*clock) >= *at {
            ready.push(event(*data, Errno::SUCCESS, Eventtype::CLOCK, 0, Eventrwflags::empty()));
        }
    }
    Ok(())
}

/// The events of `subs` once at least one is ready.
///
/// First everything is checked without waiting, under the table's read lock, with the entries borrowed:
/// no reference count changes per fd, which for many fds cost about as much as the host poll itself. Only
/// if nothing is ready yet are the polled entries cloned, so that closing one of the fds meanwhile cannot
/// close (or let another file reuse) a host fd being waited on, and the lock released before waiting: a
/// waiting thread holds no lock that another thread's `fd_close` or `path_open` would wait for.
fn wait(s: &State, subs: impl ExactSizeIterator<Item = Subscription>) -> Result<Vec<Event>, Errno> {
    let (mut ready, plan, slots) = {
        let table = s.fds.snapshot();
        let (mut ready, plan, mut host) = plan(s, &table, subs)?;
        let slots = Slots::new(&plan.watches, &host);
        if let Slots::Merged { .. } = slots {
            host = slots.entries(&plan.watches)?;
        }
        check(&plan, &mut ready, &mut host, &slots, Some(timespec(0)))?;
        if !ready.is_empty() {
            return Ok(ready);
        }
        let watches = plan
            .watches
            .into_iter()
            .map(|w| Watch {
                entry: Arc::clone(w.entry),
                userdata: w.userdata,
                r#type: w.r#type,
                interest: w.interest,
                counter: w.counter,
            })
            .collect();
        (ready, Plan { clocks: plan.clocks, watches }, slots)
    };
    let mut host = slots.entries(&plan.watches)?;
    loop {
        let timeout = plan.clocks.iter().map(|(_, (clock, at))| at - now(*clock)).min().map(timespec);
        check(&plan, &mut ready, &mut host, &slots, timeout)?;
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
        // Neither list needs to be aligned (wasm memory does not require it). The guest may reuse the memory
        // of its subscriptions for the events: `wait` reads every subscription (once) before it returns, and
        // the events are written only after.
        // SAFETY: `in` is valid for `n` subscriptions per the ABI contract; they are plain data.
        let subs = unsafe { mem::records(r#in, n as usize)? };
        let events = wait(s, subs)?;
        // SAFETY: `out` is valid for `n` events per the ABI contract; at most `n` are written.
        unsafe { mem::write_list(out, &events)? };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, events.len() as Size) }
    }))
}
