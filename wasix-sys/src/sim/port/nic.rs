//! The virtual NIC one instance owns ([`Nic`], the `port` field of `State`) and the DHCP pool instances
//! may share ([`DhcpPool`]): the bookkeeping the `port_*` calls read and change. The rules are the module
//! docs' (`sim/port`).

use crate::{Errno, StreamSecurity, Timestamp};
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// At most this many addresses, and this many routes, on one port: another is `NOSPC`.
pub(crate) const MAX_ENTRIES: usize = 1024;

/// An address or network and its prefix length, checked against the family's bits.
pub(crate) type Cidr = (IpAddr, u8);

/// One route of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RouteEntry {
    pub cidr: Cidr,
    pub via: IpAddr,
    pub preferred_until: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
}

/// The remote network a port is bridged to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bridge {
    /// The network's name, as `port_bridge` got it.
    pub network: Vec<u8>,
    /// The access token, as `port_bridge` got it.
    pub token: Vec<u8>,
    /// The security the guest asked for.
    pub security: StreamSecurity,
}

/// What a port holds besides its MAC address.
#[derive(Debug, Default)]
pub(crate) struct PortState {
    pub addrs: Vec<Cidr>,
    pub routes: Vec<RouteEntry>,
    pub bridge: Option<Bridge>,
    /// The address leased from the pool, kept until the instance ends.
    pub lease: Option<IpAddr>,
}

/// An instance's virtual NIC.
#[derive(Debug)]
pub(crate) struct Nic {
    pub mac: [u8; 6],
    pub pool: Option<Arc<DhcpPool>>,
    state: Mutex<PortState>,
    /// Whether `state.bridge` is set: what a socket call reads to know the LAN need not be looked at.
    bridged: AtomicBool,
}

impl Nic {
    pub fn new(mac: [u8; 6], pool: Option<Arc<DhcpPool>>) -> Self {
        Nic { mac, pool, state: Mutex::default(), bridged: AtomicBool::new(false) }
    }

    /// Records the bridge (`None`: unbridged) in `state`, keeping [`Nic::bridged`] in step.
    pub fn set_bridge(&self, state: &mut PortState, bridge: Option<Bridge>) {
        self.bridged.store(bridge.is_some(), Ordering::Relaxed);
        state.bridge = bridge;
    }

    /// Whether the port is bridged (one relaxed load).
    #[inline]
    pub fn bridged(&self) -> bool {
        self.bridged.load(Ordering::Relaxed)
    }

    /// The port's state; a guest thread that panicked while holding it left it consistent (every change is
    /// a single push, retain or assignment).
    pub fn state(&self) -> MutexGuard<'_, PortState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Nic {
    fn drop(&mut self) {
        let lease = self.state.get_mut().unwrap_or_else(|e| e.into_inner()).lease;
        if let (Some(pool), Some(ip)) = (&self.pool, lease) {
            pool.release(ip);
        }
    }
}

/// The MAC address of the instance with process id `pid`: locally administered (bit 1 of the first octet),
/// unicast (bit 0 clear), `02:00` and the pid's four bytes, most significant first.
pub(crate) fn mac_of_pid(pid: u32) -> [u8; 6] {
    let [a, b, c, d] = pid.to_be_bytes();
    [0x02, 0x00, a, b, c, d]
}

/// The number of host bits of a prefix of `ip`'s family.
fn host_bits(ip: IpAddr, prefix: u8) -> u32 {
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    bits - u32::from(prefix)
}

/// `ip` as a number.
fn number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(v4.to_bits()),
        IpAddr::V6(v6) => v6.to_bits(),
    }
}

/// The address of `ip`'s family with number `n`.
fn from_number(like: IpAddr, n: u128) -> IpAddr {
    match like {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from_bits(n as u32)),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from_bits(n)),
    }
}

/// The mask of a prefix's host bits.
fn host_mask(ip: IpAddr, prefix: u8) -> u128 {
    match host_bits(ip, prefix) {
        128 => u128::MAX,
        n => (1u128 << n) - 1,
    }
}

