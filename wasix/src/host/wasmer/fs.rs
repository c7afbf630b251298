//! The profile for `wasix::fs`: path checks before every path call, rights errnos, `path_open`'s rights,
//! `fd_readdir`'s rights and entry types, `path_readlink`, `fd_advise` and `fd_seek`.

#![allow(unsafe_code)] // Every item wraps a raw call.

use super::{check_path, fdstat, with_right};
use crate::conv;
use wasix_sys::seed::{needs, path::Use};
use wasix_sys::{
    Advice, Ciovec, Dircookie, Errno, Fd, Filedelta, Filesize, Filestat, Fstflags, Iovec, Lookupflags, Oflags,
    Pointersize, Rights, Size, Timestamp, Whence,
};

rights_checked! {
    fd_pread(fd: Fd, iovs: *const Iovec, iovs_len: usize, offset: Filesize, ret: *mut Size) needs FD_PREAD;
    fd_pwrite(fd: Fd, iovs: *const Ciovec, iovs_len: usize, offset: Filesize, ret: *mut Size) needs FD_PWRITE;
    fd_tell(fd: Fd, ret: *mut Filesize) needs FD_TELL;
    fd_filestat_get(fd: Fd, ret: *mut Filestat) needs FD_FILESTAT_GET;
    fd_filestat_set_size(fd: Fd, size: Filesize) needs FD_FILESTAT_SET_SIZE;
    fd_filestat_set_times(fd: Fd, atim: Timestamp, mtim: Timestamp, flags: Fstflags) needs FD_FILESTAT_SET_TIMES;
    fd_sync(fd: Fd) needs FD_SYNC;
    fd_datasync(fd: Fd) needs FD_DATASYNC;
    fd_allocate(fd: Fd, offset: Filesize, len: Filesize) needs FD_ALLOCATE;
    path_create_directory(fd: Fd, path: *const u8, path_len: usize) needs PATH_CREATE_DIRECTORY, path path path_len;
    path_remove_directory(fd: Fd, path: *const u8, path_len: usize) needs PATH_REMOVE_DIRECTORY, path path path_len;
    path_unlink_file(fd: Fd, path: *const u8, path_len: usize) needs PATH_UNLINK_FILE, path path path_len;
    path_filestat_get(fd: Fd, flags: Lookupflags, path: *const u8, path_len: usize, ret: *mut Filestat)
        needs PATH_FILESTAT_GET, path path path_len;
    path_filestat_set_times(
        fd: Fd, flags: Lookupflags, path: *const u8, path_len: usize, atim: Timestamp, mtim: Timestamp, fst: Fstflags,
    ) needs PATH_FILESTAT_SET_TIMES, path path path_len;
    path_rename(fd: Fd, old: *const u8, old_len: usize, new_fd: Fd, new: *const u8, new_len: usize)
        needs PATH_RENAME_SOURCE, path old old_len, path new new_len;
    path_link(
        fd: Fd, old_flags: Lookupflags, old: *const u8, old_len: usize, new_fd: Fd, new: *const u8, new_len: usize,
    ) needs PATH_LINK_SOURCE, path old old_len, path new new_len;
}

/// `fd_readdir`, refusing a directory without `FD_READDIR` (which Wasmer does not check) before the call.
///
/// # Safety
/// As for [`wasix_sys::fd_readdir`].
pub(crate) unsafe fn fd_readdir(
    fd: Fd,
    buf: *mut u8,
    buf_len: Pointersize,
    cookie: Dircookie,
    ret: *mut Size,
) -> Errno {
    // Only a directory is refused here: for anything else Wasmer's own `NOTDIR` is the answer.
    if fdstat(fd).is_some_and(|st| {
        st.fs_filetype == wasix_sys::Filetype::DIRECTORY && !st.fs_rights_base.contains(Rights::FD_READDIR)
    }) {
        return Errno::NOTCAPABLE;
    }
    // SAFETY: forwarded contract.
    with_right(fd, needs::FD_READDIR, unsafe { wasix_sys::fd_readdir(fd, buf, buf_len, cookie, ret) })
}

