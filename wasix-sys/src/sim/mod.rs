//! The WASIX simulator: every raw function served in-process on the host OS (DESIGN §5).
//!
//! Guest code calls the same `wasix_sys` functions natively as on wasm; here they are implemented with
//! WASIX semantics over the host, so a guest's own `cargo test` exercises the code paths it runs on a
//! real WASIX host.
//!
//! # Instances
//! A [`Sim`] holds what a WASIX process owns: arguments, environment, the fd table with preopens and
//! stdio, clocks and its process id. Code runs in the instance it entered with [`Sim::run`]; outside any,
//! it runs in the default instance, set up as `wasmer run --volume .` sets up a module (the host
//! process's arguments and environment, the current directory preopened as `/` at fd 3, stdio
//! inherited). Build scoped instances with [`Config`]; tests running in parallel, each in its own
//! instance, never see each other's state. Threads started with `thread_spawn` run in their creator's
//! instance (see `sim/thread/spawn.rs` and [`exports`] for the entry points); a `std::thread` does not,
//! and [`deny_default_instance`] keeps such a thread away from the default instance.
//!
//! ```
//! use wasix_sys::sim::{Config, Exit, Stdio};
//!
//! let sim = Config::new().stdout(Stdio::capture()).build().unwrap();
//! let exit = sim.run_main(|| {
//!     let msg = b"hello\n";
//!     let iov = wasix_sys::Ciovec { buf: msg.as_ptr(), buf_len: msg.len() };
//!     let mut written = 0;
//!     // SAFETY: one valid ciovec and a valid out-pointer.
//!     unsafe { wasix_sys::fd_write(wasix_sys::FD_STDOUT, &iov, 1, &mut written) };
//!     // SAFETY: `proc_exit` takes no pointers.
//!     unsafe { wasix_sys::proc_exit(3) }
//! });
//! assert_eq!(exit, Exit(3));
//! assert_eq!(sim.stdout(), b"hello\n");
//! ```
//!
//! # The contract every function keeps
//! - Bad input never panics and is never undefined behaviour beyond what the raw functions' pointer
//!   contract allows: an unknown fd is `BADF`, an unknown enum value `INVAL`, a null out-pointer
//!   `FAULT`, a count that does not fit the ABI's 32-bit `size` `OVERFLOW`.
//! - Host errors become WASIX errno values in one function.
//! - Rights are enforced: a call without its right gets `NOTCAPABLE`.
//! - A function the simulator does not serve returns one specific errno, listed below with the reason.
//!
//! # Files, streams and the sandbox
//! Paths are resolved only below a directory fd, through its `cap-std` capability handle: `..`, absolute
//! paths and symlinks can never reach a host file outside the preopen, even while the tree changes
//! underneath (`NOTCAPABLE`). Rights are per fd and only ever shrink; a new fd gets the rights asked for,
//! narrowed to its directory's inheriting rights and to its file type. The details live with each concern:
//! path resolution and the current directory (`getcwd`/`chdir`, and `./` paths), `path_open`'s rights and
//! flags, `fd_readdir`'s cookies, `fd_pipe` (one-way, as on Wasmer) and `fd_event` (a host `eventfd`),
//! `poll_oneoff`, and the terminal (the host's when inherited stdio is one, else a virtual one set up by
//! [`Config::tty`]). [`Config::randomize_fds`] hands out random fd numbers.
//!
//! Rights given out: stdin `FD_READ`, stdout/stderr `FD_WRITE`, each plus `POLL_FD_READWRITE`,
//! `FD_FDSTAT_SET_FLAGS` and `FD_FILESTAT_GET`; preopens every right, base and inheriting; files and
//! directories opened by `path_open` what they asked for within those; both ends of a pipe and an event
//! counter `FD_READ`, `FD_WRITE`, `POLL_FD_READWRITE`, `FD_FDSTAT_SET_FLAGS`, `FD_FILESTAT_GET`; sockets
//! those and every `SOCK_*` right (accepted ones within the listener's inheriting rights).
//!
//! # Sockets and the network
//! TCP and UDP sockets over IPv4 and IPv6 are host sockets behind socket fds (`sim/net`: the rules, the
//! option mapping, the address byte orders), and `resolve` asks the host's resolver. What an instance's
//! sockets may reach is its [`Network`] policy: the host's network in the default instance (as
//! `wasmer run --net`), loopback only in instances built from [`Config::new`], or nothing.
//!
//! # Virtual network ports
//! Each instance has a virtual NIC (`sim/port`): a MAC address, addresses, routes, a gateway, a bridge and
//! DHCP leases from a pool set with [`Config::dhcp_pool`], all bookkeeping the guest configures and reads
//! back. Instances built from clones of one [`Config`] whose ports are bridged to the same network form a
//! virtual LAN (`sim/port/lan.rs`): their sockets reach each other at the addresses on their ports, over
//! host loopback sockets; every other address follows the [`Network`] policy.
//!
//! # Signals
//! Signals stay within their process (`sim/signal.rs`): `proc_raise` runs the handler `callback_signal`
//! names (an [`exports::Export::Signal`], default `__wasm_signal`) inside the call, `thread_signal` makes a
//! signal pending on another thread until that thread next enters a WASIX call, and `proc_raise_interval`
//! arms an interval timer per signal and instance. Without a handler a signal terminates the process with exit code
//! 128 + its number, or is ignored where the seed's action is "Ignored" (and for the stop signals: there is
//! no job control). `proc_signal` reaches the calling process and its children (any other pid is `SRCH`).
//!
//! # Processes
//! Programs are started by name (`sim/process`): a name registered with [`Config::program`] runs as a new
//! simulated process (its own instance, on its own host thread), and where [`Config::host_programs`]
//! allows it (the default instance does) a host executable runs for real. `proc_spawn` gives the child
//! stdio (piped, inherited, null, or the instance's log), preopens and a working directory; `proc_join`
//! waits for a child or any child; `proc_exec` replaces the running program, keeping its fd table;
//! `proc_fork` is the host's `fork` where that keeps WASIX's promise (the default instance of a host process
//! with one thread), `NOTSUP` elsewhere. `proc_parent` of a top-level process is 0, as on Wasmer.
//!
//! # Limitations
//! - The simulator needs a 64-bit Linux host: its ABI is `wasix_64v1`'s, and files and events use Linux
//!   calls (`fallocate`, `eventfd`, `openat2` through `cap-std`).
//! - `proc_exit` in the default instance exits the host process; in a scoped instance it unwinds to
//!   [`Sim::run_main`].
//! - The current directory is taken apart lexically (`a/link/..` is `a`), as Wasmer does.
//! - `path_link` with `lookupflags::symlink_follow` is `INVAL`, as on wasmtime.
//! - `poll_oneoff` reports `nbytes` 1 for a readable pipe (at least one byte), not the exact count.
//!
//! # Where the seed is silent: preview1's answers
//! A WASIX host is a preview1 host too, and preview1 programs (wasi-libc's callers, the wasi-testsuite)
//! call the same functions; where the seed says nothing, the simulator answers as preview1 hosts do (the
//! host profile and the conformance expectations show where Wasmer differs):
//! - `fd_renumber` onto a number that is not open is `BADF` (the seed's reason for having no `dup2`).
//! - `fd_prestat_dir_name` with a buffer shorter than the name is `NAMETOOLONG`.
//! - `path_symlink` with an absolute target is `NOTCAPABLE` (such a link could never be followed).
//! - `path_open` with `fdflags::dsync`, `rsync` or `sync` asks `FD_DATASYNC`/`FD_SYNC` of the directory's
//!   inheriting rights, the rights the new fd could hold, not of its base rights.
//! - `path_open` of a directory without `oflags::directory` asking for a write-like right is `ISDIR`, also
//!   with a directory's own rights (POSIX `open`, wasmtime's preview1 host, Wasmer); read rights alone open
//!   it.
//! - An fd's host access mode follows from all its rights: `FD_ALLOCATE` and `FD_FILESTAT_SET_SIZE` open the
//!   host file for writing as `FD_WRITE` does, as wasmtime and wasi-libc treat them.
//!
//! # Support table
#![doc = include_str!("support-table.md")]

