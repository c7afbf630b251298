//! Any fd's data and end: `fd_read`, `fd_write` and `fd_close` (the simulator half of `wasix::fd::ops`).
//!
//! This is the hot path: one read lock and one `Arc` clone to find the fd, the guest's iovec list checked
//! as guest data and then used in place as the host's ([`mem::ciovecs`]; a read's single buffer is copied
//! onto the stack, [`mem::iovecs`]), one host call, no allocation (a pipe's write also blocks SIGPIPE around
//! it, see [`sigpipe`]).
//!
//! `fd_read` and `fd_write` are inlined into their callers, down to the syscall: on the development machine
//! the first return executed after a syscall into a frame entered before it costs about 65 ns and each
//! further one about 10 ns (the kernel's exit path leaves the return predictions unusable; see the
//! `sim_vs_host` benchmark), while calls made after the syscall, atomics and plain instructions cost what
//! they cost anywhere. So the syscall is made in the caller's frame, as a direct `rustix` call would be; the
//! rarely taken branches call out (in-memory stdio, the cold errno mapping). The syscall leaves the
//! indirect-branch predictions cold too: a `match` on the fd's kind compiled to a jump table mispredicted
//! on every call (10-15 ns of the 30 a 1-byte write to `/dev/null` cost over the host's `write`), so files
//! are picked by a comparison first and the other kinds matched apart ([`other_kind`]).

use super::super::errno::from_host;
use super::super::fdtable::{Entry, Kind};
use super::super::net::io::send_host;
use super::super::{mem, sigpipe, state, status, tty};
use crate::seed::needs;
use crate::{Ciovec, Errno, Fd, Fdflags, Filetype, Iovec, Size};
use rustix::net::SendFlags;
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, BorrowedFd, IntoRawFd};

/// `writev`, or `write` for the common single buffer (a cheaper host call). Inlined, so the syscall is
/// made in the caller's frame and no return follows it (see the module docs).
#[inline(always)]
fn write_host(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>]) -> Result<usize, Errno> {
    match bufs {
        [one] => rustix::io::write(fd, one),
        _ => rustix::io::writev(fd, bufs),
    }
    .map_err(from_host)
}

/// `readv`, or `read` for the common single buffer (a cheaper host call), inlined as [`write_host`] is.
#[inline(always)]
fn read_host(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>]) -> Result<usize, Errno> {
    match bufs {
        [one] => rustix::io::read(fd, &mut **one),
        _ => rustix::io::readv(fd, bufs),
    }
    .map_err(from_host)
}

#[inline(always)]
pub(crate) unsafe fn fd_write(fd: Fd, iovs: *const Ciovec, iovs_len: usize, ret: *mut Size) -> Errno {
    // SAFETY: per the ABI contract, passed on.
    status(unsafe { write(fd, iovs, iovs_len, ret) })
}

/// `fd_write` with `?`. Only the fd lookup runs inside [`state::with`]: a small closure is inlined wherever
/// `fd_write` is, where a closure holding the whole call would be outlined once `fd_write` has several
/// callers, putting a return after the syscall again.
///
/// # Safety
/// As for `fd_write`.
#[inline(always)]
unsafe fn write(fd: Fd, iovs: *const Ciovec, iovs_len: usize, ret: *mut Size) -> Result<(), Errno> {
    let entry = state::with(|s| s.fds.get(fd))?;
    entry.require(needs::FD_WRITE)?;
    // SAFETY: the guest passes `iovs_len` ciovecs per the ABI contract.
    let bufs = unsafe { mem::ciovecs(iovs, iovs_len)? };
    let n = match entry.kind() {
        // Files and devices first, by a plain comparison: see [`other_kind`].
        Kind::File { fd, filetype } if *filetype != Filetype::UNKNOWN => write_host(fd.as_fd(), &bufs)?,
        kind => other_kind(kind, |kind| match kind {
            Kind::Stdio(stream) => stream.write(&bufs),
            // A pipe's reader (or a FIFO's, opened by path) may be gone, or a socket shut down: `PIPE`,
            // never the host's SIGPIPE.
            Kind::Pipe(fd) | Kind::File { fd, filetype: Filetype::UNKNOWN } => {
                sigpipe::suppressed(|| write_host(fd.as_fd(), &bufs))
            }
            // Sockets (HTTP request bodies go through a Unix socket pair) take `MSG_NOSIGNAL` instead.
            Kind::Socket(sock) => send_host(sock.fd.as_fd(), &bufs, SendFlags::NOSIGNAL),
            Kind::Http(h) => {
                h.before_write()?;
                send_host(h.host_fd().ok_or(Errno::NFILE)?, &bufs, SendFlags::NOSIGNAL)
            }
            Kind::WebSocket(w) => w.write(&bufs, entry.desc.flags().contains(Fdflags::NONBLOCK)),
            kind => write_host(kind.stream_fd()?, &bufs),
        })?,
    };
    // SAFETY: out-pointer per the ABI contract.
    unsafe { mem::write(ret, mem::clamp_size(n)) }
}

