//! Guest paths: reading them from guest memory, and resolving them to a directory capability plus a path
//! below it. Every path function goes through [`resolve`], so the sandbox rules live here:
//!
//! - A path is resolved below a directory fd through its `cap-std` handle, which refuses (as
//!   `NOTCAPABLE`, see [`super::errno::from_io`]) absolute paths, `..` past the directory and symlinks
//!   leading out of it, race-free (`openat2(RESOLVE_BENEATH)` on Linux, component-wise elsewhere).
//! - A path starting with `./` given with a preopened directory is resolved against the process's current
//!   directory, as Wasmer does (see [`super::cwd`]). Wasmer does so whatever the directory fd; here an fd
//!   opened with `path_open` keeps the plain WASI meaning, relative to itself.
//! - Paths are UTF-8 (`ILSEQ` otherwise), hold no NUL byte (`INVAL`) and are at most [`PATH_MAX`] bytes
//!   (`NAMETOOLONG`); a component longer than the host allows is the host's `NAMETOOLONG`.

use super::cwd;
use super::dir::Directory;
use super::fdtable::{Entry, Kind};
use super::mem;
use super::state::State;
use crate::{Errno, Fd, Rights};
use cap_std::fs::Dir;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// The longest path accepted, in bytes (Linux's `PATH_MAX`).
pub(crate) const PATH_MAX: usize = 4096;

/// The path the guest passed at `p`, checked as the module docs say.
///
/// # Safety
/// A non-null `p` must be valid for reading `len` bytes for `'a`.
pub(crate) unsafe fn read<'a>(p: *const u8, len: usize) -> Result<&'a str, Errno> {
    // SAFETY: per the caller.
    let bytes = unsafe { mem::slice(p, len)? };
    if bytes.len() > PATH_MAX {
        return Err(Errno::NAMETOOLONG);
    }
    let path = std::str::from_utf8(bytes).map_err(|_| Errno::ILSEQ)?;
    if path.contains('\0') {
        return Err(Errno::INVAL);
    }
    Ok(path)
}

/// A resolved path: the directory fd it lies below and the path relative to that directory.
pub(crate) struct At<'p> {
    entry: Arc<Entry>,
    dir: Arc<Directory>,
    pub path: Cow<'p, Path>,
}

impl<'p> At<'p> {
    /// The path below the directory of `entry` (`NOTDIR` if it is no directory; `NOTCAPABLE` without
    /// `needed`).
    fn new(entry: Arc<Entry>, needed: Rights, path: Cow<'p, Path>) -> Result<Self, Errno> {
        let Kind::Dir(dir) = entry.kind() else { return Err(Errno::NOTDIR) };
        let dir = dir.clone();
        entry.require(needed)?;
        Ok(At { entry, dir, path })
    }

    /// The directory's capability handle.
    pub fn dir(&self) -> &Dir {
        &self.dir.dir
    }

    /// The fd's entry, for its inheriting rights.
    pub fn entry(&self) -> &Entry {
        &self.entry
    }
}

/// Resolves `path` given with directory `fd`, which (and the directory the path is finally taken
/// relative to) must hold `needed`. The checks come in POSIX's (and Wasmer's) order: `BADF`, then
/// `NOTDIR` (a path call on a file, whatever its rights), then `NOTCAPABLE`.
pub(crate) fn resolve<'p>(state: &State, fd: Fd, path: &'p str, needed: Rights) -> Result<At<'p>, Errno> {
    let at = At::new(state.fds.get(fd)?, needed, Cow::Borrowed(Path::new(path)))?;
    if at.dir.preopen.is_some() && path.starts_with("./") {
        let (entry, rest) = cwd::locate(state, &cwd::absolute(state, path)).ok_or(Errno::NOENT)?;
        return At::new(entry, needed, Cow::Owned(rest.into()));
    }
    Ok(at)
}
