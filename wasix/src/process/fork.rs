//! `proc_fork`: the process continues twice.

use super::sys;
use crate::io::Result;

/// Which side of a [`fork`] this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fork {
    /// The parent: the child's pid (join it with [`join`](super::join)).
    Parent(u32),
    /// The new process.
    Child,
}

/// `proc_fork`—Copies the process: memory and fd table. Returns [`Fork::Child`] in the copy and
/// [`Fork::Parent`] with the child's pid in the caller.
///
/// In the simulator this is the host's `fork`, served only where that keeps the promise: in the default
/// instance of a host process with one thread (`NOTSUP` elsewhere, e.g. inside libtest's threaded
/// harness). On Wasmer the module must be asyncified (`wasm-opt --asyncify`), see the README.
///
/// # Safety
/// As with POSIX `fork`, only the calling thread continues in the child: locks other threads held stay
/// held there. Call it where no other thread of the process runs, or exec or exit soon in the child.
///
/// # References
/// - [`wasix_sys::proc_fork`]
/// - POSIX `fork`
#[doc(alias = "proc_fork")]
pub unsafe fn fork() -> Result<Fork> {
    // SAFETY: the caller keeps `fork`'s contract.
    match unsafe { sys::fork() }? {
        0 => Ok(Fork::Child),
        pid => Ok(Fork::Parent(pid)),
    }
}
