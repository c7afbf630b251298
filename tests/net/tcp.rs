//! TCP streams: echo over both families, addresses, half-close, read timeouts, non-blocking accept and
//! connect through `poll`, peeking, cloning, and a server on its own thread.

use crate::{connected_pair, join_within, ready, LOOPBACKS, PATIENCE};
use std::io::{ErrorKind, IoSlice, IoSliceMut, Read, Write};
use std::time::Instant;
use wasix::fd::{self, Fdflags, OwnedFd};
use wasix::io::Errno;
use wasix::net::{AddressFamily, Shutdown, SockProto, SockStatus, SockType, Socket, TcpListener, TcpStream};
use wasix::poll::EventType;

#[test]
fn bytes_echo_over_ipv4_and_ipv6() {
    for at in LOOPBACKS {
        let (_listener, mut client, mut server) = connected_pair(at);
        client.write_all(b"ping").unwrap();
        let mut got = [0; 4];
        server.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"ping", "{at}");
        server.write_all(b"pong").unwrap();
        client.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"pong", "{at}");
    }
}

#[test]
fn addresses_are_the_loopback_ones_with_real_ports() {
    for at in LOOPBACKS {
        let (listener, client, server) = connected_pair(at);
        let local = listener.local_addr().unwrap();
        assert!(local.ip().is_loopback() && local.port() != 0, "{local}");
        assert_eq!(client.peer_addr().unwrap(), local);
        assert_eq!(server.local_addr().unwrap(), local);
        assert_eq!(server.peer_addr().unwrap(), client.local_addr().unwrap());
        assert_eq!(local.is_ipv6(), at.starts_with('['));
    }
}

#[test]
fn shutting_down_writing_gives_the_peer_the_end() {
    let (_listener, client, mut server) = connected_pair(LOOPBACKS[0]);
    (&client).write_all(b"last words").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut got = String::new();
    server.read_to_string(&mut got).unwrap();
    assert_eq!(got, "last words");
    // The other direction still works.
    (&server).write_all(b"reply").unwrap();
    let mut reply = [0; 5];
    (&client).read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"reply");
}

#[test]
fn a_read_timeout_fires() {
    let (_listener, mut client, _server) = connected_pair(LOOPBACKS[0]);
    let timeout = std::time::Duration::from_millis(200);
    client.set_read_timeout(Some(timeout)).unwrap();
    let start = Instant::now();
    let err = client.read(&mut [0; 8]).unwrap_err();
    let waited = start.elapsed();
    assert_eq!(Errno::from_io_error(&err), Some(Errno::AGAIN), "{err}");
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    assert!(waited >= timeout / 2 && waited < PATIENCE, "{waited:?}");
}

#[test]
fn a_non_blocking_accept_is_again_until_a_connection_waits() {
    let listener = TcpListener::bind(LOOPBACKS[0]).unwrap();
    listener.set_nonblocking(true).unwrap();
    assert_eq!(listener.accept().err(), Some(Errno::AGAIN));
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    assert!(ready(&listener, EventType::FD_READ), "the listener never became readable");
    let (server, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    assert!(!fd::fdstat(&server).unwrap().flags.contains(Fdflags::NONBLOCK), "accepted streams block");
}

#[test]
fn a_non_blocking_connect_completes_through_poll() {
    for at in LOOPBACKS {
        let listener = TcpListener::bind(at).unwrap();
        let to = listener.local_addr().unwrap();
        let family = if to.is_ipv4() { AddressFamily::INET4 } else { AddressFamily::INET6 };
        let socket = Socket::new(family, SockType::SOCKET_STREAM, SockProto::TCP).unwrap();
        socket.set_nonblocking(true).unwrap();
        match socket.connect(&to) {
            Ok(()) | Err(Errno::INPROGRESS) => {}
            Err(e) => panic!("{at}: {e}"),
        }
        assert!(ready(&socket, EventType::FD_WRITE), "{at}: never writable");
        assert_eq!(socket.status().unwrap(), SockStatus::OPENED, "{at}");
        assert_eq!(socket.take_error().unwrap(), None, "{at}");
        assert_eq!(socket.peer_addr().unwrap(), to, "{at}");
    }
}

#[test]
fn connect_timeout_connects_and_restores_blocking() {
    let listener = TcpListener::bind(LOOPBACKS[1]).unwrap();
    let to = listener.local_addr().unwrap();
    let mut client = TcpStream::connect_timeout(&to, PATIENCE).unwrap();
    assert!(!fd::fdstat(&client).unwrap().flags.contains(Fdflags::NONBLOCK));
    let (mut server, _) = listener.accept().unwrap();
    client.write_all(b"x").unwrap();
    let mut got = [0];
    server.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"x");
}

