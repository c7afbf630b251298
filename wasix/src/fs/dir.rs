//! [`Dir`]: an open directory, the handle every path is resolved through.
//!
//! WASIX has no ambient authority, so there is no `Dir::open_ambient`: a program starts from the
//! directories the host preopened ([`Dir::preopened`]) and opens others beneath them.

use super::{open, File, FileTimes, Metadata, ReadDir};
use crate::fd::{self, owned_fd_newtype, OwnedFd, Preopen};
use crate::io::{Errno, Result};
use std::path::{Path, PathBuf};

/// An open directory. Its methods are the free functions of [`fs`](super) with this directory as the
/// base of every path.
///
/// ```
/// use wasix::fs::Dir;
///
/// let scratch = tempfile::tempdir().unwrap();
/// wasix::sim::Config::new().preopen(scratch.path(), "/scratch").build().unwrap().run(|| {
///     let root = Dir::preopened("/scratch").unwrap();
///     root.create_dir("logs").unwrap();
///     let logs = root.open_dir("logs").unwrap();
///     logs.write("today", "all quiet").unwrap();
///     logs.write("tomorrow", "").unwrap();
///     logs.rename("today", &root, "yesterday").unwrap();
///     assert_eq!(root.read("yesterday").unwrap(), b"all quiet");
///     let names: Vec<_> = logs.read_dir().map(|e| e.unwrap().into_name()).collect();
///     assert_eq!(names, ["tomorrow"]);
/// });
/// ```
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
}

owned_fd_newtype!(Dir);

impl Dir {
    /// `fd_dup`—The preopened directory the host named `name` (such as `/` or `/scratch`); `NOENT` if there
    /// is none.
    ///
    /// The preopen itself stays open for the rest of the program (std and the C library find files through
    /// it); the returned `Dir` is a duplicate it owns.
    pub fn preopened(name: &str) -> Result<Dir> {
        for preopen in fd::preopens() {
            let preopen = preopen?;
            if preopen.name() == name {
                return Dir::from_preopen(&preopen);
            }
        }
        Err(Errno::NOENT)
    }

    /// `fd_dup`—A `Dir` owning a duplicate of `preopen`'s fd (see [`preopened`](Self::preopened)).
    #[doc(alias = "fd_dup")]
    #[inline]
    pub fn from_preopen(preopen: &Preopen) -> Result<Dir> {
        fd::dup(preopen).map(Dir::from)
    }

    /// `fd_dup`—Another fd for the same directory.
    #[doc(alias = "fd_dup")]
    #[inline]
    pub fn try_clone(&self) -> Result<Dir> {
        fd::dup(self).map(Dir::from)
    }

    /// `path_open(DIRECTORY)`—Opens directory `path` beneath this one; `NOTDIR` if it is not one.
    #[doc(alias = "path_open")]
    #[inline]
    pub fn open_dir(&self, path: impl AsRef<Path>) -> Result<Dir> {
        open::open_dir(self, path)
    }

    /// `path_open`—Opens file `path` for reading ([`File::open`]).
    #[doc(alias = "path_open")]
    #[inline]
    pub fn open(&self, path: impl AsRef<Path>) -> Result<File> {
        File::open(self, path)
    }

    /// `path_open`—Creates or truncates file `path` for writing ([`File::create`]).
    #[doc(alias = "path_open")]
    #[inline]
    pub fn create(&self, path: impl AsRef<Path>) -> Result<File> {
        File::create(self, path)
    }

    /// `fd_readdir`—This directory's entries ([`super::read_dir`]).
    #[doc(alias = "fd_readdir")]
    #[inline]
    pub fn read_dir(&self) -> ReadDir<'_> {
        ReadDir::new(self)
    }

    /// `path_create_directory`—[`super::create_dir`] here.
    #[doc(alias = "path_create_directory")]
    #[inline]
    pub fn create_dir(&self, path: impl AsRef<Path>) -> Result<()> {
        super::create_dir(self, path)
    }

    /// `path_remove_directory`—[`super::remove_dir`] here.
    #[doc(alias = "path_remove_directory")]
    #[inline]
    pub fn remove_dir(&self, path: impl AsRef<Path>) -> Result<()> {
        super::remove_dir(self, path)
    }

    /// `path_unlink_file`—[`super::remove_file`] here.
    #[doc(alias = "path_unlink_file")]
    #[inline]
    pub fn remove_file(&self, path: impl AsRef<Path>) -> Result<()> {
        super::remove_file(self, path)
    }

    /// `path_rename`—Renames `from` here to `to` in `to_dir` (which may be this directory).
    #[doc(alias = "path_rename")]
    #[inline]
    pub fn rename(&self, from: impl AsRef<Path>, to_dir: &Dir, to: impl AsRef<Path>) -> Result<()> {
        super::rename(self, from, to_dir, to)
    }

    /// `path_link`—Creates hard link `to` in `to_dir` to `from` here.
    #[doc(alias = "path_link")]
    #[inline]
    pub fn hard_link(&self, from: impl AsRef<Path>, to_dir: &Dir, to: impl AsRef<Path>) -> Result<()> {
        super::hard_link(self, from, to_dir, to)
    }

    /// `path_symlink`—Creates symlink `link` here pointing to `target`.
    #[doc(alias = "path_symlink")]
    #[inline]
    pub fn symlink(&self, target: impl AsRef<Path>, link: impl AsRef<Path>) -> Result<()> {
        super::symlink(target, self, link)
    }

    /// `path_readlink`—The target of symlink `path`.
    #[doc(alias = "path_readlink")]
    #[inline]
    pub fn read_link(&self, path: impl AsRef<Path>) -> Result<PathBuf> {
        super::read_link(self, path)
    }

    /// `path_filestat_get`—The metadata of `path`, following symlinks.
    #[doc(alias = "path_filestat_get")]
    #[inline]
    pub fn metadata(&self, path: impl AsRef<Path>) -> Result<Metadata> {
        super::metadata(self, path)
    }

    /// `path_filestat_get`—The metadata of `path` itself, not following a final symlink.
    #[doc(alias = "path_filestat_get")]
    #[inline]
    pub fn symlink_metadata(&self, path: impl AsRef<Path>) -> Result<Metadata> {
        super::symlink_metadata(self, path)
    }

    /// `path_filestat_set_times`—Sets the times of `path`, following symlinks.
    #[doc(alias = "path_filestat_set_times")]
    #[inline]
    pub fn set_times(&self, path: impl AsRef<Path>, times: FileTimes) -> Result<()> {
        super::set_times(self, path, times)
    }

    /// `path_filestat_set_times`—Sets the times of `path` itself, not following a final symlink.
    #[doc(alias = "path_filestat_set_times")]
    #[inline]
    pub fn set_symlink_times(&self, path: impl AsRef<Path>, times: FileTimes) -> Result<()> {
        super::set_symlink_times(self, path, times)
    }

    /// The whole contents of file `path` ([`super::read`]).
    #[inline]
    pub fn read(&self, path: impl AsRef<Path>) -> Result<Vec<u8>> {
        super::read(self, path)
    }

    /// Creates or truncates file `path` and writes `contents` ([`super::write`]).
    #[inline]
    pub fn write(&self, path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> Result<()> {
        super::write(self, path, contents)
    }
}