/// Whether `(ip, prefix)` names a network: no host bit set.
pub(crate) fn is_network((ip, prefix): Cidr) -> bool {
    number(ip) & host_mask(ip, prefix) == 0
}

/// A DHCP server's pool: a network whose first host address is the gateway and whose others are leased in
/// order, one per instance (IPv4 keeps the broadcast address back).
#[derive(Debug)]
pub(crate) struct DhcpPool {
    network: IpAddr,
    prefix: u8,
    /// Host numbers (offsets in the network) leased.
    leased: Mutex<BTreeSet<u128>>,
}

impl DhcpPool {
    /// The pool of network `(network, prefix)` (host bits of `network` ignored); `None` for a prefix longer
    /// than the family's bits.
    pub fn new(network: IpAddr, prefix: u8) -> Option<Self> {
        if u32::from(prefix) > if network.is_ipv4() { 32 } else { 128 } {
            return None;
        }
        let network = from_number(network, number(network) & !host_mask(network, prefix));
        Some(DhcpPool { network, prefix, leased: Mutex::default() })
    }

    /// The gateway every lease names: the network's first host address.
    pub fn gateway(&self) -> IpAddr {
        from_number(self.network, number(self.network).wrapping_add(1))
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The next free address (`ADDRNOTAVAIL` when every one is leased).
    pub fn lease(&self) -> Result<IpAddr, Errno> {
        let mask = host_mask(self.network, self.prefix);
        let last = if self.network.is_ipv4() { mask.saturating_sub(1) } else { mask };
        let mut leased = self.leased.lock().unwrap_or_else(|e| e.into_inner());
        let mut host = 2u128;
        while host <= last {
            if leased.insert(host) {
                return Ok(from_number(self.network, number(self.network) | host));
            }
            host += 1;
        }
        Err(Errno::ADDRNOTAVAIL)
    }

    /// Returns a leased address to the pool.
    fn release(&self, ip: IpAddr) {
        let host = number(ip) & host_mask(self.network, self.prefix);
        self.leased.lock().unwrap_or_else(|e| e.into_inner()).remove(&host);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_leases_in_order_and_runs_out() {
        let pool = DhcpPool::new("10.0.0.77".parse().unwrap(), 29).unwrap();
        assert_eq!(pool.gateway(), "10.0.0.73".parse::<IpAddr>().unwrap());
        let leases: Vec<IpAddr> = (0..5).map(|_| pool.lease().unwrap()).collect();
        assert_eq!(leases[0], "10.0.0.74".parse::<IpAddr>().unwrap());
        assert_eq!(leases[4], "10.0.0.78".parse::<IpAddr>().unwrap());
        assert_eq!(pool.lease(), Err(Errno::ADDRNOTAVAIL));
        pool.release(leases[1]);
        assert_eq!(pool.lease(), Ok(leases[1]));
        assert!(DhcpPool::new("::".parse().unwrap(), 129).is_none());
        let v6 = DhcpPool::new("fd00::".parse().unwrap(), 0).unwrap();
        assert_eq!(v6.lease(), Ok("::2".parse().unwrap()));
    }

    #[test]
    fn networks_have_no_host_bits() {
        assert!(is_network(("10.0.0.0".parse().unwrap(), 8)));
        assert!(!is_network(("10.0.0.1".parse().unwrap(), 8)));
        assert!(is_network(("0.0.0.0".parse().unwrap(), 0)));
        assert!(is_network(("::1".parse().unwrap(), 128)));
        assert!(!is_network(("::1".parse().unwrap(), 0)));
    }

    #[test]
    fn macs_are_local_unicast() {
        let mac = mac_of_pid(0x0102_0304);
        assert_eq!(mac, [2, 0, 1, 2, 3, 4]);
        assert_eq!(mac[0] & 3, 2);
    }
}
