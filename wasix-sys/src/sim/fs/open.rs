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
use cap_std::fs::{Dir, OpenOptions, OpenOptionsExt};
use rustix::fs::{FileType, Mode, OFlags, ResolveFlags};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::Arc;

/// The rights that change a file's contents or size: an fd holding any of them needs a host file opened
/// for writing (as wasmtime and wasi-libc treat them), or the call its right allows would fail.
const WRITE_LIKE: Rights = Rights::FD_WRITE.union(Rights::FD_ALLOCATE).union(Rights::FD_FILESTAT_SET_SIZE);

/// How the host file is opened, decided once from the call's flags and the new fd's rights, then given to
/// the host's `openat2` directly ([`open_beneath`]) or, where that cannot serve, to `cap-std`.
///
/// The access mode follows from the whole set of rights ([`WRITE_LIKE`] ones open for writing, the others
/// for reading), and a directory is always opened for reading only, whatever it was asked to hold.
/// Creating or truncating opens the host file for writing even for an fd without `FD_WRITE` (POSIX allows
/// `O_RDONLY | O_CREAT`; the fd's rights still forbid writes), and `APPEND` goes to the host as a flag so
/// it combines with truncation as `O_APPEND | O_TRUNC` does.
struct HostOpen {
    read: bool,
    write: bool,
    create: bool,
    create_new: bool,
    truncate: bool,
    follow: bool,
    /// The flags beside the access mode and creation: `DIRECTORY`, `APPEND`, `NONBLOCK` and the syncs.
    custom: OFlags,
}

impl HostOpen {
    fn new(oflags: Oflags, fdflags: Fdflags, dirflags: Lookupflags, base: Rights) -> HostOpen {
        let directory = oflags.contains(Oflags::DIRECTORY);
        let writes = base.intersects(WRITE_LIKE) || fdflags.contains(Fdflags::APPEND);
        let mut custom = OFlags::empty();
        custom.set(OFlags::DIRECTORY, directory);
        custom.set(OFlags::APPEND, fdflags.contains(Fdflags::APPEND));
        custom.set(OFlags::NONBLOCK, fdflags.contains(Fdflags::NONBLOCK));
        custom.set(OFlags::DSYNC, fdflags.contains(Fdflags::DSYNC));
        custom.set(OFlags::RSYNC, fdflags.contains(Fdflags::RSYNC));
        custom.set(OFlags::SYNC, fdflags.contains(Fdflags::SYNC));
        HostOpen {
            read: directory || !writes || base.intersects(Rights::FD_READ | Rights::FD_READDIR),
            write: !directory && (writes || oflags.intersects(Oflags::CREAT | Oflags::TRUNC)),
            create: oflags.contains(Oflags::CREAT),
            create_new: oflags.contains(Oflags::CREAT | Oflags::EXCL),
            truncate: oflags.contains(Oflags::TRUNC),
            follow: dirflags.contains(Lookupflags::SYMLINK_FOLLOW),
            custom,
        }
    }

    /// The host's open flags, as `cap-std` makes them from [`HostOpen::options`] (`INVAL` where it refuses:
    /// creating or truncating without writing, i.e. a directory asked to be created or truncated).
    fn flags(&self) -> Result<OFlags, Errno> {
        let mut flags = OFlags::CLOEXEC | self.custom;
        flags |= match (self.read, self.write) {
            (true, false) => OFlags::RDONLY,
            (false, true) => OFlags::WRONLY,
            (true, true) => OFlags::RDWR,
            (false, false) => return Err(Errno::INVAL),
        };
        if !self.write && (self.create || self.truncate) {
            return Err(Errno::INVAL);
        }
        if self.create_new {
            flags |= OFlags::CREATE | OFlags::EXCL;
        } else {
            flags.set(OFlags::CREATE, self.create);
            flags.set(OFlags::TRUNC, self.truncate);
        }
        flags.set(OFlags::NOFOLLOW, !self.follow);
        Ok(flags)
    }

    /// The same open as `cap-std` options, for where the host's `openat2` cannot serve.
    fn options(&self) -> OpenOptions {
        let mut o = OpenOptions::new();
        o.read(self.read).write(self.write).truncate(self.truncate).maybe_dir(true).follow(if self.follow {
            FollowSymlinks::Yes
        } else {
            FollowSymlinks::No
        });
        if self.create_new {
            o.create_new(true);
        } else if self.create {
            o.create(true);
        }
        o.custom_flags(self.custom.bits() as i32);
        o
    }
}

/// Opens `path` below `dir` as `how` says: the host's `openat2` with `RESOLVE_BENEATH |
/// RESOLVE_NO_MAGICLINKS` made here, inline, as `cap-std` would make it (its sandbox; retried on `AGAIN`
/// after a rename elsewhere, as it does), so no return through `cap-std`'s frames follows the syscall: on
/// the development machine each return after a syscall into a frame entered before it costs 10-65 ns
/// (see `sim/fd/ops.rs`), and four of them were most of the simulator's own cost of a `path_open`.
/// Where `openat2` cannot serve (a kernel without it: `NOSYS`; some seccomp sandboxes: `PERM`) or the
/// path leads out of the directory (`XDEV`), `cap-std` decides, with its own resolution and errors (an
/// escape is its `PermissionDenied`, i.e. `NOTCAPABLE`).
#[inline(always)]
fn open_beneath(dir: &Dir, path: &Path, how: &HostOpen) -> Result<OwnedFd, Errno> {
    use rustix::io::Errno as Host;
    let flags = how.flags()?;
    let mode = if flags.contains(OFlags::CREATE) { Mode::from_raw_mode(0o666) } else { Mode::empty() };
    for _ in 0..4 {
        match rustix::fs::openat2(dir, path, flags, mode, ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS) {
            Ok(fd) => return Ok(fd),
            Err(Host::AGAIN) => continue,
            Err(Host::NOSYS | Host::PERM | Host::XDEV) => break,
            Err(e) => return Err(from_host(e)),
        }
    }
    open_with_cap_std(dir, path, how)
}

#[cold]
fn open_with_cap_std(dir: &Dir, path: &Path, how: &HostOpen) -> Result<OwnedFd, Errno> {
    dir.open_with(path, &how.options()).map(|f| OwnedFd::from(f.into_std())).map_err(|e| from_io(&e))
}

/// Inlined into its caller with [`open_beneath`], so no return follows the `fstat` before the caller's
/// own (see [`open_beneath`]).
#[inline]
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
        let fd = open_beneath(at.dir(), &at.path, &HostOpen::new(oflags, fdflags, dirflags, base))?;
        let filetype = if oflags.contains(Oflags::DIRECTORY) {
            Filetype::DIRECTORY
        } else {
            filetype(FileType::from_raw_mode(rustix::fs::fstat(&fd).map_err(from_host)?.st_mode))
        };
        let (type_base, type_inheriting) = rights::of_type(filetype);
        let kind = if filetype == Filetype::DIRECTORY {
            Kind::Dir(Arc::new(Directory::new(Dir::from_std_file(std::fs::File::from(fd)), None)))
        } else {
            Kind::File { fd, filetype }
        };
        let entry = Entry::new(kind, base & type_base, inheriting & type_inheriting, fdflags);
        let new = s.fds.insert(entry)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, new) }.inspect_err(|_| drop(s.fds.remove(new)))
    }))
}
