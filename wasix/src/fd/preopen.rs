//! Preopened directories: `fd_prestat_get` and `fd_prestat_dir_name`, and the walk over fd 3 onwards that
//! finds every preopen, as wasi-libc does at startup.
//!
//! Like the standard streams, preopens are borrowed for `'static`: the host opens them before the program
//! starts, and code that closes one must stop using its [`Preopen`].

#![allow(unsafe_code)] // Raw calls.

use super::{AsFd, AsRawFd, BorrowedFd, RawFd};
use crate::conv;
use crate::io::{Errno, Result};

/// The first fd a host may preopen a directory at (after the standard streams).
const FIRST_PREOPEN: RawFd = 3;

/// A preopened directory: its fd and the name the host gave it.
#[derive(Clone, Debug)]
pub struct Preopen {
    fd: BorrowedFd<'static>,
    name: String,
}

impl Preopen {
    /// The directory's fd.
    #[inline]
    pub fn fd(&self) -> BorrowedFd<'static> {
        self.fd
    }

    /// The name the host gave the directory, such as `/` or `/tmp`.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl AsFd for Preopen {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd
    }
}

/// The length of a preopened directory's name; `None` for a preopen that is not a directory.
fn dir_name_len(fd: RawFd) -> Result<Option<usize>> {
    // SAFETY: `ret` is valid for a `Prestat`, which `fd_prestat_get` writes on success.
    let prestat = unsafe { conv::out(|ret| crate::host::fd_prestat_get(fd, ret)) }?;
    Ok(prestat.as_dir().map(|dir| conv::usize_from(dir.pr_name_len)))
}

/// The `len`-byte name of preopened directory `fd`.
fn dir_name(fd: RawFd, len: usize) -> Result<String> {
    let mut name = vec![0; len];
    // SAFETY: `name` is valid for writing `name.len()` bytes.
    conv::result(unsafe { crate::host::fd_prestat_dir_name(fd, name.as_mut_ptr(), name.len()) })?;
    conv::string(name)
}

/// `fd_prestat_get(fd)`, `fd_prestat_dir_name(fd)`—Gets the name of a preopened directory.
///
/// Fails with `BADF` for an fd that is not a preopen, `NOTDIR` for a preopen that is not a directory and
/// `ILSEQ` for a name that is not UTF-8.
///
/// # References
/// - [`wasix_sys::fd_prestat_get`]
/// - [`wasix_sys::fd_prestat_dir_name`]
#[doc(alias = "fd_prestat_get", alias = "fd_prestat_dir_name")]
pub fn preopen_name(fd: impl AsFd) -> Result<String> {
    let fd = fd.as_fd().as_raw_fd();
    let len = dir_name_len(fd)?.ok_or(Errno::NOTDIR)?;
    dir_name(fd, len)
}

/// Every preopened directory, in fd order.
///
/// ```
/// use wasix::sim::Config;
///
/// let sim = Config::new().preopen(std::env::temp_dir(), "/tmp").build().unwrap();
/// sim.run(|| {
///     let names: Vec<String> = wasix::fd::preopens().map(|p| p.unwrap().name().to_owned()).collect();
///     assert_eq!(names, ["/tmp"]);
/// });
/// ```
pub fn preopens() -> Preopens {
    Preopens { next: Some(FIRST_PREOPEN) }
}

/// The iterator [`preopens`] returns.
///
/// It asks about fd 3, 4, … in turn and ends at the first fd that is not a preopen (`BADF`), as
/// wasi-libc does; preopens that are not directories are skipped. Any other error is yielded once, and
/// ends the iteration.
#[derive(Clone, Debug)]
pub struct Preopens {
    /// The fd to ask about next; `None` once finished.
    next: Option<RawFd>,
}

impl Iterator for Preopens {
    type Item = Result<Preopen>;

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(fd) = self.next {
            self.next = fd.checked_add(1);
            let item = match dir_name_len(fd) {
                Ok(Some(len)) => dir_name(fd, len).map(|name| {
                    // SAFETY: the host opened `fd` as a preopen before the program started; see the module
                    // docs.
                    Preopen { fd: unsafe { BorrowedFd::borrow_raw(fd) }, name }
                }),
                Ok(None) => continue,
                Err(Errno::BADF) => break,
                Err(e) => Err(e),
            };
            if item.is_err() {
                self.next = None;
            }
            return Some(item);
        }
        self.next = None;
        None
    }
}

impl core::iter::FusedIterator for Preopens {}
