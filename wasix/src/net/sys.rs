//! One safe wrapper per raw socket call (CONVENTIONS: socket-like subsystems), as socket2's `sys`: each
//! takes a [`BorrowedFd`], slices and std addresses, makes the one raw call through [`crate::host`] and
//! converts the result. The public types' methods are one line over these.

#![allow(unsafe_code)] // Raw calls, and taking ownership of the fds they open.

use super::addr;
use crate::conv;
use crate::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use crate::io::{Errno, Result};
use core::time::Duration;
use std::io::{IoSlice, IoSliceMut};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use wasix_sys::{
    Addr, AddrPort, AddressFamily, Fdflags, OptionTimestamp, Riflags, Roflags, Sdflags, Siflags, SockOption, SockProto,
    SockStatus, SockType,
};

/// `sock_open`: a new socket.
pub(crate) fn open(af: AddressFamily, ty: SockType, proto: SockProto) -> Result<OwnedFd> {
    // SAFETY: `ret` is valid for the fd written on success.
    let fd = unsafe { conv::out(|ret| crate::host::sock_open(af, ty, proto, ret)) }?;
    // SAFETY: the host just opened `fd` for this call, so nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `sock_bind`.
pub(crate) fn bind(fd: BorrowedFd<'_>, at: &SocketAddr) -> Result<()> {
    let raw = addr::to_raw(at);
    // SAFETY: `raw` is a valid `addr_port` for the call.
    conv::result(unsafe { crate::host::sock_bind(fd.as_raw_fd(), &raw) })
}

/// `sock_send_file`: up to `count` bytes of `file` from `offset` (the file's own offset does not move); the
/// count sent.
pub(crate) fn send_file(fd: BorrowedFd<'_>, file: BorrowedFd<'_>, offset: u64, count: u64) -> Result<u64> {
    // SAFETY: `ret` is valid for the count written on success.
    unsafe { conv::out(|ret| crate::host::sock_send_file(fd.as_raw_fd(), file.as_raw_fd(), offset, count, ret)) }
}

/// `sock_listen`.
pub(crate) fn listen(fd: BorrowedFd<'_>, backlog: u32) -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::sock_listen(fd.as_raw_fd(), backlog) })
}

/// `sock_accept`: the new connection's fd (with `flags`) and its peer's address.
pub(crate) fn accept(fd: BorrowedFd<'_>, flags: Fdflags) -> Result<(OwnedFd, SocketAddr)> {
    // SAFETY: both out-pointers are valid for what `sock_accept` writes on success.
    let (new, peer) = unsafe { conv::out2(|r0, r1| crate::host::sock_accept(fd.as_raw_fd(), flags, r0, r1)) }?;
    // SAFETY: the host just opened `new` for this call, so nothing else owns it.
    let new = unsafe { OwnedFd::from_raw_fd(new) };
    Ok((new, addr::from_raw(&peer)?))
}

/// `sock_connect`.
pub(crate) fn connect(fd: BorrowedFd<'_>, to: &SocketAddr) -> Result<()> {
    let raw = addr::to_raw(to);
    // SAFETY: `raw` is a valid `addr_port` for the call.
    conv::result(unsafe { crate::host::sock_connect(fd.as_raw_fd(), &raw) })
}

/// `sock_recv`: the bytes received and the output flags.
pub(crate) fn recv(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>], flags: Riflags) -> Result<(usize, Roflags)> {
    let (iovs, len) = (conv::iovecs(bufs), bufs.len());
    // SAFETY: `iovs` holds `len` iovecs over writable buffers; both out-pointers are valid.
    let (n, ro) = unsafe { conv::out2(|r0, r1| crate::host::sock_recv(fd.as_raw_fd(), iovs, len, flags, r0, r1)) }?;
    Ok((conv::usize_from(n), ro))
}

/// `sock_recv_from`: the bytes received, the output flags and the sender's address.
pub(crate) fn recv_from(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    flags: Riflags,
) -> Result<(usize, Roflags, SocketAddr)> {
    let (iovs, len) = (conv::iovecs(bufs), bufs.len());
    // SAFETY: `iovs` holds `len` iovecs over writable buffers; the three out-pointers are valid.
    let (n, ro, from) = unsafe {
        conv::out3(|r0, r1, r2: *mut AddrPort| {
            crate::host::sock_recv_from(fd.as_raw_fd(), iovs, len, flags, r0, r1, r2)
        })
    }?;
    Ok((conv::usize_from(n), ro, addr::from_raw(&from)?))
}

/// `sock_send`: the bytes sent.
pub(crate) fn send(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>], flags: Siflags) -> Result<usize> {
    // SAFETY: the ciovecs are valid for `bufs.len()` entries; `ret` is valid.
    let n = unsafe {
        conv::out(|ret| crate::host::sock_send(fd.as_raw_fd(), conv::ciovecs(bufs), bufs.len(), flags, ret))
    }?;
    Ok(conv::usize_from(n))
}

/// `sock_send_to`: the bytes sent to `to`.
pub(crate) fn send_to(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>], flags: Siflags, to: &SocketAddr) -> Result<usize> {
    let raw = addr::to_raw(to);
    // SAFETY: the ciovecs are valid for `bufs.len()` entries, `raw` is a valid `addr_port`, `ret` is valid.
    let n = unsafe {
        conv::out(|ret| crate::host::sock_send_to(fd.as_raw_fd(), conv::ciovecs(bufs), bufs.len(), flags, &raw, ret))
    }?;
    Ok(conv::usize_from(n))
}

/// `sock_shutdown`.
pub(crate) fn shutdown(fd: BorrowedFd<'_>, how: Sdflags) -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::sock_shutdown(fd.as_raw_fd(), how) })
}

