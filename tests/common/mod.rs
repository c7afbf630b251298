//! Shared helpers of the conformance suite.
//!
//! The suite is written once against the public `wasix` API and runs natively on the simulator and as
//! `wasm32-wasip1` on a real WASIX host (DESIGN §8). A test that holds on every host runs in whatever
//! process it finds itself in and assumes nothing about it (not the pid, not the arguments the harness
//! passes, not what stdout is connected to). A test that needs its own arguments, environment, stdio or
//! clock runs in a scoped simulator instance and is native-only (`#[cfg(not(target_family = "wasm"))]`).

use wasix::fd::{BorrowedFd, RawFd};

/// An fd number no test process has open: far above anything a host hands out to a fresh process.
pub const NOT_OPEN: RawFd = 0x3fff_fff0;

/// [`NOT_OPEN`] as a borrowed fd, for checking that calls on an fd that is not open fail with `BADF`.
pub fn not_open() -> BorrowedFd<'static> {
    // SAFETY: `BorrowedFd`'s contract is there so a borrow never aliases an I/O object something else
    // owns; no test process has `NOT_OPEN` open, so there is no object to alias, and every call on it only
    // returns `BADF`.
    unsafe { BorrowedFd::borrow_raw(NOT_OPEN) }
}
