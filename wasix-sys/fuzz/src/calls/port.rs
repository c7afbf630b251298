//! The virtual network port's calls (`port_*`), part of the `misc` group: records with every tag, prefixes
//! past the family's bits, null pointers, short list buffers, unknown `stream_security` bits. Each list call
//! is checked against the seed's rule: `SUCCESS` only when every entry fit, `OVERFLOW` with the needed
//! count otherwise, never a write past the capacity, and every entry written a valid record.

use crate::guest::{Out, OutPtr, POISON};
use crate::{Exec, Harness};
use arbitrary::Arbitrary;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use wasix_sys::seed::addr;
use wasix_sys::{Addr, AddrCidr, Errno, HardwareAddress, OptionTimestamp, Route, Size, StreamSecurity};

#[derive(Arbitrary, Debug)]
pub enum PortCall {
    Mac { out: OutPtr },
    AddrAdd { cidr: CidrGen },
    AddrRemove { addr: AddrGen },
    AddrClear,
    AddrList { list: ListGen },
    GatewaySet { addr: AddrGen },
    RouteAdd { cidr: CidrGen, via: AddrGen, preferred_until: TimeGen, expires_at: TimeGen },
    RouteRemove { addr: AddrGen },
    RouteClear,
    RouteList { list: ListGen },
    DhcpAcquire,
    Bridge { network: Vec<u8>, network_null: bool, token: Vec<u8>, token_null: bool, security: u8 },
    Unbridge,
}

/// An address: one of a few (so removes find what adds added), or any bytes, under any tag.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct AddrGen {
    pub which: u8,
    pub bytes: [u8; 16],
    pub v6: bool,
    /// A tag other than the family's (unspec, unix, unknown).
    pub tag: Option<u8>,
    pub null: bool,
}

impl AddrGen {
    fn ip(&self) -> IpAddr {
        const FEW: [&str; 6] = ["10.0.0.0", "10.0.0.1", "0.0.0.0", "fd00::", "fd00::1", "::"];
        match self.which % 8 {
            i @ 0..6 => FEW[usize::from(i)].parse().unwrap(),
            _ if self.v6 => IpAddr::V6(Ipv6Addr::from(self.bytes)),
            _ => IpAddr::V4(Ipv4Addr::new(self.bytes[0], self.bytes[1], self.bytes[2], self.bytes[3])),
        }
    }

    fn record(&self) -> Addr {
        let mut a = addr::addr(self.ip());
        if let Some(tag) = self.tag {
            a.tag = tag;
        }
        a
    }
}

/// A CIDR: an address and a prefix (past the family's bits too).
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct CidrGen {
    pub addr: AddrGen,
    pub prefix: u8,
}

impl CidrGen {
    fn record(&self) -> AddrCidr {
        let mut c = addr::addr_cidr(self.addr.ip(), self.prefix % 140);
        if let Some(tag) = self.addr.tag {
            c.tag = tag;
        }
        c
    }
}

/// An `option_timestamp`, with an unknown tag too.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum TimeGen {
    None,
    Some(u64),
    BadTag(u8),
    Null,
}

impl TimeGen {
    fn record(self) -> OptionTimestamp {
        match self {
            TimeGen::None | TimeGen::Null => OptionTimestamp::none(0),
            TimeGen::Some(t) => OptionTimestamp::some(t),
            TimeGen::BadTag(tag) => OptionTimestamp { tag: tag.max(2), ..OptionTimestamp::some(1) },
        }
    }
}

/// A list call's buffer: its capacity, whether it is null, and where the count lives.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct ListGen {
    pub capacity: u8,
    pub null: bool,
    pub count: OutPtr,
}

/// Points at `v`, or null.
fn ptr<T>(v: &T, null: bool) -> *const T {
    if null {
        std::ptr::null()
    } else {
        v
    }
}

