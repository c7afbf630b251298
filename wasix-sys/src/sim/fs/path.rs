//! The path functions other than `path_open` (the simulator half of `wasix::fs::path`): directories,
//! links, renames, stats and times, each resolved through [`resolve`] and done by the directory's
//! `cap-std` handle.
//!
//! - `lookupflags::symlink_follow` decides whether a final symlink is followed by `path_filestat_get` and
//!   `path_filestat_set_times`. `path_link` with it is `INVAL`, as on wasmtime: following the source
//!   inside the sandbox and linking what it names cannot be done race-free with the host's `linkat`.
//! - `path_symlink` stores a relative target as given, `..` included: following the link is what the
//!   sandbox confines, so a link pointing out of the preopen can be made but never followed out of it. An
//!   absolute target is `NOTCAPABLE`, as preview1 hosts refuse it (the seed's rule, `seed::path`).
//! - `path_readlink` writes at most `buf_len` bytes of the target (cut off, no terminator) and returns how
//!   many it wrote.

use super::super::errno::from_io;
use super::super::{mem, state, status};
use super::metadata::{self, SetTime};
use super::resolve::{read, resolve};
use crate::seed::{needs, path::Use};
use crate::{Errno, Fd, Filestat, Fstflags, Lookupflags, Pointersize, Size, Timestamp};
use cap_fs_ext::DirExt;
use std::os::unix::ffi::OsStrExt;

/// Maps a `cap-std` result.
fn io<T>(r: std::io::Result<T>) -> Result<T, Errno> {
    r.map_err(|e| from_io(&e))
}

/// Whether `flags` (`INVAL` for unknown bits) ask to follow a final symlink.
fn follows(flags: Lookupflags) -> Result<bool, Errno> {
    if !Lookupflags::all().contains(flags) {
        return Err(Errno::INVAL);
    }
    Ok(flags.contains(Lookupflags::SYMLINK_FOLLOW))
}

pub(crate) unsafe fn path_create_directory(fd: Fd, p: *const u8, p_len: usize) -> Errno {
    status(state::with(|s| {
        // SAFETY: `p` is valid for `p_len` bytes per the ABI contract.
        let at = resolve(s, fd, unsafe { read(p, p_len, Use::Beneath)? }, needs::PATH_CREATE_DIRECTORY)?;
        io(at.dir().create_dir(&at.path))
    }))
}

pub(crate) unsafe fn path_remove_directory(fd: Fd, p: *const u8, p_len: usize) -> Errno {
    status(state::with(|s| {
        // SAFETY: `p` is valid for `p_len` bytes per the ABI contract.
        let at = resolve(s, fd, unsafe { read(p, p_len, Use::Beneath)? }, needs::PATH_REMOVE_DIRECTORY)?;
        io(at.dir().remove_dir(&at.path))
    }))
}

pub(crate) unsafe fn path_unlink_file(fd: Fd, p: *const u8, p_len: usize) -> Errno {
    status(state::with(|s| {
        // SAFETY: `p` is valid for `p_len` bytes per the ABI contract.
        let at = resolve(s, fd, unsafe { read(p, p_len, Use::Beneath)? }, needs::PATH_UNLINK_FILE)?;
        io(at.dir().remove_file_or_symlink(&at.path))
    }))
}

pub(crate) unsafe fn path_filestat_get(
    fd: Fd,
    flags: Lookupflags,
    p: *const u8,
    p_len: usize,
    ret: *mut Filestat,
) -> Errno {
    status(state::with(|s| {
        let follow = follows(flags)?;
        // SAFETY: `p` is valid for `p_len` bytes per the ABI contract.
        let at = resolve(s, fd, unsafe { read(p, p_len, Use::Beneath)? }, needs::PATH_FILESTAT_GET)?;
        let meta = io(if follow { at.dir().metadata(&at.path) } else { at.dir().symlink_metadata(&at.path) })?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, metadata::filestat(&meta)) }
    }))
}

