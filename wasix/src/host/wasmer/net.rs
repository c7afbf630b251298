//! The profile for `wasix::net`: Wasmer's socket type numbers, the byte orders of the addresses it writes
//! (ports, IPv6 groups) and reads (IPv6 groups), its 30-second limit on blocking calls, its receive
//! timeouts, a blocking connection refused that it reports as made, the families it does not refuse, and
//! its `ACCES` for a missing right (the seed's `NOTCAPABLE`, by [`wasix_sys::seed::needs::SOCKET_TABLE`]).

#![allow(unsafe_code)] // Every item wraps a raw call.

use super::with_right;
use wasix_sys::seed::needs;
use wasix_sys::{
    Addr, AddrPort, AddressFamily, Ciovec, Errno, Fd, Fdflags, Filesize, Filetype, Iovec, OptionTimestamp, Riflags,
    Roflags, Sdflags, Siflags, Size, SockOption, SockProto, SockStatus, SockType,
};

rights_checked! {
    sock_listen(fd: Fd, backlog: Size) needs SOCK_LISTEN;
    sock_shutdown(fd: Fd, how: Sdflags) needs SOCK_SHUTDOWN;
}

/// The need each function below checks its fd by (besides those of `rights_checked!`), for the tests that
/// hold it to the seed's table.
#[cfg(all(test, not(target_family = "wasm")))]
pub(super) const WRAPPED: &[(&str, needs::Need)] = &[
    ("sock_bind", needs::SOCK_BIND),
    ("sock_connect", needs::SOCK_CONNECT),
    ("sock_addr_local", needs::SOCK_ADDR_LOCAL),
    ("sock_addr_peer", needs::SOCK_ADDR_PEER),
    ("sock_accept", needs::SOCK_ACCEPT),
    ("sock_recv", needs::SOCK_RECV),
    ("sock_recv_from", needs::SOCK_RECV_FROM),
    ("sock_send", needs::SOCK_SEND),
    ("sock_send_to", needs::SOCK_SEND_TO),
];

/// Wasmer's `socktype` numbers: 0 is `unknown`, then stream, dgram, raw, seqpacket.
mod wasmer_socktype {
    pub(super) const STREAM: u8 = 1;
    pub(super) const DGRAM: u8 = 2;
    pub(super) const RAW: u8 = 3;
    pub(super) const SEQPACKET: u8 = 4;
}

/// Wasmer's number for a seed `sock_type` (`None` for one the seed does not define).
fn to_wasmer_type(ty: SockType) -> Option<SockType> {
    let raw = match ty {
        SockType::SOCKET_DGRAM => wasmer_socktype::DGRAM,
        SockType::SOCKET_STREAM => wasmer_socktype::STREAM,
        SockType::SOCKET_RAW => wasmer_socktype::RAW,
        SockType::SOCKET_SEQPACKET => wasmer_socktype::SEQPACKET,
        _ => return None,
    };
    Some(SockType::from_raw(raw))
}

/// An IPv6 address record with every group's bytes swapped: the seed's groups are plain `u16`s, Wasmer's
/// are the address's 16 bytes in network order (the same swap converts both ways).
fn swap_ip6(a: &mut wasix_sys::AddrIp6) {
    for g in [&mut a.n0, &mut a.n1, &mut a.n2, &mut a.n3, &mut a.h0, &mut a.h1, &mut a.h2, &mut a.h3] {
        *g = u16::from_be(*g);
    }
}

/// The `addr_port` Wasmer reads for the seed's `a`: IPv6 groups in network order (ports it reads as the
/// seed does).
fn addr_port_in(a: AddrPort) -> AddrPort {
    match a.as_inet6() {
        Some(mut v6) => {
            swap_ip6(&mut v6.addr);
            AddrPort::inet6(v6)
        }
        None => a,
    }
}

/// The seed's `addr_port` for one Wasmer wrote: ports and IPv6 groups from network order.
fn addr_port_out(a: AddrPort) -> AddrPort {
    if let Some(mut v4) = a.as_inet4() {
        v4.port = u16::from_be(v4.port);
        AddrPort::inet4(v4)
    } else if let Some(mut v6) = a.as_inet6() {
        v6.port = u16::from_be(v6.port);
        swap_ip6(&mut v6.addr);
        AddrPort::inet6(v6)
    } else {
        a
    }
}

