//! Moving data over a socket (the simulator half of `wasix::net::io`): `sock_recv`, `sock_recv_from`,
//! `sock_send`, `sock_send_to` and `sock_send_file`. The guest's iovec lists are checked as `fd_read`'s and
//! `fd_write`'s are ([`mem::iovecs`], [`mem::ciovecs`]); every out-pointer is checked before the host call,
//! so a call that fails on one consumes no data. Sends never raise SIGPIPE (`MSG_NOSIGNAL`, or
//! [`sigpipe::suppressed`] for `sendfile`): a send after a shutdown is `PIPE`.

use super::super::errno::from_host;
use super::super::{mem, sigpipe, state, status};
use super::socket::Socket;
use super::{addr, bind_loopback_if_unbound, reach, socket_fd, socket_of};
use crate::seed::needs;
use crate::SockType;
use crate::{AddrPort, Ciovec, Errno, Fd, Fdflags, Filesize, Iovec, Riflags, Roflags, Siflags, Size};
use rustix::net::SocketAddrAny;
use rustix::net::{RecvAncillaryBuffer, RecvFlags, ReturnFlags, SendAncillaryBuffer, SendFlags};
use std::io::{IoSlice, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd};

/// The host's receive flags for `riflags` (`INVAL` for bits the seed does not name).
fn recv_flags(ri: Riflags) -> Result<RecvFlags, Errno> {
    if !Riflags::all().contains(ri) {
        return Err(Errno::INVAL);
    }
    let mut f = RecvFlags::empty();
    f.set(RecvFlags::PEEK, ri.contains(Riflags::RECV_PEEK));
    f.set(RecvFlags::WAITALL, ri.contains(Riflags::RECV_WAITALL));
    Ok(f)
}

/// The `roflags` of a host receive.
fn ro_flags(f: ReturnFlags) -> Roflags {
    if f.contains(ReturnFlags::TRUNC) {
        Roflags::RECV_DATA_TRUNCATED
    } else {
        Roflags::empty()
    }
}

/// A receive into `bufs`: `recv`/`recvfrom` for the common single buffer (cheaper host calls than
/// `recvmsg`: no message header to copy in and out; a datagram socket asks `MSG_TRUNC` for the datagram's
/// real length, which says whether it was cut), `recvmsg` for several. The sender when `from`.
fn receive(
    sock: &Socket,
    bufs: &mut [IoSliceMut<'_>],
    flags: RecvFlags,
    from: bool,
) -> Result<(usize, Roflags, Option<SocketAddrAny>), Errno> {
    if let [one] = bufs {
        let datagram = sock.socktype == SockType::SOCKET_DGRAM;
        let flags = if datagram { flags | RecvFlags::TRUNC } else { flags };
        let (n, whole, addr) = if from {
            rustix::net::recvfrom(&sock.fd, &mut **one, flags).map_err(from_host)?
        } else {
            let (n, whole) = rustix::net::recv(&sock.fd, &mut **one, flags).map_err(from_host)?;
            (n, whole, None)
        };
        let cut = if datagram && whole > n { Roflags::RECV_DATA_TRUNCATED } else { Roflags::empty() };
        return Ok((n, cut, addr));
    }
    let msg = rustix::net::recvmsg(&sock.fd, bufs, &mut RecvAncillaryBuffer::default(), flags).map_err(from_host)?;
    Ok((msg.bytes, ro_flags(msg.flags), msg.address))
}

/// A send of `bufs` (to `to`, or the peer): `send`/`sendto` for the common single buffer, `sendmsg` for
/// several (as [`receive`]).
fn transmit(sock: &Socket, bufs: &[IoSlice<'_>], flags: SendFlags, to: Option<&SocketAddr>) -> Result<usize, Errno> {
    match (bufs, to) {
        ([one], Some(to)) => rustix::net::sendto(&sock.fd, one, flags, to).map_err(from_host),
        (_, Some(to)) => {
            rustix::net::sendmsg_addr(&sock.fd, to, bufs, &mut SendAncillaryBuffer::default(), flags).map_err(from_host)
        }
        (_, None) => send_host(sock.fd.as_fd(), bufs, flags),
    }
}

/// `fd_write` (and `sock_send`) on any host socket: `send` or `sendmsg` with `flags` (`fd_write` passes
/// `MSG_NOSIGNAL`: a broken connection is `PIPE` without the signal mask changes a pipe's write needs).
#[inline]
pub(crate) fn send_host(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>], flags: SendFlags) -> Result<usize, Errno> {
    match bufs {
        [one] => rustix::net::send(fd, one, flags),
        _ => rustix::net::sendmsg(fd, bufs, &mut SendAncillaryBuffer::default(), flags),
    }
    .map_err(from_host)
}

/// `INVAL` for any `siflags` bit: the seed names none.
fn send_flags(si: Siflags) -> Result<SendFlags, Errno> {
    if si != 0 {
        return Err(Errno::INVAL);
    }
    Ok(SendFlags::NOSIGNAL)
}

pub(crate) unsafe fn sock_recv(
    fd: Fd,
    ri_data: *const Iovec,
    ri_data_len: usize,
    ri_flags: Riflags,
    ret0: *mut Size,
    ret1: *mut Roflags,
) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_RECV)?;
        let flags = recv_flags(ri_flags)?;
        // SAFETY: the guest passes `ri_data_len` iovecs over memory it lets us write, per the ABI contract.
        let mut bufs = unsafe { mem::iovecs(ri_data, ri_data_len)? };
        if ret0.is_null() || ret1.is_null() {
            return Err(Errno::FAULT);
        }
        let (n, ro, _) = receive(socket_of(&entry), &mut bufs, flags, false)?;
        // SAFETY: out-pointers per the ABI contract.
        unsafe { mem::write2(ret0, mem::clamp_size(n), ret1, ro) }
    }))
}

