//! [`OpenOptions`]: what `path_open` is asked for, and the rights a file or directory is opened with.
//!
//! WASIX has no ambient authority: every open is relative to a directory fd the program holds (a preopen,
//! or a [`Dir`] opened through one). Like std and wasi-libc, unless [`OpenOptions::rights`] says otherwise
//! a file asks for every right except the read rights it was not opened for reading with and the write
//! rights it was not opened for writing with; the host narrows that to the directory's inheriting rights.

#![allow(unsafe_code)] // Raw calls, and taking ownership of the fd they open.

use super::{Dir, File};
use crate::conv;
use crate::fd::{AsFd, AsRawFd, Fdflags, FromRawFd, Rights};
use crate::io::{Errno, Result};
use std::path::Path;
use wasix_sys::{Lookupflags, Oflags};

/// The rights that only make sense on an fd opened for reading.
const READ_RIGHTS: Rights = Rights::FD_READ.union(Rights::FD_READDIR);

/// The rights that only make sense on an fd opened for writing.
const WRITE_RIGHTS: Rights =
    Rights::FD_WRITE.union(Rights::FD_DATASYNC).union(Rights::FD_ALLOCATE).union(Rights::FD_FILESTAT_SET_SIZE);

/// Every right but the read and write ones.
const OTHER_RIGHTS: Rights = Rights::all().difference(READ_RIGHTS).difference(WRITE_RIGHTS);

/// How to open a file: access, creation, truncation, rights, fd flags, and whether a final symlink is
/// followed. Built like [`std::fs::OpenOptions`], opened relative to a directory.
///
/// ```
/// use std::io::{Read, Write};
/// use wasix::fs::{Dir, OpenOptions};
///
/// let scratch = tempfile::tempdir().unwrap();
/// wasix::sim::Config::new().preopen(scratch.path(), "/scratch").build().unwrap().run(|| {
///     let dir = Dir::preopened("/scratch").unwrap();
///     let mut log = OpenOptions::new().append(true).create(true).open(&dir, "log").unwrap();
///     log.write_all(b"one\n").unwrap();
///     let mut text = String::new();
///     OpenOptions::new().read(true).open(&dir, "log").unwrap().read_to_string(&mut text).unwrap();
///     assert_eq!(text, "one\n");
/// });
/// ```
#[derive(Clone, Debug)]
pub struct OpenOptions {
    read: bool,
    write: bool,
    append: bool,
    truncate: bool,
    create: bool,
    create_new: bool,
    follow_symlinks: bool,
    rights: Option<(Rights, Rights)>,
    flags: Fdflags,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// The arguments of one `path_open` call.
pub(crate) struct OpenArgs {
    pub lookup: Lookupflags,
    pub oflags: Oflags,
    pub base: Rights,
    pub inheriting: Rights,
    pub fdflags: Fdflags,
}

impl OpenOptions {
    /// Nothing set: no access (which `open` refuses with `INVAL`), no creation, symlinks followed.
    pub fn new() -> Self {
        OpenOptions {
            read: false,
            write: false,
            append: false,
            truncate: false,
            create: false,
            create_new: false,
            follow_symlinks: true,
            rights: None,
            flags: Fdflags::empty(),
        }
    }

    /// Opens for reading.
    pub fn read(&mut self, read: bool) -> &mut Self {
        self.read = read;
        self
    }

    /// Opens for writing.
    pub fn write(&mut self, write: bool) -> &mut Self {
        self.write = write;
        self
    }

    /// Opens for appending (`fdflags::append`): every write goes to the end. Implies writing.
    pub fn append(&mut self, append: bool) -> &mut Self {
        self.append = append;
        self
    }

    /// Truncates an existing file to length 0 (`oflags::trunc`). Needs writing.
    pub fn truncate(&mut self, truncate: bool) -> &mut Self {
        self.truncate = truncate;
        self
    }

    /// Creates the file if it does not exist (`oflags::creat`). Needs writing or appending.
    pub fn create(&mut self, create: bool) -> &mut Self {
        self.create = create;
        self
    }

    /// Creates the file, failing with `EXIST` if it exists (`oflags::creat | oflags::excl`; a symlink there
    /// counts as existing). Needs writing or appending.
    pub fn create_new(&mut self, create_new: bool) -> &mut Self {
        self.create_new = create_new;
        self
    }

    /// Whether a symlink as the path's last component is followed (`lookupflags::symlink_follow`, the
    /// default); when not, opening one fails (`LOOP` or `NOTCAPABLE`, as the host decides).
    pub fn follow_symlinks(&mut self, follow: bool) -> &mut Self {
        self.follow_symlinks = follow;
        self
    }

