//! Name lookup: `lookup_host` and the `ToSocketAddrs` input of the std-like types.

use wasix::net::{lookup_host, TcpListener, ToSocketAddrs, UdpSocket};

#[test]
fn localhost_has_a_loopback_address() {
    let addrs: Vec<_> = lookup_host("localhost", 80).unwrap().collect();
    assert!(addrs.iter().any(|a| a.ip().is_loopback()), "{addrs:?}");
    assert!(addrs.iter().all(|a| a.port() == 80), "{addrs:?}");
}

#[test]
fn host_names_with_ports_bind_through_a_lookup() {
    let listener = TcpListener::bind("localhost:0").unwrap();
    assert!(listener.local_addr().unwrap().ip().is_loopback());
    let socket = UdpSocket::bind(("localhost", 0)).unwrap();
    assert!(socket.local_addr().unwrap().ip().is_loopback());
}

#[test]
fn ip_literals_name_themselves() {
    let addrs: Vec<_> = ("::1", 7).to_socket_addrs().unwrap().collect();
    assert_eq!(addrs, ["[::1]:7".parse().unwrap()]);
    let addrs: Vec<_> = "127.0.0.1:7".to_socket_addrs().unwrap().collect();
    assert_eq!(addrs, ["127.0.0.1:7".parse().unwrap()]);
}
