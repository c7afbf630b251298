//! The virtual LAN (natively): instances built from clones of one `Config`, bridged to the same network,
//! reach each other's sockets at the addresses on their ports; the addresses they see are the virtual ones.

use super::{cidr, ip};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::Duration;
use wasix::io::Errno;
use wasix::net::{TcpListener, TcpStream, UdpSocket};
use wasix::port::{self, Bridge};
use wasix::sim::{Config, Sim};

/// Two instances of one configuration, each bridged to `network` with `token` and given `addr`/24.
fn pair(network: &str, tokens: [&str; 2], addrs: [&str; 2]) -> [Sim; 2] {
    let config = Config::new();
    [0, 1].map(|i| {
        let sim = config.clone().build().unwrap();
        sim.run(|| {
            port::add_address(cidr(addrs[i], 24)).unwrap();
            Bridge::new(network).token(tokens[i]).connect().unwrap();
        });
        sim
    })
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

#[test]
fn two_instances_talk_tcp_at_their_virtual_addresses() {
    let [a, b] = pair("lan", ["t", "t"], ["192.0.2.1", "192.0.2.2"]);
    let listener = a.run(|| TcpListener::bind(addr("192.0.2.1:7000")).unwrap());
    assert_eq!(a.run(|| listener.local_addr()).unwrap(), addr("192.0.2.1:7000"));
    let server = {
        let a = a.clone();
        std::thread::spawn(move || {
            a.run(|| {
                let (mut conn, peer) = listener.accept().unwrap();
                conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let mut buf = [0; 5];
                conn.read_exact(&mut buf).unwrap();
                conn.write_all(&buf).unwrap();
                (peer, conn.local_addr().unwrap())
            })
        })
    };
    let (local, peer) = b.run(|| {
        let mut c = TcpStream::connect(addr("192.0.2.1:7000")).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        c.write_all(b"hello").unwrap();
        let mut buf = [0; 5];
        c.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"hello");
        (c.local_addr().unwrap(), c.peer_addr().unwrap())
    });
    let (seen_peer, seen_local) = server.join().unwrap();
    assert_eq!(peer, addr("192.0.2.1:7000"), "the client sees the server's virtual address");
    assert_eq!(local.ip(), ip("192.0.2.2"), "the client's local address is its virtual one");
    assert_eq!(seen_peer, local, "the server sees the client's virtual address");
    assert_eq!(seen_local, addr("192.0.2.1:7000"));
}

#[test]
fn datagrams_cross_the_lan_with_virtual_senders() {
    let [a, b] = pair("lan", ["t", "t"], ["192.0.2.10", "192.0.2.20"]);
    let rx = a.run(|| UdpSocket::bind(addr("0.0.0.0:5353")).unwrap());
    a.run(|| rx.set_read_timeout(Some(Duration::from_secs(10)))).unwrap();
    let tx = b.run(|| UdpSocket::bind(addr("192.0.2.20:0")).unwrap());
    b.run(|| tx.send_to(b"ping", addr("192.0.2.10:5353"))).unwrap();
    let mut buf = [0; 16];
    let (n, from) = a.run(|| rx.recv_from(&mut buf)).unwrap();
    assert_eq!(&buf[..n], b"ping");
    assert_eq!(from, b.run(|| tx.local_addr()).unwrap());
    assert_eq!(from.ip(), ip("192.0.2.20"));
    // Nothing bound there: dropped, as a network drops it.
    assert_eq!(b.run(|| tx.send_to(b"lost", addr("192.0.2.10:9"))), Ok(4));
}

#[test]
fn another_network_or_token_does_not_connect() {
    let [a, b] = pair("lan", ["t", "other"], ["192.0.2.1", "192.0.2.2"]);
    let _listener = a.run(|| TcpListener::bind(addr("192.0.2.1:7001")).unwrap());
    assert_eq!(b.run(|| TcpStream::connect(addr("192.0.2.1:7001"))).unwrap_err(), Errno::CONNREFUSED);
    let lone = Config::new().build().unwrap();
    let refused = lone.run(|| TcpStream::connect(addr("192.0.2.1:7001")));
    assert_eq!(refused.unwrap_err(), Errno::NETUNREACH, "unbridged: the loopback-only policy applies");
}

#[test]
fn an_address_is_taken_once_on_a_network_and_freed_on_close() {
    let [a, b] = pair("lan", ["t", "t"], ["192.0.2.1", "192.0.2.2"]);
    let first = a.run(|| TcpListener::bind(addr("192.0.2.1:7002")).unwrap());
    assert_eq!(a.run(|| TcpListener::bind(addr("192.0.2.1:7002"))).unwrap_err(), Errno::ADDRINUSE);
    a.run(|| drop(first));
    a.run(|| TcpListener::bind(addr("192.0.2.1:7002"))).unwrap();
    // A port's own address only: another instance's is the policy's to refuse.
    assert_eq!(b.run(|| TcpListener::bind(addr("192.0.2.1:7003"))).unwrap_err(), Errno::ACCES);
}
