//! The virtual network port (NIC) of the process: its MAC address, addresses, routes and gateway, DHCP, and
//! bridging to a remote network (`port_*`).
//!
//! ```
//! use wasix::port::{self, Cidr, Route};
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     assert!(port::mac().unwrap().is_locally_administered());
//!     let me = Cidr::new("10.0.0.5".parse().unwrap(), 24).unwrap();
//!     port::add_address(me).unwrap();
//!     assert_eq!(port::addresses().unwrap(), [me]);
//!     port::set_gateway("10.0.0.1".parse().unwrap()).unwrap();
//!     let lan = Cidr::new("10.1.0.0".parse().unwrap(), 16).unwrap();
//!     port::add_route(&Route::new(lan, "10.0.0.9".parse().unwrap())).unwrap();
//!     assert_eq!(port::routes().unwrap().len(), 2, "the gateway is the default route");
//! });
//! ```
//!
//! # Hosts
//! - The simulator keeps the port as bookkeeping the guest configures and reads back (the rules are in
//!   `wasix_sys::sim`'s `port` module): sockets do not use its addresses or routes, they follow the
//!   instance's network policy. DHCP leases from a pool set with `Config::dhcp_pool`; without one
//!   [`dhcp_acquire`] is `NOTSUP`.
//! - Wasmer 7.4.2 under host networking (`wasmer run --net`) serves none of these calls: each is `NOTSUP`
//!   (`IO` without `--net`).
//!
//! # Errors
//! Refused input is `INVAL` (a prefix longer than the address: [`Cidr::new`]; a route whose destination
//! has host bits set or whose router is of another family; an empty network name or an unknown
//! [`StreamSecurity`] bit); adding what is there is `EXIST`, removing what is not `ADDRNOTAVAIL` (an address)
//! or `SRCH` (a route); bridging twice is `ISCONN`, unbridging when not bridged `NOTCONN`.

#![allow(unsafe_code)] // Raw calls.

mod addr;

pub use addr::{Cidr, MacAddress, Route};
/// The security a bridge asks for (flags, as the seed defines them).
pub use wasix_sys::StreamSecurity;

use crate::conv;
use crate::host;
use crate::io::{Errno, Result};
use core::net::IpAddr;
use wasix_sys::seed::addr as records;

/// The port's MAC address.
#[doc(alias = "port_mac")]
pub fn mac() -> Result<MacAddress> {
    // SAFETY: `port_mac` writes a `hardware_address` on success.
    let raw = unsafe { conv::out(|ret| host::port_mac(ret)) }?;
    Ok(MacAddress::from_raw(raw))
}

/// Reads a list the host fills as far as it fits, growing the buffer while the host says `OVERFLOW` with
/// the count it needs (a few times at most, in case the list grows meanwhile).
fn list<T: Copy + Default>(call: unsafe fn(*mut T, *mut wasix_sys::Size) -> Errno) -> Result<Vec<T>> {
    let mut buf = vec![T::default(); 8];
    for _ in 0..8 {
        let mut n = wasix_sys::Size::try_from(buf.len()).unwrap_or(wasix_sys::Size::MAX);
        // SAFETY: `buf` holds `n` records; the host writes at most `n` and sets `n`.
        match conv::result(unsafe { call(buf.as_mut_ptr(), &mut n) }) {
            Ok(()) => {
                buf.truncate(conv::usize_from(n).min(buf.len()));
                return Ok(buf);
            }
            Err(Errno::OVERFLOW) if conv::usize_from(n) > buf.len() => {
                buf.resize(conv::usize_from(n), T::default());
            }
            Err(e) => return Err(e),
        }
    }
    Err(Errno::OVERFLOW)
}

/// The port's addresses, in the order they were added.
#[doc(alias = "port_addr_list")]
pub fn addresses() -> Result<Vec<Cidr>> {
    list(host::port_addr_list)?.iter().map(Cidr::from_raw).collect()
}

/// Adds an address (`EXIST` if the address is on the port already).
#[doc(alias = "port_addr_add")]
pub fn add_address(cidr: Cidr) -> Result<()> {
    // SAFETY: a valid record.
    conv::result(unsafe { host::port_addr_add(&cidr.raw()) })
}

