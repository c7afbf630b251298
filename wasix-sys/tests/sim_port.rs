#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.
//! The virtual network port through the raw functions: the MAC address, the address list and the route
//! table with their short buffers, the gateway, DHCP leases from a pool, the bridge, and bad input (null
//! pointers, unknown tags, long prefixes, unknown `stream_security` bits, removing what is not there).

use std::net::IpAddr;
use wasix_sys::seed::addr;
use wasix_sys::sim::{Config, Network, Sim};
use wasix_sys::*;

fn instance() -> Sim {
    Config::new().build().unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn mac() -> [u8; 6] {
    let mut h = HardwareAddress::default();
    // SAFETY: a valid out-pointer.
    assert_eq!(unsafe { port_mac(&mut h) }, Errno::SUCCESS);
    addr::mac(h)
}

fn add(a: &str, prefix: u8) -> Errno {
    // SAFETY: a valid record.
    unsafe { port_addr_add(&addr::addr_cidr(ip(a), prefix)) }
}

fn remove(a: &str) -> Errno {
    // SAFETY: a valid record.
    unsafe { port_addr_remove(&addr::addr(ip(a))) }
}

/// The address list read with a buffer of `capacity` records: the errno, `*naddrs` and what was written.
fn list_with(capacity: usize) -> (Errno, Size, Vec<(IpAddr, u8)>) {
    let mut buf = vec![AddrCidr::default(); capacity];
    let mut n = Size::try_from(capacity).unwrap();
    // SAFETY: a buffer of `capacity` records and its capacity.
    let e = unsafe { port_addr_list(buf.as_mut_ptr(), &mut n) };
    let fit = capacity.min(n as usize);
    (e, n, buf[..fit].iter().map(|c| addr::cidr(c).unwrap()).collect())
}

fn addrs() -> Vec<(IpAddr, u8)> {
    let (e, _, list) = list_with(16);
    assert_eq!(e, Errno::SUCCESS);
    list
}

type RouteRow = ((IpAddr, u8), IpAddr, Option<Timestamp>, Option<Timestamp>);

fn time(t: OptionTimestamp) -> Option<Timestamp> {
    t.as_some()
}

fn routes_with(capacity: usize) -> (Errno, Size, Vec<RouteRow>) {
    let mut buf = vec![Route::default(); capacity];
    let mut n = Size::try_from(capacity).unwrap();
    // SAFETY: a buffer of `capacity` records and its capacity.
    let e = unsafe { port_route_list(buf.as_mut_ptr(), &mut n) };
    let fit = capacity.min(n as usize);
    let rows = buf[..fit]
        .iter()
        .map(|r| {
            let via = addr::ip_addr(&r.via_router).unwrap();
            (addr::cidr(&r.cidr).unwrap(), via, time(r.preferred_until), time(r.expires_at))
        })
        .collect();
    (e, n, rows)
}

fn routes() -> Vec<RouteRow> {
    let (e, _, rows) = routes_with(16);
    assert_eq!(e, Errno::SUCCESS);
    rows
}

fn route_add(dest: &str, prefix: u8, via: &str, preferred: Option<u64>, expires: Option<u64>) -> Errno {
    let t = |t: Option<u64>| t.map_or(OptionTimestamp::none(0), OptionTimestamp::some);
    // SAFETY: valid records.
    unsafe { port_route_add(&addr::addr_cidr(ip(dest), prefix), &addr::addr(ip(via)), &t(preferred), &t(expires)) }
}

fn bridge(network: &[u8], token: &[u8], security: StreamSecurity) -> Errno {
    // SAFETY: both byte strings with their lengths.
    unsafe { port_bridge(network.as_ptr(), network.len(), token.as_ptr(), token.len(), security) }
}

#[test]
fn the_mac_is_stable_local_unicast_and_distinct_between_instances() {
    let (a, b) = (instance(), instance());
    let mac_a = a.run(mac);
    assert_eq!(a.run(mac), mac_a);
    assert_ne!(b.run(mac), mac_a);
    assert_eq!(mac_a[0] & 0b11, 0b10, "locally administered, unicast");
    assert_eq!(mac_a[2..], a.pid().to_be_bytes());
    let set = Config::new().mac([0x0a, 1, 2, 3, 4, 5]).build().unwrap();
    assert_eq!(set.run(mac), [0x0a, 1, 2, 3, 4, 5]);
    assert_eq!(Config::new().mac([1, 0, 0, 0, 0, 0]).build().unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn addresses_are_added_listed_removed_and_cleared() {
    instance().run(|| {
        assert_eq!(addrs(), []);
        assert_eq!(add("192.0.2.5", 24), Errno::SUCCESS);
        assert_eq!(add("fd00::5", 64), Errno::SUCCESS);
        assert_eq!(add("198.51.100.77", 32), Errno::SUCCESS);
        assert_eq!(addrs(), [(ip("192.0.2.5"), 24), (ip("fd00::5"), 64), (ip("198.51.100.77"), 32)]);
        assert_eq!(add("192.0.2.5", 16), Errno::EXIST, "an address is on the port once");
        assert_eq!(remove("fd00::5"), Errno::SUCCESS);
        assert_eq!(remove("fd00::5"), Errno::ADDRNOTAVAIL);
        assert_eq!(addrs(), [(ip("192.0.2.5"), 24), (ip("198.51.100.77"), 32)]);
        // SAFETY: no pointers.
        assert_eq!(unsafe { port_addr_clear() }, Errno::SUCCESS);
        assert_eq!(addrs(), []);
        assert_eq!(remove("192.0.2.5"), Errno::ADDRNOTAVAIL);
    });
}

#[test]
fn a_short_address_buffer_is_overflow_with_the_needed_count() {
    instance().run(|| {
        for i in 1..=3 {
            assert_eq!(add(&format!("192.0.2.{i}"), 24), Errno::SUCCESS);
        }
        let (e, n, written) = list_with(2);
        assert_eq!((e, n), (Errno::OVERFLOW, 3));
        assert_eq!(written, [(ip("192.0.2.1"), 24), (ip("192.0.2.2"), 24)], "what fits is written");
        let mut n: Size = 0;
        // SAFETY: a null buffer of capacity 0.
        assert_eq!(unsafe { port_addr_list(std::ptr::null_mut(), &mut n) }, Errno::OVERFLOW);
        assert_eq!(n, 3);
        let (e, n, written) = list_with(3);
        assert_eq!((e, n, written.len()), (Errno::SUCCESS, 3, 3));
        let (e, n, _) = list_with(8);
        assert_eq!((e, n), (Errno::SUCCESS, 3), "*naddrs is the count, not the capacity");
    });
}

#[test]
fn routes_are_added_with_times_listed_removed_and_cleared() {
    instance().run(|| {
        assert_eq!(routes(), []);
        assert_eq!(route_add("198.51.100.0", 24, "192.0.2.1", Some(5), Some(9)), Errno::SUCCESS);
        assert_eq!(route_add("fd00:1::", 32, "fd00::1", None, Some(u64::MAX)), Errno::SUCCESS);
        assert_eq!(route_add("203.0.113.0", 24, "192.0.2.1", None, None), Errno::SUCCESS);
        assert_eq!(
            routes(),
            [
                ((ip("198.51.100.0"), 24), ip("192.0.2.1"), Some(5), Some(9)),
                ((ip("fd00:1::"), 32), ip("fd00::1"), None, Some(u64::MAX)),
                ((ip("203.0.113.0"), 24), ip("192.0.2.1"), None, None),
            ]
        );
        assert_eq!(route_add("198.51.100.0", 24, "192.0.2.9", None, None), Errno::EXIST);
        let (e, n, written) = routes_with(1);
        assert_eq!((e, n, written.len()), (Errno::OVERFLOW, 3, 1));
        // SAFETY: a valid record.
        assert_eq!(unsafe { port_route_remove(&addr::addr(ip("198.51.100.0"))) }, Errno::SUCCESS);
        // SAFETY: a valid record.
        assert_eq!(unsafe { port_route_remove(&addr::addr(ip("198.51.100.0"))) }, Errno::SRCH);
        assert_eq!(routes().len(), 2);
        // SAFETY: no pointers.
        assert_eq!(unsafe { port_route_clear() }, Errno::SUCCESS);
        assert_eq!(routes(), []);
    });
}

#[test]
fn the_gateway_is_its_familys_default_route() {
    instance().run(|| {
        // SAFETY: valid records.
        unsafe {
            assert_eq!(port_gateway_set(&addr::addr(ip("192.0.2.1"))), Errno::SUCCESS);
            assert_eq!(port_gateway_set(&addr::addr(ip("fd00::1"))), Errno::SUCCESS);
            assert_eq!(port_gateway_set(&addr::addr(ip("192.0.2.254"))), Errno::SUCCESS);
            assert_eq!(port_gateway_set(&addr::addr(ip("0.0.0.0"))), Errno::INVAL);
        }
        assert_eq!(
            routes(),
            [((ip("::"), 0), ip("fd00::1"), None, None), ((ip("0.0.0.0"), 0), ip("192.0.2.254"), None, None)]
        );
        assert_eq!(route_add("0.0.0.0", 0, "192.0.2.7", None, None), Errno::EXIST);
    });
}

#[test]
fn dhcp_leases_distinct_addresses_from_the_pool_until_it_runs_out() {
    // A /29: .1 is the gateway, .2 to .6 are leased, .7 is the broadcast address.
    let config = Config::new().dhcp_pool(ip("203.0.113.0"), 29);
    let sims: Vec<Sim> = (0..6).map(|_| config.clone().build().unwrap()).collect();
    let acquire = || {
        // SAFETY: no pointers.
        unsafe { port_dhcp_acquire() }
    };
    for (i, sim) in sims.iter().take(5).enumerate() {
        sim.run(|| {
            assert_eq!(acquire(), Errno::SUCCESS);
            assert_eq!(addrs(), [(ip(&format!("203.0.113.{}", i + 2)), 29)]);
            assert_eq!(routes(), [((ip("0.0.0.0"), 0), ip("203.0.113.1"), None, None)]);
            assert_eq!(acquire(), Errno::SUCCESS, "asking again keeps the lease");
            assert_eq!(addrs().len(), 1);
        });
    }
    sims[5].run(|| assert_eq!(acquire(), Errno::ADDRNOTAVAIL));
    drop(sims);
    let again = config.build().unwrap();
    again.run(|| {
        assert_eq!(acquire(), Errno::SUCCESS, "leases return to the pool when their instances end");
        assert_eq!(addrs(), [(ip("203.0.113.2"), 29)]);
    });
    instance().run(|| assert_eq!(acquire(), Errno::NOTSUP, "no pool, no DHCP server"));
    assert_eq!(
        Config::new().dhcp_pool(ip("192.0.2.0"), 33).build().unwrap_err().kind(),
        std::io::ErrorKind::InvalidInput
    );
}

#[test]
fn a_bridge_is_recorded_and_unbridged_once() {
    let sim = instance();
    sim.run(|| {
        // SAFETY: no pointers.
        assert_eq!(unsafe { port_unbridge() }, Errno::NOTCONN);
        let security = StreamSecurity::CLASSIC_ENCRYPTION | StreamSecurity::DOUBLE_ENCRYPTION;
        assert_eq!(bridge(b"wss://net.example/lan", b"token", security), Errno::SUCCESS);
        assert_eq!(bridge(b"other", b"", StreamSecurity::empty()), Errno::ISCONN);
    });
    let b = sim.bridge().unwrap();
    assert_eq!((&b.network[..], &b.token[..]), (&b"wss://net.example/lan"[..], &b"token"[..]));
    assert_eq!(b.security, StreamSecurity::CLASSIC_ENCRYPTION | StreamSecurity::DOUBLE_ENCRYPTION);
    sim.run(|| {
        // SAFETY: no pointers.
        assert_eq!(unsafe { port_unbridge() }, Errno::SUCCESS);
        // SAFETY: no pointers.
        assert_eq!(unsafe { port_unbridge() }, Errno::NOTCONN);
    });
    assert_eq!(sim.bridge(), None);
}

#[test]
fn bad_input_is_refused_without_changes() {
    instance().run(|| {
        let null_cidr = std::ptr::null::<AddrCidr>();
        let null_addr = std::ptr::null::<Addr>();
        let none = OptionTimestamp::none(0);
        let v4 = addr::addr_cidr(ip("192.0.2.0"), 24);
        let via = addr::addr(ip("192.0.2.1"));
        // SAFETY: null pointers and valid records only.
        unsafe {
            assert_eq!(port_addr_add(null_cidr), Errno::FAULT);
            assert_eq!(port_addr_remove(null_addr), Errno::FAULT);
            assert_eq!(port_gateway_set(null_addr), Errno::FAULT);
            assert_eq!(port_route_remove(null_addr), Errno::FAULT);
            assert_eq!(port_mac(std::ptr::null_mut()), Errno::FAULT);
            assert_eq!(port_addr_list(std::ptr::null_mut(), std::ptr::null_mut()), Errno::FAULT);
            assert_eq!(port_route_list(std::ptr::null_mut(), std::ptr::null_mut()), Errno::FAULT);
            let mut n: Size = 1;
            assert_eq!(add("192.0.2.1", 8), Errno::SUCCESS);
            assert_eq!(port_addr_list(std::ptr::null_mut(), &mut n), Errno::FAULT, "a null buffer with room");
            assert_eq!(port_route_add(null_cidr, &via, &none, &none), Errno::FAULT);
            assert_eq!(port_route_add(&v4, null_addr, &none, &none), Errno::FAULT);
            assert_eq!(port_route_add(&v4, &via, std::ptr::null(), &none), Errno::FAULT);
            assert_eq!(port_route_add(&v4, &via, &none, std::ptr::null()), Errno::FAULT);
            assert_eq!(port_bridge(std::ptr::null(), 3, b"t".as_ptr(), 1, StreamSecurity::empty()), Errno::FAULT);
            assert_eq!(port_bridge(b"n".as_ptr(), 1, std::ptr::null(), 1, StreamSecurity::empty()), Errno::FAULT);

            // Tags and prefixes.
            assert_eq!(port_addr_add(&AddrCidr { tag: 7, ..v4 }), Errno::INVAL);
            assert_eq!(port_addr_add(&AddrCidr { tag: AddrCidr::TAG_UNSPEC, ..v4 }), Errno::AFNOSUPPORT);
            assert_eq!(port_addr_add(&AddrCidr { tag: AddrCidr::TAG_UNIX, ..v4 }), Errno::AFNOSUPPORT);
            assert_eq!(add("192.0.2.2", 33), Errno::INVAL);
            assert_eq!(add("fd00::2", 129), Errno::INVAL);
            assert_eq!(port_addr_remove(&Addr { tag: 9, ..via }), Errno::INVAL);
            assert_eq!(port_gateway_set(&Addr { tag: Addr::TAG_UNIX, ..via }), Errno::AFNOSUPPORT);
            assert_eq!(port_route_remove(&Addr { tag: 5, ..via }), Errno::INVAL);

            // Routes: host bits, families, times.
            assert_eq!(route_add("192.0.2.1", 8, "192.0.2.1", None, None), Errno::INVAL);
            assert_eq!(route_add("192.0.2.0", 8, "fd00::1", None, None), Errno::INVAL);
            assert_eq!(route_add("192.0.2.0", 40, "192.0.2.1", None, None), Errno::INVAL);
            let bad_time = OptionTimestamp { tag: 2, ..OptionTimestamp::some(1) };
            assert_eq!(port_route_add(&v4, &via, &bad_time, &none), Errno::INVAL);
            assert_eq!(port_route_add(&v4, &via, &none, &bad_time), Errno::INVAL);

            // The bridge.
            assert_eq!(bridge(b"", b"token", StreamSecurity::empty()), Errno::INVAL);
            assert_eq!(bridge(b"net", b"token", StreamSecurity::from_bits_retain(1 << 4)), Errno::INVAL);
        }
        assert_eq!(addrs(), [(ip("192.0.2.1"), 8)], "nothing refused was added");
        assert_eq!(routes(), []);
    });
}

#[test]
fn the_port_is_bookkeeping_under_every_network_policy() {
    Config::new().network(Network::None).build().unwrap().run(|| {
        assert_eq!(add("203.0.113.5", 24), Errno::SUCCESS);
        assert_eq!(addrs(), [(ip("203.0.113.5"), 24)]);
        // Sockets still follow the policy: no network, whatever the port holds.
        let mut fd = 0;
        // SAFETY: a valid out-pointer; then a valid address record.
        unsafe {
            let e = sock_open(AddressFamily::INET4, SockType::SOCKET_STREAM, SockProto::IP, &mut fd);
            assert_eq!(e, Errno::SUCCESS);
            let local = addr::addr_port("203.0.113.5:0".parse().unwrap());
            assert_eq!(sock_bind(fd, &local), Errno::NOTSUP);
            assert_eq!(fd_close(fd), Errno::SUCCESS);
        }
    });
    instance().run(|| {
        assert_eq!(add("203.0.113.5", 24), Errno::SUCCESS);
        let mut fd = 0;
        // SAFETY: as above.
        unsafe {
            assert_eq!(
                sock_open(AddressFamily::INET4, SockType::SOCKET_STREAM, SockProto::IP, &mut fd),
                Errno::SUCCESS
            );
            let local = addr::addr_port("203.0.113.5:0".parse().unwrap());
            assert_eq!(sock_bind(fd, &local), Errno::ACCES, "the port's address is not bound on the host");
            assert_eq!(fd_close(fd), Errno::SUCCESS);
        }
    });
}
