//! Listing a directory: [`ReadDir`] pages through `fd_readdir` with one reusable buffer, growing it when an
//! entry does not fit, and yields a [`DirEntry`] per entry.

#![allow(unsafe_code)] // Raw calls.

use crate::conv;
use crate::fd::{AsFd, AsRawFd, BorrowedFd};
use crate::io::{Errno, Result};
use std::ffi::{OsStr, OsString};
use wasix_sys::{Dircookie, Dirent, Filetype, DIRCOOKIE_START};

/// The buffer [`ReadDir::new`] starts with.
const DEFAULT_CAPACITY: usize = 4096;

/// Beyond this an entry is refused (`NAMETOOLONG`) rather than allocated for.
const MAX_ENTRY: usize = 1 << 20;

/// One directory entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    name: OsString,
    file_type: Filetype,
    ino: u64,
    cookie: Dircookie,
}

impl DirEntry {
    /// The entry's name (not a path; never `.` or `..`).
    #[inline]
    pub fn name(&self) -> &OsStr {
        &self.name
    }

    /// The entry's name, taken out.
    #[inline]
    pub fn into_name(self) -> OsString {
        self.name
    }

    /// The entry's type, as the directory knows it (a symlink is `SYMBOLIC_LINK`, not its target's type).
    #[inline]
    pub fn file_type(&self) -> Filetype {
        self.file_type
    }

    /// The entry's serial number (0 where the host does not say).
    #[inline]
    pub fn ino(&self) -> u64 {
        self.ino
    }

    /// Where the entry after this one starts: [`ReadDir::seek`] there resumes the listing after it.
    #[inline]
    pub fn cookie(&self) -> u64 {
        self.cookie
    }
}

/// An iterator over a directory's entries, `.` and `..` left out.
///
/// `fd_readdir` fills a buffer with `dirent` headers, each followed by its name, and cuts the last entry
/// short when it does not fit. The iterator takes every whole entry, then asks again from the cookie of the
/// last one it took; an entry alone too big for the buffer makes the buffer grow, so any starting capacity
/// works, even 1 byte. The buffer is reused for every call.
///
/// An error is yielded once and ends the iteration.
#[derive(Debug)]
pub struct ReadDir<'fd> {
    dir: BorrowedFd<'fd>,
    buf: Vec<u8>,
    /// How much of `buf` the last `fd_readdir` filled.
    filled: usize,
    /// Where the next entry starts in `buf`.
    pos: usize,
    /// The cookie of the entry at `pos`.
    cookie: Dircookie,
    /// The last `fd_readdir` did not fill the buffer: nothing follows what it wrote.
    last_page: bool,
    done: bool,
}

impl<'fd> ReadDir<'fd> {
    /// Lists `dir` from its start with a 4 KiB buffer.
    #[inline]
    pub fn new(dir: &'fd impl AsFd) -> Self {
        Self::with_capacity(dir, DEFAULT_CAPACITY)
    }

    /// Lists `dir` from its start with a buffer of `capacity` bytes (grown when an entry does not fit).
    pub fn with_capacity(dir: &'fd impl AsFd, capacity: usize) -> Self {
        ReadDir {
            dir: dir.as_fd(),
            buf: vec![0; capacity.max(1)],
            filled: 0,
            pos: 0,
            cookie: DIRCOOKIE_START,
            last_page: false,
            done: false,
        }
    }

    /// Continues the listing at `cookie`: `0` restarts it, an entry's [`DirEntry::cookie`] resumes after it.
    pub fn seek(&mut self, cookie: u64) {
        self.cookie = cookie;
        self.filled = 0;
        self.pos = 0;
        self.last_page = false;
        self.done = false;
    }

