//! Every raw function callable with all-zero arguments (feature `probe`).
//!
//! Two checks use it: the wasm artefact check builds a binary that references every import, and the
//! simulator's support-table test calls each function the table marks as not working and compares the
//! errno it returns with the table. It is not an API for guests.

pub use crate::generated::probe::PROBES;
use crate::{BusError, Errno};

/// What a probed call returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The function returns an `errno`.
    Errno(Errno),
    /// The function returns a `bus_error`.
    BusError(BusError),
    /// The function returns nothing.
    Nothing,
}

/// One function of the interface.
#[derive(Clone, Copy, Debug)]
pub struct Probe {
    /// witx name.
    pub name: &'static str,
    /// Whether the function never returns (`proc_exit`, `thread_exit`, `proc_exec`, `stack_restore`).
    pub noreturn: bool,
    /// Calls the function with every argument zero (null pointers, zero lengths).
    ///
    /// # Safety
    /// Only for functions that do not dereference their pointers for zero arguments; see the module docs.
    pub call: unsafe fn() -> Outcome,
}
