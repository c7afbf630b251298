//! UDP: datagrams and the addresses of their senders over both families, connected sockets, peeking,
//! non-blocking receives, and receive timeouts.

use crate::{ready, LOOPBACKS, PATIENCE};
use std::time::{Duration, Instant};
use wasix::io::Errno;
use wasix::net::{AddressFamily, Riflags, Roflags, SockProto, SockType, Socket, UdpSocket};
use wasix::poll::EventType;

#[test]
fn datagrams_carry_their_senders_address() {
    for at in LOOPBACKS {
        let a = UdpSocket::bind(at).unwrap();
        let b = UdpSocket::bind(at).unwrap();
        let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
        assert!(a_addr.ip().is_loopback() && a_addr.port() != 0, "{a_addr}");
        assert_eq!(a.send_to(b"one", b_addr).unwrap(), 3);
        assert!(ready(&b, EventType::FD_READ), "{at}");
        let mut buf = [0; 16];
        let (n, from) = b.recv_from(&mut buf).unwrap();
        assert_eq!((&buf[..n], from), (&b"one"[..], a_addr), "{at}");
        b.send_to(b"two", from).unwrap();
        assert!(ready(&a, EventType::FD_READ), "{at}");
        let (n, from) = a.recv_from(&mut buf).unwrap();
        assert_eq!((&buf[..n], from), (&b"two"[..], b_addr), "{at}");
    }
}

#[test]
fn connected_sockets_send_and_receive_with_their_peer() {
    let a = UdpSocket::bind(LOOPBACKS[0]).unwrap();
    let b = UdpSocket::bind(LOOPBACKS[0]).unwrap();
    a.connect(b.local_addr().unwrap()).unwrap();
    b.connect(a.local_addr().unwrap()).unwrap();
    assert_eq!(a.peer_addr().unwrap(), b.local_addr().unwrap());
    a.send(b"hello").unwrap();
    assert!(ready(&b, EventType::FD_READ));
    let mut buf = [0; 8];
    let n = b.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"hello");
}

#[test]
fn a_peek_leaves_the_datagram_queued() {
    let a = UdpSocket::bind(LOOPBACKS[0]).unwrap();
    let b = UdpSocket::bind(LOOPBACKS[0]).unwrap();
    a.send_to(b"peeked", b.local_addr().unwrap()).unwrap();
    assert!(ready(&b, EventType::FD_READ));
    let mut buf = [0; 8];
    let (n, from) = b.peek_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"peeked"[..], a.local_addr().unwrap()));
    let (n, _) = b.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"peeked");
}

#[test]
fn a_non_blocking_receive_is_again_when_nothing_waits() {
    let a = UdpSocket::bind(LOOPBACKS[1]).unwrap();
    a.set_nonblocking(true).unwrap();
    assert_eq!(a.recv_from(&mut [0; 4]).err(), Some(Errno::AGAIN));
}

#[test]
fn a_read_timeout_fires() {
    let a = UdpSocket::bind(LOOPBACKS[0]).unwrap();
    let timeout = Duration::from_millis(200);
    a.set_read_timeout(Some(timeout)).unwrap();
    let start = Instant::now();
    assert_eq!(a.recv_from(&mut [0; 4]).err(), Some(Errno::AGAIN));
    let waited = start.elapsed();
    assert!(waited >= timeout / 2 && waited < PATIENCE, "{waited:?}");
}

#[test]
fn a_datagram_longer_than_the_buffer_is_cut_and_says_so() {
    let a = UdpSocket::bind(LOOPBACKS[0]).unwrap();
    let b = Socket::new(AddressFamily::INET4, SockType::SOCKET_DGRAM, SockProto::UDP).unwrap();
    b.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    a.send_to(b"longer than four", b.local_addr().unwrap()).unwrap();
    assert!(ready(&b, EventType::FD_READ));
    let mut buf = [0; 4];
    let (n, flags) = b.recv_with_flags(&mut buf, Riflags::empty()).unwrap();
    assert_eq!((&buf[..n], flags), (&b"long"[..], Roflags::RECV_DATA_TRUNCATED));
    b.set_nonblocking(true).unwrap();
    assert_eq!(b.recv(&mut buf).err(), Some(Errno::AGAIN), "the rest was dropped");
}
