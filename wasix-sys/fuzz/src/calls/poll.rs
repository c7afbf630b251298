//! The `poll` group: `poll_oneoff` with clock and fd subscriptions, unknown tags and clocks, raw payloads,
//! counts below the lists' lengths, and null or misaligned lists.
//!
//! A poll that could wait (no subscription among those counted is sure to be ready at once) gets a
//! guard first: a relative monotonic clock of 0, which fires at once, so the fuzzer never hangs. The
//! guard's event is one like any other; the checks do not tell it apart.

use crate::guest::{List, ListShape, Out, OutPtr};
use crate::values::{Bits, FdRef, Pick};
use crate::{fdstat, Exec, Harness};
use arbitrary::Arbitrary;
use wasix_sys::{
    Clockid, Errno, Event, Filetype, Rights, Size, Subclockflags, Subscription, SubscriptionClock,
    SubscriptionFdReadwrite, SubscriptionU, SubscriptionUPayload,
};

#[derive(Arbitrary, Debug)]
pub struct PollCall {
    pub subs: Vec<Sub>,
    pub count: Count,
    pub input: ListShape,
    pub output: ListShape,
    pub ret: OutPtr,
}

/// How many subscriptions the call is told of (never more than the lists hold).
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Count {
    All,
    Fewer(u8),
    Zero,
}

#[derive(Arbitrary, Clone, Debug)]
pub struct Sub {
    pub userdata: u64,
    pub kind: SubKind,
}

#[derive(Arbitrary, Clone, Debug)]
pub enum SubKind {
    Clock {
        clock: Pick,
        timeout: Timeout,
        precision: u64,
        flags: Bits,
    },
    Read(FdRef),
    Write(FdRef),
    /// Any tag and payload bytes (a known tag with a raw payload too).
    Raw {
        tag: u8,
        payload: [u8; 32],
    },
}

/// A clock subscription's timeout.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Timeout {
    Zero,
    /// Relative, at most 65 µs.
    Tiny(u16),
    /// Relative, any.
    Raw(u64),
    /// Absolute, at the epoch.
    AbsPast,
    /// Absolute, at most 65 µs from the clock's now.
    AbsNear(u16),
    /// Absolute, any.
    AbsRaw(u64),
}

/// How long a subscription may wait and still count as ready at once.
const AT_ONCE_NS: u64 = 100_000;

/// The guard's userdata.
const GUARD: u64 = 0x6775_6172_6400_0000;

/// The instance's reading of clock `id` (a harness query): `None` for a clock it cannot read, or a
/// realtime clock set before the epoch, where every absolute time is still to come.
fn clock_now(id: Clockid) -> Option<u64> {
    let mut now = 0;
    // SAFETY: a valid out-pointer.
    (unsafe { wasix_sys::clock_time_get(id, 0, &mut now) } == Errno::SUCCESS).then_some(now)
}

fn subscription(h: &Harness, s: &Sub) -> Subscription {
    let fd_sub = |r: &FdRef| SubscriptionFdReadwrite { file_descriptor: r.resolve(&h.live) };
    let u = match &s.kind {
        SubKind::Clock { clock, timeout, precision, flags } => {
            let id = Clockid::from_raw(clock.of(&[0, 1, 2, 3]));
            let mut flags = Subclockflags::from_bits_retain(flags.of(Subclockflags::all().bits().into()) as u16);
            let abs = Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME;
            let timeout = match *timeout {
                Timeout::Zero => 0,
                Timeout::Tiny(t) => u64::from(t),
                Timeout::Raw(t) => t,
                Timeout::AbsPast => {
                    flags |= abs;
                    0
                }
                Timeout::AbsNear(t) => {
                    flags |= abs;
                    clock_now(id).unwrap_or(0).saturating_add(u64::from(t))
                }
                Timeout::AbsRaw(t) => {
                    flags |= abs;
                    t
                }
            };
            SubscriptionU::clock(SubscriptionClock { id, timeout, precision: *precision, flags })
        }
        SubKind::Read(r) => SubscriptionU::fd_read(fd_sub(r)),
        SubKind::Write(r) => SubscriptionU::fd_write(fd_sub(r)),
        SubKind::Raw { tag, payload } => {
            let mut u = SubscriptionU { tag: *tag, u: SubscriptionUPayload { fd_read: Default::default() } };
            let n = size_of::<SubscriptionUPayload>().min(payload.len());
            // SAFETY: writes `n` bytes into the payload union, which holds at least `n`; every field of
            // every case is a plain integer, so any bytes are a valid payload.
            unsafe { std::ptr::copy_nonoverlapping(payload.as_ptr(), (&raw mut u.u).cast::<u8>(), n) };
            u
        }
    };
    Subscription { userdata: s.userdata, u }
}

