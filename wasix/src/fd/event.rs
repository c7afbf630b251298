//! Event fds: `fd_event`, a 64-bit counter that threads signal each other through, with eventfd semantics
//! ([`EventFd`]).

#![allow(unsafe_code)] // Raw calls, and taking ownership of the fd they open.

use super::owned::owned_fd_newtype;
use super::{FromRawFd, OwnedFd};
use crate::conv;
use crate::io::{Errno, Result};

/// The flags of [`event`]: [`EventFlags::SEMAPHORE`].
#[doc(alias = "eventfdflags")]
pub use wasix_sys::Eventfdflags as EventFlags;

/// An event fd: a 64-bit counter. A write adds to it; a read waits until it is non-zero, then returns it and
/// resets it to zero or, with [`EventFlags::SEMAPHORE`], returns 1 and decrements it. The fd is readable for
/// [`poll`](crate::poll) while the counter is non-zero.
#[derive(Debug)]
pub struct EventFd {
    fd: OwnedFd,
}

owned_fd_newtype!(EventFd);

/// The size of the counter a read returns and a write adds.
const COUNTER: usize = size_of::<u64>();

impl EventFd {
    /// `fd_read`—Waits for the counter to be non-zero, then takes it: its value (and resets it to zero), or
    /// 1 (and decrements it) for a semaphore. `AGAIN` instead of waiting when the fd is `NONBLOCK`.
    #[doc(alias = "fd_read")]
    pub fn read(&self) -> Result<u64> {
        let mut counter = [0; COUNTER];
        match super::read(self, &mut counter)? {
            COUNTER => Ok(u64::from_ne_bytes(counter)),
            _ => Err(Errno::IO),
        }
    }

    /// `fd_write`—Adds `n` to the counter, waking a reader.
    #[doc(alias = "fd_write")]
    pub fn write(&self, n: u64) -> Result<()> {
        match super::write(self, &n.to_ne_bytes())? {
            COUNTER => Ok(()),
            _ => Err(Errno::IO),
        }
    }

    /// `fd_dup`—Another fd for the same counter.
    #[doc(alias = "fd_dup")]
    #[inline]
    pub fn try_clone(&self) -> Result<Self> {
        super::dup(self).map(Self::from)
    }
}

/// `fd_event(initial, flags)`—A new event fd whose counter starts at `initial`.
///
/// ```
/// use wasix::fd::{self, EventFlags};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let counter = fd::event(0, EventFlags::empty()).unwrap();
///     counter.write(2).unwrap();
///     counter.write(3).unwrap();
///     assert_eq!(counter.read().unwrap(), 5);
///
///     let semaphore = fd::event(2, EventFlags::SEMAPHORE).unwrap();
///     assert_eq!((semaphore.read().unwrap(), semaphore.read().unwrap()), (1, 1));
/// });
/// ```
///
/// # References
/// - [`wasix_sys::fd_event`]
/// - Linux `eventfd`
#[doc(alias = "fd_event", alias = "eventfd")]
pub fn event(initial: u64, flags: EventFlags) -> Result<EventFd> {
    // SAFETY: `ret` is valid for an `Fd`, which `fd_event` writes on success.
    let fd = unsafe { conv::out(|ret| crate::host::fd_event(initial, flags, ret)) }?;
    // SAFETY: the host just opened `fd` for this call, so nothing else owns it.
    Ok(unsafe { EventFd::from_raw_fd(fd) })
}