/// Calls `call` with `addr` as Wasmer reads it (a null pointer is passed on for Wasmer to report).
///
/// # Safety
/// A non-null `addr` must be valid for reading an `addr_port`.
unsafe fn with_addr_in(addr: *const AddrPort, call: impl FnOnce(*const AddrPort) -> Errno) -> Errno {
    if addr.is_null() {
        return call(addr);
    }
    // SAFETY: per the caller; no alignment is needed.
    let converted = addr_port_in(unsafe { addr.read_unaligned() });
    call(&converted)
}

/// Rewrites the `addr_port` Wasmer wrote at `ret` (after a successful call) in the seed's byte order.
///
/// # Safety
/// `ret` must be valid for reading and writing an `addr_port` that the call wrote.
unsafe fn fix_addr_out(e: Errno, ret: *mut AddrPort) -> Errno {
    if e == Errno::SUCCESS && !ret.is_null() {
        // SAFETY: per the caller.
        unsafe { ret.write_unaligned(addr_port_out(ret.read_unaligned())) };
    }
    e
}

/// Whether `fd`'s rights do not meet `need` (for the calls Wasmer serves without checking their right; an
/// fd that is not open is left for the call to report).
fn lacks(fd: Fd, need: needs::Need) -> bool {
    super::fdstat(fd).is_some_and(|st| !need.met_by(st.fs_rights_base))
}

/// Whether the socket has a user-set time `opt` (a receive, send or accept timeout); `false` where
/// Wasmer cannot say (UDP sockets take no timeouts on Wasmer).
fn has_timeout(fd: Fd, opt: SockOption) -> bool {
    let mut t = OptionTimestamp::none(0);
    // SAFETY: `t` is valid for the record.
    unsafe { wasix_sys::sock_get_opt_time(fd, opt, &mut t) == Errno::SUCCESS && t.tag == OptionTimestamp::TAG_SOME }
}

/// Makes a blocking call again while Wasmer gives it up with `TIMEDOUT` after its own 30 seconds, though
/// the caller set no timeout `opt`; a `TIMEDOUT` for the caller's own timeout becomes `timed_out` (the
/// seed's `AGAIN` for receives and sends, as POSIX's `SO_RCVTIMEO`; `TIMEDOUT` for accepts).
fn without_host_limit(fd: Fd, opt: SockOption, timed_out: Errno, mut call: impl FnMut() -> Errno) -> Errno {
    loop {
        match call() {
            Errno::TIMEDOUT if !has_timeout(fd, opt) => continue,
            Errno::TIMEDOUT => return timed_out,
            other => return other,
        }
    }
}

/// `sock_open` with the seed's socket types in Wasmer's numbers, and the families the seed cannot open
/// refused (Wasmer opens a socket for any family number).
///
/// # Safety
/// As for [`wasix_sys::sock_open`].
pub(crate) unsafe fn sock_open(af: AddressFamily, ty: SockType, proto: SockProto, ret: *mut Fd) -> Errno {
    match af {
        AddressFamily::INET4 | AddressFamily::INET6 => {}
        AddressFamily::UNSPEC | AddressFamily::UNIX => return Errno::AFNOSUPPORT,
        _ => return Errno::INVAL,
    }
    let Some(ty) = to_wasmer_type(ty) else { return Errno::INVAL };
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::sock_open(af, ty, proto, ret) }
}

/// The seed's type of socket `fd`, from its file type: Wasmer reports `unknown` for listeners and bound
/// UDP sockets, told apart by `broadcast`, which only a UDP socket answers.
fn socket_type(fd: Fd) -> Result<SockType, Errno> {
    match super::fdstat(fd).map(|st| st.fs_filetype) {
        Some(Filetype::SOCKET_STREAM) => Ok(SockType::SOCKET_STREAM),
        Some(Filetype::SOCKET_DGRAM) => Ok(SockType::SOCKET_DGRAM),
        Some(Filetype::UNKNOWN) => {
            let mut on = wasix_sys::Bool::FALSE;
            // SAFETY: `on` is valid for the `bool`.
            let udp = unsafe { wasix_sys::sock_get_opt_flag(fd, SockOption::BROADCAST, &mut on) } == Errno::SUCCESS;
            Ok(if udp { SockType::SOCKET_DGRAM } else { SockType::SOCKET_STREAM })
        }
        Some(_) => Err(Errno::NOTSOCK),
        None => Err(Errno::BADF),
    }
}

