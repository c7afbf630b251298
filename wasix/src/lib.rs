//! Safe, std-like WASIX APIs for guests of a WASIX host such as Wasmer (DESIGN §6).
//!
//! Each module covers one subsystem and is a thin layer over the raw functions of [`wasix_sys`]: it
//! converts the arguments, makes the one raw call, and converts the result. Errors are the host's
//! [`io::Errno`], unchanged; `?` turns one into a [`std::io::Error`].
//!
//! On wasm targets the calls go to the host; on every other target they are served by the WASIX
//! simulator (see [`sim`]), so the same code runs, and is tested, with a plain `cargo test`.
//!
//! ```
//! use std::io::Write;
//! use wasix::sim::{Config, Stdio};
//!
//! let sim = Config::new().args(["greet", "world"]).stdout(Stdio::capture()).build().unwrap();
//! sim.run(|| {
//!     let args = wasix::env::args().unwrap();
//!     writeln!(wasix::fd::Stdout, "hello, {}", args[1]).unwrap();
//! });
//! assert_eq!(sim.stdout(), b"hello, world\n");
//! ```
//!
//! # Modules
//! - [`io`] — the error type and the conversion into `std::io::Error`.
//! - [`fd`] — owned and borrowed fds, reads and writes, flags and rights, `dup`/`renumber`, pipes, event
//!   fds, the standard streams, preopened directories.
//! - [`fs`] — files, directories and their listing, metadata, links, symlinks, renames.
//! - [`net`] — TCP and UDP sockets (std-like and socket2-like), socket options, name lookup.
//! - [`poll`] — waiting on clocks and fds at once.
//! - [`port`] — the virtual network port: MAC address, addresses, routes, gateway, DHCP, bridging.
//! - [`env`](mod@env) — arguments, environment variables, the current directory.
//! - [`time`] — clocks.
//! - [`tty`] — the terminal's size, echo and line buffering.
//! - [`random`] — random bytes from the host.
//! - [`rt`] — async I/O: a reactor over `poll_oneoff`, `Async` fds and sockets, timers, `block_on`.
//! - [`sync`] — futexes, and the locks built on them: `Mutex`, `Condvar`, `RwLock`, `Once`, `OnceLock`.
//! - [`thread`] — spawning, joining and scoped threads, ids, exiting, sleeping, the host's parallelism,
//!   typed thread-local values.
//! - [`process`] — exit, process id, the parent's id, yielding.
//! - [`signal`] — raising signals (now, on a timer, at a thread) and handling them.
//! - [`sim`] (native targets only) — configuring simulated processes for tests.

#![deny(missing_docs)]
// Unsafe code is opted into per file (`#![allow(unsafe_code)]` at its top), so the files that hold it are
// plain to see; everything else is safe by construction.
#![deny(unsafe_code)]

pub mod bus;
#[cfg(feature = "c-shim")]
pub mod c_shim;
mod conv;
pub mod env;
pub mod fd;
pub mod fs;
mod host;
pub mod http;
pub mod io;
pub mod net;
pub mod poll;
pub mod port;
pub mod process;
pub mod random;
pub mod rt;
pub mod signal;
#[cfg(not(target_family = "wasm"))]
pub mod sim;
pub mod sync;
pub mod thread;
pub mod time;
pub mod tty;
pub mod ws;
