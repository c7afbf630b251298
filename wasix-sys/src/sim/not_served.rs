//! Every function the simulator does not serve yet, or cannot serve, with its status for the support table.
//!
//! Each is defined here by `not_served!`, which also records its table entry, so the code and the table
//! cannot disagree. A planned function returns `NOSYS` (`bus_error::unsupported` where it returns a bus
//! error), one without a result does nothing, and one that never returns ends the process with the errno
//! as exit code (what Wasmer does when `proc_exec` fails). An unsupported function returns its listed errno.

#[cfg(test)]
use super::support::{Returns, Status, Support};
use crate::*;

// The reasons of the unsupported functions (and the issue titles of planned ones, when there are any):
// what the support table (rendered by the tests of `super::support`) says of them.

/// Why the stack snapshot functions are unsupported.
#[cfg(test)]
const STACK_REASON: &str = "a native call stack cannot be captured and rewound the way a wasm shadow stack can";

/// Defines each function (by its return type: `Errno` gives the errno, `BusError` gives
/// `bus_error::unsupported`, `()` does nothing, `!` ends the process with the errno as exit code) and the
/// table of their statuses, [`NOT_SERVED`].
macro_rules! not_served {
    ($(
        $kind:ident $status:tt {
            $(fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:tt;)*
        }
    )*) => {
        $($(not_served!(@fn (not_served!(@errno $kind $status)) $name($($arg: $ty),*) -> $ret);)*)*
        /// Status of every function defined here.
        #[cfg(test)]
        pub(crate) const NOT_SERVED: &[Support] = &[$($(Support {
            name: stringify!($name),
            status: not_served!(@status $kind $status),
            returns: not_served!(@returns $ret),
        },)*)*];
    };
    (@fn ($errno:expr) $name:ident($($arg:ident: $ty:ty),*) -> !) => {
        pub(crate) unsafe fn $name($($arg: $ty),*) -> ! {
            $(let _ = $arg;)*
            super::process::exit_process(u32::from($errno.raw()))
        }
    };
    (@fn ($errno:expr) $name:ident($($arg:ident: $ty:ty),*) -> Errno) => {
        pub(crate) unsafe fn $name($($arg: $ty),*) -> Errno {
            $(let _ = $arg;)*
            $errno
        }
    };
    (@fn ($errno:expr) $name:ident($($arg:ident: $ty:ty),*) -> BusError) => {
        pub(crate) unsafe fn $name($($arg: $ty),*) -> BusError {
            $(let _ = $arg;)*
            BusError::UNSUPPORTED
        }
    };
    (@fn ($errno:expr) $name:ident($($arg:ident: $ty:ty),*) -> ()) => {
        pub(crate) unsafe fn $name($($arg: $ty),*) {
            $(let _ = $arg;)*
        }
    };
    (@returns !) => { Returns::Never };
    (@returns Errno) => { Returns::Errno };
    (@returns BusError) => { Returns::BusError };
    (@returns ()) => { Returns::Nothing };
    (@errno planned($issue:expr)) => { Errno::NOSYS };
    (@errno unsupported($errno:expr, $reason:expr)) => { $errno };
    (@status planned($issue:expr)) => { Status::Planned($issue) };
    (@status unsupported($errno:expr, $reason:expr)) => { Status::Unsupported { errno: $errno, reason: $reason } };
}

not_served! {
    unsupported(Errno::NOTSUP, STACK_REASON) {
        fn stack_checkpoint(snapshot: *mut StackSnapshot, ret: *mut Longsize) -> Errno;
        fn stack_restore(snapshot: *const StackSnapshot, val: Longsize) -> !;
    }
}
