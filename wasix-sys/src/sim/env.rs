//! The simulator half of `wasix::env`: the instance's arguments and environment (`args_*`, `environ_*`, as
//! NUL-terminated strings), and its current directory (`getcwd`, `chdir`).
//!
//! # The current directory
//! The guest namespace is the preopens' guest names (the default instance has one, `/`, for the host's
//! current directory), plus the directories above them, as in Wasmer's virtual root. The current
//! directory starts at `/`. `chdir` takes a path relative to the current directory or absolute, normalises
//! it lexically (`.` and `..` are taken apart as text, `..` stops at `/`, as Wasmer does) and accepts it
//! if it names a directory inside a preopen (symlinks followed, inside the preopen only) or above one;
//! otherwise `NOENT` (also for a path no preopen holds) or `NOTDIR`.
//!
//! The current directory is used for paths starting with `./` given with a preopen (see
//! [`fs`](super::fs)). `getcwd` writes the path and its length (without a terminator) and, when the
//! buffer has room, a NUL after it; a buffer too short gives `OVERFLOW` with the needed length written,
//! as the seed documents (Wasmer 7.4.2 returns `RANGE` there).

use super::errno::from_io;
use super::fdtable::{Entry, Kind};
use super::state::State;
use super::{mem, state, status};
use crate::seed::path::{self, Use};
use crate::{Errno, Pointersize, Size};
use std::sync::{Arc, RwLock};

/// Count and total size (with NUL terminators) of `items`, as the ABI's 32-bit `size` (`OVERFLOW` beyond).
fn sizes(items: &[Vec<u8>]) -> Result<(Size, Size), Errno> {
    let count = Size::try_from(items.len()).map_err(|_| Errno::OVERFLOW)?;
    let bytes: usize = items.iter().map(|i| i.len() + 1).sum();
    Ok((count, Size::try_from(bytes).map_err(|_| Errno::OVERFLOW)?))
}

/// Writes `items` as the `*_get` functions do: pointers into `ptrs`, NUL-terminated bytes into `buf`.
///
/// # Safety
/// `ptrs` and `buf` must be valid for the sizes [`sizes`] reports.
unsafe fn copy_out(items: &[Vec<u8>], ptrs: *mut *mut u8, buf: *mut u8) -> Result<(), Errno> {
    let (_, total) = sizes(items)?;
    if items.is_empty() {
        return Ok(());
    }
    // SAFETY: the caller sized `buf` by `args_sizes_get`/`environ_sizes_get`.
    let out = unsafe { mem::slice_mut(buf, total as usize)? };
    let mut at = 0;
    for (i, item) in items.iter().enumerate() {
        // SAFETY: `ptrs` holds one pointer per item; `at` is within `out`.
        unsafe { mem::write(ptrs.wrapping_add(i), buf.wrapping_add(at))? };
        out[at..at + item.len()].copy_from_slice(item);
        out[at + item.len()] = 0;
        at += item.len() + 1;
    }
    Ok(())
}

pub(crate) unsafe fn args_sizes_get(ret0: *mut Size, ret1: *mut Size) -> Errno {
    status(state::with(|s| {
        let (count, bytes) = sizes(&s.args())?;
        // SAFETY: out-pointers per the ABI contract.
        unsafe { mem::write2(ret0, count, ret1, bytes) }
    }))
}

pub(crate) unsafe fn args_get(argv: *mut *mut u8, argv_buf: *mut u8) -> Errno {
    // SAFETY: buffers sized per `args_sizes_get`, per the ABI contract.
    status(state::with(|s| unsafe { copy_out(&s.args(), argv, argv_buf) }))
}

pub(crate) unsafe fn environ_sizes_get(ret0: *mut Size, ret1: *mut Size) -> Errno {
    status(state::with(|s| {
        let (count, bytes) = sizes(&s.env)?;
        // SAFETY: out-pointers per the ABI contract.
        unsafe { mem::write2(ret0, count, ret1, bytes) }
    }))
}

pub(crate) unsafe fn environ_get(environ: *mut *mut u8, environ_buf: *mut u8) -> Errno {
    // SAFETY: buffers sized per `environ_sizes_get`, per the ABI contract.
    status(state::with(|s| unsafe { copy_out(&s.env, environ, environ_buf) }))
}

/// The current directory of one process.
#[derive(Debug)]
pub(crate) struct Cwd(RwLock<String>);

impl Default for Cwd {
    fn default() -> Self {
        Cwd(RwLock::new("/".to_owned()))
    }
}

