//! Waiting for several things at once: `poll_oneoff` behind a typed builder.
//!
//! A [`Poll`] holds subscriptions, each tagged with a `userdata` of the caller's choosing: a clock timeout
//! ([`Poll::clock`], [`Poll::clock_at`]), an fd becoming readable ([`Poll::readable`]) or writable
//! ([`Poll::writable`]). [`Poll::wait`] blocks until at least one has fired and returns an [`Event`] for
//! each that did. Up to 8 subscriptions and events live inline, so small polls allocate nothing; a `Poll`
//! and an [`Events`] can be reused for every wait ([`Poll::wait_into`]).
//!
//! ```
//! use std::time::Duration;
//! use wasix::poll::{EventType, Poll};
//! use wasix::time::Clock;
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     let (reader, writer) = wasix::fd::pipe().unwrap();
//!     let mut poll = Poll::new();
//!     poll.readable(&reader, 1).clock(Clock::MONOTONIC, Duration::from_millis(10), 2);
//!     // Nothing written yet: only the timeout fires.
//!     let events = poll.wait().unwrap();
//!     assert_eq!(events.iter().map(|e| e.userdata()).collect::<Vec<_>>(), [2]);
//!
//!     wasix::fd::write(&writer, b"x").unwrap();
//!     let events = poll.wait().unwrap();
//!     let ready = events.iter().find(|e| e.userdata() == 1).unwrap();
//!     assert_eq!((ready.kind(), ready.error(), ready.nbytes()), (EventType::FD_READ, None, 1));
//! });
//! ```

#![allow(unsafe_code)] // Raw calls.

mod buf;

use crate::conv;
use crate::fd::{AsFd, AsRawFd, BorrowedFd};
use crate::io::{Errno, Result};
use crate::time::Clock;
use buf::Buf;
use core::marker::PhantomData;
use core::time::Duration;
use wasix_sys::{
    Clockid, Eventrwflags, Fd, Subclockflags, Subscription, SubscriptionClock, SubscriptionFdReadwrite, SubscriptionU,
    Userdata,
};

/// What an [`Event`] reports: `CLOCK`, `FD_READ` or `FD_WRITE` (an open newtype over `eventtype`).
#[doc(alias = "eventtype")]
pub use wasix_sys::Eventtype as EventType;

/// The subscriptions of one `poll_oneoff` call, built up with the methods below and waited on as often as
/// needed. `'fd` is the lifetime of the fds it polls.
#[derive(Clone, Debug, Default)]
pub struct Poll<'fd> {
    subscriptions: Buf<Subscription>,
    _fds: PhantomData<BorrowedFd<'fd>>,
}

impl<'fd> Poll<'fd> {
    /// No subscriptions yet.
    #[inline]
    pub fn new() -> Self {
        Self::default()
    }

    /// No subscriptions yet, with room for `capacity` without reallocating.
    #[inline]
    pub fn with_capacity(capacity: usize) -> Self {
        Poll { subscriptions: Buf::with_capacity(capacity), _fds: PhantomData }
    }

    /// Fires `timeout` from the moment of the wait on `clock` (a timeout too long to represent never fires).
    #[doc(alias = "subscription_clock")]
    #[inline]
    pub fn clock(&mut self, clock: Clock, timeout: Duration, userdata: u64) -> &mut Self {
        self.subscriptions.push(clock_subscription(userdata, clock, timeout, false));
        self
    }

    /// Fires when `clock` reaches `deadline` (its time since the clock's epoch; `subscription_clock_abstime`).
    #[doc(alias = "subscription_clock_abstime")]
    #[inline]
    pub fn clock_at(&mut self, clock: Clock, deadline: Duration, userdata: u64) -> &mut Self {
        self.subscriptions.push(clock_subscription(userdata, clock, deadline, true));
        self
    }

    /// Fires when `fd` has data to read, or is at end of input or in error (needs `POLL_FD_READWRITE`).
    #[doc(alias = "FD_READ")]
    #[inline]
    pub fn readable(&mut self, fd: impl AsFd + 'fd, userdata: u64) -> &mut Self {
        self.subscriptions.push(fd_subscription(userdata, fd.as_fd().as_raw_fd(), false));
        self
    }

    /// Fires when `fd` can be written without blocking, or is in error (needs `POLL_FD_READWRITE`).
    #[doc(alias = "FD_WRITE")]
    #[inline]
    pub fn writable(&mut self, fd: impl AsFd + 'fd, userdata: u64) -> &mut Self {
        self.subscriptions.push(fd_subscription(userdata, fd.as_fd().as_raw_fd(), true));
        self
    }

    /// Removes every subscription, keeping the memory.
    #[inline]
    pub fn clear(&mut self) {
        self.subscriptions.clear();
    }

    /// The number of subscriptions.
    #[inline]
    pub fn len(&self) -> usize {
        self.subscriptions.as_slice().len()
    }

