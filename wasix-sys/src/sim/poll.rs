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
//!   borrowed and only the fields of each subscription its kind uses read in place. A pipe, counter or
//!   socket is looked at through its slot in the table alone ([`Snapshot::peek`]), and the events are
//!   written to the guest straight from the host's answer: two small allocations and no reference count
//!   per fd when something is ready, and no return between the host call and the caller (everything
//!   from [`poll_oneoff`] down is inlined). Only a call that must wait clones the entries it waits on and
//!   drops the lock (see [`wait`]), for one more host check than waiting at once would take.

use super::errno::from_host;
use super::fdtable::{Entry, Kind, Snapshot};
use super::state::State;
use super::time::host_clock;
use super::{mem, state, status};
use crate::seed::needs;
use crate::{
    Clockid, Errno, Event, EventFdReadwrite, Eventrwflags, Eventtype, Fd, Size, Subclockflags, Subscription,
    SubscriptionClock, SubscriptionU, Userdata,
};
use rustix::event::{PollFd, PollFlags};
use rustix::time::{ClockId, Timespec};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::ptr::addr_of;
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

/// A subscription the host poller answers: its event's fields, its fd, what it waits for, and whether the
/// fd is an event counter. The last is noted while the entry is at hand, so that making the event needs no
/// look at the entry after the host call: the host's poll evicts the entries from the cache, and that
/// second look was a fifth of the simulator's own time for 64 fds. 16 bytes, for the same reason.
struct Watch {
    userdata: Userdata,
    fd: Fd,
    r#type: Eventtype,
    counter: bool,
    interest: PollFlags,
}

impl Watch {
    /// Whether the host's `revents` for the watch's fd make an event: a merged entry may report what
    /// another subscription on the fd asked for.
    fn fired(&self, revents: PollFlags) -> bool {
        revents.intersects(self.interest | PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
    }
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
    /// The layout for `watches`, whose host fds are `fds` (in watch order); `ascending` if they are in
    /// strictly increasing order (noted while they were collected).
    fn new(watches: &[Watch], fds: &[PollFd<'_>], ascending: bool) -> Slots {
        if ascending {
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

    /// The host poll entries for `watches` in this layout, `fd_of(i)` giving the host fd of watch `i`.
    fn entries<'e>(
        &self,
        watches: &[Watch],
        fd_of: impl Fn(usize) -> Result<BorrowedFd<'e>, Errno>,
    ) -> Result<Vec<PollFd<'e>>, Errno> {
        let entry = |i: usize, flags| Ok(PollFd::from_borrowed_fd(fd_of(i)?, flags));
        match self {
            Slots::One => watches.iter().enumerate().map(|(i, w)| entry(i, w.interest)).collect(),
            Slots::Merged { wanted, .. } => wanted.iter().map(|&(i, flags)| entry(i, flags)).collect(),
        }
    }
}

/// The host fd an entry's watch polls.
fn host_fd(entry: &Entry) -> Result<BorrowedFd<'_>, Errno> {
    entry.kind().host_fd().ok_or(Errno::BADF)
}

/// The host fd a watch on `fd` polls, looked up in the read-locked table.
fn watched_fd<'t>(table: &'t Snapshot<'_>, fd: Fd) -> Result<BorrowedFd<'t>, Errno> {
    let peek = table.peek(fd)?;
    match peek.polled {
        Some((host, _)) => Ok(host),
        None => host_fd(peek.entry),
    }
}

/// What the subscriptions wait for: the clock deadlines and the subscriptions for the host poller.
struct Plan {
    clocks: Vec<(Userdata, (ClockId, i128))>,
    watches: Vec<Watch>,
}

/// The events known at once, the rest of the plan, the host poll entries, and whether their fds are in
/// strictly increasing order.
type Planned<'t> = (Vec<Event>, Plan, Vec<PollFd<'t>>, bool);

