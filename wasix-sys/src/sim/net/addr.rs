//! The seed's address records and `std::net` addresses, converted both ways, written once: every call that
//! reads or writes an `addr` or `addr_port` goes through here.
//!
//! Byte orders, as the seed's records spell them: an `ip_port` is a plain `u16` holding the port number
//! (no network byte order); `addr_ip4`'s fields `n0`, `n1`, `h0`, `h1` are the four octets in the order
//! they are written (`127.0.0.1` is `n0 = 127, …, h1 = 1`); `addr_ip6`'s eight `u16` fields `n0`…`n3`,
//! `h0`…`h3` are the eight 16-bit groups in order, each a plain number (`::1` is `h3 = 1`), as
//! `Ipv6Addr::segments` gives them. Wasmer 7.4.2 writes ports and IPv6 groups in network byte order instead
//! (see `docs/wasmer-7.4.2.md`); that is the host profile's business, not the simulator's.
//!
//! An IPv6 address read from a guest has flow information and scope id 0. The `unspec` and `unix` cases
//! are `AFNOSUPPORT` (the simulator has IPv4 and IPv6 sockets only), an unknown tag `INVAL`.

use crate::{Addr, AddrIp4, AddrIp4Port, AddrIp6, AddrIp6Port, AddrPort, Errno};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

pub(crate) fn ip4_from(a: AddrIp4) -> Ipv4Addr {
    Ipv4Addr::new(a.n0, a.n1, a.h0, a.h1)
}

pub(crate) fn ip4_to(ip: Ipv4Addr) -> AddrIp4 {
    let [n0, n1, h0, h1] = ip.octets();
    AddrIp4 { n0, n1, h0, h1 }
}

pub(crate) fn ip6_from(a: AddrIp6) -> Ipv6Addr {
    Ipv6Addr::new(a.n0, a.n1, a.n2, a.n3, a.h0, a.h1, a.h2, a.h3)
}

pub(crate) fn ip6_to(ip: Ipv6Addr) -> AddrIp6 {
    let [n0, n1, n2, n3, h0, h1, h2, h3] = ip.segments();
    AddrIp6 { n0, n1, n2, n3, h0, h1, h2, h3 }
}

/// The socket address an `addr_port` record holds.
pub(crate) fn from_addr_port(a: &AddrPort) -> Result<SocketAddr, Errno> {
    if let Some(v4) = a.as_inet4() {
        return Ok(SocketAddr::V4(SocketAddrV4::new(ip4_from(v4.addr), v4.port)));
    }
    if let Some(v6) = a.as_inet6() {
        return Ok(SocketAddr::V6(SocketAddrV6::new(ip6_from(v6.addr), v6.port, 0, 0)));
    }
    match a.tag {
        AddrPort::TAG_UNSPEC | AddrPort::TAG_UNIX => Err(Errno::AFNOSUPPORT),
        _ => Err(Errno::INVAL),
    }
}

/// The `addr_port` record of a socket address (bytes outside the payload zero).
pub(crate) fn to_addr_port(a: SocketAddr) -> AddrPort {
    match a {
        SocketAddr::V4(v4) => AddrPort::inet4(AddrIp4Port { port: v4.port(), addr: ip4_to(*v4.ip()) }),
        SocketAddr::V6(v6) => AddrPort::inet6(AddrIp6Port { port: v6.port(), addr: ip6_to(*v6.ip()) }),
    }
}

/// The `addr` record of an IP address (bytes outside the payload zero).
pub(crate) fn to_addr(ip: IpAddr) -> Addr {
    match ip {
        IpAddr::V4(v4) => Addr::inet4(ip4_to(v4)),
        IpAddr::V6(v6) => Addr::inet6(ip6_to(v6)),
    }
}

/// A host socket address as a `std` one (`AFNOSUPPORT` for other families, which the simulator's sockets
/// never have).
pub(crate) fn from_host(a: rustix::net::SocketAddrAny) -> Result<SocketAddr, Errno> {
    SocketAddr::try_from(a).map_err(|_| Errno::AFNOSUPPORT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AddrUnixPort, AddrUnspecPort};

    #[test]
    fn ipv4_octets_are_in_written_order_and_the_port_a_plain_number() {
        let a = to_addr_port("127.0.0.1:8080".parse().unwrap());
        let v4 = a.as_inet4().unwrap();
        assert_eq!((v4.port, v4.addr), (8080, AddrIp4 { n0: 127, n1: 0, h0: 0, h1: 1 }));
        assert_eq!(from_addr_port(&a), Ok("127.0.0.1:8080".parse().unwrap()));
    }

    #[test]
    fn ipv6_groups_are_plain_numbers_in_order() {
        let a = to_addr_port("[2001:db8::1]:443".parse().unwrap());
        let v6 = a.as_inet6().unwrap();
        assert_eq!((v6.port, v6.addr.n0, v6.addr.n1, v6.addr.h3), (443, 0x2001, 0x0db8, 1));
        assert_eq!(from_addr_port(&a), Ok("[2001:db8::1]:443".parse().unwrap()));
        assert_eq!(to_addr("::1".parse().unwrap()).as_inet6().unwrap().h3, 1);
    }

    #[test]
    fn every_address_round_trips() {
        for s in ["0.0.0.0:0", "255.255.255.255:65535", "[::]:0", "[ffff:1:2:3:4:5:6:7]:1", "[::ffff:10.0.0.1]:9"] {
            let a: SocketAddr = s.parse().unwrap();
            assert_eq!(from_addr_port(&to_addr_port(a)), Ok(a), "{s}");
        }
    }

    #[test]
    fn other_cases_are_refused() {
        assert_eq!(from_addr_port(&AddrPort::unspec(AddrUnspecPort::default())), Err(Errno::AFNOSUPPORT));
        assert_eq!(from_addr_port(&AddrPort::unix(AddrUnixPort::default())), Err(Errno::AFNOSUPPORT));
        let unknown = AddrPort { tag: 4, ..AddrPort::default() };
        assert_eq!(from_addr_port(&unknown), Err(Errno::INVAL));
    }
}
