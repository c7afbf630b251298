//! Socket addresses as the seed's records: [`SocketAddr`] ↔ `addr_port`, [`IpAddr`] ↔ `addr`, and the IP
//! records the multicast calls take, for the rest of `wasix::net`.
//!
//! The byte orders are the seed's, and written once, in [`wasix_sys::seed::addr`], which the simulator
//! uses too: an `ip_port` is the port number itself (a plain `u16`, no network byte order); `addr_ip4`'s
//! `n0`, `n1`, `h0`, `h1` are the four octets in written order (`127.0.0.1` is `n0 = 127, …, h1 = 1`);
//! `addr_ip6`'s `n0`…`n3`, `h0`…`h3` are the eight groups in order, each a plain `u16` (`::1` is
//! `h3 = 1`). IPv6 flow information and scope ids have no place in the record (0 on the way back); the
//! `unspec` and `unix` cases are `AFNOSUPPORT`, an unknown tag `INVAL`. Wasmer's different orders are the
//! host profile's concern (`host/wasmer/net.rs`).
//!
//! # References
//! - std's [`SocketAddr`], socket2's `SockAddr`
//! - [`wasix_sys::seed::addr`]; the records `addr_port`, `addr`, `addr_ip4`, `addr_ip6`

use crate::io::Result;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use wasix_sys::seed::addr as seed;
use wasix_sys::{Addr, AddrIp4, AddrIp6, AddrPort, AddressFamily};

/// The address family of `addr`'s kind of IP address.
#[inline]
pub(crate) fn family(addr: &SocketAddr) -> AddressFamily {
    match addr {
        SocketAddr::V4(_) => AddressFamily::INET4,
        SocketAddr::V6(_) => AddressFamily::INET6,
    }
}

/// The `addr_ip4` record of an IPv4 address.
#[inline]
pub(crate) fn ip4_to_raw(ip: &Ipv4Addr) -> AddrIp4 {
    seed::ipv4_record(*ip)
}

/// The `addr_ip6` record of an IPv6 address.
#[inline]
pub(crate) fn ip6_to_raw(ip: &Ipv6Addr) -> AddrIp6 {
    seed::ipv6_record(*ip)
}

/// The `addr_port` record of a socket address.
#[inline]
pub(crate) fn to_raw(addr: &SocketAddr) -> AddrPort {
    seed::addr_port(*addr)
}

/// The socket address of an `addr_port` record the host wrote.
#[inline]
pub(crate) fn from_raw(raw: &AddrPort) -> Result<SocketAddr> {
    seed::socket_addr(raw)
}

/// The IP address of an `addr` record (what `resolve` writes).
#[inline]
pub(crate) fn ip_from_raw(raw: &Addr) -> Result<IpAddr> {
    seed::ip_addr(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_carry_the_seeds_byte_orders() {
        let raw = to_raw(&"127.0.0.1:8080".parse().unwrap());
        let v4 = raw.as_inet4().unwrap();
        assert_eq!((v4.port, v4.addr), (8080, AddrIp4 { n0: 127, n1: 0, h0: 0, h1: 1 }));
        let raw = to_raw(&"[2001:db8::1]:443".parse().unwrap());
        let v6 = raw.as_inet6().unwrap();
        assert_eq!((v6.port, v6.addr.n0, v6.addr.n1, v6.addr.h3), (443, 0x2001, 0x0db8, 1));
        assert_eq!(from_raw(&raw), Ok("[2001:db8::1]:443".parse().unwrap()));
        assert_eq!(ip6_to_raw(&Ipv6Addr::LOCALHOST).h3, 1);
        assert_eq!(ip4_to_raw(&Ipv4Addr::LOCALHOST).n0, 127);
        assert_eq!(family(&"[::1]:1".parse().unwrap()), AddressFamily::INET6);
    }
}