/// `sock_status`.
pub(crate) fn status(fd: BorrowedFd<'_>) -> Result<SockStatus> {
    // SAFETY: `ret` is valid for the status written on success.
    unsafe { conv::out(|ret| crate::host::sock_status(fd.as_raw_fd(), ret)) }
}

/// `sock_addr_local`.
pub(crate) fn addr_local(fd: BorrowedFd<'_>) -> Result<SocketAddr> {
    // SAFETY: `ret` is valid for the `addr_port` written on success.
    let raw = unsafe { conv::out(|ret| crate::host::sock_addr_local(fd.as_raw_fd(), ret)) }?;
    addr::from_raw(&raw)
}

/// `sock_addr_peer`.
pub(crate) fn addr_peer(fd: BorrowedFd<'_>) -> Result<SocketAddr> {
    // SAFETY: `ret` is valid for the `addr_port` written on success.
    let raw = unsafe { conv::out(|ret| crate::host::sock_addr_peer(fd.as_raw_fd(), ret)) }?;
    addr::from_raw(&raw)
}

/// `sock_set_opt_flag`.
pub(crate) fn set_flag(fd: BorrowedFd<'_>, opt: SockOption, on: bool) -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::sock_set_opt_flag(fd.as_raw_fd(), opt, conv::raw_bool(on)) })
}

/// `sock_get_opt_flag`.
pub(crate) fn get_flag(fd: BorrowedFd<'_>, opt: SockOption) -> Result<bool> {
    // SAFETY: `ret` is valid for the `bool` written on success.
    unsafe { conv::out(|ret| crate::host::sock_get_opt_flag(fd.as_raw_fd(), opt, ret)) }.map(conv::bool_from)
}

/// `sock_set_opt_time`: `None` turns the time off; `OVERFLOW` beyond `u64::MAX` nanoseconds.
pub(crate) fn set_time(fd: BorrowedFd<'_>, opt: SockOption, time: Option<Duration>) -> Result<()> {
    let raw = match time {
        Some(d) => OptionTimestamp::some(conv::timestamp(d)?),
        None => OptionTimestamp::none(0),
    };
    // SAFETY: `raw` is a valid `option_timestamp` for the call.
    conv::result(unsafe { crate::host::sock_set_opt_time(fd.as_raw_fd(), opt, &raw) })
}

/// `sock_get_opt_time`: `None` when the time is off.
pub(crate) fn get_time(fd: BorrowedFd<'_>, opt: SockOption) -> Result<Option<Duration>> {
    // SAFETY: `ret` is valid for the `option_timestamp` written on success.
    let raw = unsafe { conv::out(|ret| crate::host::sock_get_opt_time(fd.as_raw_fd(), opt, ret)) }?;
    match raw.tag {
        OptionTimestamp::TAG_NONE => Ok(None),
        OptionTimestamp::TAG_SOME => Ok(raw.as_some().map(conv::duration)),
        _ => Err(Errno::INVAL),
    }
}

/// `sock_set_opt_size`.
pub(crate) fn set_size(fd: BorrowedFd<'_>, opt: SockOption, size: u64) -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::sock_set_opt_size(fd.as_raw_fd(), opt, size) })
}

/// `sock_get_opt_size`.
pub(crate) fn get_size(fd: BorrowedFd<'_>, opt: SockOption) -> Result<u64> {
    // SAFETY: `ret` is valid for the `filesize` written on success.
    unsafe { conv::out(|ret| crate::host::sock_get_opt_size(fd.as_raw_fd(), opt, ret)) }
}

/// `sock_join_multicast_v4` (`join`) or `sock_leave_multicast_v4`.
pub(crate) fn multicast_v4(fd: BorrowedFd<'_>, join: bool, group: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()> {
    let (group, interface) = (addr::ip4_to_raw(group), addr::ip4_to_raw(interface));
    let call = if join { crate::host::sock_join_multicast_v4 } else { crate::host::sock_leave_multicast_v4 };
    // SAFETY: both records are valid for the call.
    conv::result(unsafe { call(fd.as_raw_fd(), &group, &interface) })
}

/// `sock_join_multicast_v6` (`join`) or `sock_leave_multicast_v6`.
pub(crate) fn multicast_v6(fd: BorrowedFd<'_>, join: bool, group: &Ipv6Addr, interface: u32) -> Result<()> {
    let group = addr::ip6_to_raw(group);
    let call = if join { crate::host::sock_join_multicast_v6 } else { crate::host::sock_leave_multicast_v6 };
    // SAFETY: the record is valid for the call.
    conv::result(unsafe { call(fd.as_raw_fd(), &group, interface) })
}

/// `resolve`: the addresses of `host`, asking again with more room while the host fills every entry.
pub(crate) fn resolve(host: &str, port: u16) -> Result<Vec<IpAddr>> {
    let mut room: usize = 16;
    loop {
        let mut raw: Vec<Addr> = Vec::with_capacity(room);
        let cap = wasix_sys::Size::try_from(room).map_err(|_| Errno::OVERFLOW)?;
        // SAFETY: `raw` has room for `cap` records, `ret` is valid; only the count written is read.
        let n = unsafe {
            conv::out(|ret| crate::host::resolve(host.as_ptr(), host.len(), port, raw.as_mut_ptr(), cap, ret))
        }?;
        let n = conv::usize_from(n).min(room);
        if n == room && room < 1024 {
            room *= 4;
            continue;
        }
        // SAFETY: the host wrote the first `n` records.
        unsafe { raw.set_len(n) };
        return raw.iter().map(addr::ip_from_raw).collect();
    }
}
