//! The process's arguments (`args_*`), environment variables (`environ_*`) and current directory
//! (`getcwd`, `chdir`).
//!
//! Arguments and environment are fetched whole on each call: the host may hand out anything it likes, so
//! nothing is cached. The `_bytes` variants return what the host gave; the others fail with `ILSEQ` on
//! text that is not UTF-8.
//!
//! ```
//! use wasix::sim::Config;
//!
//! let sim = Config::new().args(["prog", "--fast"]).env("HOME", "/home/guest").build().unwrap();
//! sim.run(|| {
//!     assert_eq!(wasix::env::args().unwrap(), ["prog", "--fast"]);
//!     assert_eq!(wasix::env::var("HOME").unwrap().as_deref(), Some("/home/guest"));
//!     assert_eq!(wasix::env::var("PATH").unwrap(), None);
//! });
//! ```
//!
//! The current directory is the process's own (on a native target, the simulated process's, never the
//! host process's); relative paths given to `chdir` start there.
//!
//! ```
//! let scratch = tempfile::tempdir().unwrap();
//! std::fs::create_dir(scratch.path().join("sub")).unwrap();
//! wasix::sim::Config::new().preopen(scratch.path(), "/scratch").build().unwrap().run(|| {
//!     wasix::env::set_current_dir("/scratch/sub").unwrap();
//!     assert_eq!(wasix::env::current_dir().unwrap(), std::path::Path::new("/scratch/sub"));
//! });
//! ```

#![allow(unsafe_code)] // Raw calls.

use crate::conv;
use crate::io::Result;
use std::path::{Path, PathBuf};
use wasix_sys::{Errno, Pointersize, Size};

/// The first buffer [`current_dir`] tries.
const CWD_START: usize = 256;

/// Beyond this the current directory is refused (`NAMETOOLONG`) rather than allocated for.
const CWD_MAX: usize = 1 << 20;

/// The `*_sizes_get` half of a string list: writes the count and the total size with terminators.
type SizesGet = unsafe fn(*mut Size, *mut Size) -> Errno;
/// The `*_get` half: writes one pointer per string into the first buffer, the strings into the second.
type ListGet = unsafe fn(*mut *mut u8, *mut u8) -> Errno;

/// Reads a list of NUL-terminated strings the way `args_*` and `environ_*` both hand them out.
fn strings(sizes_get: SizesGet, get: ListGet) -> Result<Vec<Vec<u8>>> {
    // SAFETY: both out-pointers are valid for the `size` written on success.
    let (count, size) = unsafe { conv::out2(|count, size| sizes_get(count, size)) }?;
    let (count, size) = (conv::usize_from(count), conv::usize_from(size));
    // Zeroed, so the whole buffer is initialised whatever the host writes into it.
    let mut ptrs = vec![core::ptr::null_mut(); count];
    let mut buf = vec![0u8; size];
    // SAFETY: `ptrs` holds `count` pointers and `buf` `size` bytes, the sizes the host just reported.
    conv::result(unsafe { get(ptrs.as_mut_ptr(), buf.as_mut_ptr()) })?;
    // The pointers are the host's word for where each string starts; they are only compared with the
    // buffer, never dereferenced, so a host that lies gets `FAULT`, not undefined behaviour.
    let base = buf.as_ptr().addr();
    ptrs.iter()
        .map(|p| {
            let rest = p.addr().checked_sub(base).and_then(|start| buf.get(start..)).ok_or(Errno::FAULT)?;
            let len = rest.iter().position(|&b| b == 0).ok_or(Errno::FAULT)?;
            Ok(rest[..len].to_vec())
        })
        .collect()
}

/// `args_sizes_get`, `args_get`—The arguments, as the host gave them.
///
/// # References
/// - [`wasix_sys::args_get`]
#[doc(alias = "args_get", alias = "args_sizes_get")]
pub fn args_bytes() -> Result<Vec<Vec<u8>>> {
    strings(crate::host::args_sizes_get, crate::host::args_get)
}

/// `args_sizes_get`, `args_get`—The arguments; `ILSEQ` if one is not UTF-8.
///
/// # References
/// - [`wasix_sys::args_get`]
#[doc(alias = "args_get", alias = "args_sizes_get")]
pub fn args() -> Result<Vec<String>> {
    args_bytes()?.into_iter().map(conv::string).collect()
}