    /// Whether there are none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `poll_oneoff`—Waits until at least one subscription fires; an event for each that did. `INVAL`
    /// without subscriptions.
    ///
    /// # References
    /// - [`wasix_sys::poll_oneoff`]
    /// - POSIX `poll`
    #[doc(alias = "poll_oneoff", alias = "poll")]
    #[inline]
    pub fn wait(&self) -> Result<Events> {
        let mut events = Events::with_capacity(self.len());
        self.wait_into(&mut events)?;
        Ok(events)
    }

    /// `poll_oneoff`—[`wait`](Self::wait), writing the events into `events` (replacing what it held), so a
    /// loop allocates nothing. Inlined, so the simulator's host poll is made in the caller's frame (see the
    /// `sim_vs_host` benchmark).
    #[doc(alias = "poll_oneoff")]
    #[inline]
    pub fn wait_into(&self, events: &mut Events) -> Result<()> {
        let subscriptions = self.subscriptions.as_slice();
        let count = wasix_sys::Size::try_from(subscriptions.len()).map_err(|_| Errno::OVERFLOW)?;
        events.raw.resize(subscriptions.len());
        let out = events.raw.as_mut_slice().as_mut_ptr();
        // SAFETY: `subscriptions` holds `count` records to read and `out` has room for `count` events to
        // write; `ret` is valid for the `size` written on success.
        let fired = unsafe { conv::out(|ret| crate::host::poll_oneoff(subscriptions.as_ptr(), out, count, ret)) };
        events.raw.truncate(fired.map(conv::usize_from).unwrap_or(0));
        fired.map(drop)
    }
}

/// A clock subscription; `absolute` sets `subscription_clock_abstime`. Timeouts saturate
/// ([`conv::timestamp_saturating`]).
#[inline]
fn clock_subscription(userdata: Userdata, id: Clockid, timeout: Duration, absolute: bool) -> Subscription {
    let flags = if absolute { Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME } else { Subclockflags::empty() };
    let clock = SubscriptionClock { id, timeout: conv::timestamp_saturating(timeout), precision: 0, flags };
    Subscription { userdata, u: SubscriptionU::clock(clock) }
}

/// An fd readiness subscription: for writing when `write`, else for reading.
#[inline]
fn fd_subscription(userdata: Userdata, file_descriptor: Fd, write: bool) -> Subscription {
    let fd = SubscriptionFdReadwrite { file_descriptor };
    let u = if write { SubscriptionU::fd_write(fd) } else { SubscriptionU::fd_read(fd) };
    Subscription { userdata, u }
}

/// The events one wait returned.
#[derive(Clone, Debug, Default)]
pub struct Events {
    raw: Buf<wasix_sys::Event>,
}

impl Events {
    /// No events, with room for `capacity`.
    #[inline]
    pub fn with_capacity(capacity: usize) -> Self {
        Events { raw: Buf::with_capacity(capacity) }
    }

    /// The events, in the order the host reported them.
    #[inline]
    pub fn as_slice(&self) -> &[Event] {
        Event::slice_from_raw(self.raw.as_slice())
    }

    /// Iterates over the events.
    #[inline]
    pub fn iter(&self) -> core::slice::Iter<'_, Event> {
        self.as_slice().iter()
    }

    /// How many there are.
    #[inline]
    pub fn len(&self) -> usize {
        self.raw.as_slice().len()
    }

    /// Whether there are none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> IntoIterator for &'a Events {
    type Item = &'a Event;
    type IntoIter = core::slice::Iter<'a, Event>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// One subscription that fired.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event(wasix_sys::Event);

impl Event {
    /// Raw events as `Event`s, which wrap them without copying.
    #[inline]
    fn slice_from_raw(raw: &[wasix_sys::Event]) -> &[Event] {
        // SAFETY: `Event` is a `repr(transparent)` wrapper of `wasix_sys::Event` (above), so the slices have
        // the same layout, and the lifetime is kept.
        unsafe { core::slice::from_raw_parts(raw.as_ptr().cast(), raw.len()) }
    }

    /// The `userdata` of the subscription that fired.
    #[inline]
    pub fn userdata(&self) -> u64 {
        self.0.userdata
    }

    /// What fired.
    #[inline]
    pub fn kind(&self) -> EventType {
        self.0.r#type
    }

    /// The error the subscription ended with (such as `BADF` for an fd that is not open), if any.
    #[inline]
    pub fn error(&self) -> Option<Errno> {
        conv::result(self.0.error).err()
    }

    /// For fd events: the bytes available to read or the room to write, where the host knows it.
    #[inline]
    pub fn nbytes(&self) -> u64 {
        self.0.fd_readwrite.nbytes
    }

    /// For fd events: the other end has hung up (`fd_readwrite_hangup`).
    #[doc(alias = "FD_READWRITE_HANGUP")]
    #[inline]
    pub fn hangup(&self) -> bool {
        self.0.fd_readwrite.flags.contains(Eventrwflags::FD_READWRITE_HANGUP)
    }
}

impl core::fmt::Debug for Event {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Event")
            .field("userdata", &self.userdata())
            .field("kind", &self.kind())
            .field("error", &self.error())
            .field("nbytes", &self.nbytes())
            .field("hangup", &self.hangup())
            .finish()
    }
}
