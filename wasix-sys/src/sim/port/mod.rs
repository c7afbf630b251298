//! The simulator half of `wasix::port`: each instance's virtual network port (NIC), the `port_*` calls. The
//! state lives in [`nic`]; the calls are here.
//!
//! # The model
//! Every instance has one virtual NIC, bookkeeping that the guest configures and reads back:
//! - a **MAC address** (`port_mac`), stable for the instance's life: `02:00` followed by the instance's
//!   process id in four bytes, most significant first (locally administered, unicast, so distinct between
//!   the instances of one host process), or the one [`Config::mac`](super::Config::mac) sets;
//! - an **address list** of CIDRs (`port_addr_add`, `port_addr_remove`, `port_addr_clear`,
//!   `port_addr_list`), in the order added, each address at most once (the prefix is the interface's
//!   network: `10.0.0.5/24`);
//! - a **route table** (`port_route_add`, `port_route_remove`, `port_route_clear`, `port_route_list`):
//!   destination network, router, and the two optional times `preferred_until` and `expires_at`, which
//!   are recorded and reported as given but never acted on (a route past its `expires_at` stays listed);
//! - the **gateway** (`port_gateway_set`): the default route of the address's family, `0.0.0.0/0` or
//!   `::/0` via the gateway without times, replacing that family's earlier default route (so it is read
//!   back with `port_route_list`, the seed having no call that reads the gateway);
//! - a **bridge** (`port_bridge`, `port_unbridge`): the remote network's name, the token and the
//!   `stream_security` asked for, recorded ([`Sim::bridge`](super::Sim::bridge) shows them to a test);
//! - **DHCP** (`port_dhcp_acquire`): instances built from one [`Config::dhcp_pool`](super::Config::dhcp_pool)
//!   (and its clones) lease from one pool, as hosts of one network from one server. The pool's first host
//!   address is the gateway; each instance leases the next free one (IPv4 keeps the broadcast address
//!   back), and keeps it until the instance ends, when it returns to the pool. A lease adds the address
//!   with the pool's prefix to the list (if it is not there) and sets the gateway; asking again gives the
//!   same address.
//!
//! **Bridged ports form a virtual LAN** ([`lan`]): instances that share a switch (built from clones of one
//! [`Config`](super::Config), and the processes they spawn) and are bridged to the same network with the
//! same token reach each other's sockets at the addresses on their ports, over host loopback sockets the
//! switch maps them to. Everything else here stays bookkeeping: an address outside the port's networks
//! follows the instance's [`Network`](super::Network) policy (the host's network, loopback, or nothing), a
//! route sends no packet elsewhere, there is no router and no remote network behind the bridge. The port
//! calls do not depend on the policy: they work under `Network::None` too.
//!
//! # Errors
//! Checked before anything changes, in this order:
//! - a null pointer: `FAULT` (the network name or token only when its length is not 0);
//! - an address record whose tag is `unspec` or `unix`: `AFNOSUPPORT`; an unknown tag: `INVAL`; a prefix
//!   longer than the family's address (32, 128): `INVAL`;
//! - `port_route_add`: a destination with host bits set (`10.0.0.1/8`) or a router of another family:
//!   `INVAL`; an `option_timestamp` with an unknown tag: `INVAL`;
//! - `port_gateway_set` with the unspecified address: `INVAL`;
//! - `port_bridge`: an empty network name or a `stream_security` bit the seed does not name: `INVAL`;
//!   already bridged: `ISCONN` (unbridge first);
//! - `port_unbridge` when not bridged: `NOTCONN`;
//! - `port_addr_add` of an address already on the port (whatever its prefix): `EXIST`; `port_route_add` of
//!   a destination already in the table (same network and prefix, the gateway's default route included):
//!   `EXIST`; more than 1024 addresses or 1024 routes: `NOSPC`;
//! - `port_addr_remove` of an address not on the port: `ADDRNOTAVAIL`; `port_route_remove` of a destination
//!   address no route has (it removes every route to that address, whatever the prefix): `SRCH` (as Linux
//!   answers both);
//! - `port_dhcp_acquire` without a pool: `NOTSUP`; with every address of the pool leased: `ADDRNOTAVAIL`.
//!
//! The list calls read the buffer's capacity from `*n`, write as many entries as fit, and set `*n` to the
//! number of entries the port has: `SUCCESS` when they all fit, `OVERFLOW` when not (the seed's rule; the
//! entries that fit are written).

