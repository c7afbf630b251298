//! Helpers shared by the simulator's raw-level tests: a scoped instance over a fresh temporary directory,
//! and thin `Result`-returning calls of the raw functions the tests use most.

#![allow(dead_code)] // Each test binary uses a different part.

pub mod net;

use wasix_sys::sim::{Config, Sim};
use wasix_sys::*;

/// The fd of the sandbox preopen (after stdio).
pub const ROOT: Fd = 3;

/// A fresh temporary directory with a file `secret` (holding `outside`) next to directory `box`, which is
/// preopened as `/` at fd 3 of a new instance: what the guest must never reach is right next door.
pub fn sandbox() -> (tempfile::TempDir, Sim) {
    sandbox_with(Config::new())
}

/// [`sandbox`] from `config`.
pub fn sandbox_with(config: Config) -> (tempfile::TempDir, Sim) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("box")).unwrap();
    std::fs::write(dir.path().join("secret"), "outside").unwrap();
    let sim = config.preopen(dir.path().join("box"), "/").build().unwrap();
    (dir, sim)
}

pub fn ok(e: Errno) -> Result<(), Errno> {
    if e == Errno::SUCCESS {
        Ok(())
    } else {
        Err(e)
    }
}

/// `path_open` with every right asked for.
pub fn open(dir: Fd, path: &str, oflags: Oflags) -> Result<Fd, Errno> {
    open_with(dir, Lookupflags::SYMLINK_FOLLOW, path, oflags, Rights::all(), Fdflags::empty())
}

pub fn open_with(
    dir: Fd,
    lookup: Lookupflags,
    path: &str,
    oflags: Oflags,
    rights: Rights,
    fdflags: Fdflags,
) -> Result<Fd, Errno> {
    let mut fd = 0;
    // SAFETY: valid path and out-pointer.
    ok(unsafe { path_open(dir, lookup, path.as_ptr(), path.len(), oflags, rights, rights, fdflags, &mut fd) })?;
    Ok(fd)
}

pub fn write(fd: Fd, data: &[u8]) -> Result<usize, Errno> {
    let iov = Ciovec { buf: data.as_ptr(), buf_len: data.len() };
    let mut n = 0;
    // SAFETY: one valid ciovec and out-pointer.
    ok(unsafe { fd_write(fd, &iov, 1, &mut n) })?;
    Ok(n as usize)
}

pub fn read(fd: Fd, len: usize) -> Result<Vec<u8>, Errno> {
    let mut buf = vec![0; len];
    let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: len };
    let mut n = 0;
    // SAFETY: one valid iovec and out-pointer.
    ok(unsafe { fd_read(fd, &iov, 1, &mut n) })?;
    buf.truncate(n as usize);
    Ok(buf)
}

pub fn close(fd: Fd) -> Result<(), Errno> {
    // SAFETY: no pointers.
    ok(unsafe { fd_close(fd) })
}

pub fn fdstat(fd: Fd) -> Result<Fdstat, Errno> {
    let mut st = Fdstat::default();
    // SAFETY: valid out-pointer.
    ok(unsafe { fd_fdstat_get(fd, &mut st) })?;
    Ok(st)
}

pub fn stat(dir: Fd, path: &str, lookup: Lookupflags) -> Result<Filestat, Errno> {
    let mut st = Filestat::default();
    // SAFETY: valid path and out-pointer.
    ok(unsafe { path_filestat_get(dir, lookup, path.as_ptr(), path.len(), &mut st) })?;
    Ok(st)
}

pub fn mkdir(dir: Fd, path: &str) -> Result<(), Errno> {
    // SAFETY: valid path.
    ok(unsafe { path_create_directory(dir, path.as_ptr(), path.len()) })
}

pub fn symlink(target: &str, dir: Fd, path: &str) -> Result<(), Errno> {
    // SAFETY: valid paths.
    ok(unsafe { path_symlink(target.as_ptr(), target.len(), dir, path.as_ptr(), path.len()) })
}

pub fn pipe() -> (Fd, Fd) {
    let (mut a, mut b) = (0, 0);
    // SAFETY: valid out-pointers.
    ok(unsafe { fd_pipe(&mut a, &mut b) }).unwrap();
    (a, b)
}

pub fn event(initial: u64, flags: Eventfdflags) -> Fd {
    let mut fd = 0;
    // SAFETY: valid out-pointer.
    ok(unsafe { fd_event(initial, flags, &mut fd) }).unwrap();
    fd
}

/// `poll_oneoff` over `subs`, returning the events.
pub fn poll(subs: &[Subscription]) -> Result<Vec<Event>, Errno> {
    let mut out = vec![Event::default(); subs.len()];
    let mut n = 0;
    // SAFETY: `out` has room for one event per subscription.
    ok(unsafe { poll_oneoff(subs.as_ptr(), out.as_mut_ptr(), subs.len() as Size, &mut n) })?;
    out.truncate(n as usize);
    Ok(out)
}

pub fn sub_read(userdata: u64, fd: Fd) -> Subscription {
    Subscription { userdata, u: SubscriptionU::fd_read(SubscriptionFdReadwrite { file_descriptor: fd }) }
}

pub fn sub_write(userdata: u64, fd: Fd) -> Subscription {
    Subscription { userdata, u: SubscriptionU::fd_write(SubscriptionFdReadwrite { file_descriptor: fd }) }
}

pub fn sub_clock(userdata: u64, id: Clockid, timeout: Timestamp, flags: Subclockflags) -> Subscription {
    Subscription { userdata, u: SubscriptionU::clock(SubscriptionClock { id, timeout, precision: 0, flags }) }
}
