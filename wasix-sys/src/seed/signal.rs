//! What a signal does where no handler takes it, by the seed's "Action" lines of the `signal` enum, and the
//! exit code of a process it terminates. The simulator applies it when no handler is exported; the safe
//! layer's dispatcher (`wasix::signal`) applies it to the signals it has no handler for.
//!
//! ```
//! use wasix_sys::seed::signal::{default_action, exit_code, Action};
//! use wasix_sys::Signal;
//!
//! assert_eq!(default_action(Signal::TERM), Action::Terminate);
//! assert_eq!(exit_code(Signal::TERM), 143); // as a POSIX shell reports it
//! assert_eq!(default_action(Signal::CHLD), Action::Ignore);
//! ```

use crate::Signal;

/// What a signal does without a handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The process ends, with [`exit_code`].
    Terminate,
    /// Nothing happens.
    Ignore,
}

/// The default action of `sig`: the seed's "Ignored" signals (`pipe`, `chld`, `urg`, `winch`) and `cont`
/// (its "continues executing, if stopped") are ignored, and so are the ones that "stop executing"
/// (`stop`, `tstp`, `ttin`, `ttou`): a WASIX process has no job control to continue it. `none` does
/// nothing. Every other signal, and any number the seed does not define, terminates.
pub const fn default_action(sig: Signal) -> Action {
    match sig {
        Signal::NONE
        | Signal::PIPE
        | Signal::CHLD
        | Signal::URG
        | Signal::WINCH
        | Signal::CONT
        | Signal::STOP
        | Signal::TSTP
        | Signal::TTIN
        | Signal::TTOU => Action::Ignore,
        _ => Action::Terminate,
    }
}

/// Whether a handler may take `sig`: every signal but `kill` (which always terminates) and `stop` (always
/// the default action), as in POSIX.
pub const fn catchable(sig: Signal) -> bool {
    !matches!(sig, Signal::KILL | Signal::STOP)
}

/// The exit code of a process `sig` terminated, as a POSIX shell reports it: 128 + its number.
pub const fn exit_code(sig: Signal) -> u32 {
    128 + sig.raw() as u32
}

/// Linux's number of the seed's `sig` (which Wasmer 7.x uses too): the seed has no `stkflt`, so from 16
/// on Linux's numbers are the seed's + 1. `None` for a number the seed does not define.
pub const fn to_linux(sig: Signal) -> Option<u8> {
    match sig.raw() {
        _ if sig.name().is_none() => None,
        n @ 16.. => Some(n + 1),
        n => Some(n),
    }
}

/// The seed's signal of Linux's (or Wasmer's) number `n`: `none` for `stkflt` (16) and the real-time
/// signals, which the seed does not have.
pub const fn from_linux(n: u32) -> Signal {
    match n {
        17..=31 => Signal::from_raw(n as u8 - 1),
        0..=15 => Signal::from_raw(n as u8),
        _ => Signal::NONE,
    }
}
