//! [`File`]: an open file, with `std::io::{Read, Write, Seek}` and the fd calls that act on files
//! (`fd_pread`, `fd_pwrite`, `fd_seek`, `fd_tell`, `fd_filestat_*`, `fd_sync`, `fd_datasync`, `fd_advise`,
//! `fd_allocate`).

#![allow(unsafe_code)] // Raw calls.

use super::{FileTimes, Metadata, OpenOptions};
use crate::conv;
use crate::fd::{self, impl_read, impl_write, owned_fd_newtype, AsFd, AsRawFd, Fdflags, OwnedFd, Rights};
use crate::io::{Errno, Result};
use std::io::{IoSlice, IoSliceMut, SeekFrom};
use std::path::Path;
use std::time::SystemTime;
use wasix_sys::{Advice, Filedelta, Whence};

/// An open file. Reads, writes and seeks through `std::io` (on `File` and on `&File`), each one host call;
/// the other methods return the host's [`Errno`](crate::io::Errno).
///
/// ```
/// use std::io::{Read, Seek, SeekFrom, Write};
/// use wasix::fs::{Dir, File};
///
/// let scratch = tempfile::tempdir().unwrap();
/// wasix::sim::Config::new().preopen(scratch.path(), "/scratch").build().unwrap().run(|| {
///     let dir = Dir::preopened("/scratch").unwrap();
///     let mut file = File::options().read(true).write(true).create(true).open(&dir, "notes").unwrap();
///     file.write_all(b"hello world").unwrap();
///     assert_eq!(file.write_at(b"WORLD", 6).unwrap(), 5);
///     file.seek(SeekFrom::Start(0)).unwrap();
///     let mut text = String::new();
///     file.read_to_string(&mut text).unwrap();
///     assert_eq!(text, "hello WORLD");
///     assert_eq!(file.metadata().unwrap().len(), 11);
/// });
/// ```
#[derive(Debug)]
pub struct File {
    fd: OwnedFd,
}

owned_fd_newtype!(File);
impl_read!(File, &File);
impl_write!(File, &File);

impl File {
    /// Opens `path` in `dir` for reading.
    #[doc(alias = "path_open")]
    #[inline]
    pub fn open(dir: impl AsFd, path: impl AsRef<Path>) -> Result<File> {
        OpenOptions::new().read(true).open(dir, path)
    }

    /// Opens `path` in `dir` for writing, creating it or truncating it.
    #[doc(alias = "path_open")]
    pub fn create(dir: impl AsFd, path: impl AsRef<Path>) -> Result<File> {
        OpenOptions::new().write(true).create(true).truncate(true).open(dir, path)
    }

    /// Creates `path` in `dir` for reading and writing; `EXIST` if something is there.
    #[doc(alias = "path_open")]
    pub fn create_new(dir: impl AsFd, path: impl AsRef<Path>) -> Result<File> {
        OpenOptions::new().read(true).write(true).create_new(true).open(dir, path)
    }

    /// Options to open a file with; the same as [`OpenOptions::new`].
    #[inline]
    pub fn options() -> OpenOptions {
        OpenOptions::new()
    }

    /// `fd_pread(fd, buf, offset)`—Reads at `offset` without moving the file offset; 0 at end of file.
    ///
    /// # References
    /// - [`wasix_sys::fd_pread`]
    /// - POSIX `pread`
    #[doc(alias = "fd_pread", alias = "pread")]
    #[inline]
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<usize> {
        self.read_vectored_at(&mut [IoSliceMut::new(buf)], offset)
    }