pub(crate) unsafe fn path_filestat_set_times(
    fd: Fd,
    flags: Lookupflags,
    p: *const u8,
    p_len: usize,
    atim: Timestamp,
    mtim: Timestamp,
    fst_flags: Fstflags,
) -> Errno {
    status(state::with(|s| {
        let follow = follows(flags)?;
        let (a, m) = metadata::set_times(atim, mtim, fst_flags)?;
        // SAFETY: `p` is valid for `p_len` bytes per the ABI contract.
        let at = resolve(s, fd, unsafe { read(p, p_len, Use::Beneath)? }, needs::PATH_FILESTAT_SET_TIMES)?;
        let (a, m) = (SetTime::spec(a), SetTime::spec(m));
        io(if follow { at.dir().set_times(&at.path, a, m) } else { at.dir().set_symlink_times(&at.path, a, m) })
    }))
}

pub(crate) unsafe fn path_link(
    old_fd: Fd,
    old_flags: Lookupflags,
    old_path: *const u8,
    old_path_len: usize,
    new_fd: Fd,
    new_path: *const u8,
    new_path_len: usize,
) -> Errno {
    status(state::with(|s| {
        if follows(old_flags)? {
            return Err(Errno::INVAL);
        }
        // SAFETY: both paths are valid for their lengths per the ABI contract.
        let (old, new) =
            unsafe { (read(old_path, old_path_len, Use::Beneath)?, read(new_path, new_path_len, Use::Beneath)?) };
        let old = resolve(s, old_fd, old, needs::PATH_LINK_SOURCE)?;
        let new = resolve(s, new_fd, new, needs::PATH_LINK_TARGET)?;
        io(old.dir().hard_link(&old.path, new.dir(), &new.path))
    }))
}

pub(crate) unsafe fn path_rename(
    fd: Fd,
    old_path: *const u8,
    old_path_len: usize,
    new_fd: Fd,
    new_path: *const u8,
    new_path_len: usize,
) -> Errno {
    status(state::with(|s| {
        // SAFETY: both paths are valid for their lengths per the ABI contract.
        let (old, new) =
            unsafe { (read(old_path, old_path_len, Use::Beneath)?, read(new_path, new_path_len, Use::Beneath)?) };
        let old = resolve(s, fd, old, needs::PATH_RENAME_SOURCE)?;
        let new = resolve(s, new_fd, new, needs::PATH_RENAME_TARGET)?;
        io(old.dir().rename(&old.path, new.dir(), &new.path))
    }))
}

pub(crate) unsafe fn path_symlink(
    old_path: *const u8,
    old_path_len: usize,
    fd: Fd,
    new_path: *const u8,
    new_path_len: usize,
) -> Errno {
    status(state::with(|s| {
        // SAFETY: both paths are valid for their lengths per the ABI contract.
        let (target, new) =
            unsafe { (read(old_path, old_path_len, Use::Stored)?, read(new_path, new_path_len, Use::Beneath)?) };
        let at = resolve(s, fd, new, needs::PATH_SYMLINK)?;
        io(at.dir().symlink_contents(target, &at.path))
    }))
}

pub(crate) unsafe fn path_readlink(
    fd: Fd,
    p: *const u8,
    p_len: usize,
    buf: *mut u8,
    buf_len: Pointersize,
    ret: *mut Size,
) -> Errno {
    status(state::with(|s| {
        // SAFETY: `p` is valid for `p_len` bytes per the ABI contract.
        let at = resolve(s, fd, unsafe { read(p, p_len, Use::Beneath)? }, needs::PATH_READLINK)?;
        let target = io(at.dir().read_link_contents(&at.path))?;
        let target = target.as_os_str().as_bytes();
        let n = target.len().min(buf_len).min(Size::MAX as usize);
        // SAFETY: `buf` is valid for `buf_len` bytes per the ABI contract.
        unsafe { mem::slice_mut(buf, n)? }.copy_from_slice(&target[..n]);
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, n as Size) }
    }))
}
