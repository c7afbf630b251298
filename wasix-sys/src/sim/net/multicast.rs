//! Multicast groups (the simulator half of `wasix::net::multicast`): `sock_join_multicast_v4`,
//! `sock_leave_multicast_v4`, `sock_join_multicast_v6` and `sock_leave_multicast_v6`, the host's
//! `IP_ADD_MEMBERSHIP`/`IP_DROP_MEMBERSHIP` and `IPV6_ADD_MEMBERSHIP`/`IPV6_DROP_MEMBERSHIP`.
//!
//! The group and (IPv4) interface addresses are `addr_ip4`/`addr_ip6` records in the seed's byte order
//! (see `addr`); the IPv6 interface is an interface index, 0 for the host's choice. Without a network the
//! calls are `NOTSUP`; with loopback only, an interface other than the loopback one is `ACCES` (for IPv4,
//! one of `127.0.0.0/8`; for IPv6, the index of the host's loopback interface, `lo`).

use super::super::errno::from_host;
use super::super::Network;
use super::super::{mem, state, status};
use super::{addr, socket_fd, socket_of};
use crate::seed::needs::Need;
use crate::{AddrIp4, AddrIp6, Errno, Fd, Rights};
use rustix::net::sockopt;

/// Joins (`join`) or leaves an IPv4 group.
///
/// # Safety
/// Both pointers as the ABI describes them.
unsafe fn v4(fd: Fd, multiaddr: *const AddrIp4, interface: *const AddrIp4, join: bool) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, Need::All(Rights::empty()))?;
        // SAFETY: in-pointers per the ABI contract.
        let (group, iface) = unsafe { (addr::ip4_from(mem::read(multiaddr)?), addr::ip4_from(mem::read(interface)?)) };
        match s.network {
            Network::None => return Err(Errno::NOTSUP),
            Network::Loopback if !iface.is_loopback() => return Err(Errno::ACCES),
            _ => {}
        }
        let fd = &socket_of(&entry).fd;
        if join {
            sockopt::set_ip_add_membership(fd, &group, &iface)
        } else {
            sockopt::set_ip_drop_membership(fd, &group, &iface)
        }
        .map_err(from_host)
    }))
}

/// Joins (`join`) or leaves an IPv6 group.
///
/// # Safety
/// The pointer as the ABI describes it.
unsafe fn v6(fd: Fd, multiaddr: *const AddrIp6, interface: u32, join: bool) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, Need::All(Rights::empty()))?;
        // SAFETY: in-pointer per the ABI contract.
        let group = addr::ip6_from(unsafe { mem::read(multiaddr)? });
        match s.network {
            Network::None => return Err(Errno::NOTSUP),
            Network::Loopback
                if rustix::net::netdevice::name_to_index(&socket_of(&entry).fd, "lo") != Ok(interface) =>
            {
                return Err(Errno::ACCES)
            }
            _ => {}
        }
        let fd = &socket_of(&entry).fd;
        if join {
            sockopt::set_ipv6_add_membership(fd, &group, interface)
        } else {
            sockopt::set_ipv6_drop_membership(fd, &group, interface)
        }
        .map_err(from_host)
    }))
}

pub(crate) unsafe fn sock_join_multicast_v4(fd: Fd, multiaddr: *const AddrIp4, interface: *const AddrIp4) -> Errno {
    // SAFETY: per the ABI contract, passed on.
    unsafe { v4(fd, multiaddr, interface, true) }
}

pub(crate) unsafe fn sock_leave_multicast_v4(fd: Fd, multiaddr: *const AddrIp4, interface: *const AddrIp4) -> Errno {
    // SAFETY: per the ABI contract, passed on.
    unsafe { v4(fd, multiaddr, interface, false) }
}

pub(crate) unsafe fn sock_join_multicast_v6(fd: Fd, multiaddr: *const AddrIp6, interface: u32) -> Errno {
    // SAFETY: per the ABI contract, passed on.
    unsafe { v6(fd, multiaddr, interface, true) }
}

pub(crate) unsafe fn sock_leave_multicast_v6(fd: Fd, multiaddr: *const AddrIp6, interface: u32) -> Errno {
    // SAFETY: per the ABI contract, passed on.
    unsafe { v6(fd, multiaddr, interface, false) }
}