#[test]
fn a_peek_leaves_the_bytes_to_read() {
    let (_listener, client, server) = connected_pair(LOOPBACKS[0]);
    (&client).write_all(b"abc").unwrap();
    assert!(ready(&server, EventType::FD_READ));
    let mut buf = [0; 3];
    let n = server.peek(&mut buf).unwrap();
    assert_eq!(&buf[..n], &b"abc"[..n]);
    (&server).read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"abc");
}

#[test]
fn a_clone_shares_the_connection() {
    let (_listener, client, server) = connected_pair(LOOPBACKS[0]);
    let other = client.try_clone().unwrap();
    drop(client);
    (&other).write_all(b"via clone").unwrap();
    other.shutdown(Shutdown::Write).unwrap();
    let mut got = String::new();
    (&server).read_to_string(&mut got).unwrap();
    assert_eq!(got, "via clone");
}

#[test]
fn incoming_yields_each_connection() {
    let listener = TcpListener::bind(LOOPBACKS[0]).unwrap();
    let to = listener.local_addr().unwrap();
    let clients: Vec<_> = (0..3).map(|_| TcpStream::connect(to).unwrap()).collect();
    let mut peers: Vec<_> = listener.incoming().take(3).map(|s| s.unwrap().peer_addr().unwrap()).collect();
    let mut locals: Vec<_> = clients.iter().map(|c| c.local_addr().unwrap()).collect();
    peers.sort();
    locals.sort();
    assert_eq!(peers, locals);
}

#[test]
fn a_socket_listens_and_accepts_like_a_listener() {
    let socket = Socket::new(AddressFamily::INET4, SockType::SOCKET_STREAM, SockProto::IP).unwrap();
    socket.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    socket.listen(4).unwrap();
    assert_eq!(socket.r#type().unwrap(), SockType::SOCKET_STREAM);
    let to = socket.local_addr().unwrap();
    let client = Socket::new(AddressFamily::INET4, SockType::SOCKET_STREAM, SockProto::TCP).unwrap();
    client.connect(&to).unwrap();
    let (server, peer) = socket.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(client.send(b"hey").unwrap(), 3);
    let mut buf = [0; 3];
    let mut got = 0;
    while got < 3 {
        let n = server.recv(&mut buf[got..]).unwrap();
        assert_ne!(n, 0);
        got += n;
    }
    assert_eq!(&buf, b"hey");
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_server_thread_echoes_each_client() {
    for at in LOOPBACKS {
        let listener = TcpListener::bind(at).unwrap();
        let to = listener.local_addr().unwrap();
        let server = wasix::thread::spawn(move || {
            listener.set_nonblocking(true).unwrap();
            for _ in 0..2 {
                assert!(ready(&listener, EventType::FD_READ), "no client came");
                let (mut stream, _) = listener.accept().unwrap();
                stream.set_read_timeout(Some(PATIENCE)).unwrap();
                let mut line = Vec::new();
                stream.read_to_end(&mut line).unwrap();
                stream.write_all(&line).unwrap();
            }
        });
        for i in 0..2 {
            let mut client = TcpStream::connect(to).unwrap();
            client.set_read_timeout(Some(PATIENCE)).unwrap();
            let msg = format!("message {i} over {at}");
            client.write_all(msg.as_bytes()).unwrap();
            client.shutdown(Shutdown::Write).unwrap();
            let mut echo = String::new();
            client.read_to_string(&mut echo).unwrap();
            assert_eq!(echo, msg);
        }
        join_within(server);
    }
}

#[test]
fn vectored_sends_and_receives_fill_the_buffers_in_turn() {
    let (_listener, client, server) = connected_pair(LOOPBACKS[0]);
    let (client, server) = (Socket::from(OwnedFd::from(client)), Socket::from(OwnedFd::from(server)));
    let sent = client.send_vectored(&[IoSlice::new(b"ab"), IoSlice::new(b"cde")]).unwrap();
    assert_eq!(sent, 5);
    assert!(ready(&server, EventType::FD_READ));
    // One small segment over loopback: it is all there once the socket is readable.
    let (mut first, mut second) = ([0; 3], [0; 2]);
    let (n, _) = server.recv_vectored(&mut [IoSliceMut::new(&mut first), IoSliceMut::new(&mut second)]).unwrap();
    assert_eq!((n, &first, &second), (5, b"abc", b"de"));
}

#[test]
fn sockets_convert_to_and_from_the_std_like_types() {
    let (_listener, client, server) = connected_pair(LOOPBACKS[0]);
    let mut raw = Socket::from(client);
    raw.write_all(b"raw").unwrap();
    let mut back = TcpStream::from(Socket::from(server));
    let mut got = [0; 3];
    back.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"raw");
}

/// 64 clients at once, each on its own thread, exchange 1 MiB each with an echo server that gives every
/// connection a thread; every byte comes back, in order.
#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn sixty_four_concurrent_clients_each_exchange_a_mebibyte() {
    const CLIENTS: usize = 64;
    const CHUNK: usize = 16 << 10;
    const CHUNKS: usize = 64; // 1 MiB per client
    let listener = TcpListener::bind(LOOPBACKS[0]).unwrap();
    let to = listener.local_addr().unwrap();
    let server = wasix::thread::spawn(move || {
        listener.set_nonblocking(true).unwrap();
        let mut handlers = Vec::new();
        for _ in 0..CLIENTS {
            assert!(ready(&listener, EventType::FD_READ), "a client did not come");
            let (mut stream, _) = listener.accept().unwrap();
            stream.set_read_timeout(Some(PATIENCE)).unwrap();
            handlers.push(wasix::thread::spawn(move || {
                let mut buf = vec![0; CHUNK];
                loop {
                    match stream.read(&mut buf).unwrap() {
                        0 => break,
                        n => stream.write_all(&buf[..n]).unwrap(),
                    }
                }
            }));
        }
        handlers.into_iter().for_each(join_within);
    });
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            wasix::thread::spawn(move || {
                let mut stream = TcpStream::connect(to).unwrap();
                stream.set_read_timeout(Some(PATIENCE)).unwrap();
                let (mut sent, mut back) = (vec![0; CHUNK], vec![0; CHUNK]);
                for i in 0..CHUNKS {
                    sent.iter_mut().enumerate().for_each(|(j, b)| *b = (c * 7 + i * 13 + j) as u8);
                    stream.write_all(&sent).unwrap();
                    stream.read_exact(&mut back).unwrap();
                    assert!(sent == back, "client {c}, chunk {i} came back changed");
                }
                stream.shutdown(Shutdown::Write).unwrap();
                CHUNK * CHUNKS
            })
        })
        .collect();
    let total: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    join_within(server);
    assert_eq!(total, CLIENTS << 20);
}

