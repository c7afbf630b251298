//! The calls an input makes, one enum per group (one per fuzz target), and the unions the `poll` and
//! `sequence` targets use. Every function the simulator serves is reachable from some group; `./run`
//! checks that against `sim/syscalls.rs` before it fuzzes.

pub mod bus;
pub mod fd;
pub mod misc;
pub mod net;
pub mod path;
pub mod poll;
pub mod port;

use crate::{Exec, Harness};
use arbitrary::Arbitrary;

/// A step of the `poll` target: a poll, or an fd or socket call that changes what is ready.
#[derive(Arbitrary, Debug)]
pub enum PollStep {
    Poll(poll::PollCall),
    Fd(fd::FdCall),
    Net(net::NetCall),
}

impl Exec for PollStep {
    fn exec(&self, h: &mut Harness) {
        match self {
            PollStep::Poll(c) => c.exec(h),
            PollStep::Fd(c) => c.exec(h),
            PollStep::Net(c) => c.exec(h),
        }
    }
}

/// A call of the `sequence` target: any call of any group.
#[derive(Arbitrary, Debug)]
pub enum Call {
    Fd(fd::FdCall),
    Path(path::PathCall),
    Poll(poll::PollCall),
    Misc(misc::MiscCall),
    Net(net::NetCall),
}

impl Exec for Call {
    fn exec(&self, h: &mut Harness) {
        match self {
            Call::Fd(c) => c.exec(h),
            Call::Path(c) => c.exec(h),
            Call::Poll(c) => c.exec(h),
            Call::Misc(c) => c.exec(h),
            Call::Net(c) => c.exec(h),
        }
    }
}
