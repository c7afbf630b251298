//! Socket addresses as the seed's records: [`SocketAddr`] ↔ `addr_port`, [`IpAddr`] ↔ `addr`, and the IP
//! records the multicast calls take. Every conversion between std's addresses and the ABI's is here.
//!
//! The seed's byte orders, as its records spell them (`witx/typenames.witx`): an `ip_port` is a plain
//! `u16`, the port number itself (no network byte order; like every witx integer it is little-endian in
//! memory); `addr_ip4`'s fields `n0`, `n1`, `h0`, `h1` are the four octets in the order they are written
//! (`127.0.0.1` is `n0 = 127, n1 = 0, h0 = 0, h1 = 1`: the `n` fields the network part, the `h` fields the
//! host part of the dotted form); `addr_ip6`'s eight `u16` fields `n0`…`n3`, `h0`…`h3` are the eight
//! 16-bit groups in order, each a plain number (`::1` is `h3 = 1`), as [`Ipv6Addr::segments`] gives them.
//! IPv6 flow information and scope ids have no place in the record: they are 0 on the way back. The
//! simulator reads the records the same way; Wasmer's different orders are the host profile's concern
//! (`host/wasmer/net.rs`).
//!
//! # References
//! - std's [`SocketAddr`], socket2's `SockAddr`
//! - the records `addr_port`, `addr`, `addr_ip4`, `addr_ip6` of `wasix_sys`

use crate::io::{Errno, Result};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use wasix_sys::{Addr, AddrIp4, AddrIp4Port, AddrIp6, AddrIp6Port, AddrPort, AddressFamily};

/// The address family of `addr`'s kind of IP address.
#[inline]
pub(crate) fn family(addr: &SocketAddr) -> AddressFamily {
    match addr {
        SocketAddr::V4(_) => AddressFamily::INET4,
        SocketAddr::V6(_) => AddressFamily::INET6,
    }
}

/// The `addr_ip4` record of an IPv4 address: its octets in order.
#[inline]
pub(crate) fn ip4_to_raw(ip: &Ipv4Addr) -> AddrIp4 {
    let [n0, n1, h0, h1] = ip.octets();
    AddrIp4 { n0, n1, h0, h1 }
}

/// The IPv4 address of an `addr_ip4` record.
#[inline]
pub(crate) fn ip4_from_raw(a: AddrIp4) -> Ipv4Addr {
    Ipv4Addr::new(a.n0, a.n1, a.h0, a.h1)
}

/// The `addr_ip6` record of an IPv6 address: its groups in order, each a plain `u16`.
#[inline]
pub(crate) fn ip6_to_raw(ip: &Ipv6Addr) -> AddrIp6 {
    let [n0, n1, n2, n3, h0, h1, h2, h3] = ip.segments();
    AddrIp6 { n0, n1, n2, n3, h0, h1, h2, h3 }
}

/// The IPv6 address of an `addr_ip6` record.
#[inline]
pub(crate) fn ip6_from_raw(a: AddrIp6) -> Ipv6Addr {
    Ipv6Addr::new(a.n0, a.n1, a.n2, a.n3, a.h0, a.h1, a.h2, a.h3)
}

/// The `addr_port` record of a socket address.
#[inline]
pub(crate) fn to_raw(addr: &SocketAddr) -> AddrPort {
    match addr {
        SocketAddr::V4(v4) => AddrPort::inet4(AddrIp4Port { port: v4.port(), addr: ip4_to_raw(v4.ip()) }),
        SocketAddr::V6(v6) => AddrPort::inet6(AddrIp6Port { port: v6.port(), addr: ip6_to_raw(v6.ip()) }),
    }
}