/// `send_file` of 16 MiB from an offset: the peer reads exactly those bytes, and the file's own offset does
/// not move.
#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn send_file_sends_sixteen_mebibytes_from_an_offset() {
    const SIZE: usize = 16 << 20;
    const OFFSET: u64 = 1000;
    wasix_conformance::with_scratch(|dir| {
        let data: Vec<u8> = (0..SIZE + OFFSET as usize).map(|i| (i * 31 % 251) as u8).collect();
        dir.write("big", &data).unwrap();
        let file = dir.open("big").unwrap();
        let (_listener, client, mut server) = connected_pair(LOOPBACKS[0]);
        server.set_read_timeout(Some(PATIENCE)).unwrap();
        let reader = wasix::thread::spawn(move || {
            let mut got = Vec::with_capacity(SIZE);
            server.read_to_end(&mut got).unwrap();
            got
        });
        assert_eq!(client.send_file(&file, OFFSET, SIZE as u64).unwrap(), SIZE as u64);
        client.shutdown(Shutdown::Write).unwrap();
        let got = join_within(reader);
        assert_eq!(got.len(), SIZE);
        assert!(got[..] == data[OFFSET as usize..], "the bytes sent are the file's from the offset");
        assert_eq!(file.tell().unwrap(), 0, "the file's offset did not move");
    });
}

/// On wasm std's sockets are WASIX fds: a stream made here works as a `std::net::TcpStream` and back.
#[test]
#[cfg(target_os = "wasi")]
fn streams_convert_to_and_from_std_net() {
    let (_listener, client, mut server) = connected_pair(LOOPBACKS[0]);
    let mut std_client = std::net::TcpStream::from(client);
    std_client.write_all(b"through std").unwrap();
    let mut got = [0; 11];
    server.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"through std");
    let mut back = TcpStream::from(std_client);
    back.write_all(b"!").unwrap();
    server.read_exact(&mut got[..1]).unwrap();
    assert_eq!(got[0], b'!');
}