/// Splits an environment entry at its first `=` after the first byte (so a key may start with `=`, as on
/// Windows); an entry without one is not a variable, and is left out as std leaves it out.
fn split_entry(mut entry: Vec<u8>) -> Option<(Vec<u8>, Vec<u8>)> {
    let eq = entry.iter().skip(1).position(|&b| b == b'=')? + 1;
    let value = entry.split_off(eq + 1);
    entry.truncate(eq);
    Some((entry, value))
}

/// `environ_sizes_get`, `environ_get`—The environment variables as `(key, value)` pairs, as the host gave
/// them. An entry without `=` is left out.
///
/// # References
/// - [`wasix_sys::environ_get`]
#[doc(alias = "environ_get", alias = "environ_sizes_get")]
pub fn vars_bytes() -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let entries = strings(crate::host::environ_sizes_get, crate::host::environ_get)?;
    Ok(entries.into_iter().filter_map(split_entry).collect())
}

/// `environ_sizes_get`, `environ_get`—The environment variables as `(key, value)` pairs; `ILSEQ` if one
/// is not UTF-8.
///
/// # References
/// - [`wasix_sys::environ_get`]
#[doc(alias = "environ_get", alias = "environ_sizes_get")]
pub fn vars() -> Result<Vec<(String, String)>> {
    vars_bytes()?.into_iter().map(|(k, v)| Ok((conv::string(k)?, conv::string(v)?))).collect()
}

/// `environ_sizes_get`, `environ_get`—The value of environment variable `key`, or `None` if it is not
/// set; `ILSEQ` if the value is not UTF-8.
///
/// # References
/// - [`wasix_sys::environ_get`]
#[doc(alias = "environ_get", alias = "getenv")]
pub fn var(key: &str) -> Result<Option<String>> {
    let found = vars_bytes()?.into_iter().find(|(k, _)| k == key.as_bytes());
    found.map(|(_, value)| conv::string(value)).transpose()
}

/// `getcwd`—The current directory.
///
/// A buffer too small for it makes the host report the length it needs (`OVERFLOW`), and the call is
/// repeated with a buffer that long.
///
/// # References
/// - [`wasix_sys::getcwd`]
/// - POSIX `getcwd`
#[doc(alias = "getcwd")]
pub fn current_dir() -> Result<PathBuf> {
    let mut buf = vec![0u8; CWD_START];
    loop {
        let mut len: Pointersize = buf.len();
        // SAFETY: `buf` is valid for writing `len` bytes, and `len` for the host to read and write.
        match conv::result(unsafe { crate::host::getcwd(buf.as_mut_ptr(), &mut len) }) {
            Ok(()) => {
                // The length written back, else up to the NUL terminator.
                buf.truncate(len.min(buf.len()));
                if let Some(nul) = buf.iter().position(|&b| b == 0) {
                    buf.truncate(nul);
                }
                return Ok(conv::path_buf(buf));
            }
            Err(Errno::OVERFLOW) if buf.len() < CWD_MAX => {
                // Grow to the needed length, or double where the host reported none beyond the buffer.
                let needed = if len > buf.len() { len } else { buf.len() * 2 };
                buf.resize(needed.min(CWD_MAX), 0);
            }
            Err(Errno::OVERFLOW) => return Err(Errno::NAMETOOLONG),
            Err(e) => return Err(e),
        }
    }
}

/// `chdir(path)`—Makes `path` the current directory.
///
/// # References
/// - [`wasix_sys::chdir`]
/// - POSIX `chdir`
#[doc(alias = "chdir")]
pub fn set_current_dir(path: impl AsRef<Path>) -> Result<()> {
    let path = conv::path_bytes(path.as_ref());
    // SAFETY: `path` is valid for reading `path.len()` bytes.
    conv::result(unsafe { crate::host::chdir(path.as_ptr(), path.len()) })
}

#[cfg(test)]
mod tests {
    use super::split_entry;

    #[test]
    fn entries_split_at_the_first_equals_sign_after_the_first_byte() {
        let split = |e: &str| {
            split_entry(e.into()).map(|(k, v)| (String::from_utf8(k).unwrap(), String::from_utf8(v).unwrap()))
        };
        assert_eq!(split("A=1"), Some(("A".into(), "1".into())));
        assert_eq!(split("A=1=2"), Some(("A".into(), "1=2".into())));
        assert_eq!(split("A="), Some(("A".into(), "".into())));
        assert_eq!(split("=C:=C:\\"), Some(("=C:".into(), "C:\\".into())));
        assert_eq!(split("NOEQUALS"), None);
        assert_eq!(split("="), None);
        assert_eq!(split(""), None);
    }
}
