//! Errors: the WASIX [`Errno`], the crate's [`Result`], and the one conversion into [`std::io::Error`].
//!
//! [`Errno`] is `wasix_sys`'s lossless newtype, not an enum: a host may return a value this crate has no
//! name for, and that value must survive unchanged (its `Display` then says "unknown errno N").
//!
//! `From<Errno> for std::io::Error` lives with [`Errno`] in `wasix_sys` (the one place it can), so `?`
//! turns a [`Result`] into a `std::io::Result`; [`Errno::from_io_error`] is the inverse, and
//! [`Errno::kind`] the kind without building the error. A call interrupted by a signal fails with `INTR`;
//! [`retry_on_intr`] calls it again until it is not.
//!
//! ```
//! use wasix::io::Errno;
//!
//! fn open_config() -> std::io::Result<()> {
//!     Err(Errno::NOENT)?
//! }
//! let err = open_config().unwrap_err();
//! assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
//! assert_eq!(Errno::from_io_error(&err), Some(Errno::NOENT));
//! assert_eq!(Errno::NOENT.name(), Some("noent"));
//! ```

#![forbid(unsafe_code)]

pub use wasix_sys::{BusError, Errno};

/// The result of a WASIX call: the value, or the host's errno.
pub type Result<T> = core::result::Result<T, Errno>;

/// The result of a raw `wasix_sys` call that returned `errno`, for code mixing raw and safe calls:
/// `SUCCESS` is `Ok`, anything else the error, translated by the host profile exactly as the safe APIs
/// translate it (on Wasmer, for example, its out-of-bounds-pointer errno 78 becomes `FAULT`).
///
/// ```
/// let mut now = 0;
/// // SAFETY: `now` is valid for the result.
/// let errno = unsafe { wasix_sys::clock_time_get(wasix_sys::Clockid::MONOTONIC, 1, &mut now) };
/// assert_eq!(wasix::io::result(errno), Ok(()));
/// ```
#[inline]
pub fn result(errno: Errno) -> Result<()> {
    crate::conv::result(errno)
}

/// Calls `f` again for as long as it fails with `INTR` (interrupted by a signal before it did anything),
/// returning its first other outcome, as rustix's `retry_on_intr` and the `EINTR` loops of C programs do.
///
/// ```
/// use wasix::io::{retry_on_intr, Errno};
///
/// let mut interrupted = 2;
/// let got = retry_on_intr(|| {
///     if interrupted > 0 {
///         interrupted -= 1;
///         return Err(Errno::INTR);
///     }
///     Ok("done")
/// });
/// assert_eq!((got, interrupted), (Ok("done"), 0));
/// assert_eq!(retry_on_intr(|| Err::<(), _>(Errno::AGAIN)), Err(Errno::AGAIN));
/// ```
#[inline]
pub fn retry_on_intr<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
    loop {
        match f() {
            Err(Errno::INTR) => continue,
            other => return other,
        }
    }
}
