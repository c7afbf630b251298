//! `fd_readdir` (the simulator half of `wasix::fs::read_dir`).
//!
//! Cookies are positions in a listing of the directory taken when a read starts at
//! `DIRCOOKIE_START` (0), or when no listing exists yet: the entry at position `i` has `d_next == i + 1`,
//! so a cookie stays valid for as long as the listing is kept, whatever the directory does meanwhile,
//! and a read from 0 takes a fresh listing. The listing is the host's, `.` and `..` included as WASI
//! hosts report them, in the host's order. Records are written as the ABI lays them out (`dirent`, then
//! `d_namlen` name bytes, no terminator); the last one is cut off where the buffer ends, so a result equal
//! to the buffer's length means "there may be more".

use super::super::fdtable::Kind;
use super::super::{errno::from_host, mem, state, status};
use super::dir::Directory;
use super::metadata::filetype;
use crate::seed::needs;
use crate::{Dircookie, Dirent, Errno, Fd, Filetype, Pointersize, Size};
use std::mem::offset_of;
use std::sync::Arc;

/// One entry of a listing.
#[derive(Debug)]
pub(super) struct Item {
    ino: u64,
    filetype: Filetype,
    name: Box<[u8]>,
}

impl Directory {
    /// The listing a read from `cookie` uses (see the module docs).
    fn listing(&self, cookie: Dircookie) -> Result<Arc<[Item]>, Errno> {
        let mut kept = self.listing.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(listing), false) = (&*kept, cookie == crate::DIRCOOKIE_START) {
            return Ok(listing.clone());
        }
        let readable = self.readable()?;
        let mut host = rustix::fs::Dir::read_from(&readable).map_err(from_host)?;
        let mut items = Vec::new();
        while let Some(entry) = host.read() {
            let entry = entry.map_err(from_host)?;
            items.push(Item {
                ino: entry.ino(),
                filetype: filetype(entry.file_type()),
                name: entry.file_name().to_bytes().into(),
            });
        }
        let listing: Arc<[Item]> = items.into();
        *kept = Some(listing.clone());
        Ok(listing)
    }
}

/// The ABI bytes of the `dirent` header of entry `i` of a listing.
fn header(i: usize, item: &Item) -> [u8; size_of::<Dirent>()] {
    let mut h = [0u8; size_of::<Dirent>()];
    let mut put = |at: usize, bytes: &[u8]| h[at..at + bytes.len()].copy_from_slice(bytes);
    put(offset_of!(Dirent, d_next), &(i as u64 + 1).to_ne_bytes());
    put(offset_of!(Dirent, d_ino), &item.ino.to_ne_bytes());
    put(offset_of!(Dirent, d_namlen), &(item.name.len() as u32).to_ne_bytes());
    put(offset_of!(Dirent, d_type), &[item.filetype.raw()]);
    h
}

pub(crate) unsafe fn fd_readdir(
    fd: Fd,
    buf: *mut u8,
    buf_len: Pointersize,
    cookie: Dircookie,
    ret: *mut Size,
) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        // A file is `NOTDIR` whatever its rights (POSIX, Wasmer).
        let Kind::Dir(dir) = entry.kind() else { return Err(Errno::NOTDIR) };
        entry.require(needs::FD_READDIR)?;
        // The result is a 32-bit `size`: never fill more than it can count.
        let len = buf_len.min(Size::MAX as usize);
        // SAFETY: `buf` is valid for `buf_len` bytes per the ABI contract.
        let out = unsafe { mem::slice_mut(buf, len)? };
        let listing = dir.listing(cookie)?;
        let start = usize::try_from(cookie).unwrap_or(usize::MAX);
        let mut used = 0;
        for (i, item) in listing.iter().enumerate().skip(start) {
            for part in [&header(i, item)[..], &item.name[..]] {
                let n = part.len().min(out.len() - used);
                out[used..used + n].copy_from_slice(&part[..n]);
                used += n;
            }
            if used == out.len() {
                break;
            }
        }
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, used as Size) }
    }))
}
