//! Pipes: `fd_pipe`, and the two typed ends it returns.

use super::io_impls::{impl_read, impl_write};
use super::owned::owned_fd_newtype;
use super::{FromRawFd, OwnedFd};
use crate::io::Result;
use core::mem::MaybeUninit;

/// The reading end of a pipe; [`std::io::Read`] reads from it (0 once every writer is closed and the pipe is
/// drained).
#[derive(Debug)]
pub struct PipeReader {
    fd: OwnedFd,
}

/// The writing end of a pipe; [`std::io::Write`] writes to it (`PIPE` once the reader is closed).
#[derive(Debug)]
pub struct PipeWriter {
    fd: OwnedFd,
}

owned_fd_newtype!(PipeReader, PipeWriter);
impl_read!(PipeReader, &PipeReader);
impl_write!(PipeWriter, &PipeWriter);

impl PipeReader {
    /// `fd_dup`—Another reader of the same pipe.
    #[doc(alias = "fd_dup")]
    #[inline]
    pub fn try_clone(&self) -> Result<Self> {
        super::dup(self).map(Self::from)
    }
}

impl PipeWriter {
    /// `fd_dup`—Another writer to the same pipe.
    #[doc(alias = "fd_dup")]
    #[inline]
    pub fn try_clone(&self) -> Result<Self> {
        super::dup(self).map(Self::from)
    }
}

/// `fd_pipe()`—A new pipe: `(reader, writer)`.
///
/// ```
/// use std::io::{Read, Write};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let (mut reader, mut writer) = wasix::fd::pipe().unwrap();
///     writer.write_all(b"ping").unwrap();
///     drop(writer);
///     let mut got = String::new();
///     reader.read_to_string(&mut got).unwrap();
///     assert_eq!(got, "ping");
/// });
/// ```
///
/// # References
/// - [`wasix_sys::fd_pipe`]
/// - POSIX `pipe`
#[doc(alias = "fd_pipe")]
pub fn pipe() -> Result<(PipeReader, PipeWriter)> {
    let (mut reader, mut writer) = (MaybeUninit::uninit(), MaybeUninit::uninit());
    // SAFETY: both out-pointers are valid for an `Fd`.
    crate::conv::result(unsafe { wasix_sys::fd_pipe(reader.as_mut_ptr(), writer.as_mut_ptr()) })?;
    // SAFETY: `SUCCESS` means both were written with fds the host just opened for this call, which nothing
    // else owns.
    unsafe { Ok((PipeReader::from_raw_fd(reader.assume_init()), PipeWriter::from_raw_fd(writer.assume_init()))) }
}