/// One pass over `subs`, looking fds up in `table`: the events already known (in subscription order), what
/// is left to wait for, and one host poll entry per watch, in watch order. The lists are locals until they
/// are returned, so the compiler keeps their ends in registers.
fn plan<'t>(
    s: &State,
    table: &'t Snapshot<'_>,
    subs: impl ExactSizeIterator<Item = *const Subscription>,
) -> Result<Planned<'t>, Errno> {
    let n = subs.len();
    let reading = needs::poll_oneoff(Eventtype::FD_READ).ok_or(Errno::INVAL)?;
    let writing = needs::poll_oneoff(Eventtype::FD_WRITE).ok_or(Errno::INVAL)?;
    // Nothing is allocated for the events known at once unless there is one; the other two lists are two
    // small allocations (the allocator's per-thread cache serves them for 64 fds) that never grow.
    let mut ready = Vec::new();
    let mut clocks = Vec::new();
    let mut watches: Vec<Watch> = Vec::with_capacity(n);
    let mut host: Vec<PollFd<'t>> = Vec::with_capacity(n);
    // Each subscription adds at most one watch and one host entry, so both lists are written in place at
    // index `len` (no capacity check per push) and given their length at the end.
    let (watch_at, host_at) = (watches.spare_capacity_mut(), host.spare_capacity_mut());
    let mut len = 0;
    // The last host fd collected (-1: none yet), and whether they have all come in increasing order.
    let (mut last, mut ascending) = (-1, true);
    let mut push = |len: &mut usize, fd: BorrowedFd<'t>, watch: Watch| {
        ascending &= fd.as_raw_fd() > last;
        last = fd.as_raw_fd();
        host_at[*len].write(PollFd::from_borrowed_fd(fd, watch.interest));
        watch_at[*len].write(watch);
        *len += 1;
    };
    for sub in subs {
        let none = Eventrwflags::empty();
        // Only the fields a subscription's kind uses are read, each once: copying every 48-byte record
        // whole cost more than the rest of the loop.
        // SAFETY: `sub` points into the guest's subscription list, valid for reading per the ABI contract
        // (its length checked by `mem::record_ptrs`); unaligned reads are allowed and any bits are valid.
        let (data, tag) =
            unsafe { (addr_of!((*sub).userdata).read_unaligned(), addr_of!((*sub).u.tag).read_unaligned()) };
        let (r#type, interest, need) = match tag {
            SubscriptionU::TAG_CLOCK => {
                // SAFETY: as above; the tag says the payload is a clock.
                let c = unsafe { addr_of!((*sub).u.u.clock).read_unaligned() };
                match deadline(s, &c) {
                    Ok(d) => clocks.push((data, d)),
                    Err(e) => ready.push(event(data, e, Eventtype::CLOCK, 0, none)),
                }
                continue;
            }
            SubscriptionU::TAG_FD_READ => (Eventtype::FD_READ, PollFlags::IN, reading),
            SubscriptionU::TAG_FD_WRITE => (Eventtype::FD_WRITE, PollFlags::OUT, writing),
            tag => {
                ready.push(event(data, Errno::INVAL, Eventtype::from_raw(tag), 0, none));
                continue;
            }
        };
        // SAFETY: as above; `fd_read` and `fd_write` share the payload's layout.
        let fd = unsafe { addr_of!((*sub).u.u.fd_read.file_descriptor).read_unaligned() };
        let peek = match table.peek(fd) {
            Ok(peek) if need.met_by(peek.base) => peek,
            found => {
                let e = found.err().unwrap_or(Errno::NOTCAPABLE);
                ready.push(event(data, e, r#type, 0, none));
                continue;
            }
        };
        if let Some((host_fd, counter)) = peek.polled {
            // The common case (pipes, counters, sockets), from the fd table's slot array alone.
            push(&mut len, host_fd, Watch { userdata: data, fd, r#type, counter, interest });
            continue;
        }
        let entry = peek.entry;
        let read = r#type == Eventtype::FD_READ;
        match entry.kind() {
            Kind::File { .. } | Kind::Dir(_) => {
                ready.push(event(data, Errno::SUCCESS, r#type, if read { file_left(entry) } else { 0 }, none))
            }
            Kind::Stdio(stream) if stream.is_virtual() => {
                let n = if read { stream.available() as u64 } else { 0 };
                ready.push(event(data, Errno::SUCCESS, r#type, n, none))
            }
            Kind::Payload(payload) => {
                let n = if read { payload.available() as u64 } else { 0 };
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
                let counter = matches!(entry.kind(), Kind::Event(_));
                push(&mut len, host_fd(entry)?, Watch { userdata: data, fd, r#type, counter, interest });
            }
        }
    }
    // SAFETY: the first `len` items of both lists were written above (`push`), and `len <= n`, their
    // capacity.
    unsafe {
        watches.set_len(len);
        host.set_len(len);
    }
    Ok((ready, Plan { clocks, watches }, host, ascending))
}

/// Polls `host` for the watches of `plan` (laid out as `slots` says) with `timeout`, adds to `ready` the
/// clocks due, and says whether anything is ready: a clock, an event known at once, or a watch the host
/// reported. With no host fd and no time to wait there is nothing to ask the host. Inlined, as everything
/// between the host call and `poll_oneoff`'s caller is (see [`poll_oneoff`]).
#[inline(always)]
fn check(
    plan: &Plan,
    ready: &mut Vec<Event>,
    host: &mut [PollFd<'_>],
    slots: &Slots,
    timeout: Option<Timespec>,
) -> Result<bool, Errno> {
    let at_once = timeout.is_some_and(|t| t.tv_sec == 0 && t.tv_nsec == 0);
    if !host.is_empty() || !at_once {
        match rustix::event::poll(host, timeout.as_ref()) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(from_host(e)),
        }
    }
    for (data, (clock, at)) in &plan.clocks {
        if now(*clock) >= *at {
            ready.push(event(*data, Errno::SUCCESS, Eventtype::CLOCK, 0, Eventrwflags::empty()));
        }
    }
    Ok(!ready.is_empty()
        || match slots {
            Slots::One => plan.watches.iter().zip(host.iter()).any(|(w, p)| w.fired(p.revents())),
            Slots::Merged { .. } => plan.watches.iter().enumerate().any(|(i, w)| w.fired(host[slots.of(i)].revents())),
        })
}

/// Writes the events of a call that has something ready to `out`: those known at once and the clocks due
/// (in `ready`), then each watch the host reported, in subscription order. Returns how many.
///
/// # Safety
/// `out` must be valid for writing as many events as there were subscriptions (at most that many are).
unsafe fn emit(
    out: *mut Event,
    ready: &[Event],
    plan: &Plan,
    host: &[PollFd<'_>],
    slots: &Slots,
) -> Result<Size, Errno> {
    // SAFETY: each subscription gives at most one event, and `out` holds one per subscription (the caller).
    let mut list = unsafe { mem::ListWriter::new(out, ready.len() + plan.watches.len())? };
    for e in ready {
        list.push(*e);
    }
    let mut add = |w: &Watch, revents: PollFlags| {
        if w.fired(revents) {
            list.push(host_event(w.userdata, w.r#type, w.counter, revents));
        }
    };
    match slots {
        Slots::One => plan.watches.iter().zip(host).for_each(|(w, p)| add(w, p.revents())),
        Slots::Merged { .. } => plan.watches.iter().enumerate().for_each(|(i, w)| add(w, host[slots.of(i)].revents())),
    }
    Ok(list.len() as Size)
}

/// Waits until at least one of `subs` is ready and writes the events to `out`; returns how many.
///
/// First everything is checked without waiting, under the table's read lock, with the entries borrowed:
/// no reference count changes per fd, which for many fds cost about as much as the host poll itself, and
/// the events are written to `out` straight from the host's answer. Only if nothing is ready yet are the
/// polled entries cloned, so that closing one of the fds meanwhile cannot close (or let another file
/// reuse) a host fd being waited on, and the lock released before waiting: a waiting thread holds no lock
/// that another thread's `fd_close` or `path_open` would wait for.
///
/// # Safety
/// `out` must be valid for writing one event per subscription. It may overlap the subscriptions: every one
/// is read before the first event is written.
#[inline(always)]
unsafe fn wait(
    s: &State,
    subs: impl ExactSizeIterator<Item = *const Subscription>,
    out: *mut Event,
) -> Result<Size, Errno> {
    let (mut ready, plan, held, slots) = {
        let table = s.fds.snapshot();
        let (mut ready, plan, mut host, ascending) = plan(s, &table, subs)?;
        let slots = Slots::new(&plan.watches, &host, ascending);
        if let Slots::Merged { .. } = slots {
            host = slots.entries(&plan.watches, |i| watched_fd(&table, plan.watches[i].fd))?;
        }
        if check(&plan, &mut ready, &mut host, &slots, Some(timespec(0)))? {
            // SAFETY: as the caller guarantees.
            return unsafe { emit(out, &ready, &plan, &host, &slots) };
        }
        let held: Vec<Arc<Entry>> =
            plan.watches.iter().map(|w| table.get(w.fd).map(Arc::clone)).collect::<Result<_, _>>()?;
        (ready, plan, held, slots)
    };
    let mut host = slots.entries(&plan.watches, |i| host_fd(&held[i]))?;
    loop {
        let timeout = plan.clocks.iter().map(|(_, (clock, at))| at - now(*clock)).min().map(timespec);
        if check(&plan, &mut ready, &mut host, &slots, timeout)? {
            // SAFETY: as the caller guarantees.
            return unsafe { emit(out, &ready, &plan, &host, &slots) };
        }
    }
}

/// Inlined into its caller, so the host poll's syscall is made in the caller's frame and no return follows
/// it (the first return after a syscall is the costly one on the development machine, see `sim/fd/ops.rs`).
#[inline]
pub(crate) unsafe fn poll_oneoff(r#in: *const Subscription, out: *mut Event, n: Size, ret: *mut Size) -> Errno {
    status(state::with(|s| {
        if n == 0 {
            return Err(Errno::INVAL);
        }
        // Neither list needs to be aligned (wasm memory does not require it). The guest may reuse the memory
        // of its subscriptions for the events: `wait` reads every subscription (once) before it writes the
        // first event.
        // SAFETY: `in` is valid for `n` subscriptions per the ABI contract; they are plain data.
        let subs = unsafe { mem::record_ptrs(r#in, n as usize)? };
        // SAFETY: `out` is valid for `n` events per the ABI contract, one per subscription.
        let written = unsafe { wait(s, subs, out)? };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, written) }
    }))
}
