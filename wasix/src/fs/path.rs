//! Calls on a path relative to a directory fd: `path_create_directory`, `path_remove_directory`,
//! `path_unlink_file`, `path_rename`, `path_link`, `path_symlink`, `path_readlink`, `path_filestat_get` and
//! `path_filestat_set_times`; and [`read`] and [`write`] of whole files.
//!
//! Each takes the directory as anything [`AsFd`] (a [`Dir`](super::Dir), a
//! [`Preopen`](crate::fd::Preopen)) and resolves `path` inside it: the host refuses `..` above it,
//! absolute paths and symlinks that lead outside.

#![allow(unsafe_code)] // Raw calls.

use super::{FileTimes, Metadata};
use crate::conv;
use crate::fd::{AsFd, AsRawFd};
use crate::io::{Errno, Result};
use std::path::{Path, PathBuf};

/// The first buffer [`read_link`] tries; it doubles while the target does not fit.
const READLINK_START: usize = 256;

/// Beyond this a link target is refused (`NAMETOOLONG`) rather than allocated for.
const READLINK_MAX: usize = 1 << 20;

/// `path_create_directory(dir, path)`—Creates directory `path`.
///
/// # References
/// - [`wasix_sys::path_create_directory`]
/// - POSIX `mkdirat`
#[doc(alias = "path_create_directory", alias = "mkdirat")]
pub fn create_dir(dir: impl AsFd, path: impl AsRef<Path>) -> Result<()> {
    let path = conv::path_bytes(path.as_ref());
    // SAFETY: `path` is valid for reading `path.len()` bytes.
    conv::result(unsafe { crate::host::path_create_directory(dir.as_fd().as_raw_fd(), path.as_ptr(), path.len()) })
}

/// `path_remove_directory(dir, path)`—Removes empty directory `path`; `NOTEMPTY` if it is not.
///
/// # References
/// - [`wasix_sys::path_remove_directory`]
/// - POSIX `unlinkat(…, AT_REMOVEDIR)`
#[doc(alias = "path_remove_directory", alias = "rmdir")]
pub fn remove_dir(dir: impl AsFd, path: impl AsRef<Path>) -> Result<()> {
    let path = conv::path_bytes(path.as_ref());
    // SAFETY: `path` is valid for reading `path.len()` bytes.
    conv::result(unsafe { crate::host::path_remove_directory(dir.as_fd().as_raw_fd(), path.as_ptr(), path.len()) })
}

/// `path_unlink_file(dir, path)`—Removes file (or symlink) `path`; `ISDIR` for a directory.
///
/// # References
/// - [`wasix_sys::path_unlink_file`]
/// - POSIX `unlinkat`
#[doc(alias = "path_unlink_file", alias = "unlinkat")]
pub fn remove_file(dir: impl AsFd, path: impl AsRef<Path>) -> Result<()> {
    let path = conv::path_bytes(path.as_ref());
    // SAFETY: `path` is valid for reading `path.len()` bytes.
    conv::result(unsafe { crate::host::path_unlink_file(dir.as_fd().as_raw_fd(), path.as_ptr(), path.len()) })
}

/// `path_rename(from_dir, from, to_dir, to)`—Renames `from` in `from_dir` to `to` in `to_dir`, replacing
/// what is there.
///
/// # References
/// - [`wasix_sys::path_rename`]
/// - POSIX `renameat`
#[doc(alias = "path_rename", alias = "renameat")]
pub fn rename(from_dir: impl AsFd, from: impl AsRef<Path>, to_dir: impl AsFd, to: impl AsRef<Path>) -> Result<()> {
    let (from, to) = (conv::path_bytes(from.as_ref()), conv::path_bytes(to.as_ref()));
    // SAFETY: both paths are valid for reading their lengths.
    conv::result(unsafe {
        crate::host::path_rename(
            from_dir.as_fd().as_raw_fd(),
            from.as_ptr(),
            from.len(),
            to_dir.as_fd().as_raw_fd(),
            to.as_ptr(),
            to.len(),
        )
    })
}

/// `path_link(from_dir, from, to_dir, to)`—Creates hard link `to` in `to_dir` to `from` in `from_dir` (a
/// symlink `from` is linked itself, not followed).
///
/// # References
/// - [`wasix_sys::path_link`]
/// - POSIX `linkat`
#[doc(alias = "path_link", alias = "linkat")]
pub fn hard_link(from_dir: impl AsFd, from: impl AsRef<Path>, to_dir: impl AsFd, to: impl AsRef<Path>) -> Result<()> {
    let (from, to) = (conv::path_bytes(from.as_ref()), conv::path_bytes(to.as_ref()));
    // SAFETY: both paths are valid for reading their lengths.
    conv::result(unsafe {
        crate::host::path_link(
            from_dir.as_fd().as_raw_fd(),
            conv::lookup(false),
            from.as_ptr(),
            from.len(),
            to_dir.as_fd().as_raw_fd(),
            to.as_ptr(),
            to.len(),
        )
    })
}

/// `path_symlink(target, dir, link)`—Creates symlink `link` in `dir` pointing to `target` (stored as given;
/// following it later never leaves the directory the lookup started in).
///
/// # References
/// - [`wasix_sys::path_symlink`]
/// - POSIX `symlinkat`
#[doc(alias = "path_symlink", alias = "symlinkat")]
pub fn symlink(target: impl AsRef<Path>, dir: impl AsFd, link: impl AsRef<Path>) -> Result<()> {
    let (target, link) = (conv::path_bytes(target.as_ref()), conv::path_bytes(link.as_ref()));
    // SAFETY: both paths are valid for reading their lengths.
    conv::result(unsafe {
        crate::host::path_symlink(target.as_ptr(), target.len(), dir.as_fd().as_raw_fd(), link.as_ptr(), link.len())
    })
}