pub(crate) mod lan;
pub(crate) mod nic;

pub use nic::Bridge;

use super::{mem, state, status, Sim};
use crate::seed::addr;
use crate::{Addr, AddrCidr, Errno, HardwareAddress, OptionTimestamp, Route, Size, StreamSecurity};
use nic::{Cidr, RouteEntry, MAX_ENTRIES};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

impl Sim {
    /// The remote network this instance's port is bridged to (`port_bridge`), if any.
    ///
    /// ```
    /// let sim = wasix_sys::sim::Config::new().build().unwrap();
    /// sim.run(|| {
    ///     let (net, token) = (b"office", b"secret");
    ///     let security = wasix_sys::StreamSecurity::ANY_ENCRYPTION;
    ///     // SAFETY: both byte strings with their lengths.
    ///     let e = unsafe { wasix_sys::port_bridge(net.as_ptr(), net.len(), token.as_ptr(), token.len(), security) };
    ///     assert_eq!(e, wasix_sys::Errno::SUCCESS);
    /// });
    /// assert_eq!(sim.bridge().unwrap().network, b"office");
    /// ```
    pub fn bridge(&self) -> Option<Bridge> {
        self.state.port.state().bridge.clone()
    }
}

/// The address an `addr` record holds, read through `p`.
///
/// # Safety
/// A non-null `p` must be valid for reading an `Addr`.
unsafe fn read_addr(p: *const Addr) -> Result<IpAddr, Errno> {
    // SAFETY: per the caller.
    addr::ip_addr(&unsafe { mem::read(p) }?)
}

/// The CIDR an `addr_cidr` record holds, read through `p`.
///
/// # Safety
/// A non-null `p` must be valid for reading an `AddrCidr`.
unsafe fn read_cidr(p: *const AddrCidr) -> Result<Cidr, Errno> {
    // SAFETY: per the caller.
    addr::cidr(&unsafe { mem::read(p) }?)
}

/// An `option_timestamp` read through `p` (`INVAL` for an unknown tag).
///
/// # Safety
/// A non-null `p` must be valid for reading an `OptionTimestamp`.
unsafe fn read_time(p: *const OptionTimestamp) -> Result<Option<u64>, Errno> {
    // SAFETY: per the caller.
    let t = unsafe { mem::read(p) }?;
    match (t.as_none(), t.as_some()) {
        (Some(_), _) => Ok(None),
        (_, Some(t)) => Ok(Some(t)),
        _ => Err(Errno::INVAL),
    }
}

fn option_timestamp(t: Option<u64>) -> OptionTimestamp {
    t.map_or(OptionTimestamp::none(0), OptionTimestamp::some)
}

/// The default route of `ip`'s family: `0.0.0.0/0` or `::/0`.
fn default_destination(ip: IpAddr) -> Cidr {
    match ip {
        IpAddr::V4(_) => (IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0),
        IpAddr::V6(_) => (IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0),
    }
}

/// Makes `gateway` its family's default route.
fn set_gateway(routes: &mut Vec<RouteEntry>, gateway: IpAddr) {
    let dest = default_destination(gateway);
    routes.retain(|r| r.cidr != dest);
    routes.push(RouteEntry { cidr: dest, via: gateway, preferred_until: None, expires_at: None });
}

/// Writes a list call's result: as many records as `*n` says fit, then `*n` = every record's count;
/// `OVERFLOW` when they did not all fit.
///
/// # Safety
/// `n` must be null or valid for reading and writing a `Size`; a non-null `list` valid for writing `*n`
/// records.
unsafe fn write_list<T: Copy>(list: *mut T, n: *mut Size, records: &[T]) -> Result<(), Errno> {
    // SAFETY: per the caller.
    let capacity = usize::try_from(unsafe { mem::read(n) }?).unwrap_or(usize::MAX);
    let fit = records.len().min(capacity);
    // SAFETY: `list` holds at least `capacity >= fit` records, per the caller.
    unsafe { mem::write_list(list, &records[..fit]) }?;
    let count = Size::try_from(records.len()).map_err(|_| Errno::OVERFLOW)?;
    // SAFETY: per the caller.
    unsafe { mem::write(n, count) }?;
    if fit < records.len() {
        return Err(Errno::OVERFLOW);
    }
    Ok(())
}

