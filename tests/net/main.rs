//! `wasix::net`: TCP over IPv4 and IPv6 (echo, addresses, half-close, timeouts, non-blocking accept and
//! connect with `poll`), UDP datagrams and their peers, socket options round trips, name lookup, and the
//! errors of bad input. Every test talks to loopback only (`127.0.0.1`, `::1`), binds to port 0 and
//! bounds every wait to a few seconds. Tests that need a second thread are ignored on `wasm32-wasip1` and
//! run on `wasm32-wasip1-threads`; the others use non-blocking sockets and `poll` on one thread.

mod errors;
mod lookup;
mod options;
mod tcp;
mod udp;

use std::time::Duration;
use wasix::fd::AsFd;
use wasix::net::{SocketAddr, TcpListener, TcpStream};
use wasix::poll::{EventType, Poll};
use wasix::time::Clock;

/// The longest any test waits for something that should happen at once.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// The loopback address of each family, port 0.
pub const LOOPBACKS: [&str; 2] = ["127.0.0.1:0", "[::1]:0"];

/// A listener on `at` and a client connected to it, with the server's end of the connection; reads on
/// both ends give up after [`PATIENCE`].
pub fn connected_pair(at: &str) -> (TcpListener, TcpStream, TcpStream) {
    let listener = TcpListener::bind(at).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    assert!(ready(&listener, EventType::FD_READ), "{at}: no connection to accept");
    let (server, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    for end in [&client, &server] {
        end.set_read_timeout(Some(PATIENCE)).unwrap();
    }
    (listener, client, server)
}

/// Waits (at most [`PATIENCE`]) for a thread to finish, then joins it.
pub fn join_within<T>(handle: wasix::thread::JoinHandle<T>) -> T {
    let deadline = std::time::Instant::now() + PATIENCE;
    while !handle.is_finished() {
        assert!(std::time::Instant::now() < deadline, "the thread did not finish in time");
        wasix::thread::sleep(Duration::from_millis(5)).unwrap();
    }
    handle.join().unwrap()
}

/// Waits (at most [`PATIENCE`]) until `fd` is ready for `kind` (`FD_READ` or `FD_WRITE`); whether it was.
pub fn ready(fd: impl AsFd, kind: EventType) -> bool {
    let mut poll = Poll::new();
    if kind == EventType::FD_WRITE {
        poll.writable(fd.as_fd(), 1);
    } else {
        poll.readable(fd.as_fd(), 1);
    }
    poll.clock(Clock::MONOTONIC, PATIENCE, 2);
    poll.wait().unwrap().iter().any(|e| e.userdata() == 1)
}

/// A loopback address whose port nothing listens on (a listener's port, just closed).
pub fn closed_port(family: &str) -> SocketAddr {
    let listener = TcpListener::bind(family).unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}