/// Removes an address (`ADDRNOTAVAIL` if it is not on the port).
#[doc(alias = "port_addr_remove")]
pub fn remove_address(addr: IpAddr) -> Result<()> {
    // SAFETY: a valid record.
    conv::result(unsafe { host::port_addr_remove(&records::addr(addr)) })
}

/// Removes every address.
#[doc(alias = "port_addr_clear")]
pub fn clear_addresses() -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { host::port_addr_clear() })
}

/// Sets the default gateway of the address's family.
#[doc(alias = "port_gateway_set")]
pub fn set_gateway(addr: IpAddr) -> Result<()> {
    // SAFETY: a valid record.
    conv::result(unsafe { host::port_gateway_set(&records::addr(addr)) })
}

/// The route table.
#[doc(alias = "port_route_list")]
pub fn routes() -> Result<Vec<Route>> {
    list(host::port_route_list)?.iter().map(Route::from_raw).collect()
}

/// Adds a route (`EXIST` if the table has one to that destination).
#[doc(alias = "port_route_add")]
pub fn add_route(route: &Route) -> Result<()> {
    let (preferred_until, expires_at) = route.raw_times()?;
    let (cidr, via) = (route.destination().raw(), records::addr(route.via()));
    // SAFETY: valid records.
    conv::result(unsafe { host::port_route_add(&cidr, &via, &preferred_until, &expires_at) })
}

/// Removes every route to the destination address `addr`, whatever its prefix (`SRCH` if there is none).
#[doc(alias = "port_route_remove")]
pub fn remove_route(addr: IpAddr) -> Result<()> {
    // SAFETY: a valid record.
    conv::result(unsafe { host::port_route_remove(&records::addr(addr)) })
}

/// Removes every route, the default ones included.
#[doc(alias = "port_route_clear")]
pub fn clear_routes() -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { host::port_route_clear() })
}

/// Acquires an address by DHCP (it is added to [`addresses`]) and sets the gateway.
///
/// ```
/// use wasix::sim::Config;
///
/// Config::new().dhcp_pool("192.168.5.0".parse().unwrap(), 24).build().unwrap().run(|| {
///     wasix::port::dhcp_acquire().unwrap();
///     let lease = wasix::port::addresses().unwrap()[0];
///     assert_eq!(lease.to_string(), "192.168.5.2/24");
///     assert_eq!(wasix::port::routes().unwrap()[0].via().to_string(), "192.168.5.1");
/// });
/// ```
#[doc(alias = "port_dhcp_acquire")]
pub fn dhcp_acquire() -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { host::port_dhcp_acquire() })
}

/// Connects the port to a remote network: the network's name, an access token and the security asked for.
///
/// ```
/// use wasix::port::{Bridge, StreamSecurity};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     Bridge::new("wss://example.net/lan").token("secret").security(StreamSecurity::ANY_ENCRYPTION).connect().unwrap();
///     wasix::port::unbridge().unwrap();
///     assert_eq!(wasix::port::unbridge(), Err(wasix::io::Errno::NOTCONN));
/// });
/// ```
#[doc(alias = "port_bridge")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bridge {
    network: String,
    token: Vec<u8>,
    security: StreamSecurity,
}

impl Bridge {
    /// A bridge to `network`, without a token or a security requirement.
    pub fn new(network: impl Into<String>) -> Self {
        Bridge { network: network.into(), token: Vec::new(), security: StreamSecurity::empty() }
    }

    /// Sets the network's name.
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = network.into();
        self
    }

    /// Sets the access token.
    pub fn token(mut self, token: impl AsRef<[u8]>) -> Self {
        self.token = token.as_ref().to_vec();
        self
    }

    /// Sets the security asked for.
    pub fn security(mut self, security: StreamSecurity) -> Self {
        self.security = security;
        self
    }

    /// Connects (`ISCONN` if the port is bridged already).
    pub fn connect(&self) -> Result<()> {
        let (network, token) = (self.network.as_bytes(), &self.token[..]);
        // SAFETY: both byte strings with their lengths.
        conv::result(unsafe {
            host::port_bridge(network.as_ptr(), network.len(), token.as_ptr(), token.len(), self.security)
        })
    }
}

/// Disconnects the port from its remote network (`NOTCONN` if it is not bridged).
#[doc(alias = "port_unbridge")]
pub fn unbridge() -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { host::port_unbridge() })
}
