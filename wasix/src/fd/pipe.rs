//! Pipes: `fd_pipe`, and the two typed ends it returns.

#![allow(unsafe_code)] // Raw calls, and taking ownership of the fds they open.

use super::io_impls::{impl_read, impl_write};
use super::owned::owned_fd_newtype;
use super::{FromRawFd, OwnedFd};
use crate::io::Result;

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
    // SAFETY: both out-pointers are valid for an `Fd`, which `fd_pipe` writes on success.
    let (reader, writer) = unsafe { crate::conv::out2(|r, w| crate::host::fd_pipe(r, w)) }?;
    // SAFETY: the host just opened both fds for this call, so nothing else owns them.
    unsafe { Ok((PipeReader::from_raw_fd(reader), PipeWriter::from_raw_fd(writer))) }
}