// The shared core: instances, their configuration, the fd table, guest memory, the errno mapping,
// rights, stdio, host signals and the support table.
mod config;
mod errno;
pub mod exports;
mod fdtable;
mod mem;
mod not_served;
mod rights;
mod sigpipe;
mod state;
mod stdio;
#[cfg(test)]
mod support;
pub(crate) mod syscalls;

// One module per `wasix` subsystem, with the same names (`sim/<sub>/<file>.rs` serves
// `wasix::<sub>::<file>`).
mod bus;
mod env;
mod fd;
mod fs;
mod http;
mod net;
mod poll;
mod port;
mod process;
mod random;
mod signal;
mod sync;
mod thread;
mod time;
mod tty;

pub use bus::remote::BusServer;
pub use config::{Config, Network};
#[doc(hidden)]
pub use http::held_host_fds;
pub use port::Bridge;
pub use state::{deny_default_instance, Exit, Sim};
pub use stdio::Stdio;
pub use tty::Terminal;

use crate::Errno;

/// Locks `m`, also after a panic in another holder: simulator state stays usable (each holder leaves it
/// consistent at every point it can panic), and a guest's panic must not turn into a host one.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The errno of a call's outcome.
#[inline]
fn status(r: Result<(), Errno>) -> Errno {
    match r {
        Ok(()) => Errno::SUCCESS,
        Err(e) => e,
    }
}