    /// Takes the whole entry at `pos`, or says how many bytes it needs (`Err`).
    fn take(&mut self) -> core::result::Result<Option<DirEntry>, usize> {
        let avail = &self.buf[self.pos..self.filled];
        let header = dirent(avail).ok_or(DIRENT_SIZE)?;
        let needed = DIRENT_SIZE.saturating_add(conv::usize_from(header.d_namlen));
        let name = avail.get(DIRENT_SIZE..needed).ok_or(needed)?;
        let entry = (name != b"." && name != b"..").then(|| DirEntry {
            name: conv::os_string(name.to_vec()),
            file_type: crate::host::dirent_type(self.dir.as_raw_fd(), name, header.d_type),
            ino: header.d_ino,
            cookie: header.d_next,
        });
        self.pos += needed;
        self.cookie = header.d_next;
        Ok(entry)
    }

    /// `fd_readdir` from `cookie` into the buffer, grown first to at least `needed` bytes when the entry at
    /// the start of the buffer did not fit.
    fn refill(&mut self, needed: usize) -> Result<()> {
        if self.pos == 0 && self.filled == self.buf.len() && self.filled > 0 {
            if needed > MAX_ENTRY {
                return Err(Errno::NAMETOOLONG);
            }
            let len = self.buf.len().saturating_mul(2).max(needed);
            self.buf.resize(len, 0);
        }
        let fd = self.dir.as_raw_fd();
        let (buf, len) = (self.buf.as_mut_ptr(), self.buf.len());
        // SAFETY: `buf` is valid for writing `len` bytes and `ret` for the `size` written on success.
        let filled = unsafe { conv::out(|ret| crate::host::fd_readdir(fd, buf, len, self.cookie, ret)) }?;
        self.filled = conv::usize_from(filled).min(len);
        self.pos = 0;
        self.last_page = self.filled < len;
        Ok(())
    }
}

impl Iterator for ReadDir<'_> {
    type Item = Result<DirEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let needed = match self.take() {
                Ok(Some(entry)) => return Some(Ok(entry)),
                Ok(None) => continue,
                Err(needed) => needed,
            };
            let partial = self.pos < self.filled;
            let result = if self.last_page {
                // The host cut an entry short without filling the buffer: it broke the ABI's promise.
                partial.then_some(Err(Errno::IO))
            } else {
                match self.refill(needed) {
                    Ok(()) if self.filled == 0 => None,
                    Ok(()) => continue,
                    Err(e) => Some(Err(e)),
                }
            };
            self.done = true;
            return result;
        }
        None
    }
}

impl core::iter::FusedIterator for ReadDir<'_> {}

/// `fd_readdir(dir)`—The entries of `dir`.
///
/// # References
/// - [`wasix_sys::fd_readdir`]
/// - POSIX `readdir`
#[doc(alias = "fd_readdir", alias = "readdir")]
#[inline]
pub fn read_dir(dir: &impl AsFd) -> ReadDir<'_> {
    ReadDir::new(dir)
}

/// The size of the `dirent` header that precedes each name in `fd_readdir`'s buffer.
const DIRENT_SIZE: usize = size_of::<Dirent>();

/// The `dirent` header at the start of `bytes`, if all of it is there.
#[inline]
fn dirent(bytes: &[u8]) -> Option<Dirent> {
    let header = bytes.get(..DIRENT_SIZE)?;
    // SAFETY: `header` holds `size_of::<Dirent>()` initialised bytes; `Dirent` is `repr(C)` integers and a
    // `u8` newtype, valid for any bits, and `read_unaligned` needs no alignment.
    Some(unsafe { header.as_ptr().cast::<Dirent>().read_unaligned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirent_headers_are_read_only_when_complete() {
        let raw = Dirent { d_next: 7, d_ino: 9, d_namlen: 3, d_type: wasix_sys::Filetype::DIRECTORY };
        let mut bytes = [0u8; DIRENT_SIZE + 1];
        // SAFETY: `bytes` has room for a `Dirent` at offset 1; the write needs no alignment.
        unsafe { bytes.as_mut_ptr().add(1).cast::<Dirent>().write_unaligned(raw) };
        assert_eq!(dirent(&bytes[1..]), Some(raw));
        assert_eq!(dirent(&bytes[1..DIRENT_SIZE]), None);
    }
}