    /// Asks for exactly these rights instead of the ones the access mode implies; the host grants no more
    /// than the directory's inheriting rights.
    pub fn rights(&mut self, base: Rights, inheriting: Rights) -> &mut Self {
        self.rights = Some((base, inheriting));
        self
    }

    /// Adds fd flags: `DSYNC`, `NONBLOCK`, `RSYNC`, `SYNC` (`APPEND` is [`append`](Self::append)'s).
    pub fn custom_flags(&mut self, flags: Fdflags) -> &mut Self {
        self.flags = flags;
        self
    }

    /// `path_open(dir, path)`—Opens `path` relative to directory `dir` with these options.
    ///
    /// `INVAL` for a combination std also refuses: no access at all, creating or truncating without
    /// writing, or appending with truncation.
    ///
    /// # References
    /// - [`wasix_sys::path_open`]
    /// - POSIX `openat`
    #[doc(alias = "path_open", alias = "openat")]
    #[inline]
    pub fn open(&self, dir: impl AsFd, path: impl AsRef<Path>) -> Result<File> {
        let args = self.args()?;
        // SAFETY: the host just opened the fd for this call, so nothing else owns it.
        open_at(dir, path.as_ref(), &args).map(|fd| unsafe { File::from_raw_fd(fd) })
    }

    /// The `path_open` arguments for a file, or `INVAL` for a combination std also refuses.
    #[inline]
    fn args(&self) -> Result<OpenArgs> {
        let write = self.write || self.append;
        let creates = self.create || self.create_new;
        let no_access = !self.read && !write;
        let needs_write = !write && (self.truncate || creates);
        let append_truncates = self.append && self.truncate && !self.create_new;
        if no_access || needs_write || append_truncates {
            return Err(Errno::INVAL);
        }
        let mut oflags = Oflags::empty();
        oflags.set(Oflags::CREAT, creates);
        oflags.set(Oflags::EXCL, self.create_new);
        oflags.set(Oflags::TRUNC, self.truncate);
        let mut fdflags = self.flags;
        fdflags.set(Fdflags::APPEND, self.append);
        let (base, inheriting) = self.rights.unwrap_or_else(|| {
            let mut base = OTHER_RIGHTS;
            base.set(READ_RIGHTS, self.read);
            base.set(WRITE_RIGHTS, write);
            (base, base)
        });
        Ok(OpenArgs { lookup: conv::lookup(self.follow_symlinks), oflags, base, inheriting, fdflags })
    }
}

/// The `path_open` arguments for a directory: every right but the write ones, every right inheritable
/// (narrowed by the host as always), following a final symlink.
pub(crate) fn dir_args() -> OpenArgs {
    OpenArgs {
        lookup: Lookupflags::SYMLINK_FOLLOW,
        oflags: Oflags::DIRECTORY,
        base: OTHER_RIGHTS.union(READ_RIGHTS),
        inheriting: Rights::all(),
        fdflags: Fdflags::empty(),
    }
}

/// `path_open` with `args`; the new fd, which the caller owns. Inlined, as the calls above it are, so the
/// simulator's syscalls are made in the caller's frame (see the `sim_vs_host` benchmark).
#[inline]
pub(crate) fn open_at(dir: impl AsFd, path: &Path, args: &OpenArgs) -> Result<crate::fd::RawFd> {
    let dir = dir.as_fd().as_raw_fd();
    let path = conv::path_bytes(path);
    // SAFETY: `path` is valid for reading `path.len()` bytes and `ret` for the `Fd` `path_open` writes on
    // success.
    unsafe {
        conv::out(|ret| {
            crate::host::path_open(
                dir,
                args.lookup,
                path.as_ptr(),
                path.len(),
                args.oflags,
                args.base,
                args.inheriting,
                args.fdflags,
                ret,
            )
        })
    }
}

/// `path_open(dir, path, DIRECTORY)`—Opens directory `path` relative to `dir` (a [`Dir`], a
/// [`Preopen`](crate::fd::Preopen), …); `NOTDIR` if it is not one.
///
/// # References
/// - [`wasix_sys::path_open`]
/// - POSIX `openat(…, O_DIRECTORY)`
#[doc(alias = "path_open")]
pub fn open_dir(dir: impl AsFd, path: impl AsRef<Path>) -> Result<Dir> {
    // SAFETY: the host just opened the fd for this call, so nothing else owns it.
    open_at(dir, path.as_ref(), &dir_args()).map(|fd| unsafe { Dir::from_raw_fd(fd) })
}
