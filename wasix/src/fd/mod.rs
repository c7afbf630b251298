//! File descriptors: I/O-safe owned and borrowed fds, reads and writes, flags and rights, duplication and
//! renumbering, pipes, event fds, the standard streams and the preopened directories.
//!
//! The types follow `std::os::fd` ([`OwnedFd`], [`BorrowedFd`], [`RawFd`] and their traits), but hold
//! WASIX fd numbers and close through `fd_close`, never the host's `close`. On `wasi` targets they convert
//! to and from std's own fd types.
//!
//! ```
//! use std::io::Write;
//! use wasix::fd::{self, Rights, Stdout};
//! use wasix::sim::{Config, Stdio};
//!
//! let sim = Config::new().stdout(Stdio::capture()).build().unwrap();
//! sim.run(|| {
//!     let stat = fd::fdstat(fd::stdout()).unwrap();
//!     assert!(stat.rights_base.contains(Rights::FD_WRITE));
//!     fd::write(fd::stdout(), b"raw, ").unwrap();
//!     Stdout.write_all(b"or through std::io::Write\n").unwrap();
//! });
//! assert_eq!(sim.stdout(), b"raw, or through std::io::Write\n");
//! ```

mod dup;
mod event;
mod fdstat;
mod io_impls;
mod ops;
mod owned;
mod pipe;
mod preopen;
#[cfg(target_os = "wasi")]
mod std_os;
mod stdio;

pub(crate) use io_impls::{impl_read, impl_write};
pub(crate) use owned::owned_fd_newtype;

pub use dup::{dup, renumber};
pub use event::{event, EventFd, EventFlags};
pub use fdstat::{fdstat, set_flags, set_rights, FdStat};
pub use ops::{close, read, read_vectored, write, write_vectored};
pub use owned::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
pub use pipe::{pipe, PipeReader, PipeWriter};
pub use preopen::{preopen_name, preopens, Preopen, Preopens};
pub use stdio::{stderr, stdin, stdout, Stderr, Stdin, Stdout};
pub use wasix_sys::{Fdflags, Filetype, Rights};