/// `path_open`, narrowing the new fd to the rights asked for: Wasmer grants more (`FD_SEEK`, `FD_TELL`,
/// `FD_ADVISE`, …) than a guest asked for.
///
/// # Safety
/// As for [`wasix_sys::path_open`].
pub(crate) unsafe fn path_open(
    fd: Fd,
    dirflags: Lookupflags,
    path: *const u8,
    path_len: usize,
    oflags: Oflags,
    base: Rights,
    inheriting: Rights,
    fdflags: wasix_sys::Fdflags,
    ret: *mut Fd,
) -> Errno {
    // SAFETY: forwarded contract: the path is valid for its length.
    if let Err(e) = unsafe { check_path(path, path_len, Use::Beneath) } {
        return e;
    }
    // SAFETY: forwarded contract.
    let e = unsafe { wasix_sys::path_open(fd, dirflags, path, path_len, oflags, base, inheriting, fdflags, ret) };
    if e != Errno::SUCCESS {
        return with_right(fd, needs::path_open(oflags), e);
    }
    // SAFETY: `SUCCESS` means `ret` holds the new fd.
    let new = unsafe { ret.read() };
    if let Some(st) = fdstat(new) {
        let (granted, granted_inheriting) = (st.fs_rights_base, st.fs_rights_inheriting);
        if !(base.contains(granted) && inheriting.contains(granted_inheriting)) {
            // SAFETY: no pointers. Narrowing only removes rights, which Wasmer allows.
            unsafe { wasix_sys::fd_fdstat_set_rights(new, granted & base, granted_inheriting & inheriting) };
        }
    }
    Errno::SUCCESS
}

/// The type of directory entry `name` of `dir`: Wasmer's `fd_readdir` reports symbolic links as `UNKNOWN`,
/// so an `UNKNOWN` entry is looked up (without following it).
pub(crate) fn dirent_type(dir: Fd, name: &[u8], reported: wasix_sys::Filetype) -> wasix_sys::Filetype {
    if reported != wasix_sys::Filetype::UNKNOWN {
        return reported;
    }
    // SAFETY: `name` is valid for its length and `ret` for the `filestat` written on success.
    let stat = unsafe {
        conv::out(|ret| wasix_sys::path_filestat_get(dir, Lookupflags::empty(), name.as_ptr(), name.len(), ret))
    };
    stat.map_or(reported, |st: Filestat| st.filetype)
}

/// `path_symlink`: the link's path checked like every path ([`check_path`]), the target by the seed's rule
/// for a stored target (well formed and relative: Wasmer would store an absolute one).
///
/// # Safety
/// As for [`wasix_sys::path_symlink`].
pub(crate) unsafe fn path_symlink(old: *const u8, old_len: usize, fd: Fd, new: *const u8, new_len: usize) -> Errno {
    // SAFETY: forwarded contract: both paths are valid for their lengths.
    let checked =
        unsafe { check_path(old, old_len, Use::Stored).and_then(|()| check_path(new, new_len, Use::Beneath)) };
    if let Err(e) = checked {
        return e;
    }
    // SAFETY: forwarded contract.
    with_right(fd, needs::PATH_SYMLINK, unsafe { wasix_sys::path_symlink(old, old_len, fd, new, new_len) })
}

/// `path_readlink`, with a target that does not fit reported as a full buffer (see the module table).
///
/// # Safety
/// As for [`wasix_sys::path_readlink`].
pub(crate) unsafe fn path_readlink(
    fd: Fd,
    path: *const u8,
    path_len: usize,
    buf: *mut u8,
    buf_len: Pointersize,
    ret: *mut Size,
) -> Errno {
    // SAFETY: forwarded contract: the path is valid for its length.
    if let Err(e) = unsafe { check_path(path, path_len, Use::Beneath) } {
        return e;
    }
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::path_readlink(fd, path, path_len, buf, buf_len, ret) } {
        Errno::OVERFLOW => match Size::try_from(buf_len) {
            Ok(full) => {
                // SAFETY: forwarded contract: `ret` is valid for a `Size`.
                unsafe { ret.write(full) };
                Errno::SUCCESS
            }
            Err(_) => Errno::OVERFLOW,
        },
        other => with_right(fd, needs::PATH_READLINK, other),
    }
}

/// `fd_advise`, refusing advice the interface does not define (Wasmer accepts anything).
///
/// # Safety
/// As for [`wasix_sys::fd_advise`].
pub(crate) unsafe fn fd_advise(fd: Fd, offset: Filesize, len: Filesize, advice: Advice) -> Errno {
    if advice.name().is_none() {
        return Errno::INVAL;
    }
    // SAFETY: forwarded contract.
    with_right(fd, needs::FD_ADVISE, unsafe { wasix_sys::fd_advise(fd, offset, len, advice) })
}

/// `fd_seek`, refusing a position before the start without moving the offset (see the module table).
///
/// # Safety
/// As for [`wasix_sys::fd_seek`].
pub(crate) unsafe fn fd_seek(fd: Fd, offset: Filedelta, whence: Whence, ret: *mut Filesize) -> Errno {
    if whence == Whence::CUR && offset < 0 {
        let mut now = 0;
        // SAFETY: `now` is valid for the `filesize` written on success.
        match unsafe { fd_tell(fd, &mut now) } {
            Errno::SUCCESS if now < offset.unsigned_abs() => return Errno::INVAL,
            Errno::SUCCESS => {}
            other => return other,
        }
    }
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::fd_seek(fd, offset, whence, ret) } {
        Errno::IO if whence == Whence::END && offset < 0 => Errno::INVAL,
        other => with_right(fd, needs::fd_seek(offset, whence), other),
    }
}
