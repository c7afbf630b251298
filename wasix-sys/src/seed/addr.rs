//! The seed's address records (`addr`, `addr_port`, `addr_cidr` and their cases, `hardware_address`) and
//! `core::net` addresses, converted both ways, written once: the simulator reads and writes every guest
//! address through here, and the safe layer's `wasix::net` and `wasix::port` make their records here, so
//! both keep one byte order.
//!
//! Byte orders, as the seed's records spell them: an `ip_port` is a plain `u16` holding the port number
//! (no network byte order); `addr_ip4`'s fields `n0`, `n1`, `h0`, `h1` are the four octets in the order
//! they are written (`127.0.0.1` is `n0 = 127, …, h1 = 1`); `addr_ip6`'s eight `u16` fields `n0`…`n3`,
//! `h0`…`h3` are the eight 16-bit groups in order, each a plain number (`::1` is `h3 = 1`), as
//! `Ipv6Addr::segments` gives them. Wasmer 7.4.2 writes ports and IPv6 groups in network byte order instead
//! (see `docs/wasmer-7.4.2.md`); that is the host profile's business.
//!
//! An `addr_cidr` is an address and a prefix length (a `u8` after the address's bytes); a prefix longer than
//! the family's address (32 bits, 128 bits) is `INVAL`. A `hardware_address`'s fields `n0`, `n1`, `n2`,
//! `h0`, `h1`, `h2` are a MAC address's six octets in the order they are written.
//!
//! An IPv6 address read from a record has flow information and scope id 0. The `unspec` and `unix` cases
//! are `AFNOSUPPORT` (they carry no IP address), an unknown tag `INVAL`.
//!
//! ```
//! use wasix_sys::seed::addr;
//!
//! let record = addr::addr_port("127.0.0.1:8080".parse().unwrap());
//! assert_eq!(record.as_inet4().unwrap().port, 8080);
//! assert_eq!(addr::socket_addr(&record), Ok("127.0.0.1:8080".parse().unwrap()));
//! ```

use crate::{
    Addr, AddrCidr, AddrIp4, AddrIp4Cidr, AddrIp4Port, AddrIp6, AddrIp6Cidr, AddrIp6Port, AddrPort, Errno,
    HardwareAddress,
};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// The IPv4 address of an `addr_ip4` record.
pub fn ipv4(a: AddrIp4) -> Ipv4Addr {
    Ipv4Addr::new(a.n0, a.n1, a.h0, a.h1)
}

/// The `addr_ip4` record of an IPv4 address.
pub fn ipv4_record(ip: Ipv4Addr) -> AddrIp4 {
    let [n0, n1, h0, h1] = ip.octets();
    AddrIp4 { n0, n1, h0, h1 }
}

/// The IPv6 address of an `addr_ip6` record.
pub fn ipv6(a: AddrIp6) -> Ipv6Addr {
    Ipv6Addr::new(a.n0, a.n1, a.n2, a.n3, a.h0, a.h1, a.h2, a.h3)
}

/// The `addr_ip6` record of an IPv6 address.
pub fn ipv6_record(ip: Ipv6Addr) -> AddrIp6 {
    let [n0, n1, n2, n3, h0, h1, h2, h3] = ip.segments();
    AddrIp6 { n0, n1, n2, n3, h0, h1, h2, h3 }
}

/// The socket address an `addr_port` record holds.
pub fn socket_addr(a: &AddrPort) -> Result<SocketAddr, Errno> {
    if let Some(v4) = a.as_inet4() {
        return Ok(SocketAddr::V4(SocketAddrV4::new(ipv4(v4.addr), v4.port)));
    }
    if let Some(v6) = a.as_inet6() {
        return Ok(SocketAddr::V6(SocketAddrV6::new(ipv6(v6.addr), v6.port, 0, 0)));
    }
    match a.tag {
        AddrPort::TAG_UNSPEC | AddrPort::TAG_UNIX => Err(Errno::AFNOSUPPORT),
        _ => Err(Errno::INVAL),
    }
}

/// The `addr_port` record of a socket address (bytes outside the payload zero).
pub fn addr_port(a: SocketAddr) -> AddrPort {
    match a {
        SocketAddr::V4(v4) => AddrPort::inet4(AddrIp4Port { port: v4.port(), addr: ipv4_record(*v4.ip()) }),
        SocketAddr::V6(v6) => AddrPort::inet6(AddrIp6Port { port: v6.port(), addr: ipv6_record(*v6.ip()) }),
    }
}

/// The IP address an `addr` record holds.
pub fn ip_addr(a: &Addr) -> Result<IpAddr, Errno> {
    if let Some(v4) = a.as_inet4() {
        return Ok(IpAddr::V4(ipv4(v4)));
    }
    if let Some(v6) = a.as_inet6() {
        return Ok(IpAddr::V6(ipv6(v6)));
    }
    match a.tag {
        Addr::TAG_UNSPEC | Addr::TAG_UNIX => Err(Errno::AFNOSUPPORT),
        _ => Err(Errno::INVAL),
    }
}

/// The `addr` record of an IP address (bytes outside the payload zero).
pub fn addr(ip: IpAddr) -> Addr {
    match ip {
        IpAddr::V4(v4) => Addr::inet4(ipv4_record(v4)),
        IpAddr::V6(v6) => Addr::inet6(ipv6_record(v6)),
    }
}