impl Cwd {
    pub(crate) fn get(&self) -> String {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set(&self, path: String) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = path;
    }
}

/// `path` made absolute against `base` and normalised lexically (see the module docs).
fn normalize(base: &str, path: &str) -> String {
    let start = if path.starts_with('/') { "" } else { base };
    let mut parts: Vec<&str> = Vec::new();
    for part in start.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `path` made absolute against the current directory of `state`.
pub(crate) fn absolute(state: &State, path: &str) -> String {
    normalize(&state.cwd.get(), path)
}

/// The part of absolute `path` below `prefix` (also absolute, normalised): `Some("")` for `path` itself.
fn below<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(prefix.trim_end_matches('/'))?;
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix('/')
    }
}

/// The preopen holding absolute normalised guest `path` (the one with the longest name) and the path
/// relative to it (`.` for the preopen itself).
pub(crate) fn locate(state: &State, path: &str) -> Option<(Arc<Entry>, String)> {
    state
        .fds
        .entries()
        .into_iter()
        .filter_map(|entry| {
            let Kind::Dir(d) = entry.kind() else { return None };
            let name = normalize("/", d.preopen.as_deref()?);
            let rest = below(path, &name)?;
            Some((name.len(), entry.clone(), if rest.is_empty() { ".".to_owned() } else { rest.to_owned() }))
        })
        .max_by_key(|(len, ..)| *len)
        .map(|(_, entry, rest)| (entry, rest))
}

/// Whether absolute normalised `path` is a directory above some preopen (such as `/` with a preopen at
/// `/tmp`).
fn above_preopen(state: &State, path: &str) -> bool {
    state.fds.entries().iter().any(|entry| match entry.kind() {
        Kind::Dir(d) => d.preopen.as_deref().is_some_and(|name| below(&normalize("/", name), path).is_some()),
        _ => false,
    })
}

pub(crate) unsafe fn getcwd(buf: *mut u8, buf_len: *mut Pointersize) -> Errno {
    status(state::with(|s| {
        // SAFETY: in-out pointer per the ABI contract.
        let room = unsafe { mem::read(buf_len)? };
        let cwd = s.cwd.get();
        if cwd.len() > room {
            // SAFETY: as above.
            unsafe { mem::write(buf_len, cwd.len())? };
            return Err(Errno::OVERFLOW);
        }
        // The buffer is checked before the length is written: a failing call leaves its results alone
        // (only `OVERFLOW` reports the length, as documented).
        // SAFETY: `buf` is valid for `room` bytes per the ABI contract.
        let out = unsafe { mem::slice_mut(buf, room)? };
        out[..cwd.len()].copy_from_slice(cwd.as_bytes());
        if let Some(nul) = out.get_mut(cwd.len()) {
            *nul = 0;
        }
        // SAFETY: as above.
        unsafe { mem::write(buf_len, cwd.len()) }
    }))
}

pub(crate) unsafe fn chdir(p: *const u8, len: usize) -> Errno {
    // SAFETY: `p` is valid for `len` bytes per the ABI contract.
    status(state::with(|s| change_dir(s, unsafe { mem::slice(p, len)? })))
}

/// Makes `given` (relative to the current directory, or absolute) the current directory of `s`, as
/// `chdir` does (also for `proc_spawn`'s `working_dir`).
pub(crate) fn change_dir(s: &State, given: &[u8]) -> Result<(), Errno> {
    let given = path::check(given, Use::WorkingDirectory)?;
    let target = absolute(s, given);
    if !above_preopen(s, &target) {
        let (entry, rest) = locate(s, &target).ok_or(Errno::NOENT)?;
        let Kind::Dir(d) = entry.kind() else { return Err(Errno::NOTDIR) };
        let meta = d.dir.metadata(&rest).map_err(|e| from_io(&e))?;
        if !meta.is_dir() {
            return Err(Errno::NOTDIR);
        }
    }
    s.cwd.set(target);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_lexically() {
        assert_eq!(normalize("/", "a/./b//c/"), "/a/b/c");
        assert_eq!(normalize("/x/y", "../z"), "/x/z");
        assert_eq!(normalize("/x", "../../.."), "/");
        assert_eq!(normalize("/x", "/abs/../q"), "/q");
    }

    #[test]
    fn below_matches_whole_components() {
        assert_eq!(below("/data/f", "/data"), Some("f"));
        assert_eq!(below("/data", "/data"), Some(""));
        assert_eq!(below("/database", "/data"), None);
        assert_eq!(below("/a/b", "/"), Some("a/b"));
        assert_eq!(below("/", "/"), Some(""));
    }
}