/// Whether `sub` gets its event without waiting: an error event, a file, a directory or in-memory
/// stdio, or a clock due within [`AT_ONCE_NS`].
fn at_once(sub: &Subscription) -> bool {
    match sub.u.tag {
        SubscriptionU::TAG_CLOCK => {
            let Some(c) = sub.u.as_clock() else { return true };
            if !matches!(c.id, Clockid::REALTIME | Clockid::MONOTONIC) || !Subclockflags::all().contains(c.flags) {
                return true;
            }
            if c.flags.contains(Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME) {
                clock_now(c.id).is_some_and(|now| c.timeout <= now.saturating_add(AT_ONCE_NS))
            } else {
                c.timeout <= AT_ONCE_NS
            }
        }
        SubscriptionU::TAG_FD_READ | SubscriptionU::TAG_FD_WRITE => {
            let (fd, right) = match sub.u.as_fd_read() {
                Some(f) => (f.file_descriptor, Rights::FD_READ),
                None => (sub.u.as_fd_write().map_or(0, |f| f.file_descriptor), Rights::FD_WRITE),
            };
            match fdstat(fd) {
                None => true,
                Some(st) => {
                    st.fs_filetype != Filetype::UNKNOWN
                        || !st.fs_rights_base.contains(right | Rights::POLL_FD_READWRITE)
                }
            }
        }
        _ => true,
    }
}

impl Exec for PollCall {
    fn exec(&self, h: &mut Harness) {
        let mut subs: Vec<Subscription> = self.subs.iter().map(|s| subscription(h, s)).collect();
        let mut n = match self.count {
            Count::All => subs.len(),
            Count::Fewer(k) => subs.len().saturating_sub(usize::from(k)),
            Count::Zero => 0,
        };
        let refused_at_once = n == 0 || matches!(self.input, ListShape::Null | ListShape::NullWithLen(_));
        if !refused_at_once && !subs[..n].iter().any(at_once) {
            let guard = SubscriptionClock { id: Clockid::MONOTONIC, ..Default::default() };
            subs.insert(0, Subscription { userdata: GUARD, u: SubscriptionU::clock(guard) });
            n += 1;
        }
        // A null list is passed with the count, whatever length the shape names.
        let shape = |s: ListShape| if let ListShape::NullWithLen(_) = s { ListShape::Null } else { s };
        let mut input = List::new(shape(self.input), &subs);
        let mut output = List::new(shape(self.output), &vec![Event::default(); subs.len()]);
        let mut ret = Out::<Size>::new(self.ret);
        // SAFETY: both lists are the harness's (or null) and hold at least `n` entries.
        let e = unsafe { wasix_sys::poll_oneoff(input.ptr(), output.ptr(), n as Size, ret.ptr()) };
        h.result("poll_oneoff", e, &ret);
        let (Errno::SUCCESS, Some(got)) = (e, ret.get()) else { return };
        assert!(got as usize <= n, "poll_oneoff reported {got} events for {n} subscriptions");
        if output.ptr().is_null() {
            return;
        }
        for i in 0..got as usize {
            let ev: Event = output.get(i);
            h.errno("poll_oneoff (an event's error)", ev.error);
            assert!(
                subs[..n].iter().any(|s| s.userdata == ev.userdata),
                "poll_oneoff reported an event for userdata {:#x}, which no subscription has",
                ev.userdata
            );
        }
    }
}