/// `sock_get_opt_size`, answering `type` (which Wasmer refuses) from the fd's file type.
///
/// # Safety
/// As for [`wasix_sys::sock_get_opt_size`].
pub(crate) unsafe fn sock_get_opt_size(fd: Fd, opt: SockOption, ret: *mut Filesize) -> Errno {
    if opt == SockOption::TYPE {
        let ty = match socket_type(fd) {
            Ok(ty) => ty,
            Err(e) => return e,
        };
        if ret.is_null() {
            return Errno::FAULT;
        }
        // SAFETY: forwarded contract: `ret` is valid for a `filesize`.
        unsafe { ret.write_unaligned(Filesize::from(ty.raw())) };
        return Errno::SUCCESS;
    }
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::sock_get_opt_size(fd, opt, ret) }
}

/// `sock_bind` with IPv6 addresses in Wasmer's order.
///
/// # Safety
/// As for [`wasix_sys::sock_bind`].
pub(crate) unsafe fn sock_bind(fd: Fd, addr: *const AddrPort) -> Errno {
    // SAFETY: forwarded contract.
    with_right(fd, needs::SOCK_BIND, unsafe { with_addr_in(addr, |a| wasix_sys::sock_bind(fd, a)) })
}

/// `sock_connect` with IPv6 addresses in Wasmer's order; a blocking connection that failed (Wasmer
/// returns success and leaves the socket `failed`) returns the socket's error, as the seed's
/// `sock_connect` does.
///
/// # Safety
/// As for [`wasix_sys::sock_connect`].
pub(crate) unsafe fn sock_connect(fd: Fd, addr: *const AddrPort) -> Errno {
    // SAFETY: forwarded contract.
    let e = with_right(fd, needs::SOCK_CONNECT, unsafe { with_addr_in(addr, |a| wasix_sys::sock_connect(fd, a)) });
    if e != Errno::SUCCESS {
        return e;
    }
    let mut status = SockStatus::OPENED;
    // SAFETY: `status` is valid for the record.
    if unsafe { wasix_sys::sock_status(fd, &mut status) } != Errno::SUCCESS || status != SockStatus::FAILED {
        return e;
    }
    let mut last = 0;
    // SAFETY: `last` is valid for the `filesize`.
    let got = unsafe { wasix_sys::sock_get_opt_size(fd, SockOption::LAST_ERROR, &mut last) };
    match u16::try_from(last) {
        Ok(raw) if got == Errno::SUCCESS && raw != 0 => Errno::from_raw(raw),
        _ => Errno::CONNREFUSED,
    }
}

/// `sock_addr_local` in the seed's byte order; its right checked first (`fd_fdstat_get`), as Wasmer checks
/// none.
///
/// # Safety
/// As for [`wasix_sys::sock_addr_local`].
pub(crate) unsafe fn sock_addr_local(fd: Fd, ret: *mut AddrPort) -> Errno {
    if lacks(fd, needs::SOCK_ADDR_LOCAL) {
        return Errno::NOTCAPABLE;
    }
    // SAFETY: forwarded contract; `ret` was written on success.
    unsafe { fix_addr_out(wasix_sys::sock_addr_local(fd, ret), ret) }
}

/// `sock_addr_peer` in the seed's byte order, its right checked first as for [`sock_addr_local`]; `NOTCONN` for a socket that is not connected (Wasmer
/// reports the unspecified address with port 0, which no peer has).
///
/// # Safety
/// As for [`wasix_sys::sock_addr_peer`].
pub(crate) unsafe fn sock_addr_peer(fd: Fd, ret: *mut AddrPort) -> Errno {
    if lacks(fd, needs::SOCK_ADDR_PEER) {
        return Errno::NOTCAPABLE;
    }
    // SAFETY: forwarded contract; `ret` was written on success.
    let e = unsafe { fix_addr_out(wasix_sys::sock_addr_peer(fd, ret), ret) };
    if e == Errno::SUCCESS && !ret.is_null() {
        // SAFETY: written by the call.
        let peer = unsafe { ret.read_unaligned() };
        let unspecified = match (peer.as_inet4(), peer.as_inet6()) {
            (Some(v4), _) => v4.port == 0 && v4.addr == Default::default(),
            (_, Some(v6)) => v6.port == 0 && v6.addr == Default::default(),
            _ => false,
        };
        if unspecified {
            return Errno::NOTCONN;
        }
    }
    e
}

