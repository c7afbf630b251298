//! The virtual network port (`wasix::port`): the MAC address, addresses and routes added, listed (past the
//! first buffer) and removed, the gateway as the default route, bridging, refused input; natively also DHCP
//! leases from a pool, configured MAC addresses, the port without a network, and the virtual LAN between
//! bridged instances (`lan`).
//!
//! Every test runs on a port of its own: natively in a fresh simulator instance (tests share the default
//! instance otherwise), on Wasmer in its own instance anyway. Wasmer 7.4.2 under host networking serves no
//! `port_*` call (`NOTSUP`), so every test here but the `sim` ones fails there (`tests/expectations.toml`).

#[cfg(not(target_family = "wasm"))]
mod lan;

use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wasix::io::Errno;
use wasix::port::{self, Bridge, Cidr, Route, StreamSecurity};

/// Runs `test` on a port nothing else uses.
fn own_port(test: impl FnOnce()) {
    #[cfg(not(target_family = "wasm"))]
    wasix::sim::Config::new().build().unwrap().run(test);
    #[cfg(target_family = "wasm")]
    test();
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn cidr(s: &str, prefix: u8) -> Cidr {
    Cidr::new(ip(s), prefix).unwrap()
}

#[test]
fn the_mac_is_stable_and_local_unicast() {
    own_port(|| {
        let mac = port::mac().unwrap();
        assert_eq!(port::mac().unwrap(), mac);
        assert!(mac.is_unicast(), "{mac}");
    });
}

#[test]
fn addresses_are_added_listed_and_removed() {
    own_port(|| {
        port::clear_addresses().unwrap();
        let (a, b) = (cidr("192.0.2.5", 24), cidr("fd00::5", 64));
        port::add_address(a).unwrap();
        port::add_address(b).unwrap();
        assert_eq!(port::addresses().unwrap(), [a, b]);
        assert_eq!(port::add_address(cidr("192.0.2.5", 16)), Err(Errno::EXIST));
        port::remove_address(a.addr()).unwrap();
        assert_eq!(port::remove_address(a.addr()), Err(Errno::ADDRNOTAVAIL));
        assert_eq!(port::addresses().unwrap(), [b]);
        port::clear_addresses().unwrap();
        assert_eq!(port::addresses().unwrap(), []);
    });
}

#[test]
fn a_long_address_list_is_read_whole() {
    own_port(|| {
        port::clear_addresses().unwrap();
        let all: Vec<Cidr> = (1..=40).map(|i| cidr(&format!("198.51.100.{i}"), 24)).collect();
        for &a in &all {
            port::add_address(a).unwrap();
        }
        assert_eq!(port::addresses().unwrap(), all);
    });
}

#[test]
fn routes_keep_their_times() {
    own_port(|| {
        port::clear_routes().unwrap();
        // The ABI carries nanoseconds since the epoch, so these times round-trip exactly.
        let soon = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let later = SystemTime::now() + Duration::from_secs(3600);
        let lan = Route::new(cidr("198.51.100.0", 24), ip("192.0.2.1")).preferred_until(soon).expires_at(later);
        let v6 = Route::new(cidr("fd00:1::", 32), ip("fd00::1"));
        port::add_route(&lan).unwrap();
        port::add_route(&v6).unwrap();
        assert_eq!(port::routes().unwrap(), [lan, v6]);
        assert_eq!(port::add_route(&lan), Err(Errno::EXIST));
        port::remove_route(ip("198.51.100.0")).unwrap();
        assert_eq!(port::remove_route(ip("198.51.100.0")), Err(Errno::SRCH));
        assert_eq!(port::routes().unwrap(), [v6]);
        port::clear_routes().unwrap();
        assert_eq!(port::routes().unwrap(), []);
    });
}

#[test]
fn the_gateway_is_the_default_route() {
    own_port(|| {
        port::clear_routes().unwrap();
        port::set_gateway(ip("192.0.2.1")).unwrap();
        port::set_gateway(ip("192.0.2.254")).unwrap();
        assert_eq!(port::routes().unwrap(), [Route::new(cidr("0.0.0.0", 0), ip("192.0.2.254"))]);
    });
}

#[test]
fn a_bridge_connects_once() {
    own_port(|| {
        let bridge = Bridge::new("wss://example.net/lan").token("secret").security(StreamSecurity::ANY_ENCRYPTION);
        bridge.connect().unwrap();
        assert_eq!(bridge.connect(), Err(Errno::ISCONN));
        port::unbridge().unwrap();
        assert_eq!(port::unbridge(), Err(Errno::NOTCONN));
    });
}

#[test]
fn bad_input_is_inval() {
    own_port(|| {
        assert_eq!(Cidr::new(ip("192.0.2.0"), 33), Err(Errno::INVAL));
        assert_eq!(Cidr::new(ip("::"), 129), Err(Errno::INVAL));
        let host_bits = Route::new(cidr("192.0.2.1", 24), ip("192.0.2.1"));
        assert_eq!(port::add_route(&host_bits), Err(Errno::INVAL));
        let other_family = Route::new(cidr("192.0.2.0", 24), ip("fd00::1"));
        assert_eq!(port::add_route(&other_family), Err(Errno::INVAL));
        assert_eq!(Bridge::new("").connect(), Err(Errno::INVAL));
        let unknown = StreamSecurity::from_bits_retain(1 << 7);
        assert_eq!(Bridge::new("net").security(unknown).connect(), Err(Errno::INVAL));
        assert_eq!(port::set_gateway(ip("0.0.0.0")), Err(Errno::INVAL));
    });
}

/// What needs the simulator's configuration: a DHCP pool, a MAC address, a network policy.
#[cfg(not(target_family = "wasm"))]
mod sim {
    use super::{cidr, ip};
    use wasix::io::Errno;
    use wasix::port::{self, MacAddress, Route};
    use wasix::sim::{Config, Network};

    #[test]
    fn dhcp_leases_an_address_per_instance_and_sets_the_gateway() {
        let config = Config::new().dhcp_pool(ip("203.0.113.0"), 30);
        let (a, b) = (config.clone().build().unwrap(), config.build().unwrap());
        a.run(|| {
            port::dhcp_acquire().unwrap();
            assert_eq!(port::addresses().unwrap(), [cidr("203.0.113.2", 30)]);
            assert_eq!(port::routes().unwrap(), [Route::new(cidr("0.0.0.0", 0), ip("203.0.113.1"))]);
        });
        b.run(|| assert_eq!(port::dhcp_acquire(), Err(Errno::ADDRNOTAVAIL), "a /30 has one address to lease"));
        Config::new().build().unwrap().run(|| assert_eq!(port::dhcp_acquire(), Err(Errno::NOTSUP)));
    }

    #[test]
    fn instances_have_their_own_mac_unless_configured() {
        let (a, b) = (Config::new().build().unwrap(), Config::new().build().unwrap());
        assert_ne!(a.run(port::mac).unwrap(), b.run(port::mac).unwrap());
        assert!(a.run(port::mac).unwrap().is_locally_administered());
        let set = Config::new().mac([0x06, 1, 2, 3, 4, 5]).build().unwrap();
        assert_eq!(set.run(port::mac).unwrap(), MacAddress::new([0x06, 1, 2, 3, 4, 5]));
    }

    #[test]
    fn the_port_works_without_a_network() {
        Config::new().network(Network::None).build().unwrap().run(|| {
            port::add_address(cidr("203.0.113.5", 24)).unwrap();
            assert_eq!(port::addresses().unwrap(), [cidr("203.0.113.5", 24)]);
        });
    }
}
