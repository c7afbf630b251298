//! The `paths` group: `path_open` and every other `path_*` call, `fd_readdir`, `chdir` and `getcwd`, with
//! paths from the hostile alphabet of [`crate::values`], and `fd_close` to let fds go.

use crate::guest::{Bytes, Out, OutBuf, OutPtr};
use crate::values::{Bits, FdRef, Num, PathArg, PathGen, Start};
use crate::{Exec, Harness};
use arbitrary::Arbitrary;
use wasix_sys::{Errno, Fd, Fdflags, Filestat, Fstflags, Lookupflags, Oflags, Rights, Size};

#[derive(Arbitrary, Debug)]
pub enum PathCall {
    Open {
        dir: FdRef,
        lookup: Bits,
        path: PathArg,
        oflags: Bits,
        base: Bits,
        inheriting: Bits,
        fdflags: Bits,
        out: OutPtr,
    },
    CreateDirectory {
        dir: FdRef,
        path: PathArg,
    },
    RemoveDirectory {
        dir: FdRef,
        path: PathArg,
    },
    UnlinkFile {
        dir: FdRef,
        path: PathArg,
    },
    FilestatGet {
        dir: FdRef,
        lookup: Bits,
        path: PathArg,
        out: OutPtr,
    },
    FilestatSetTimes {
        dir: FdRef,
        lookup: Bits,
        path: PathArg,
        atim: Num,
        mtim: Num,
        flags: Bits,
    },
    Link {
        old_dir: FdRef,
        lookup: Bits,
        old: PathArg,
        new_dir: FdRef,
        new: PathArg,
    },
    Rename {
        old_dir: FdRef,
        old: PathArg,
        new_dir: FdRef,
        new: PathArg,
    },
    Symlink {
        target: PathArg,
        dir: FdRef,
        path: PathArg,
    },
    Readlink {
        dir: FdRef,
        path: PathArg,
        buf: OutBuf,
        out: OutPtr,
    },
    Readdir {
        dir: FdRef,
        buf: OutBuf,
        cookie: Num,
        out: OutPtr,
    },
    Chdir {
        path: PathArg,
    },
    Getcwd {
        buf: OutBuf,
        len: OutPtr,
    },
    Close {
        fd: FdRef,
    },
}

/// Where a path argument is used, which decides how far it may point (see [`path_bytes`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Resolved by the simulator (below a directory fd, or as the current directory).
    Resolved,
    /// A symlink's target, stored as it is.
    Target,
}

/// The guest memory of path argument `p`.
///
/// A stored symlink target that is absolute always starts inside the temporary tree (a bare `/` becomes
/// the tree's root): a target is followed only through the sandbox, but should that ever fail, what it
/// reaches is a file the sentinel check watches, never the host's own.
fn path_bytes(h: &Harness, p: &PathArg, use_: Use) -> Bytes {
    let mut bytes = match p {
        PathArg::Built(g) => {
            let g = if use_ == Use::Target && matches!(g.start, Start::Slash) {
                &PathGen { start: Start::HostRoot, ..g.clone() }
            } else {
                g
            };
            g.bytes(&h.host_root, &h.host_box)
        }
        PathArg::Raw(b) => b.clone(),
        PathArg::Null(n) => return Bytes::input(&vec![0; usize::from(*n)], true),
    };
    if use_ == Use::Target && bytes.starts_with(b"/") && !bytes.starts_with(&h.host_root) {
        bytes = [&h.host_root[..], &bytes[..]].concat();
    }
    Bytes::input(&bytes, false)
}

