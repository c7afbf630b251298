//! The one conversion from [`Errno`] (and [`BusError`]) to [`std::io::Error`] (DESIGN §6), and back.
//!
//! On wasm the error is the OS error `errno.raw()`: wasi-libc's errno values, which std uses there, are
//! WASIX's. Natively it has the [`ErrorKind`](std::io::ErrorKind) std gives the same errno on
//! `wasm32-wasip1` and carries the errno itself as its inner error, so [`Errno::from_io_error`] gets it back
//! exactly on both.
//!
//! ```
//! use wasix_sys::Errno;
//!
//! let err = std::io::Error::from(Errno::NOENT);
//! assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
//! assert_eq!(Errno::from_io_error(&err), Some(Errno::NOENT));
//! ```

use crate::{BusError, Errno};

impl From<Errno> for std::io::Error {
    fn from(errno: Errno) -> Self {
        #[cfg(target_family = "wasm")]
        {
            std::io::Error::from_raw_os_error(i32::from(errno.raw()))
        }
        #[cfg(not(target_family = "wasm"))]
        {
            std::io::Error::new(error_kind(errno), errno)
        }
    }
}

impl From<BusError> for std::io::Error {
    /// A bus error is no OS error on any target: it becomes an error of kind `Other` carrying the
    /// `BusError` itself.
    fn from(e: BusError) -> Self {
        std::io::Error::other(e)
    }
}

impl Errno {
    /// The [`ErrorKind`](std::io::ErrorKind) of this errno: what `std::io::Error::from(self).kind()` is,
    /// the same on every target.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use wasix_sys::Errno;
    ///
    /// assert_eq!(Errno::INTR.kind(), ErrorKind::Interrupted);
    /// assert_eq!(Errno::AGAIN.kind(), ErrorKind::WouldBlock);
    /// assert_eq!(Errno::from_raw(9999).kind(), ErrorKind::Other);
    /// ```
    pub fn kind(self) -> std::io::ErrorKind {
        #[cfg(target_family = "wasm")]
        {
            std::io::Error::from_raw_os_error(i32::from(self.raw())).kind()
        }
        #[cfg(not(target_family = "wasm"))]
        {
            error_kind(self)
        }
    }

    /// The errno an I/O error carries: one made from an [`Errno`], or (on wasm, where every OS error is a
    /// WASIX errno) any OS error. `None` for other errors.
    pub fn from_io_error(err: &std::io::Error) -> Option<Errno> {
        #[cfg(target_family = "wasm")]
        {
            err.raw_os_error().and_then(|raw| u16::try_from(raw).ok()).map(Errno::from_raw)
        }
        #[cfg(not(target_family = "wasm"))]
        {
            err.get_ref().and_then(|inner| inner.downcast_ref::<Errno>()).copied()
        }
    }
}

/// The kind std gives `errno` on `wasm32-wasip1` (checked against Rust 1.95), so a program sees the same
/// kinds natively and on wasm. An errno std leaves uncategorised there, or gives a kind not yet stable at
/// the workspace's `rust-version` (`INPROGRESS`, `LOOP`, `NAMETOOLONG`), is `Other` here.
#[cfg(not(target_family = "wasm"))]
fn error_kind(errno: Errno) -> std::io::ErrorKind {
    use std::io::ErrorKind as K;
    match errno {
        Errno::_2BIG => K::ArgumentListTooLong,
        Errno::ACCES => K::PermissionDenied,
        Errno::ADDRINUSE => K::AddrInUse,
        Errno::ADDRNOTAVAIL => K::AddrNotAvailable,
        Errno::AGAIN => K::WouldBlock,
        Errno::BUSY => K::ResourceBusy,
        Errno::CONNABORTED => K::ConnectionAborted,
        Errno::CONNREFUSED => K::ConnectionRefused,
        Errno::CONNRESET => K::ConnectionReset,
        Errno::DEADLK => K::Deadlock,
        Errno::DQUOT => K::QuotaExceeded,
        Errno::EXIST => K::AlreadyExists,
        Errno::FBIG => K::FileTooLarge,
        Errno::HOSTUNREACH => K::HostUnreachable,
        Errno::INTR => K::Interrupted,
        Errno::INVAL => K::InvalidInput,
        Errno::ISDIR => K::IsADirectory,
        Errno::MLINK => K::TooManyLinks,
        Errno::NETDOWN => K::NetworkDown,
        Errno::NETUNREACH => K::NetworkUnreachable,
        Errno::NOENT => K::NotFound,
        Errno::NOMEM => K::OutOfMemory,
        Errno::NOSPC => K::StorageFull,
        Errno::NOSYS => K::Unsupported,
        Errno::NOTCONN => K::NotConnected,
        Errno::NOTDIR => K::NotADirectory,
        Errno::NOTSUP => K::Unsupported,
        Errno::PERM => K::PermissionDenied,
        Errno::PIPE => K::BrokenPipe,
        Errno::ROFS => K::ReadOnlyFilesystem,
        Errno::SPIPE => K::NotSeekable,
        Errno::STALE => K::StaleNetworkFileHandle,
        Errno::TIMEDOUT => K::TimedOut,
        Errno::TXTBSY => K::ExecutableFileBusy,
        Errno::XDEV => K::CrossesDevices,
        _ => K::Other,
    }
}