/// `path_readlink(dir, path)`—The target of symlink `path`; `INVAL` if `path` is not a symlink.
///
/// # References
/// - [`wasix_sys::path_readlink`]
/// - POSIX `readlinkat`
#[doc(alias = "path_readlink", alias = "readlinkat")]
pub fn read_link(dir: impl AsFd, path: impl AsRef<Path>) -> Result<PathBuf> {
    let dir = dir.as_fd().as_raw_fd();
    let path = conv::path_bytes(path.as_ref());
    let mut buf = vec![0; READLINK_START];
    loop {
        // SAFETY: `path` is valid for reading and `buf` for writing their lengths, and `ret` for the `size`
        // `path_readlink` writes on success.
        let len = unsafe {
            conv::out(|ret| {
                crate::host::path_readlink(dir, path.as_ptr(), path.len(), buf.as_mut_ptr(), buf.len(), ret)
            })
        }?;
        let len = conv::usize_from(len);
        // A target that fills the buffer may have been cut short.
        if len < buf.len() {
            buf.truncate(len);
            return Ok(conv::path_buf(buf));
        }
        if buf.len() >= READLINK_MAX {
            return Err(Errno::NAMETOOLONG);
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// `path_filestat_get(dir, path)` with a final symlink followed.
fn filestat(dir: impl AsFd, path: &Path, follow: bool) -> Result<Metadata> {
    let dir = dir.as_fd().as_raw_fd();
    let path = conv::path_bytes(path);
    let flags = conv::lookup(follow);
    // SAFETY: `path` is valid for reading `path.len()` bytes and `ret` for the `filestat` written on success.
    let raw = unsafe { conv::out(|ret| crate::host::path_filestat_get(dir, flags, path.as_ptr(), path.len(), ret)) }?;
    Ok(super::Metadata::from_raw(raw))
}

/// `path_filestat_get(dir, path, SYMLINK_FOLLOW)`—The metadata of `path`, following symlinks.
///
/// # References
/// - [`wasix_sys::path_filestat_get`]
/// - POSIX `fstatat`
#[doc(alias = "path_filestat_get", alias = "fstatat", alias = "stat")]
#[inline]
pub fn metadata(dir: impl AsFd, path: impl AsRef<Path>) -> Result<Metadata> {
    filestat(dir, path.as_ref(), true)
}

/// `path_filestat_get(dir, path)`—The metadata of `path` itself, not following a final symlink.
///
/// # References
/// - [`wasix_sys::path_filestat_get`]
/// - POSIX `fstatat(…, AT_SYMLINK_NOFOLLOW)`
#[doc(alias = "path_filestat_get", alias = "lstat")]
#[inline]
pub fn symlink_metadata(dir: impl AsFd, path: impl AsRef<Path>) -> Result<Metadata> {
    filestat(dir, path.as_ref(), false)
}

/// `path_filestat_set_times(dir, path)`, following a final symlink or not.
fn filestat_set_times(dir: impl AsFd, path: &Path, times: FileTimes, follow: bool) -> Result<()> {
    let (atim, mtim, fst) = times.to_raw()?;
    let path = conv::path_bytes(path);
    // SAFETY: `path` is valid for reading `path.len()` bytes.
    conv::result(unsafe {
        crate::host::path_filestat_set_times(
            dir.as_fd().as_raw_fd(),
            conv::lookup(follow),
            path.as_ptr(),
            path.len(),
            atim,
            mtim,
            fst,
        )
    })
}

/// `path_filestat_set_times(dir, path, SYMLINK_FOLLOW)`—Sets the times of `path`, following symlinks.
///
/// # References
/// - [`wasix_sys::path_filestat_set_times`]
/// - POSIX `utimensat`
#[doc(alias = "path_filestat_set_times", alias = "utimensat")]
#[inline]
pub fn set_times(dir: impl AsFd, path: impl AsRef<Path>, times: FileTimes) -> Result<()> {
    filestat_set_times(dir, path.as_ref(), times, true)
}

/// `path_filestat_set_times(dir, path)`—Sets the times of `path` itself, not following a final symlink.
///
/// # References
/// - [`wasix_sys::path_filestat_set_times`]
/// - POSIX `utimensat(…, AT_SYMLINK_NOFOLLOW)`
#[doc(alias = "path_filestat_set_times")]
#[inline]
pub fn set_symlink_times(dir: impl AsFd, path: impl AsRef<Path>, times: FileTimes) -> Result<()> {
    filestat_set_times(dir, path.as_ref(), times, false)
}

/// `path_open` and `fd_read` until end of file—The whole contents of file `path`.
#[doc(alias = "path_open", alias = "fd_read")]
pub fn read(dir: impl AsFd, path: impl AsRef<Path>) -> Result<Vec<u8>> {
    let file = super::File::open(dir, path)?;
    let mut contents = Vec::new();
    let mut chunk = [0; 8192];
    loop {
        match crate::fd::read(&file, &mut chunk)? {
            0 => return Ok(contents),
            n => contents.extend_from_slice(&chunk[..n]),
        }
    }
}

/// `path_open` and `fd_write` until done—Creates or truncates file `path` and writes `contents` to it.
#[doc(alias = "path_open", alias = "fd_write")]
pub fn write(dir: impl AsFd, path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> Result<()> {
    let file = super::File::create(dir, path)?;
    let mut rest = contents.as_ref();
    while !rest.is_empty() {
        match crate::fd::write(&file, rest)? {
            0 => return Err(Errno::IO),
            n => rest = &rest[n..],
        }
    }
    Ok(())
}