#[inline(always)]
pub(crate) unsafe fn fd_read(fd: Fd, iovs: *const Iovec, iovs_len: usize, ret: *mut Size) -> Errno {
    // SAFETY: per the ABI contract, passed on.
    status(unsafe { read(fd, iovs, iovs_len, ret) })
}

/// `fd_read` with `?`, shaped as [`write`] is; stdio goes back to the instance for its terminal settings.
///
/// # Safety
/// As for `fd_read`.
#[inline(always)]
unsafe fn read(fd: Fd, iovs: *const Iovec, iovs_len: usize, ret: *mut Size) -> Result<(), Errno> {
    let entry = state::with(|s| s.fds.get(fd))?;
    entry.require(needs::FD_READ)?;
    // SAFETY: the guest passes `iovs_len` iovecs over memory it lets us write, per the ABI contract.
    let mut bufs = unsafe { mem::iovecs(iovs, iovs_len)? };
    let n = match entry.kind() {
        // Files and devices first, by a plain comparison: see [`other_kind`].
        Kind::File { fd, .. } => read_host(fd.as_fd(), &mut bufs)?,
        kind => other_kind(kind, |kind| match kind {
            Kind::Stdio(stream) => state::with(|s| tty::read_stdio(s, stream, &mut bufs)),
            Kind::Http(h) => read_http(h, &mut bufs, entry.desc.flags()),
            Kind::Payload(payload) => payload.read(&mut bufs),
            Kind::WebSocket(w) => w.read(&mut bufs, entry.desc.flags().contains(Fdflags::NONBLOCK)),
            kind => read_host(kind.stream_fd()?, &mut bufs),
        })?,
    };
    // SAFETY: out-pointer per the ABI contract.
    unsafe { mem::write(ret, mem::clamp_size(n)) }
}

/// The kinds after the first of a call's `match`, kept apart so the compiler cannot fold the whole `match`
/// into one jump table: an indirect jump, which on the development machine mispredicts on every call, as
/// each syscall leaves the branch predictors cold (the same cause as the costly returns, see the module
/// docs), where the comparison that picks the common kind is predicted. Inlined; `f` matches the rest.
/// `black_box` hides the kind already compared from the optimiser; it only ever affects speed (if a
/// compiler saw through it, the code would be the same single `match` as before, as correct).
#[inline(always)]
fn other_kind<'k, R>(kind: &'k Kind, f: impl FnOnce(&'k Kind) -> R) -> R {
    f(std::hint::black_box(kind))
}

/// A read of an HTTP fd: reading `response` or `headers` sends the request, and a body that ended early
/// fails at its end (see `sim::http`).
#[cold]
fn read_http(h: &super::super::http::HttpFd, bufs: &mut [IoSliceMut<'_>], flags: Fdflags) -> Result<usize, Errno> {
    h.read(bufs, flags.contains(Fdflags::NONBLOCK))
}

/// Inlined too, and the host fd closed with rustix's inline syscall when this was its last reference:
/// dropping it would close it at the end of two `Arc` destructors and libc's `close`, four returns after
/// the syscall (see the module docs).
#[inline]
pub(crate) unsafe fn fd_close(fd: Fd) -> Errno {
    if state::exec_unwinding() {
        // The old program's destructors, run while `proc_exec` unwinds it: its fds stay open (see
        // `sim/process/exec.rs`).
        return Errno::SUCCESS;
    }
    match state::with(|s| s.fds.remove(fd)) {
        Ok(entry) => {
            if let Some(host) = Entry::into_last_fd(entry) {
                // SAFETY: the fd was owned by the description, whose last reference this was, and
                // `into_raw_fd` hands it over: nothing else can use or close it.
                unsafe { rustix::io::close(host.into_raw_fd()) };
            }
            Errno::SUCCESS
        }
        Err(e) => e,
    }
}