    /// `fd_pread(fd, bufs, offset)`—Reads into `bufs` in order at `offset` without moving the file offset.
    ///
    /// # References
    /// - [`wasix_sys::fd_pread`]
    /// - POSIX `preadv`
    #[doc(alias = "fd_pread", alias = "preadv")]
    pub fn read_vectored_at(&self, bufs: &mut [IoSliceMut<'_>], offset: u64) -> Result<usize> {
        let fd = self.as_raw_fd();
        let len = bufs.len();
        let iovs = conv::iovecs(bufs);
        // SAFETY: `iovs` points to `len` valid iovecs over buffers this call borrows mutably, and `ret` is
        // valid for the `size` `fd_pread` writes on success.
        let read = unsafe { conv::out(|ret| crate::host::fd_pread(fd, iovs, len, offset, ret)) }?;
        Ok(conv::usize_from(read))
    }

    /// `fd_pwrite(fd, buf, offset)`—Writes at `offset` without moving the file offset.
    ///
    /// # References
    /// - [`wasix_sys::fd_pwrite`]
    /// - POSIX `pwrite`
    #[doc(alias = "fd_pwrite", alias = "pwrite")]
    #[inline]
    pub fn write_at(&self, buf: &[u8], offset: u64) -> Result<usize> {
        self.write_vectored_at(&[IoSlice::new(buf)], offset)
    }

    /// `fd_pwrite(fd, bufs, offset)`—Writes `bufs` in order at `offset` without moving the file offset.
    ///
    /// # References
    /// - [`wasix_sys::fd_pwrite`]
    /// - POSIX `pwritev`
    #[doc(alias = "fd_pwrite", alias = "pwritev")]
    pub fn write_vectored_at(&self, bufs: &[IoSlice<'_>], offset: u64) -> Result<usize> {
        let fd = self.as_raw_fd();
        let iovs = conv::ciovecs(bufs);
        // SAFETY: `iovs` points to `bufs.len()` valid ciovecs over readable buffers, and `ret` is valid for
        // the `size` `fd_pwrite` writes on success.
        let written = unsafe { conv::out(|ret| crate::host::fd_pwrite(fd, iovs, bufs.len(), offset, ret)) }?;
        Ok(conv::usize_from(written))
    }

    /// `fd_seek(fd, pos)`—Moves the file offset, returning the new one. `INVAL` for a position before the
    /// start (or a `SeekFrom::Start` beyond `i64::MAX`).
    ///
    /// # References
    /// - [`wasix_sys::fd_seek`]
    /// - POSIX `lseek`
    #[doc(alias = "fd_seek", alias = "lseek")]
    #[inline]
    pub fn seek(&self, pos: SeekFrom) -> Result<u64> {
        let fd = self.as_raw_fd();
        let (offset, whence) = seek_from(pos)?;
        // SAFETY: `ret` is valid for the `filesize` `fd_seek` writes on success.
        unsafe { conv::out(|ret| crate::host::fd_seek(fd, offset, whence, ret)) }
    }

    /// `fd_tell(fd)`—The file offset.
    ///
    /// # References
    /// - [`wasix_sys::fd_tell`]
    #[doc(alias = "fd_tell")]
    pub fn tell(&self) -> Result<u64> {
        let fd = self.as_raw_fd();
        // SAFETY: `ret` is valid for the `filesize` `fd_tell` writes on success.
        unsafe { conv::out(|ret| crate::host::fd_tell(fd, ret)) }
    }

    /// `fd_filestat_set_size(fd, size)`—Truncates or extends the file (with zeros) to `size` bytes.
    ///
    /// # References
    /// - [`wasix_sys::fd_filestat_set_size`]
    /// - POSIX `ftruncate`
    #[doc(alias = "fd_filestat_set_size", alias = "ftruncate")]
    pub fn set_len(&self, size: u64) -> Result<()> {
        // SAFETY: `fd_filestat_set_size` takes no pointers.
        conv::result(unsafe { crate::host::fd_filestat_set_size(self.as_raw_fd(), size) })
    }

    /// `fd_sync(fd)`—Flushes the file's data and metadata to the device.
    ///
    /// # References
    /// - [`wasix_sys::fd_sync`]
    /// - POSIX `fsync`
    #[doc(alias = "fd_sync", alias = "fsync")]
    pub fn sync_all(&self) -> Result<()> {
        // SAFETY: `fd_sync` takes no pointers.
        conv::result(unsafe { crate::host::fd_sync(self.as_raw_fd()) })
    }

    /// `fd_datasync(fd)`—Flushes the file's data to the device.
    ///
    /// # References
    /// - [`wasix_sys::fd_datasync`]
    /// - POSIX `fdatasync`
    #[doc(alias = "fd_datasync", alias = "fdatasync")]
    pub fn sync_data(&self) -> Result<()> {
        // SAFETY: `fd_datasync` takes no pointers.
        conv::result(unsafe { crate::host::fd_datasync(self.as_raw_fd()) })
    }

    /// `fd_filestat_get(fd)`—The file's metadata.
    ///
    /// # References
    /// - [`wasix_sys::fd_filestat_get`]
    /// - POSIX `fstat`
    #[doc(alias = "fd_filestat_get", alias = "fstat")]
    pub fn metadata(&self) -> Result<Metadata> {
        let fd = self.as_raw_fd();
        // SAFETY: `ret` is valid for the `filestat` `fd_filestat_get` writes on success.
        let raw = unsafe { conv::out(|ret| crate::host::fd_filestat_get(fd, ret)) }?;
        Ok(Metadata::from_raw(raw))
    }

    /// `fd_filestat_set_times(fd, times)`—Sets the file's access and modification times.
    ///
    /// # References
    /// - [`wasix_sys::fd_filestat_set_times`]
    /// - POSIX `futimens`
    #[doc(alias = "fd_filestat_set_times", alias = "futimens")]
    pub fn set_times(&self, times: FileTimes) -> Result<()> {
        let (atim, mtim, flags) = times.to_raw()?;
        // SAFETY: `fd_filestat_set_times` takes no pointers.
        conv::result(unsafe { crate::host::fd_filestat_set_times(self.as_raw_fd(), atim, mtim, flags) })
    }

    /// `fd_filestat_set_times(fd, MTIM)`—Sets the file's modification time.
    #[doc(alias = "fd_filestat_set_times")]
    #[inline]
    pub fn set_modified(&self, t: SystemTime) -> Result<()> {
        self.set_times(FileTimes::new().set_modified(t))
    }

    /// `fd_advise(fd, offset, len, advice)`—Tells the host how `len` bytes from `offset` will be used.
    ///
    /// # References
    /// - [`wasix_sys::fd_advise`]
    /// - POSIX `posix_fadvise`
    #[doc(alias = "fd_advise", alias = "posix_fadvise")]
    pub fn advise(&self, offset: u64, len: u64, advice: Advice) -> Result<()> {
        // SAFETY: `fd_advise` takes no pointers.
        conv::result(unsafe { crate::host::fd_advise(self.as_raw_fd(), offset, len, advice) })
    }

    /// `fd_allocate(fd, offset, len)`—Makes sure the bytes from `offset` to `offset + len` are allocated,
    /// extending the file if needed.
    ///
    /// # References
    /// - [`wasix_sys::fd_allocate`]
    /// - POSIX `posix_fallocate`
    #[doc(alias = "fd_allocate", alias = "posix_fallocate")]
    pub fn allocate(&self, offset: u64, len: u64) -> Result<()> {
        // SAFETY: `fd_allocate` takes no pointers.
        conv::result(unsafe { crate::host::fd_allocate(self.as_raw_fd(), offset, len) })
    }

    /// `fd_fdstat_set_flags(fd, flags)`—Replaces the fd flags (`APPEND`, `NONBLOCK`, the sync flags).
    #[doc(alias = "fd_fdstat_set_flags")]
    #[inline]
    pub fn set_flags(&self, flags: Fdflags) -> Result<()> {
        fd::set_flags(self, flags)
    }

    /// `fd_fdstat_get(fd)`—The fd flags.
    #[doc(alias = "fd_fdstat_get")]
    #[inline]
    pub fn flags(&self) -> Result<Fdflags> {
        Ok(fd::fdstat(self)?.flags)
    }

    /// `fd_fdstat_get(fd)`—The rights the fd holds: `(base, inheriting)`.
    #[doc(alias = "fd_fdstat_get")]
    #[inline]
    pub fn rights(&self) -> Result<(Rights, Rights)> {
        let stat = fd::fdstat(self)?;
        Ok((stat.rights_base, stat.rights_inheriting))
    }

    /// `fd_fdstat_set_rights(fd, base, inheriting)`—Drops every right not in `base` and `inheriting`;
    /// `NOTCAPABLE` (and no change) if they hold one the fd lacks.
    #[doc(alias = "fd_fdstat_set_rights")]
    #[inline]
    pub fn restrict_rights(&self, base: Rights, inheriting: Rights) -> Result<()> {
        fd::set_rights(self, base, inheriting)
    }

    /// `fd_dup`—Another fd for the same open file, sharing its offset.
    #[doc(alias = "fd_dup")]
    #[inline]
    pub fn try_clone(&self) -> Result<File> {
        fd::dup(self).map(File::from)
    }
}

impl std::io::Seek for &File {
    #[inline]
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        File::seek(self, pos).map_err(std::io::Error::from)
    }

    #[inline]
    fn stream_position(&mut self) -> std::io::Result<u64> {
        self.tell().map_err(std::io::Error::from)
    }
}

impl std::io::Seek for File {
    #[inline]
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        std::io::Seek::seek(&mut &*self, pos)
    }

    #[inline]
    fn stream_position(&mut self) -> std::io::Result<u64> {
        std::io::Seek::stream_position(&mut &*self)
    }
}

/// A `SeekFrom` as `fd_seek`'s `(offset, whence)`; `INVAL` for a start beyond `i64::MAX` (the ABI's
/// `filedelta` is signed).
#[inline]
fn seek_from(pos: SeekFrom) -> Result<(Filedelta, Whence)> {
    Ok(match pos {
        SeekFrom::Start(n) => (Filedelta::try_from(n).map_err(|_| Errno::INVAL)?, Whence::SET),
        SeekFrom::Current(n) => (n, Whence::CUR),
        SeekFrom::End(n) => (n, Whence::END),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seek_positions_beyond_filedelta_are_inval() {
        assert_eq!(seek_from(SeekFrom::Start(5)), Ok((5, Whence::SET)));
        assert_eq!(seek_from(SeekFrom::Current(-3)), Ok((-3, Whence::CUR)));
        assert_eq!(seek_from(SeekFrom::End(0)), Ok((0, Whence::END)));
        assert_eq!(seek_from(SeekFrom::Start(u64::MAX)), Err(Errno::INVAL));
    }
}