/// The address and prefix length an `addr_cidr` record holds: `INVAL` for a prefix longer than the address
/// (32 bits for IPv4, 128 for IPv6); the other cases as for [`ip_addr`].
pub fn cidr(c: &AddrCidr) -> Result<(IpAddr, u8), Errno> {
    let (ip, prefix, bits) = if let Some(v4) = c.as_inet4() {
        (IpAddr::V4(ipv4(v4.addr)), v4.prefix, 32)
    } else if let Some(v6) = c.as_inet6() {
        (IpAddr::V6(ipv6(v6.addr)), v6.prefix, 128)
    } else {
        return match c.tag {
            AddrCidr::TAG_UNSPEC | AddrCidr::TAG_UNIX => Err(Errno::AFNOSUPPORT),
            _ => Err(Errno::INVAL),
        };
    };
    if prefix > bits {
        return Err(Errno::INVAL);
    }
    Ok((ip, prefix))
}

/// The `addr_cidr` record of an address and prefix length (bytes outside the payload zero; the prefix is
/// not checked, so a caller can build the records [`cidr`] refuses).
pub fn addr_cidr(ip: IpAddr, prefix: u8) -> AddrCidr {
    match ip {
        IpAddr::V4(v4) => AddrCidr::inet4(AddrIp4Cidr { addr: ipv4_record(v4), prefix }),
        IpAddr::V6(v6) => AddrCidr::inet6(AddrIp6Cidr { addr: ipv6_record(v6), prefix }),
    }
}

/// The six octets of a `hardware_address` record, in written order.
pub fn mac(h: HardwareAddress) -> [u8; 6] {
    [h.n0, h.n1, h.n2, h.h0, h.h1, h.h2]
}

/// The `hardware_address` record of six octets.
pub fn hardware_address(octets: [u8; 6]) -> HardwareAddress {
    let [n0, n1, n2, h0, h1, h2] = octets;
    HardwareAddress { n0, n1, n2, h0, h1, h2 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AddrUnixPort, AddrUnspecPort};

    #[test]
    fn ipv4_octets_are_in_written_order_and_the_port_a_plain_number() {
        let a = addr_port("127.0.0.1:8080".parse().unwrap());
        let v4 = a.as_inet4().unwrap();
        assert_eq!((v4.port, v4.addr), (8080, AddrIp4 { n0: 127, n1: 0, h0: 0, h1: 1 }));
        assert_eq!(socket_addr(&a), Ok("127.0.0.1:8080".parse().unwrap()));
    }

    #[test]
    fn ipv6_groups_are_plain_numbers_in_order() {
        let a = addr_port("[2001:db8::1]:443".parse().unwrap());
        let v6 = a.as_inet6().unwrap();
        assert_eq!((v6.port, v6.addr.n0, v6.addr.n1, v6.addr.h3), (443, 0x2001, 0x0db8, 1));
        assert_eq!(socket_addr(&a), Ok("[2001:db8::1]:443".parse().unwrap()));
        let ip: IpAddr = "::1".parse().unwrap();
        assert_eq!(addr(ip).as_inet6().unwrap().h3, 1);
        assert_eq!(ip_addr(&addr(ip)), Ok(ip));
    }

    #[test]
    fn every_address_round_trips() {
        for s in ["0.0.0.0:0", "255.255.255.255:65535", "[::]:0", "[ffff:1:2:3:4:5:6:7]:1", "[::ffff:10.0.0.1]:9"] {
            let a: SocketAddr = s.parse().unwrap();
            assert_eq!(socket_addr(&addr_port(a)), Ok(a), "{s}");
        }
    }

    #[test]
    fn cidrs_round_trip_and_long_prefixes_are_refused() {
        for (ip, prefix) in [("10.0.0.0", 8), ("0.0.0.0", 0), ("1.2.3.4", 32), ("2001:db8::", 32), ("::1", 128)] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(cidr(&addr_cidr(ip, prefix)), Ok((ip, prefix)));
        }
        assert_eq!(cidr(&addr_cidr("10.0.0.0".parse().unwrap(), 33)), Err(Errno::INVAL));
        assert_eq!(cidr(&addr_cidr("::".parse().unwrap(), 129)), Err(Errno::INVAL));
        assert_eq!(cidr(&AddrCidr { tag: 3, ..AddrCidr::default() }), Err(Errno::AFNOSUPPORT));
        assert_eq!(cidr(&AddrCidr { tag: 9, ..AddrCidr::default() }), Err(Errno::INVAL));
        let v4 = addr_cidr("192.168.1.2".parse().unwrap(), 24).as_inet4().unwrap();
        assert_eq!((v4.addr.n0, v4.addr.h1, v4.prefix), (192, 2, 24));
    }

    #[test]
    fn mac_octets_are_in_written_order() {
        let h = hardware_address([2, 0, 0, 0, 0, 7]);
        assert_eq!((h.n0, h.h2), (2, 7));
        assert_eq!(mac(h), [2, 0, 0, 0, 0, 7]);
    }

    #[test]
    fn other_cases_are_refused() {
        assert_eq!(socket_addr(&AddrPort::unspec(AddrUnspecPort::default())), Err(Errno::AFNOSUPPORT));
        assert_eq!(socket_addr(&AddrPort::unix(AddrUnixPort::default())), Err(Errno::AFNOSUPPORT));
        let unknown = AddrPort { tag: 4, ..AddrPort::default() };
        assert_eq!(socket_addr(&unknown), Err(Errno::INVAL));
    }
}
