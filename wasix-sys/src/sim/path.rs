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
    pub path: Cow<'p, Path>,
}

impl At<'_> {
    /// The directory's capability handle.
    pub fn dir(&self) -> &Dir {
        match self.entry.kind() {
            Kind::Dir(d) => &d.dir,
            // `resolve` only builds an `At` over a directory.
            _ => unreachable!("At over a non-directory"),
        }
    }

    /// The fd's entry, for its inheriting rights.
    pub fn entry(&self) -> &Entry {
        &self.entry
    }
}

/// The directory entry of `fd`, holding `needed` (`BADF`, `NOTDIR`, `NOTCAPABLE` otherwise, in that order:
/// a path call on a file is `NOTDIR` whatever its rights, as in POSIX and on Wasmer).
fn dir_entry(state: &State, fd: Fd, needed: Rights) -> Result<Arc<Entry>, Errno> {
    let entry = state.fds.get(fd)?;
    if !matches!(entry.kind(), Kind::Dir(_)) {
        return Err(Errno::NOTDIR);
    }
    entry.require(needed)?;
    Ok(entry)
}

/// Resolves `path` given with directory `fd`, which (and the directory the path is finally taken
/// relative to) must hold `needed`.
pub(crate) fn resolve<'p>(state: &State, fd: Fd, path: &'p str, needed: Rights) -> Result<At<'p>, Errno> {
    let entry = dir_entry(state, fd, needed)?;
    let is_preopen = matches!(entry.kind(), Kind::Dir(d) if d.preopen.is_some());
    if is_preopen && path.starts_with("./") {
        let (entry, rest) = cwd::locate(state, &cwd::absolute(state, path)).ok_or(Errno::NOENT)?;
        entry.require(needed)?;
        return Ok(At { entry, path: Cow::Owned(rest.into()) });
    }
    Ok(At { entry, path: Cow::Borrowed(Path::new(path)) })
}