/// A list call over a buffer of `list.capacity % 8` records plus a poisoned guard record (raw bytes, so
/// padding stays poisoned too), checked as the module docs say; `valid` tells whether a written record is
/// one the port could hold.
fn list<T: Copy>(
    h: &Harness,
    name: &str,
    list: ListGen,
    call: unsafe fn(*mut T, *mut Size) -> Errno,
    valid: impl Fn(&T) -> bool,
) {
    let capacity = usize::from(list.capacity % 8);
    let bytes = (capacity + 1) * size_of::<T>();
    let mut words = vec![u64::from_ne_bytes([POISON; 8]); bytes.div_ceil(8)];
    let base = words.as_mut_ptr().cast::<T>();
    let mut n = Out::<Size>::holding(list.count, capacity as Size);
    let p = if list.null { std::ptr::null_mut() } else { base };
    // SAFETY: a buffer of `capacity` records (and a guard) or null, and a harness in-out pointer or null.
    let e = unsafe { call(p, n.ptr()) };
    h.errno(name, e);
    assert!(n.tail_untouched(), "{name} wrote past its count");
    // SAFETY: `words` holds `bytes` initialised bytes.
    let all = unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), bytes) };
    assert!(all[capacity * size_of::<T>()..].iter().all(|&b| b == POISON), "{name} wrote past the capacity");
    // SAFETY: `i < capacity`; every bit pattern is a valid record (integers and unions of integers).
    let record = |i: usize| unsafe { base.add(i).read_unaligned() };
    let count = n.get().map(|c| c as usize);
    match e {
        Errno::SUCCESS => {
            let count = count.expect("success needs the count");
            assert!(count <= capacity, "{name}: SUCCESS with {count} entries for {capacity}");
            assert!((0..count).all(|i| valid(&record(i))), "{name} wrote an invalid record");
        }
        Errno::OVERFLOW if !list.null || capacity == 0 => {
            let count = count.expect("overflow reports the count");
            assert!(count > capacity, "{name}: OVERFLOW with {count} entries for {capacity}");
            assert!(list.null || (0..capacity).all(|i| valid(&record(i))), "{name} wrote an invalid record");
        }
        _ => {}
    }
}

impl Exec for PortCall {
    fn exec(&self, h: &mut Harness) {
        match self {
            PortCall::Mac { out } => {
                let mut mac = Out::<HardwareAddress>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::port_mac(mac.ptr()) };
                h.result("port_mac", e, &mac);
                if let Some(m) = mac.get().filter(|_| e == Errno::SUCCESS) {
                    assert_eq!(m.n0 & 1, 0, "port_mac: a multicast address");
                }
            }
            PortCall::AddrAdd { cidr } => {
                let c = cidr.record();
                // SAFETY: a valid record or null.
                let e = unsafe { wasix_sys::port_addr_add(ptr(&c, cidr.addr.null)) };
                h.errno("port_addr_add", e);
            }
            PortCall::AddrRemove { addr } => {
                let a = addr.record();
                // SAFETY: a valid record or null.
                let e = unsafe { wasix_sys::port_addr_remove(ptr(&a, addr.null)) };
                h.errno("port_addr_remove", e);
            }
            PortCall::AddrClear => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::port_addr_clear() };
                assert_eq!(e, Errno::SUCCESS, "port_addr_clear");
            }
            PortCall::AddrList { list: l } => {
                list(h, "port_addr_list", *l, wasix_sys::port_addr_list, |c| addr::cidr(c).is_ok())
            }
            PortCall::GatewaySet { addr } => {
                let a = addr.record();
                // SAFETY: a valid record or null.
                let e = unsafe { wasix_sys::port_gateway_set(ptr(&a, addr.null)) };
                h.errno("port_gateway_set", e);
            }
            PortCall::RouteAdd { cidr, via, preferred_until, expires_at } => {
                let (c, v) = (cidr.record(), via.record());
                let (p, x) = (preferred_until.record(), expires_at.record());
                // SAFETY: valid records or null.
                let e = unsafe {
                    wasix_sys::port_route_add(
                        ptr(&c, cidr.addr.null),
                        ptr(&v, via.null),
                        ptr(&p, matches!(preferred_until, TimeGen::Null)),
                        ptr(&x, matches!(expires_at, TimeGen::Null)),
                    )
                };
                h.errno("port_route_add", e);
            }
            PortCall::RouteRemove { addr } => {
                let a = addr.record();
                // SAFETY: a valid record or null.
                let e = unsafe { wasix_sys::port_route_remove(ptr(&a, addr.null)) };
                h.errno("port_route_remove", e);
            }
            PortCall::RouteClear => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::port_route_clear() };
                assert_eq!(e, Errno::SUCCESS, "port_route_clear");
            }
            PortCall::RouteList { list: l } => {
                list(h, "port_route_list", *l, wasix_sys::port_route_list, |r: &Route| {
                    let times = [r.preferred_until, r.expires_at].iter().all(|t| t.tag <= 1);
                    addr::cidr(&r.cidr).is_ok() && addr::ip_addr(&r.via_router).is_ok() && times
                })
            }
            PortCall::DhcpAcquire => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::port_dhcp_acquire() };
                h.errno("port_dhcp_acquire", e);
            }
            PortCall::Bridge { network, network_null, token, token_null, security } => {
                let at = |b: &Vec<u8>, null: bool| if null { std::ptr::null() } else { b.as_ptr() };
                let security = StreamSecurity::from_bits_retain(*security);
                // SAFETY: the byte strings (or null) with their lengths.
                let e = unsafe {
                    wasix_sys::port_bridge(
                        at(network, *network_null),
                        network.len(),
                        at(token, *token_null),
                        token.len(),
                        security,
                    )
                };
                h.errno("port_bridge", e);
            }
            PortCall::Unbridge => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::port_unbridge() };
                h.errno("port_unbridge", e);
            }
        }
    }
}
