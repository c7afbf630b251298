//! The port's typed records: [`MacAddress`], [`Cidr`] and [`Route`], each converting its raw record through
//! [`wasix_sys::seed::addr`] (the seed's byte orders, written once).

use crate::conv;
use crate::io::{Errno, Result};
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::SystemTime;
use wasix_sys::seed::addr;

/// A port's MAC (hardware) address: six octets, in written order.
///
/// ```
/// let mac = wasix::port::MacAddress::new([0x02, 0, 0, 0, 0, 0x2a]);
/// assert_eq!(mac.to_string(), "02:00:00:00:00:2a");
/// assert!(mac.is_locally_administered() && mac.is_unicast());
/// ```
#[doc(alias = "hardware_address")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MacAddress([u8; 6]);

impl MacAddress {
    /// The address of six octets.
    pub const fn new(octets: [u8; 6]) -> Self {
        MacAddress(octets)
    }

    /// The six octets.
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// Whether the locally administered bit (bit 1 of the first octet) is set.
    pub const fn is_locally_administered(&self) -> bool {
        self.0[0] & 0b10 != 0
    }

    /// Whether it is a unicast address (bit 0 of the first octet clear).
    pub const fn is_unicast(&self) -> bool {
        self.0[0] & 0b1 == 0
    }

    pub(crate) fn from_raw(raw: wasix_sys::HardwareAddress) -> Self {
        MacAddress(addr::mac(raw))
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// An IP address with a prefix length: an interface address (`10.0.0.5/24`) or a network (`10.0.0.0/24`).
///
/// ```
/// use wasix::port::Cidr;
///
/// let cidr = Cidr::new("10.0.0.5".parse().unwrap(), 24).unwrap();
/// assert_eq!((cidr.to_string(), cidr.network().to_string()), ("10.0.0.5/24".into(), "10.0.0.0/24".into()));
/// assert_eq!(Cidr::new("10.0.0.5".parse().unwrap(), 33), Err(wasix::io::Errno::INVAL));
/// ```
#[doc(alias = "addr_cidr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// The address with a prefix length: `INVAL` for one longer than the address (32 bits, 128 bits).
    pub fn new(addr: IpAddr, prefix: u8) -> Result<Self> {
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        if prefix > bits {
            return Err(Errno::INVAL);
        }
        Ok(Cidr { addr, prefix })
    }

    /// The address.
    pub const fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length in bits.
    pub const fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The network: the address with its host bits cleared.
    pub fn network(&self) -> Cidr {
        let addr = match self.addr {
            IpAddr::V4(a) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from_bits(a.to_bits() & mask))
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from_bits(a.to_bits() & mask))
            }
        };
        Cidr { addr, prefix: self.prefix }
    }

    pub(crate) fn raw(&self) -> wasix_sys::AddrCidr {
        addr::addr_cidr(self.addr, self.prefix)
    }

    pub(crate) fn from_raw(raw: &wasix_sys::AddrCidr) -> Result<Self> {
        let (addr, prefix) = addr::cidr(raw)?;
        Ok(Cidr { addr, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// A route: packets to a destination network go through a router, optionally until given times (realtime).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use wasix::port::{Cidr, Route};
///
/// let lan = Cidr::new("10.1.0.0".parse().unwrap(), 16).unwrap();
/// let later = SystemTime::now() + Duration::from_secs(60);
/// let route = Route::new(lan, "10.0.0.1".parse().unwrap()).expires_at(later);
/// assert_eq!((route.destination(), route.expires(), route.preferred()), (lan, Some(later), None));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    destination: Cidr,
    via: IpAddr,
    preferred_until: Option<SystemTime>,
    expires_at: Option<SystemTime>,
}

impl Route {
    /// A route to `destination` through `via`, without times.
    pub fn new(destination: Cidr, via: IpAddr) -> Self {
        Route { destination, via, preferred_until: None, expires_at: None }
    }

    /// Sets the time until which the route is preferred.
    pub fn preferred_until(mut self, t: SystemTime) -> Self {
        self.preferred_until = Some(t);
        self
    }

    /// Sets the time the route expires.
    pub fn expires_at(mut self, t: SystemTime) -> Self {
        self.expires_at = Some(t);
        self
    }

    /// The destination network.
    pub fn destination(&self) -> Cidr {
        self.destination
    }

    /// The router.
    pub fn via(&self) -> IpAddr {
        self.via
    }

    /// Until when the route is preferred, if it says.
    pub fn preferred(&self) -> Option<SystemTime> {
        self.preferred_until
    }

    /// When the route expires, if it does.
    pub fn expires(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// The raw times, `OVERFLOW` for a time the ABI cannot carry and `INVAL` for one before 1970.
    pub(crate) fn raw_times(&self) -> Result<(wasix_sys::OptionTimestamp, wasix_sys::OptionTimestamp)> {
        let raw = |t: Option<SystemTime>| -> Result<wasix_sys::OptionTimestamp> {
            Ok(match t {
                None => wasix_sys::OptionTimestamp::none(0),
                Some(t) => wasix_sys::OptionTimestamp::some(conv::realtime(t)?),
            })
        };
        Ok((raw(self.preferred_until)?, raw(self.expires_at)?))
    }

    pub(crate) fn from_raw(raw: &wasix_sys::Route) -> Result<Self> {
        let time = |t: wasix_sys::OptionTimestamp| match (t.as_none(), t.as_some()) {
            (Some(_), _) => Ok(None),
            (_, Some(ts)) => Ok(Some(conv::system_time(ts))),
            _ => Err(Errno::INVAL),
        };
        Ok(Route {
            destination: Cidr::from_raw(&raw.cidr)?,
            via: addr::ip_addr(&raw.via_router)?,
            preferred_until: time(raw.preferred_until)?,
            expires_at: time(raw.expires_at)?,
        })
    }
}