impl Exec for PathCall {
    fn exec(&self, h: &mut Harness) {
        let live = h.live.clone();
        let fd = |r: &FdRef| r.resolve(&live);
        let lookup = |b: &Bits| Lookupflags::from_bits_retain(b.of(Lookupflags::all().bits().into()) as u32);
        // Calls that may change files, and `path_open` with flags beyond `directory`, mark the fixture.
        h.dirty |= match self {
            PathCall::FilestatGet { .. }
            | PathCall::Readlink { .. }
            | PathCall::Readdir { .. }
            | PathCall::Chdir { .. }
            | PathCall::Getcwd { .. }
            | PathCall::Close { .. } => false,
            PathCall::Open { oflags, .. } => {
                oflags.of(Oflags::all().bits().into()) & !u64::from(Oflags::DIRECTORY.bits()) != 0
            }
            _ => true,
        };
        match self {
            PathCall::Open { dir, lookup: l, path, oflags, base, inheriting, fdflags, out } => {
                let mut p = path_bytes(h, path, Use::Resolved);
                let oflags = Oflags::from_bits_retain(oflags.of(Oflags::all().bits().into()) as u16);
                let fdflags = Fdflags::from_bits_retain(fdflags.of(Fdflags::all().bits().into()) as u16);
                let all = Rights::all().bits();
                let (b, i) = (Rights::from_bits_retain(base.of(all)), Rights::from_bits_retain(inheriting.of(all)));
                let mut new = Out::<Fd>::new(*out);
                // SAFETY: the path is the harness's (or null), the out-pointer too.
                let e = unsafe {
                    wasix_sys::path_open(fd(dir), lookup(l), p.ptr(), p.len, oflags, b, i, fdflags, new.ptr())
                };
                h.result("path_open", e, &new);
                if let (Errno::SUCCESS, Some(new)) = (e, new.get()) {
                    h.created(new);
                }
            }
            PathCall::CreateDirectory { dir, path } => {
                let mut p = path_bytes(h, path, Use::Resolved);
                // SAFETY: the path is the harness's (or null).
                let e = unsafe { wasix_sys::path_create_directory(fd(dir), p.ptr(), p.len) };
                h.errno("path_create_directory", e);
            }
            PathCall::RemoveDirectory { dir, path } => {
                let mut p = path_bytes(h, path, Use::Resolved);
                // SAFETY: as above.
                let e = unsafe { wasix_sys::path_remove_directory(fd(dir), p.ptr(), p.len) };
                h.errno("path_remove_directory", e);
            }
            PathCall::UnlinkFile { dir, path } => {
                let mut p = path_bytes(h, path, Use::Resolved);
                // SAFETY: as above.
                let e = unsafe { wasix_sys::path_unlink_file(fd(dir), p.ptr(), p.len) };
                h.errno("path_unlink_file", e);
            }
            PathCall::FilestatGet { dir, lookup: l, path, out } => {
                let mut p = path_bytes(h, path, Use::Resolved);
                let mut st = Out::<Filestat>::new(*out);
                // SAFETY: the path and out-pointer are the harness's (or null).
                let e = unsafe { wasix_sys::path_filestat_get(fd(dir), lookup(l), p.ptr(), p.len, st.ptr()) };
                h.result("path_filestat_get", e, &st);
            }
            PathCall::FilestatSetTimes { dir, lookup: l, path, atim, mtim, flags } => {
                let mut p = path_bytes(h, path, Use::Resolved);
                let flags = Fstflags::from_bits_retain(flags.of(Fstflags::all().bits().into()) as u16);
                // SAFETY: the path is the harness's (or null).
                let e = unsafe {
                    wasix_sys::path_filestat_set_times(
                        fd(dir),
                        lookup(l),
                        p.ptr(),
                        p.len,
                        atim.get(),
                        mtim.get(),
                        flags,
                    )
                };
                h.errno("path_filestat_set_times", e);
            }
            PathCall::Link { old_dir, lookup: l, old, new_dir, new } => {
                let (mut o, mut n) = (path_bytes(h, old, Use::Resolved), path_bytes(h, new, Use::Resolved));
                // SAFETY: both paths are the harness's (or null).
                let e = unsafe {
                    wasix_sys::path_link(fd(old_dir), lookup(l), o.ptr(), o.len, fd(new_dir), n.ptr(), n.len)
                };
                h.errno("path_link", e);
            }
            PathCall::Rename { old_dir, old, new_dir, new } => {
                let (mut o, mut n) = (path_bytes(h, old, Use::Resolved), path_bytes(h, new, Use::Resolved));
                // SAFETY: both paths are the harness's (or null).
                let e = unsafe { wasix_sys::path_rename(fd(old_dir), o.ptr(), o.len, fd(new_dir), n.ptr(), n.len) };
                h.errno("path_rename", e);
            }
            PathCall::Symlink { target, dir, path } => {
                let (mut t, mut p) = (path_bytes(h, target, Use::Target), path_bytes(h, path, Use::Resolved));
                // SAFETY: both paths are the harness's (or null).
                let e = unsafe { wasix_sys::path_symlink(t.ptr(), t.len, fd(dir), p.ptr(), p.len) };
                h.errno("path_symlink", e);
            }
            PathCall::Readlink { dir, path, buf, out } => {
                let mut p = path_bytes(h, path, Use::Resolved);
                let mut b = Bytes::new(*buf, 16);
                let mut n = Out::<Size>::new(*out);
                // SAFETY: the path, buffer and out-pointer are the harness's (or null), each with its length.
                let e = unsafe { wasix_sys::path_readlink(fd(dir), p.ptr(), p.len, b.ptr(), b.len, n.ptr()) };
                h.result("path_readlink", e, &n);
                if let (Errno::SUCCESS, Some(n)) = (e, n.get()) {
                    assert!(n as usize <= b.len, "path_readlink wrote {n} bytes into a buffer of {}", b.len);
                }
            }
            PathCall::Readdir { dir, buf, cookie, out } => {
                let mut b = Bytes::new(*buf, 64);
                let mut n = Out::<Size>::new(*out);
                // SAFETY: the buffer and out-pointer are the harness's (or null), the buffer with its length.
                let e = unsafe { wasix_sys::fd_readdir(fd(dir), b.ptr(), b.len, cookie.get(), n.ptr()) };
                h.result("fd_readdir", e, &n);
                if let (Errno::SUCCESS, Some(n)) = (e, n.get()) {
                    assert!(n as usize <= b.len, "fd_readdir filled {n} bytes of a buffer of {}", b.len);
                }
            }
            PathCall::Chdir { path } => {
                let mut p = path_bytes(h, path, Use::Resolved);
                // SAFETY: the path is the harness's (or null).
                let e = unsafe { wasix_sys::chdir(p.ptr(), p.len) };
                h.errno("chdir", e);
            }
            PathCall::Getcwd { buf, len } => {
                let mut b = Bytes::new(*buf, 2);
                let mut room = Out::<usize>::holding(*len, b.len);
                // SAFETY: the buffer is the harness's (or null) and valid for the length `room` holds.
                let e = unsafe { wasix_sys::getcwd(b.ptr(), room.ptr()) };
                h.errno("getcwd", e);
                match (e, room.get()) {
                    (Errno::SUCCESS, Some(n)) => {
                        assert!(n <= b.len, "getcwd wrote {n} bytes into a buffer of {}", b.len);
                        assert!(b.prefix(n).starts_with(b"/"), "getcwd gave a relative path");
                    }
                    // The needed length is written with `OVERFLOW`, as the seed documents.
                    (Errno::OVERFLOW, _) => {}
                    (_, Some(n)) => assert_eq!(n, b.len, "getcwd failed with {e:?} but changed the length"),
                    (_, None) => {}
                }
            }
            PathCall::Close { fd: f } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_close(fd(f)) };
                h.errno("fd_close", e);
            }
        }
    }
}