/// Securely connects to a remote network: recorded (see the module docs).
///
/// # Safety
/// Each non-null string must be valid for its length.
pub(crate) unsafe fn port_bridge(
    network: *const u8,
    network_len: usize,
    token: *const u8,
    token_len: usize,
    security: StreamSecurity,
) -> Errno {
    // SAFETY: per the caller.
    let (network, token) = match unsafe { (mem::records(network, network_len), mem::records(token, token_len)) } {
        (Ok(n), Ok(t)) => (n.collect::<Vec<u8>>(), t.collect::<Vec<u8>>()),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    if network.is_empty() || StreamSecurity::from_bits(security.bits()).is_none() {
        return Errno::INVAL;
    }
    state::with(|s| {
        let mut port = s.port.state();
        if port.bridge.is_some() {
            return Errno::ISCONN;
        }
        s.port.set_bridge(&mut port, Some(Bridge { network, token, security }));
        Errno::SUCCESS
    })
}

/// Disconnects from the remote network (`NOTCONN` when not bridged).
pub(crate) unsafe fn port_unbridge() -> Errno {
    state::with(|s| {
        let mut port = s.port.state();
        if port.bridge.is_none() {
            return Errno::NOTCONN;
        }
        s.port.set_bridge(&mut port, None);
        Errno::SUCCESS
    })
}

/// Leases an address from the instance's DHCP pool and sets the gateway (see the module docs).
pub(crate) unsafe fn port_dhcp_acquire() -> Errno {
    state::with(|s| {
        let Some(pool) = &s.port.pool else { return Errno::NOTSUP };
        let mut port = s.port.state();
        let ip = match port.lease {
            Some(ip) => ip,
            None => match pool.lease() {
                Ok(ip) => ip,
                Err(e) => return e,
            },
        };
        port.lease = Some(ip);
        if !port.addrs.iter().any(|a| a.0 == ip) {
            if port.addrs.len() >= MAX_ENTRIES {
                return Errno::NOSPC;
            }
            port.addrs.push((ip, pool.prefix()));
        }
        set_gateway(&mut port.routes, pool.gateway());
        Errno::SUCCESS
    })
}

/// Adds an address.
///
/// # Safety
/// A non-null `addr` must be valid for reading.
pub(crate) unsafe fn port_addr_add(addr: *const AddrCidr) -> Errno {
    // SAFETY: per the caller.
    let cidr = match unsafe { read_cidr(addr) } {
        Ok(c) => c,
        Err(e) => return e,
    };
    state::with(|s| {
        let mut port = s.port.state();
        if port.addrs.iter().any(|a| a.0 == cidr.0) {
            return Errno::EXIST;
        }
        if port.addrs.len() >= MAX_ENTRIES {
            return Errno::NOSPC;
        }
        port.addrs.push(cidr);
        Errno::SUCCESS
    })
}

/// Removes an address (`ADDRNOTAVAIL` when it is not on the port).
///
/// # Safety
/// A non-null `addr` must be valid for reading.
pub(crate) unsafe fn port_addr_remove(addr: *const Addr) -> Errno {
    // SAFETY: per the caller.
    let ip = match unsafe { read_addr(addr) } {
        Ok(ip) => ip,
        Err(e) => return e,
    };
    state::with(|s| {
        let mut port = s.port.state();
        let before = port.addrs.len();
        port.addrs.retain(|a| a.0 != ip);
        if port.addrs.len() == before {
            return Errno::ADDRNOTAVAIL;
        }
        Errno::SUCCESS
    })
}

/// Removes every address.
pub(crate) unsafe fn port_addr_clear() -> Errno {
    state::with(|s| s.port.state().addrs.clear());
    Errno::SUCCESS
}

/// The port's MAC address.
///
/// # Safety
/// A non-null `ret` must be valid for writing.
pub(crate) unsafe fn port_mac(ret: *mut HardwareAddress) -> Errno {
    let mac = state::with(|s| s.port.mac);
    // SAFETY: per the caller.
    status(unsafe { mem::write(ret, addr::hardware_address(mac)) })
}

/// The port's addresses (see the module docs for a short buffer).
///
/// # Safety
/// `naddrs` must be null or valid for reading and writing; a non-null `addrs` valid for `*naddrs` records.
pub(crate) unsafe fn port_addr_list(addrs: *mut AddrCidr, naddrs: *mut Size) -> Errno {
    let records: Vec<AddrCidr> =
        state::with(|s| s.port.state().addrs.iter().map(|&(ip, p)| addr::addr_cidr(ip, p)).collect());
    // SAFETY: per the caller.
    status(unsafe { write_list(addrs, naddrs, &records) })
}

/// Sets the gateway: its family's default route.
///
/// # Safety
/// A non-null `addr` must be valid for reading.
pub(crate) unsafe fn port_gateway_set(addr: *const Addr) -> Errno {
    // SAFETY: per the caller.
    let ip = match unsafe { read_addr(addr) } {
        Ok(ip) if ip.is_unspecified() => return Errno::INVAL,
        Ok(ip) => ip,
        Err(e) => return e,
    };
    state::with(|s| set_gateway(&mut s.port.state().routes, ip));
    Errno::SUCCESS
}

/// Adds a route.
///
/// # Safety
/// Each non-null pointer must be valid for reading.
pub(crate) unsafe fn port_route_add(
    cidr: *const AddrCidr,
    via_router: *const Addr,
    preferred_until: *const OptionTimestamp,
    expires_at: *const OptionTimestamp,
) -> Errno {
    // SAFETY: per the caller.
    let read = || unsafe {
        let entry = RouteEntry {
            cidr: read_cidr(cidr)?,
            via: read_addr(via_router)?,
            preferred_until: read_time(preferred_until)?,
            expires_at: read_time(expires_at)?,
        };
        if !nic::is_network(entry.cidr) || entry.cidr.0.is_ipv4() != entry.via.is_ipv4() {
            return Err(Errno::INVAL);
        }
        Ok(entry)
    };
    let entry = match read() {
        Ok(e) => e,
        Err(e) => return e,
    };
    state::with(|s| {
        let mut port = s.port.state();
        if port.routes.iter().any(|r| r.cidr == entry.cidr) {
            return Errno::EXIST;
        }
        if port.routes.len() >= MAX_ENTRIES {
            return Errno::NOSPC;
        }
        port.routes.push(entry);
        Errno::SUCCESS
    })
}

/// Removes every route to a destination address (`SRCH` when there is none).
///
/// # Safety
/// A non-null `cidr` must be valid for reading.
pub(crate) unsafe fn port_route_remove(cidr: *const Addr) -> Errno {
    // SAFETY: per the caller.
    let ip = match unsafe { read_addr(cidr) } {
        Ok(ip) => ip,
        Err(e) => return e,
    };
    state::with(|s| {
        let mut port = s.port.state();
        let before = port.routes.len();
        port.routes.retain(|r| r.cidr.0 != ip);
        if port.routes.len() == before {
            return Errno::SRCH;
        }
        Errno::SUCCESS
    })
}

/// Removes every route, the gateway's included.
pub(crate) unsafe fn port_route_clear() -> Errno {
    state::with(|s| s.port.state().routes.clear());
    Errno::SUCCESS
}

/// The route table (see the module docs for a short buffer).
///
/// # Safety
/// `nroutes` must be null or valid for reading and writing; a non-null `routes` valid for `*nroutes`
/// records.
pub(crate) unsafe fn port_route_list(routes: *mut Route, nroutes: *mut Size) -> Errno {
    let records: Vec<Route> = state::with(|s| {
        s.port
            .state()
            .routes
            .iter()
            .map(|r| Route {
                cidr: addr::addr_cidr(r.cidr.0, r.cidr.1),
                via_router: addr::addr(r.via),
                preferred_until: option_timestamp(r.preferred_until),
                expires_at: option_timestamp(r.expires_at),
            })
            .collect()
    });
    // SAFETY: per the caller.
    status(unsafe { write_list(routes, nroutes, &records) })
}
