//! The virtual LAN: instances whose ports are bridged to the same network with the same token
//! (`port_bridge`), and that share a [`Switch`] (every instance built from clones of one
//! [`Config`](crate::sim::Config), and the processes they spawn), reach each other's sockets at their
//! virtual addresses: the addresses on their ports (`port_addr_add`, a DHCP lease).
//!
//! # How
//! - A socket of a bridged instance **bound to one of its port's addresses** (or to the unspecified address
//!   while the port has addresses of that family) is a host socket bound to loopback at a port the host
//!   picks; the switch maps each virtual address and port (the one asked for, or the host's port for 0) to
//!   that host address, for TCP and UDP apart. A virtual address and port already mapped on the network is
//!   `ADDRINUSE`. The mapping ends when the socket is closed.
//! - **Connecting or sending** to an address inside one of the port's networks (an address's prefix) goes
//!   to the host address the switch maps it to; a socket not bound yet is bound first, to the port's first
//!   address of that family at the host's port. No mapping: `CONNREFUSED` for a connection, and a datagram
//!   is dropped (the send succeeds), as on a real LAN. Virtual addresses pass the instance's network policy:
//!   the traffic stays on the host's loopback.
//! - **Addresses reported** (`sock_addr_local`, `sock_addr_peer`, `sock_accept`, `sock_recv_from`) are the
//!   virtual ones for sockets on the LAN.
//! - Everything else (routes, the gateway) stays bookkeeping: there is no router, so an address outside
//!   the port's networks follows the network policy as without a bridge.

use super::nic::Cidr;
use crate::Errno;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Which port space an address belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Proto {
    Tcp,
    Udp,
}

/// The switch instances of one configuration share.
#[derive(Debug, Default)]
pub struct Switch {
    maps: Mutex<Maps>,
}

#[derive(Debug, Default)]
struct Maps {
    /// (network key, proto, virtual address) → host address.
    forward: HashMap<(Arc<[u8]>, Proto, SocketAddr), SocketAddr>,
    /// (proto, host address) → virtual address.
    reverse: HashMap<(Proto, SocketAddr), SocketAddr>,
}

impl Switch {
    fn maps(&self) -> MutexGuard<'_, Maps> {
        self.maps.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What an instance's port is on: the switch, the network's key (name and token) and the port's addresses.
#[derive(Clone, Debug)]
pub(crate) struct Lan {
    pub switch: Arc<Switch>,
    pub key: Arc<[u8]>,
    pub addrs: Vec<Cidr>,
}

/// Whether `ip` lies in the network `(net, prefix)`.
fn contains((net, prefix): Cidr, ip: IpAddr) -> bool {
    let (a, b, bits) = match (net, ip.to_canonical()) {
        (IpAddr::V4(n), IpAddr::V4(i)) => (u128::from(u32::from(n)) << 96, u128::from(u32::from(i)) << 96, 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
        _ => return false,
    };
    let prefix = u32::from(prefix.min(bits));
    let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - prefix) };
    a & mask == b & mask
}

impl Lan {
    /// Whether `ip` is one of the port's own addresses.
    pub fn owns(&self, ip: IpAddr) -> bool {
        self.addrs.iter().any(|(a, _)| *a == ip.to_canonical())
    }

    /// Whether `ip` lies in one of the port's networks.
    pub fn covers(&self, ip: IpAddr) -> bool {
        self.addrs.iter().any(|&c| contains(c, ip))
    }

    /// The port's addresses of `ip`'s family.
    pub fn addresses_like(&self, ip: IpAddr) -> Vec<IpAddr> {
        self.addrs.iter().map(|(a, _)| *a).filter(|a| a.is_ipv4() == ip.to_canonical().is_ipv4()).collect()
    }

    /// The host address virtual address `to` maps to.
    pub fn lookup(&self, proto: Proto, to: SocketAddr) -> Option<SocketAddr> {
        let to = SocketAddr::new(to.ip().to_canonical(), to.port());
        self.switch.maps().forward.get(&(self.key.clone(), proto, to)).copied()
    }

