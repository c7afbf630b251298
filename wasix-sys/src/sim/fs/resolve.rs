//! Path resolution, shared by every path call of `wasix::fs` ([`super::path`], [`super::open`]): reading a
//! path from guest memory, checking it by the seed's rules, and resolving it to a directory capability plus
//! a path below it. Every path function goes through [`read`] and [`resolve`], so the sandbox rules live here:
//!
//! - A path is first checked lexically by the seed's rules ([`crate::seed::path`]): not empty, not too
//!   long, UTF-8, no NUL byte, not absolute, no `..` above its directory.
//! - It is then resolved below a directory fd through its `cap-std` handle, which also refuses (as
//!   `NOTCAPABLE`, see [`errno::from_io`](super::super::errno::from_io)) symlinks leading out of the
//!   directory, race-free (`openat2(RESOLVE_BENEATH)` on Linux, component-wise elsewhere).
//! - A path starting with `./` given with a preopened directory is resolved against the process's current
//!   directory, as Wasmer does (see [`env`](super::super::env)). Wasmer does so whatever the directory fd;
//!   here an fd opened with `path_open` keeps the plain WASI meaning, relative to itself.

use super::super::env;
use super::super::fdtable::{Entry, Kind};
use super::super::mem;
use super::super::state::State;
use super::dir::Directory;
use crate::seed::needs::Need;
use crate::seed::path::{self, Use};
use crate::{Errno, Fd, Rights};
use cap_std::fs::Dir;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// The path the guest passed at `p`, checked by the seed's rules for `use_` ([`crate::seed::path`]).
///
/// # Safety
/// A non-null `p` must be valid for reading `len` bytes for `'a`.
pub(crate) unsafe fn read<'a>(p: *const u8, len: usize, use_: Use) -> Result<&'a str, Errno> {
    // SAFETY: per the caller.
    path::check(unsafe { mem::slice(p, len)? }, use_)
}

/// A resolved path: the directory it lies below, the path relative to that directory, and the inheriting
/// rights a new fd opened through it may have.
pub(crate) struct At<'p> {
    dir: Arc<Directory>,
    inheriting: Rights,
    pub path: Cow<'p, Path>,
}

impl<'p> At<'p> {
    /// The path below the directory of `entry` (`NOTDIR` if it is no directory; `NOTCAPABLE` unless its
    /// rights meet `need`).
    fn new(entry: &Entry, need: Need, path: Cow<'p, Path>) -> Result<Self, Errno> {
        let Kind::Dir(dir) = entry.kind() else { return Err(Errno::NOTDIR) };
        entry.require(need)?;
        Ok(At { dir: dir.clone(), inheriting: entry.inheriting(), path })
    }

    /// The directory's capability handle.
    pub fn dir(&self) -> &Dir {
        &self.dir.dir
    }

    /// The inheriting rights of the directory fd the caller passed (narrowed further by the directory the
    /// path was finally resolved in): no fd opened through this path may hold more.
    pub fn inheriting(&self) -> Rights {
        self.inheriting
    }
}

/// Resolves `path` (checked by [`read`]) given with directory `fd`, whose rights (and those of the
/// directory the path is finally taken relative to) must meet `need`. The checks come in POSIX's (and
/// Wasmer's) order: `BADF`, then `NOTDIR` (a path call on a file, whatever its rights), then `NOTCAPABLE`.
///
/// A `./` path taken against the current directory lands below some preopen's fd, found by name; that fd
/// lends its directory only, never its rights: the caller's fd's rights still bound what the call may do.
pub(crate) fn resolve<'p>(state: &State, fd: Fd, path: &'p str, need: Need) -> Result<At<'p>, Errno> {
    // Looked up under the read lock, which is held only for this statement: `At` keeps the directory, not
    // the fd's entry, so no reference to the entry is counted up and down.
    let at = At::new(state.fds.snapshot().get(fd)?, need, Cow::Borrowed(Path::new(path)))?;
    if at.dir.preopen.is_some() && path.starts_with("./") {
        let (entry, rest) = env::locate(state, &env::absolute(state, path)).ok_or(Errno::NOENT)?;
        let there = At::new(&entry, need, Cow::Owned(rest.into()))?;
        return Ok(At { inheriting: at.inheriting & there.inheriting, ..there });
    }
    Ok(at)
}
