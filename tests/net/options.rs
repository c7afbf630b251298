//! Socket options: each setter's value reads back through its getter, one line per option.

use crate::{connected_pair, LOOPBACKS};
use std::time::Duration;
use wasix::io::Errno;
use wasix::net::{AddressFamily, Ipv4Addr, SockProto, SockType, Socket, UdpSocket};

/// No time set.
const NONE: Option<Duration> = None;

/// A fresh socket of `family` and `ty`.
fn socket(family: AddressFamily, ty: SockType) -> Socket {
    Socket::new(family, ty, SockProto::IP).unwrap()
}

/// Sets each value with `$set` and reads it back with `$get`.
macro_rules! round_trip {
    ($s:expr, $set:ident, $get:ident, [$($value:expr),+ $(,)?]) => {
        $(
            $s.$set($value).unwrap_or_else(|e| panic!("{}({:?}): {e}", stringify!($set), $value));
            assert_eq!($s.$get().unwrap(), $value, "{}", stringify!($get));
        )+
    };
}

#[test]
fn socket_level_flags_round_trip() {
    let s = socket(AddressFamily::INET4, SockType::SOCKET_STREAM);
    round_trip!(s, set_reuse_address, reuse_address, [true, false]);
    round_trip!(s, set_reuse_port, reuse_port, [true, false]);
    round_trip!(s, set_keepalive, keepalive, [true, false]);
    let u = UdpSocket::bind(LOOPBACKS[0]).unwrap();
    round_trip!(u, set_broadcast, broadcast, [true, false]);
    round_trip!(u, set_multicast_loop_v4, multicast_loop_v4, [false, true]);
}

#[test]
fn tcp_and_ipv6_flags_round_trip() {
    let s = socket(AddressFamily::INET4, SockType::SOCKET_STREAM);
    round_trip!(s, set_nodelay, nodelay, [true, false]);
    let s6 = socket(AddressFamily::INET6, SockType::SOCKET_STREAM);
    round_trip!(s6, set_only_v6, only_v6, [true, false]);
    let (_listener, client, _server) = connected_pair(LOOPBACKS[0]);
    round_trip!(client, set_nodelay, nodelay, [true, false]);
}

#[test]
fn timeouts_round_trip() {
    let s = socket(AddressFamily::INET4, SockType::SOCKET_STREAM);
    let t = Some(Duration::from_millis(1500));
    round_trip!(s, set_read_timeout, read_timeout, [t, NONE]);
    round_trip!(s, set_write_timeout, write_timeout, [t, NONE]);
    let (_listener, client, _server) = connected_pair(LOOPBACKS[1]);
    round_trip!(client, set_read_timeout, read_timeout, [t, NONE]);
    round_trip!(client, set_write_timeout, write_timeout, [t, NONE]);
    assert_eq!(client.set_read_timeout(Some(Duration::ZERO)), Err(Errno::INVAL), "zero is no timeout");
}

#[test]
fn buffer_sizes_hold_at_least_what_was_set() {
    let s = socket(AddressFamily::INET4, SockType::SOCKET_STREAM);
    s.set_recv_buffer_size(64 * 1024).unwrap();
    assert!(s.recv_buffer_size().unwrap() >= 64 * 1024);
    s.set_send_buffer_size(64 * 1024).unwrap();
    assert!(s.send_buffer_size().unwrap() >= 64 * 1024);
}

#[test]
fn linger_round_trips() {
    let s = socket(AddressFamily::INET4, SockType::SOCKET_STREAM);
    round_trip!(s, set_linger, linger, [Some(Duration::from_secs(2)), NONE]);
}

#[test]
fn ttls_round_trip() {
    let (_listener, client, _server) = connected_pair(LOOPBACKS[0]);
    round_trip!(client, set_ttl, ttl, [42, 64]);
    let u = UdpSocket::bind(LOOPBACKS[0]).unwrap();
    round_trip!(u, set_ttl, ttl, [42, 64]);
    round_trip!(u, set_multicast_ttl_v4, multicast_ttl_v4, [4, 1]);
}

#[test]
fn the_type_is_what_was_opened() {
    assert_eq!(socket(AddressFamily::INET4, SockType::SOCKET_STREAM).r#type(), Ok(SockType::SOCKET_STREAM));
    assert_eq!(socket(AddressFamily::INET6, SockType::SOCKET_DGRAM).r#type(), Ok(SockType::SOCKET_DGRAM));
}

#[test]
fn a_multicast_group_is_joined_and_left_on_loopback() {
    let u = UdpSocket::bind("0.0.0.0:0").unwrap();
    let group = Ipv4Addr::new(239, 255, 0, 1);
    u.join_multicast_v4(&group, &Ipv4Addr::LOCALHOST).unwrap();
    u.leave_multicast_v4(&group, &Ipv4Addr::LOCALHOST).unwrap();
}
