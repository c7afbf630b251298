//! Processes: the current one (ending it with [`exit`], its [`id`], its [`parent_id`], [`yield_now`]),
//! starting programs by name ([`Command`] → [`Child`], [`exec`]), copying the process ([`fork`]) and
//! joining children ([`join`], [`join_any`]).
//!
//! ```
//! use wasix::sim::{Config, Exit};
//!
//! let sim = Config::new().build().unwrap();
//! let exit = sim.run_main(|| {
//!     assert_eq!(wasix::process::id().unwrap(), sim.pid());
//!     wasix::process::exit(3);
//! });
//! assert_eq!(exit, Exit(3));
//! ```

#![allow(unsafe_code)] // Raw calls.

mod child;
mod exec;
mod fork;
mod spawn;
mod sys;

pub use child::{join, join_any, Child, ExitStatus, Output};
pub use exec::exec;
pub use fork::{fork, Fork};
pub use spawn::{Command, Stdio};

use crate::conv;
use crate::io::Result;

/// `proc_exit(code)`—Ends the process with exit code `code`.
///
/// Like [`std::process::exit`], no destructors run. In the simulator's scoped instances this unwinds to
/// [`Sim::run_main`](wasix_sys::sim::Sim::run_main), which returns the code.
///
/// # References
/// - [`wasix_sys::proc_exit`]
/// - POSIX `_Exit`
#[doc(alias = "proc_exit", alias = "_exit")]
pub fn exit(code: u32) -> ! {
    // SAFETY: `proc_exit` takes no pointers.
    unsafe { crate::host::proc_exit(code) }
}

/// `proc_id`—The id of the current process.
///
/// # References
/// - [`wasix_sys::proc_id`]
/// - POSIX `getpid`
#[doc(alias = "proc_id", alias = "getpid")]
pub fn id() -> Result<u32> {
    // SAFETY: `ret` is valid for a `Pid`, which `proc_id` writes on success.
    unsafe { conv::out(|ret| crate::host::proc_id(ret)) }
}

/// `proc_parent`—The id of the parent of the current process; 0 for a process nothing started (a module
/// the host runs itself, as Wasmer reports it, and a simulator instance built by `Config`).
///
/// # References
/// - [`wasix_sys::proc_parent`]
/// - POSIX `getppid`
#[doc(alias = "proc_parent", alias = "getppid")]
pub fn parent_id() -> Result<u32> {
    sys::parent(id()?)
}

/// `sched_yield`—Lets other threads run.
///
/// # References
/// - [`wasix_sys::sched_yield`]
/// - POSIX `sched_yield`
#[doc(alias = "sched_yield")]
pub fn yield_now() -> Result<()> {
    // SAFETY: `sched_yield` takes no pointers.
    conv::result(unsafe { crate::host::sched_yield() })
}
