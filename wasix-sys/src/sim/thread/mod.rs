//! The simulator half of `wasix::thread`: sleeping and the host's parallelism here; spawning, ids, joins
//! and exits in [`spawn`]; thread-local keys in [`local`].
//!
//! `thread_sleep` sleeps at least the duration (a host `nanosleep` restarted after a signal); a duration
//! too long to represent sleeps for ever. `thread_parallelism` is the host's available parallelism (at
//! least 1), narrowed to the ABI's 32-bit `size`.

pub(crate) mod local;
pub(crate) mod spawn;

use super::{mem, status};
use crate::{Errno, Size, Timestamp};
use std::time::Duration;

pub(crate) unsafe fn thread_sleep(duration: Timestamp) -> Errno {
    super::signal::at_entry();
    std::thread::sleep(Duration::from_nanos(duration));
    Errno::SUCCESS
}

pub(crate) unsafe fn thread_parallelism(ret: *mut Size) -> Errno {
    let n = std::thread::available_parallelism().map_or(1, |n| n.get());
    // SAFETY: out-pointer per the ABI contract.
    status(unsafe { mem::write(ret, Size::try_from(n).unwrap_or(Size::MAX)) })
}