/// `sock_accept` without Wasmer's 30-second limit, the peer in the seed's byte order; the new fd has only
/// the `flags` asked for (Wasmer also gives it `NONBLOCK` when the listener has it).
///
/// # Safety
/// As for [`wasix_sys::sock_accept`].
pub(crate) unsafe fn sock_accept(fd: Fd, flags: Fdflags, ret0: *mut Fd, ret1: *mut AddrPort) -> Errno {
    let e = without_host_limit(fd, SockOption::ACCEPT_TIMEOUT, Errno::TIMEDOUT, || {
        // SAFETY: forwarded contract.
        unsafe { wasix_sys::sock_accept(fd, flags, ret0, ret1) }
    });
    let e = with_right(fd, needs::SOCK_ACCEPT, e);
    if e == Errno::SUCCESS && !flags.contains(Fdflags::NONBLOCK) && !ret0.is_null() {
        // SAFETY: written by the call.
        let new = unsafe { ret0.read_unaligned() };
        if let Some(st) = super::fdstat(new).filter(|st| st.fs_flags.contains(Fdflags::NONBLOCK)) {
            // SAFETY: no pointers.
            let _ = unsafe { wasix_sys::fd_fdstat_set_flags(new, st.fs_flags - Fdflags::NONBLOCK) };
        }
    }
    // SAFETY: forwarded contract; `ret1` was written on success.
    unsafe { fix_addr_out(e, ret1) }
}

/// `sock_recv` without Wasmer's 30-second limit; the caller's receive timeout is `AGAIN`.
///
/// # Safety
/// As for [`wasix_sys::sock_recv`].
pub(crate) unsafe fn sock_recv(
    fd: Fd,
    ri_data: *const Iovec,
    ri_data_len: usize,
    ri_flags: Riflags,
    ret0: *mut Size,
    ret1: *mut Roflags,
) -> Errno {
    let e = without_host_limit(fd, SockOption::RECV_TIMEOUT, Errno::AGAIN, || {
        // SAFETY: forwarded contract.
        unsafe { wasix_sys::sock_recv(fd, ri_data, ri_data_len, ri_flags, ret0, ret1) }
    });
    with_right(fd, needs::SOCK_RECV, e)
}

/// `sock_recv_from` as [`sock_recv`], the sender in the seed's byte order.
///
/// # Safety
/// As for [`wasix_sys::sock_recv_from`].
pub(crate) unsafe fn sock_recv_from(
    fd: Fd,
    ri_data: *const Iovec,
    ri_data_len: usize,
    ri_flags: Riflags,
    ret0: *mut Size,
    ret1: *mut Roflags,
    ret2: *mut AddrPort,
) -> Errno {
    let e = without_host_limit(fd, SockOption::RECV_TIMEOUT, Errno::AGAIN, || {
        // SAFETY: forwarded contract.
        unsafe { wasix_sys::sock_recv_from(fd, ri_data, ri_data_len, ri_flags, ret0, ret1, ret2) }
    });
    let e = with_right(fd, needs::SOCK_RECV_FROM, e);
    // SAFETY: forwarded contract; `ret2` was written on success.
    unsafe { fix_addr_out(e, ret2) }
}

/// `sock_send` without Wasmer's 30-second limit; the caller's send timeout is `AGAIN`.
///
/// # Safety
/// As for [`wasix_sys::sock_send`].
pub(crate) unsafe fn sock_send(
    fd: Fd,
    si_data: *const Ciovec,
    si_data_len: usize,
    si_flags: Siflags,
    ret: *mut Size,
) -> Errno {
    let e = without_host_limit(fd, SockOption::SEND_TIMEOUT, Errno::AGAIN, || {
        // SAFETY: forwarded contract.
        unsafe { wasix_sys::sock_send(fd, si_data, si_data_len, si_flags, ret) }
    });
    with_right(fd, needs::SOCK_SEND, e)
}

/// `sock_send_to` as [`sock_send`], with IPv6 addresses in Wasmer's order.
///
/// # Safety
/// As for [`wasix_sys::sock_send_to`].
pub(crate) unsafe fn sock_send_to(
    fd: Fd,
    si_data: *const Ciovec,
    si_data_len: usize,
    si_flags: Siflags,
    addr: *const AddrPort,
    ret: *mut Size,
) -> Errno {
    // SAFETY: forwarded contract.
    let e = unsafe {
        with_addr_in(addr, |a| {
            without_host_limit(fd, SockOption::SEND_TIMEOUT, Errno::AGAIN, || {
                wasix_sys::sock_send_to(fd, si_data, si_data_len, si_flags, a, ret)
            })
        })
    };
    with_right(fd, needs::SOCK_SEND_TO, e)
}

