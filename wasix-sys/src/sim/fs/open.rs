//! `path_open` (the simulator half of `wasix::fs::open`).
//!
//! - The directory needs `PATH_OPEN`, and `PATH_CREATE_FILE` for `oflags::creat`, `PATH_FILESTAT_SET_SIZE`
//!   for `oflags::trunc` ([`needs::path_open`]); its inheriting rights need `FD_DATASYNC` for
//!   `fdflags::dsync`, `FD_SYNC` for `rsync` and `sync` ([`needs::path_open_inheriting`], preview1's reading).
//! - The new fd's rights are those asked for, narrowed to the directory's inheriting rights and to what its
//!   file type can use ([`rights`](super::super::rights)); it is opened for reading and/or writing as its rights allow
//!   (`fdflags::append` implies writing). A directory is never opened for writing: asking for a write-like
//!   right on one without `oflags::directory` is the host's `ISDIR` — also when the request carries a
//!   directory's own rights (a preopen's, as a program reopening `"."` might pass). That is POSIX `open` of
//!   a directory with write access, and what wasmtime's preview1 host gives too (it derives the open's
//!   access from the write-like rights, and the host refuses); Wasmer agrees. A program that wants the
//!   directory asks for `oflags::directory` or for read rights only.
//! - The final symlink is followed only with `lookupflags::symlink_follow` (else `LOOP`, as `O_NOFOLLOW`
//!   gives); symlinks inside the path are always followed, inside the directory only.
//! - Unknown flag bits are `INVAL`.

use super::super::errno::{from_host, from_io};
use super::super::fdtable::{Entry, Kind};
use super::super::{mem, rights, state, status};
use super::dir::Directory;
use super::metadata::filetype;
use super::resolve::{read, resolve};
use crate::seed::{needs, path::Use};
use crate::{Errno, Fd, Fdflags, Filetype, Lookupflags, Oflags, Rights};
use cap_fs_ext::{FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt};
use cap_std::fs::{OpenOptions, OpenOptionsExt};
use rustix::fs::{FileType, OFlags};
use std::os::fd::OwnedFd;
use std::sync::Arc;

/// The rights that change a file's contents or size: an fd holding any of them needs a host file opened
/// for writing (as wasmtime and wasi-libc treat them), or the call its right allows would fail.
const WRITE_LIKE: Rights = Rights::FD_WRITE.union(Rights::FD_ALLOCATE).union(Rights::FD_FILESTAT_SET_SIZE);

/// The host open options for a file asked to hold `base`: the access mode follows from the whole set of
/// rights ([`WRITE_LIKE`] ones open for writing, the others for reading), and a directory is always opened
/// for reading only, whatever it was asked to hold.
///
/// Creating or truncating opens the host file for writing even for an fd without `FD_WRITE` (POSIX allows
/// `O_RDONLY | O_CREAT`; the fd's rights still forbid writes), and `APPEND` goes to the host as a flag so
/// it combines with truncation as `O_APPEND | O_TRUNC` does.
fn options(oflags: Oflags, fdflags: Fdflags, dirflags: Lookupflags, base: Rights) -> OpenOptions {
    let directory = oflags.contains(Oflags::DIRECTORY);
    let writes = base.intersects(WRITE_LIKE) || fdflags.contains(Fdflags::APPEND);
    let write = !directory && (writes || oflags.intersects(Oflags::CREAT | Oflags::TRUNC));
    let mut o = OpenOptions::new();
    o.read(directory || !writes || base.intersects(Rights::FD_READ | Rights::FD_READDIR))
        .write(write)
        .truncate(oflags.contains(Oflags::TRUNC))
        .maybe_dir(true)
        .follow(if dirflags.contains(Lookupflags::SYMLINK_FOLLOW) { FollowSymlinks::Yes } else { FollowSymlinks::No });
    if oflags.contains(Oflags::CREAT) {
        if oflags.contains(Oflags::EXCL) {
            o.create_new(true);
        } else {
            o.create(true);
        }
    }
    let mut custom = OFlags::empty();
    custom.set(OFlags::DIRECTORY, directory);
    custom.set(OFlags::APPEND, fdflags.contains(Fdflags::APPEND));
    custom.set(OFlags::NONBLOCK, fdflags.contains(Fdflags::NONBLOCK));
    custom.set(OFlags::DSYNC, fdflags.contains(Fdflags::DSYNC));
    custom.set(OFlags::RSYNC, fdflags.contains(Fdflags::RSYNC));
    custom.set(OFlags::SYNC, fdflags.contains(Fdflags::SYNC));
    o.custom_flags(custom.bits() as i32);
    o
}

pub(crate) unsafe fn path_open(
    fd: Fd,
    dirflags: Lookupflags,
    p: *const u8,
    p_len: usize,
    oflags: Oflags,
    fs_rights_base: Rights,
    fs_rights_inheriting: Rights,
    fdflags: Fdflags,
    ret: *mut Fd,
) -> Errno {
    status(state::with(|s| {
        if !Oflags::all().contains(oflags)
            || !Fdflags::all().contains(fdflags)
            || !Lookupflags::all().contains(dirflags)
        {
            return Err(Errno::INVAL);
        }
        // SAFETY: `p` is valid for `p_len` bytes per the ABI contract.
        let at = resolve(s, fd, unsafe { read(p, p_len, Use::Beneath)? }, needs::path_open(oflags))?;
        if !needs::path_open_inheriting(fdflags).met_by(at.inheriting()) {
            return Err(Errno::NOTCAPABLE);
        }
        let (base, inheriting) = needs::path_open_grants(fs_rights_base, fs_rights_inheriting, at.inheriting());
        let file = at.dir().open_with(&at.path, &options(oflags, fdflags, dirflags, base)).map_err(|e| from_io(&e))?;
        let filetype = if oflags.contains(Oflags::DIRECTORY) {
            Filetype::DIRECTORY
        } else {
            filetype(FileType::from_raw_mode(rustix::fs::fstat(&file).map_err(from_host)?.st_mode))
        };
        let (type_base, type_inheriting) = rights::of_type(filetype);
        let kind = if filetype == Filetype::DIRECTORY {
            Kind::Dir(Arc::new(Directory::new(cap_std::fs::Dir::from_std_file(file.into_std()), None)))
        } else {
            Kind::File { fd: OwnedFd::from(file.into_std()), filetype }
        };
        let entry = Entry::new(kind, base & type_base, inheriting & type_inheriting, fdflags);
        let new = s.fds.insert(entry)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, new) }.inspect_err(|_| drop(s.fds.remove(new)))
    }))
}