/// The socket address of an `addr_port` record the host wrote: `AFNOSUPPORT` for the families that are no
/// IP (`unspec`, `unix`), `INVAL` for a tag the seed does not define.
#[inline]
pub(crate) fn from_raw(raw: &AddrPort) -> Result<SocketAddr> {
    if let Some(v4) = raw.as_inet4() {
        Ok(SocketAddr::V4(SocketAddrV4::new(ip4_from_raw(v4.addr), v4.port)))
    } else if let Some(v6) = raw.as_inet6() {
        Ok(SocketAddr::V6(SocketAddrV6::new(ip6_from_raw(v6.addr), v6.port, 0, 0)))
    } else if raw.tag == AddrPort::TAG_UNSPEC || raw.tag == AddrPort::TAG_UNIX {
        Err(Errno::AFNOSUPPORT)
    } else {
        Err(Errno::INVAL)
    }
}

/// The IP address of an `addr` record (what `resolve` writes); errors as for [`from_raw`].
#[inline]
pub(crate) fn ip_from_raw(raw: &Addr) -> Result<IpAddr> {
    if let Some(v4) = raw.as_inet4() {
        Ok(IpAddr::V4(ip4_from_raw(v4)))
    } else if let Some(v6) = raw.as_inet6() {
        Ok(IpAddr::V6(ip6_from_raw(v6)))
    } else if raw.tag == Addr::TAG_UNSPEC || raw.tag == Addr::TAG_UNIX {
        Err(Errno::AFNOSUPPORT)
    } else {
        Err(Errno::INVAL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasix_sys::{AddrUnixPort, AddrUnspecPort};

    #[test]
    fn ipv4_octets_are_in_written_order_and_the_port_a_plain_number() {
        let raw = to_raw(&"127.0.0.1:8080".parse().unwrap());
        let v4 = raw.as_inet4().unwrap();
        assert_eq!((v4.port, v4.addr), (8080, AddrIp4 { n0: 127, n1: 0, h0: 0, h1: 1 }));
        assert_eq!(from_raw(&raw), Ok("127.0.0.1:8080".parse().unwrap()));
    }

    #[test]
    fn ipv6_groups_are_plain_numbers_in_order() {
        let raw = to_raw(&"[2001:db8::1]:443".parse().unwrap());
        let v6 = raw.as_inet6().unwrap();
        assert_eq!((v6.port, v6.addr.n0, v6.addr.n1, v6.addr.h2, v6.addr.h3), (443, 0x2001, 0x0db8, 0, 1));
        assert_eq!(from_raw(&raw), Ok("[2001:db8::1]:443".parse().unwrap()));
    }

    #[test]
    fn addresses_round_trip_without_flow_or_scope() {
        for s in ["0.0.0.0:0", "255.255.255.255:65535", "[::]:0", "[::1]:1", "[fe80::1:2:3:4]:9"] {
            let a: SocketAddr = s.parse().unwrap();
            assert_eq!(from_raw(&to_raw(&a)), Ok(a), "{s}");
        }
        let scoped = SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 7, 5, 3));
        assert_eq!(from_raw(&to_raw(&scoped)), Ok("[::1]:7".parse().unwrap()));
    }

    #[test]
    fn families_that_are_no_ip_are_afnosupport_and_unknown_tags_inval() {
        assert_eq!(from_raw(&AddrPort::unspec(AddrUnspecPort::default())), Err(Errno::AFNOSUPPORT));
        assert_eq!(from_raw(&AddrPort::unix(AddrUnixPort::default())), Err(Errno::AFNOSUPPORT));
        let mut unknown = AddrPort::unspec(AddrUnspecPort::default());
        unknown.tag = 9;
        assert_eq!(from_raw(&unknown), Err(Errno::INVAL));
        assert_eq!(ip_from_raw(&Addr::inet4(ip4_to_raw(&Ipv4Addr::LOCALHOST))), Ok(Ipv4Addr::LOCALHOST.into()));
        assert_eq!(ip_from_raw(&Addr::inet6(ip6_to_raw(&Ipv6Addr::LOCALHOST))), Ok(Ipv6Addr::LOCALHOST.into()));
    }
}