/// `sock_send_file` leaving the file's own offset where it was: Wasmer moves it past what it sent, the
/// simulator (as Linux `sendfile` with an offset) does not. The offset is read before and restored after,
/// on success and failure alike.
///
/// # Safety
/// As for [`wasix_sys::sock_send_file`].
pub(crate) unsafe fn sock_send_file(
    out_fd: Fd,
    in_fd: Fd,
    offset: Filesize,
    count: Filesize,
    ret: *mut Filesize,
) -> Errno {
    let mut at = 0;
    // SAFETY: `at` is valid for the offset written on success.
    let told = unsafe { wasix_sys::fd_tell(in_fd, &mut at) };
    // SAFETY: forwarded contract.
    let e = unsafe { wasix_sys::sock_send_file(out_fd, in_fd, offset, count, ret) };
    if told == Errno::SUCCESS {
        let mut back = 0;
        // SAFETY: `back` is valid for the offset written on success.
        unsafe { wasix_sys::fd_seek(in_fd, at as i64, wasix_sys::Whence::SET, &mut back) };
    }
    e
}

/// `resolve` with IPv6 addresses in the seed's order.
///
/// # Safety
/// As for [`wasix_sys::resolve`].
pub(crate) unsafe fn resolve(
    host: *const u8,
    host_len: usize,
    port: u16,
    addrs: *mut Addr,
    naddrs: Size,
    ret: *mut Size,
) -> Errno {
    // SAFETY: forwarded contract.
    let e = unsafe { wasix_sys::resolve(host, host_len, port, addrs, naddrs, ret) };
    if e != Errno::SUCCESS || addrs.is_null() || ret.is_null() {
        return e;
    }
    // SAFETY: `ret` holds the count written, at most `naddrs` records at `addrs`.
    let written = unsafe { ret.read_unaligned() }.min(naddrs) as usize;
    for i in 0..written {
        // SAFETY: entry `i` was written by the host.
        let entry = unsafe { addrs.add(i) };
        // SAFETY: as above; no alignment is needed.
        let raw = unsafe { entry.read_unaligned() };
        if let Some(mut v6) = raw.as_inet6() {
            swap_ip6(&mut v6);
            // SAFETY: as above.
            unsafe { entry.write_unaligned(Addr::inet6(v6)) };
        }
    }
    e
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;
    use wasix_sys::{AddrIp4, AddrIp4Port, AddrIp6, AddrIp6Port};

    #[test]
    fn seed_socket_types_map_to_wasmers_numbers() {
        assert_eq!(to_wasmer_type(SockType::SOCKET_DGRAM), Some(SockType::from_raw(2)));
        assert_eq!(to_wasmer_type(SockType::SOCKET_STREAM), Some(SockType::from_raw(1)));
        assert_eq!(to_wasmer_type(SockType::SOCKET_RAW), Some(SockType::from_raw(3)));
        assert_eq!(to_wasmer_type(SockType::SOCKET_SEQPACKET), Some(SockType::from_raw(4)));
        assert_eq!(to_wasmer_type(SockType::from_raw(4)), None);
    }

    #[test]
    fn ports_and_ipv6_groups_come_back_from_network_order() {
        let v4 =
            AddrPort::inet4(AddrIp4Port { port: 8080_u16.to_be(), addr: AddrIp4 { n0: 127, n1: 0, h0: 0, h1: 1 } });
        let fixed = addr_port_out(v4).as_inet4().unwrap();
        assert_eq!((fixed.port, fixed.addr.n0, fixed.addr.h1), (8080, 127, 1));
        let wasmer = AddrIp6 { n0: 0x2001_u16.to_be(), h3: 1_u16.to_be(), ..Default::default() };
        let fixed = addr_port_out(AddrPort::inet6(AddrIp6Port { port: 443_u16.to_be(), addr: wasmer })).as_inet6();
        let fixed = fixed.unwrap();
        assert_eq!((fixed.port, fixed.addr.n0, fixed.addr.h3), (443, 0x2001, 1));
        let seed = AddrPort::inet6(AddrIp6Port { port: 443, addr: AddrIp6 { h3: 1, ..Default::default() } });
        let sent = addr_port_in(seed).as_inet6().unwrap();
        assert_eq!((sent.port, sent.addr.h3), (443, 1_u16.to_be()), "ports are read as the seed writes them");
    }
}
