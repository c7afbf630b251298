//! Socket helpers of the raw-level tests: `Result`-returning calls over `std::net` addresses (converted to
//! the seed's records here, independently of the simulator's own conversion), and a loopback TCP pair.

use super::ok;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use wasix_sys::*;

/// How long any test waits for a peer before giving up: every blocking call of the tests is bounded by it.
pub const PATIENCE_NS: u64 = 5_000_000_000;

/// `127.0.0.1:port` or `[::1]:port`.
pub fn lo(v6: bool, port: u16) -> SocketAddr {
    if v6 {
        SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port)
    } else {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
    }
}

/// The seed's record of `a`: octets in order, IPv6 groups as plain numbers, the port a plain number.
pub fn record(a: SocketAddr) -> AddrPort {
    match a {
        SocketAddr::V4(v4) => {
            let [n0, n1, h0, h1] = v4.ip().octets();
            AddrPort::inet4(AddrIp4Port { port: v4.port(), addr: AddrIp4 { n0, n1, h0, h1 } })
        }
        SocketAddr::V6(v6) => {
            let [n0, n1, n2, n3, h0, h1, h2, h3] = v6.ip().segments();
            AddrPort::inet6(AddrIp6Port { port: v6.port(), addr: AddrIp6 { n0, n1, n2, n3, h0, h1, h2, h3 } })
        }
    }
}

/// The address of a record.
pub fn address(a: AddrPort) -> SocketAddr {
    if let Some(v4) = a.as_inet4() {
        let ip = Ipv4Addr::new(v4.addr.n0, v4.addr.n1, v4.addr.h0, v4.addr.h1);
        return SocketAddr::new(IpAddr::V4(ip), v4.port);
    }
    let v6 = a.as_inet6().expect("an inet4 or inet6 record");
    let s = v6.addr;
    SocketAddr::new(IpAddr::V6(Ipv6Addr::new(s.n0, s.n1, s.n2, s.n3, s.h0, s.h1, s.h2, s.h3)), v6.port)
}

pub fn socket(v6: bool, ty: SockType) -> Result<Fd, Errno> {
    let af = if v6 { AddressFamily::INET6 } else { AddressFamily::INET4 };
    let mut fd = 0;
    // SAFETY: valid out-pointer.
    ok(unsafe { sock_open(af, ty, SockProto::IP, &mut fd) })?;
    Ok(fd)
}

pub fn tcp(v6: bool) -> Fd {
    socket(v6, SockType::SOCKET_STREAM).unwrap()
}

pub fn udp(v6: bool) -> Fd {
    socket(v6, SockType::SOCKET_DGRAM).unwrap()
}

pub fn bind(fd: Fd, a: SocketAddr) -> Result<(), Errno> {
    // SAFETY: a valid record.
    ok(unsafe { sock_bind(fd, &record(a)) })
}

pub fn connect(fd: Fd, a: SocketAddr) -> Result<(), Errno> {
    // SAFETY: a valid record.
    ok(unsafe { sock_connect(fd, &record(a)) })
}

pub fn listen(fd: Fd, backlog: Size) -> Result<(), Errno> {
    // SAFETY: no pointers.
    ok(unsafe { sock_listen(fd, backlog) })
}

pub fn local(fd: Fd) -> Result<SocketAddr, Errno> {
    let mut a = AddrPort::default();
    // SAFETY: valid out-pointer.
    ok(unsafe { sock_addr_local(fd, &mut a) })?;
    Ok(address(a))
}

pub fn peer(fd: Fd) -> Result<SocketAddr, Errno> {
    let mut a = AddrPort::default();
    // SAFETY: valid out-pointer.
    ok(unsafe { sock_addr_peer(fd, &mut a) })?;
    Ok(address(a))
}

pub fn accept(fd: Fd, flags: Fdflags) -> Result<(Fd, SocketAddr), Errno> {
    let (mut new, mut a) = (0, AddrPort::default());
    // SAFETY: valid out-pointers.
    ok(unsafe { sock_accept(fd, flags, &mut new, &mut a) })?;
    Ok((new, address(a)))
}

pub fn send(fd: Fd, data: &[u8]) -> Result<usize, Errno> {
    let iov = Ciovec { buf: data.as_ptr(), buf_len: data.len() };
    let mut n = 0;
    // SAFETY: one valid ciovec and out-pointer.
    ok(unsafe { sock_send(fd, &iov, 1, 0, &mut n) })?;
    Ok(n as usize)
}