pub(crate) unsafe fn sock_recv_from(
    fd: Fd,
    ri_data: *const Iovec,
    ri_data_len: usize,
    ri_flags: Riflags,
    ret0: *mut Size,
    ret1: *mut Roflags,
    ret2: *mut AddrPort,
) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_RECV_FROM)?;
        let sock = socket_of(&entry);
        let flags = recv_flags(ri_flags)?;
        // SAFETY: as for `sock_recv`.
        let mut bufs = unsafe { mem::iovecs(ri_data, ri_data_len)? };
        if ret0.is_null() || ret1.is_null() || ret2.is_null() {
            return Err(Errno::FAULT);
        }
        let (n, ro, address) = receive(sock, &mut bufs, flags, true)?;
        // A stream socket's host receive names no sender: its peer is.
        let from = match address {
            Some(a) => addr::from_host(a)?,
            None => addr::from_host(rustix::net::getpeername(&sock.fd).map_err(from_host)?.ok_or(Errno::NOTCONN)?)?,
        };
        let from = super::shown(sock, from);
        // SAFETY: out-pointers per the ABI contract, checked non-null above.
        unsafe {
            mem::write(ret2, addr::to_addr_port(from))?;
            mem::write2(ret0, mem::clamp_size(n), ret1, ro)
        }
    }))
}

pub(crate) unsafe fn sock_send(
    fd: Fd,
    si_data: *const Ciovec,
    si_data_len: usize,
    si_flags: Siflags,
    ret: *mut Size,
) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_SEND)?;
        let flags = send_flags(si_flags)?;
        // SAFETY: the guest passes `si_data_len` ciovecs per the ABI contract.
        let bufs = unsafe { mem::ciovecs(si_data, si_data_len)? };
        if ret.is_null() {
            return Err(Errno::FAULT);
        }
        let n = transmit(socket_of(&entry), &bufs, flags, None)?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, mem::clamp_size(n)) }
    }))
}

pub(crate) unsafe fn sock_send_to(
    fd: Fd,
    si_data: *const Ciovec,
    si_data_len: usize,
    si_flags: Siflags,
    addr: *const AddrPort,
    ret: *mut Size,
) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_SEND_TO)?;
        let sock = socket_of(&entry);
        let flags = send_flags(si_flags)?;
        // SAFETY: in-pointer per the ABI contract.
        let to = addr::from_addr_port(&unsafe { mem::read(addr)? })?;
        let route = super::route(s, sock, to)?;
        if let super::Route::Direct = route {
            reach(s, to)?;
        }
        // SAFETY: as for `sock_send`.
        let bufs = unsafe { mem::ciovecs(si_data, si_data_len)? };
        if ret.is_null() {
            return Err(Errno::FAULT);
        }
        let to = match route {
            super::Route::Direct => to,
            super::Route::Lan(real) => real,
            super::Route::Nowhere => {
                // Nothing is bound there on the LAN: the datagram is dropped, as a network drops it.
                let sent: usize = bufs.iter().map(|b| b.len()).sum();
                // SAFETY: out-pointer per the ABI contract.
                return unsafe { mem::write(ret, mem::clamp_size(sent)) };
            }
        };
        bind_loopback_if_unbound(s, sock)?;
        let n = transmit(sock, &bufs, flags, Some(&to))?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, mem::clamp_size(n)) }
    }))
}

pub(crate) unsafe fn sock_send_file(
    out_fd: Fd,
    in_fd: Fd,
    offset: Filesize,
    count: Filesize,
    ret: *mut Filesize,
) -> Errno {
    status(state::with(|s| {
        let out = socket_fd(s, out_fd, needs::SOCK_SEND_FILE_OUT)?;
        let file = s.fds.get(in_fd)?;
        file.require(needs::SOCK_SEND_FILE_IN)?;
        let host_in = file.kind().seekable_fd()?;
        if ret.is_null() {
            return Err(Errno::FAULT);
        }
        let mut at = i64::try_from(offset).map_err(|_| Errno::INVAL)? as u64;
        let blocking = !out.desc.flags().contains(Fdflags::NONBLOCK);
        let mut sent: u64 = 0;
        while sent < count {
            // The host sends at most a little under 2 GiB at once.
            let chunk = usize::try_from(count - sent).unwrap_or(usize::MAX).min(0x7fff_f000);
            let host_out = socket_of(&out).fd.as_fd();
            match sigpipe::suppressed(|| {
                rustix::fs::sendfile(host_out, host_in, Some(&mut at), chunk).map_err(from_host)
            }) {
                Ok(0) => break,
                Ok(n) => sent += n as u64,
                Err(e) if sent == 0 => return Err(e),
                Err(_) => break,
            }
            if !blocking {
                break;
            }
        }
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, sent) }
    }))
}