    /// Maps each of `virts` to host address `real`, all or none (`ADDRINUSE` if one is taken); `local` is
    /// the address the socket reports as its own.
    pub fn bind(
        &self,
        proto: Proto,
        local: SocketAddr,
        virts: Vec<SocketAddr>,
        real: SocketAddr,
    ) -> Result<Binding, Errno> {
        let mut maps = self.switch.maps();
        if virts.iter().any(|v| maps.forward.contains_key(&(self.key.clone(), proto, *v))) {
            return Err(Errno::ADDRINUSE);
        }
        for v in &virts {
            maps.forward.insert((self.key.clone(), proto, *v), real);
        }
        maps.reverse.insert((proto, real), local);
        Ok(Binding { switch: self.switch.clone(), key: self.key.clone(), proto, local, virts, real, owned: true })
    }
}

/// A socket's place on the LAN; dropping it (with the socket) ends the mapping.
#[derive(Debug)]
pub(crate) struct Binding {
    switch: Arc<Switch>,
    key: Arc<[u8]>,
    pub proto: Proto,
    /// The address it reports as its own.
    pub local: SocketAddr,
    /// The virtual addresses it answers at.
    virts: Vec<SocketAddr>,
    real: SocketAddr,
    /// Whether dropping it ends the mapping (false for the view of a connection a listener accepted).
    owned: bool,
}

impl Binding {
    /// The view a connection accepted by this listener gets: the same local address and switch, mapping
    /// nothing of its own.
    pub fn accepted(&self) -> Binding {
        let local = if self.local.ip().is_unspecified() { self.virts[0] } else { self.local };
        Binding { local, virts: Vec::new(), owned: false, switch: self.switch.clone(), key: self.key.clone(), ..*self }
    }

    /// The virtual address of host address `real` (a peer on the same switch), if it has one.
    pub fn virtual_of(&self, real: SocketAddr) -> Option<SocketAddr> {
        self.switch.maps().reverse.get(&(self.proto, real)).copied()
    }
}

impl Drop for Binding {
    fn drop(&mut self) {
        if !self.owned {
            return;
        }
        let mut maps = self.switch.maps();
        for v in &self.virts {
            maps.forward.remove(&(self.key.clone(), self.proto, *v));
        }
        maps.reverse.remove(&(self.proto, self.real));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_contain_their_addresses() {
        let net = ("192.0.2.0".parse().unwrap(), 24);
        assert!(contains(net, "192.0.2.77".parse().unwrap()));
        assert!(!contains(net, "198.51.100.1".parse().unwrap()));
        assert!(contains(net, "::ffff:192.0.2.1".parse().unwrap()), "an IPv4-mapped address");
        assert!(contains(("fd00::".parse().unwrap(), 8), "fd12::1".parse().unwrap()));
        assert!(!contains(("fd00::".parse().unwrap(), 16), "fd12::1".parse().unwrap()));
        assert!(contains(("0.0.0.0".parse().unwrap(), 0), "203.0.113.9".parse().unwrap()));
    }

    #[test]
    fn a_mapping_lives_as_long_as_its_binding() {
        let lan = Lan { switch: Arc::default(), key: Arc::from(&b"net"[..]), addrs: vec![] };
        let virt: SocketAddr = "192.0.2.1:80".parse().unwrap();
        let real: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let b = lan.bind(Proto::Tcp, virt, vec![virt], real).unwrap();
        assert_eq!(lan.lookup(Proto::Tcp, virt), Some(real));
        assert_eq!(lan.lookup(Proto::Udp, virt), None, "TCP and UDP ports apart");
        assert_eq!(lan.bind(Proto::Tcp, virt, vec![virt], real).unwrap_err(), Errno::ADDRINUSE);
        assert_eq!(b.virtual_of(real), Some(virt));
        drop(b.accepted());
        assert_eq!(lan.lookup(Proto::Tcp, virt), Some(real), "a view ends nothing");
        drop(b);
        assert_eq!(lan.lookup(Proto::Tcp, virt), None);
    }
}