pub fn send_to(fd: Fd, data: &[u8], to: SocketAddr) -> Result<usize, Errno> {
    let iov = Ciovec { buf: data.as_ptr(), buf_len: data.len() };
    let mut n = 0;
    // SAFETY: one valid ciovec, a valid record and out-pointer.
    ok(unsafe { sock_send_to(fd, &iov, 1, 0, &record(to), &mut n) })?;
    Ok(n as usize)
}

pub fn recv(fd: Fd, len: usize, flags: Riflags) -> Result<(Vec<u8>, Roflags), Errno> {
    let mut buf = vec![0u8; len];
    let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: len };
    let (mut n, mut ro) = (0, Roflags::empty());
    // SAFETY: one valid iovec and out-pointers.
    ok(unsafe { sock_recv(fd, &iov, 1, flags, &mut n, &mut ro) })?;
    buf.truncate(n as usize);
    Ok((buf, ro))
}

pub fn recv_from(fd: Fd, len: usize) -> Result<(Vec<u8>, Roflags, SocketAddr), Errno> {
    let mut buf = vec![0u8; len];
    let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: len };
    let (mut n, mut ro, mut from) = (0, Roflags::empty(), AddrPort::default());
    // SAFETY: one valid iovec and out-pointers.
    ok(unsafe { sock_recv_from(fd, &iov, 1, Riflags::empty(), &mut n, &mut ro, &mut from) })?;
    buf.truncate(n as usize);
    Ok((buf, ro, address(from)))
}

pub fn status(fd: Fd) -> Result<SockStatus, Errno> {
    let mut st = SockStatus::default();
    // SAFETY: valid out-pointer.
    ok(unsafe { sock_status(fd, &mut st) })?;
    Ok(st)
}

pub fn set_time(fd: Fd, opt: SockOption, ns: Option<u64>) -> Result<(), Errno> {
    let t = ns.map_or(OptionTimestamp::none(0), OptionTimestamp::some);
    // SAFETY: a valid record.
    ok(unsafe { sock_set_opt_time(fd, opt, &t) })
}

pub fn get_time(fd: Fd, opt: SockOption) -> Result<Option<u64>, Errno> {
    let mut t = OptionTimestamp::none(0);
    // SAFETY: valid out-pointer.
    ok(unsafe { sock_get_opt_time(fd, opt, &mut t) })?;
    Ok(t.as_some())
}

pub fn set_flag(fd: Fd, opt: SockOption, on: bool) -> Result<(), Errno> {
    // SAFETY: no pointers.
    ok(unsafe { sock_set_opt_flag(fd, opt, if on { Bool::TRUE } else { Bool::FALSE }) })
}

pub fn get_flag(fd: Fd, opt: SockOption) -> Result<bool, Errno> {
    let mut b = Bool::FALSE;
    // SAFETY: valid out-pointer.
    ok(unsafe { sock_get_opt_flag(fd, opt, &mut b) })?;
    Ok(b == Bool::TRUE)
}

pub fn set_size(fd: Fd, opt: SockOption, n: u64) -> Result<(), Errno> {
    // SAFETY: no pointers.
    ok(unsafe { sock_set_opt_size(fd, opt, n) })
}

pub fn get_size(fd: Fd, opt: SockOption) -> Result<u64, Errno> {
    let mut n = 0;
    // SAFETY: valid out-pointer.
    ok(unsafe { sock_get_opt_size(fd, opt, &mut n) })?;
    Ok(n)
}

/// A listener on loopback (any port) and its address, with an accept timeout of [`PATIENCE_NS`].
pub fn listener(v6: bool) -> (Fd, SocketAddr) {
    let l = tcp(v6);
    bind(l, lo(v6, 0)).unwrap();
    listen(l, 16).unwrap();
    set_time(l, SockOption::ACCEPT_TIMEOUT, Some(PATIENCE_NS)).unwrap();
    (l, local(l).unwrap())
}

/// A connected loopback TCP pair `(client, server)` (the listener closed), each with receive and connect
/// timeouts of [`PATIENCE_NS`].
pub fn tcp_pair(v6: bool) -> (Fd, Fd) {
    let (l, at) = listener(v6);
    let c = tcp(v6);
    set_time(c, SockOption::CONNECT_TIMEOUT, Some(PATIENCE_NS)).unwrap();
    connect(c, at).unwrap();
    let (s, _) = accept(l, Fdflags::empty()).unwrap();
    super::close(l).unwrap();
    for fd in [c, s] {
        set_time(fd, SockOption::RECV_TIMEOUT, Some(PATIENCE_NS)).unwrap();
    }
    (c, s)
}
