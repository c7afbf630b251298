//! Sockets and name resolution through the raw functions: TCP echo over IPv4 and IPv6 with a server thread,
//! UDP datagrams and their senders, non-blocking connections and accepts with `poll_oneoff`, timeouts,
//! half-closed connections, every option's round trip, bad input, rights, the network policies and
//! `resolve("localhost")`.
//!
//! Every test talks to loopback only (`127.0.0.1`, `::1`), binds to port 0, and bounds every wait: blocking
//! calls run with receive, accept and connect timeouts, threads are joined through a channel with a
//! deadline.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

mod common;

use common::net::*;
use common::*;
use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use wasix_sys::seed::needs;
use wasix_sys::sim::{Config, Network, Sim};
use wasix_sys::*;

fn instance() -> Sim {
    Config::new().build().unwrap()
}

/// Runs `f` on a thread in the current instance; the result is awaited for at most ten seconds.
fn in_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> impl FnOnce() -> T {
    let sim = Sim::current();
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        let r = sim.run(f);
        let _ = tx.send(r);
    });
    move || {
        let r = rx.recv_timeout(Duration::from_secs(10)).expect("the thread finished in time");
        handle.join().unwrap();
        r
    }
}

fn filetype(fd: Fd) -> Filetype {
    fdstat(fd).unwrap().fs_filetype
}

fn set_nonblock(fd: Fd) {
    // SAFETY: no pointers.
    ok(unsafe { fd_fdstat_set_flags(fd, Fdflags::NONBLOCK) }).unwrap();
}

#[test]
fn tcp_echoes_over_ipv4_and_ipv6_with_a_server_thread() {
    instance().run(|| {
        for v6 in [false, true] {
            let (l, at) = listener(v6);
            assert_eq!(at.ip(), lo(v6, 0).ip());
            assert_ne!(at.port(), 0);
            assert_eq!(get_flag(l, SockOption::LISTENING), Ok(true));
            let server = in_thread(move || {
                let (s, from) = accept(l, Fdflags::empty()).unwrap();
                set_time(s, SockOption::RECV_TIMEOUT, Some(PATIENCE_NS)).unwrap();
                // Echo until the client shuts its side down (at most 16 messages).
                for _ in 0..16 {
                    let (data, _) = recv(s, 64, Riflags::empty()).unwrap();
                    if data.is_empty() {
                        break;
                    }
                    assert_eq!(send(s, &data), Ok(data.len()));
                }
                close(s).unwrap();
                from
            });
            let c = tcp(v6);
            assert_eq!(filetype(c), Filetype::SOCKET_STREAM);
            assert_eq!(status(c), Ok(SockStatus::OPENING), "no local address yet");
            set_time(c, SockOption::RECV_TIMEOUT, Some(PATIENCE_NS)).unwrap();
            connect(c, at).unwrap();
            assert_eq!(status(c), Ok(SockStatus::OPENED));
            assert_eq!(peer(c), Ok(at));
            assert_eq!(send(c, b"hello"), Ok(5));
            assert_eq!(recv(c, 5, Riflags::RECV_WAITALL).map(|r| r.0), Ok(b"hello".to_vec()));
            // fd_write and fd_read work on a socket too.
            assert_eq!(write(c, b"again"), Ok(5));
            assert_eq!(read(c, 64), Ok(b"again".to_vec()));
            // SAFETY: no pointers.
            ok(unsafe { sock_shutdown(c, Sdflags::WR) }).unwrap();
            assert_eq!(recv(c, 64, Riflags::empty()), Ok((Vec::new(), Roflags::empty())), "the server closed");
            assert_eq!(server(), local(c).unwrap(), "accept reports the client's address");
            close(c).unwrap();
            close(l).unwrap();
        }
    });
}

#[test]
fn udp_datagrams_carry_their_senders_and_truncation() {
    instance().run(|| {
        for v6 in [false, true] {
            let (a, b) = (udp(v6), udp(v6));
            assert_eq!(filetype(a), Filetype::SOCKET_DGRAM);
            bind(a, lo(v6, 0)).unwrap();
            bind(b, lo(v6, 0)).unwrap();
            assert_eq!(status(a), Ok(SockStatus::OPENED));
            let (at_a, at_b) = (local(a).unwrap(), local(b).unwrap());
            set_time(b, SockOption::RECV_TIMEOUT, Some(PATIENCE_NS)).unwrap();
            set_time(a, SockOption::RECV_TIMEOUT, Some(PATIENCE_NS)).unwrap();
            assert_eq!(send_to(a, b"ping", at_b), Ok(4));
            assert_eq!(recv_from(b, 16), Ok((b"ping".to_vec(), Roflags::empty(), at_a)));
            assert_eq!(send_to(b, b"0123456789", at_a), Ok(10));
            // A datagram longer than the buffers: the rest is dropped, and the flag says so.
            let (data, ro, from) = recv_from(a, 4).unwrap();
            assert_eq!((data, ro, from), (b"0123".to_vec(), Roflags::RECV_DATA_TRUNCATED, at_b));
            // Peeking leaves the datagram queued.
            send_to(a, b"peek", at_b).unwrap();
            assert_eq!(recv(b, 16, Riflags::RECV_PEEK).map(|r| r.0), Ok(b"peek".to_vec()));
            assert_eq!(recv(b, 16, Riflags::empty()).map(|r| r.0), Ok(b"peek".to_vec()));
            // A connected datagram socket sends without an address.
            connect(a, at_b).unwrap();
            assert_eq!(peer(a), Ok(at_b));
            assert_eq!(send(a, b"conn"), Ok(4));
            assert_eq!(recv_from(b, 16).map(|r| (r.0, r.2)), Ok((b"conn".to_vec(), at_a)));
            close(a).unwrap();
            close(b).unwrap();
        }
    });
}

#[test]
fn a_non_blocking_connect_is_in_progress_until_poll_says_writable() {
    instance().run(|| {
        for v6 in [false, true] {
            let (l, at) = listener(v6);
            set_nonblock(l);
            assert_eq!(accept(l, Fdflags::empty()).err(), Some(Errno::AGAIN), "nothing to accept yet");
            // Nothing pending: only the clock fires.
            let events = poll(&[sub_read(1, l), sub_clock(2, Clockid::MONOTONIC, 20_000_000, Subclockflags::empty())]);
            assert_eq!(events.unwrap().iter().map(|e| e.userdata).collect::<Vec<_>>(), [2]);
            let c = tcp(v6);
            set_nonblock(c);
            match connect(c, at) {
                Err(Errno::INPROGRESS) => {
                    // Opening until the connection completes (which on loopback may already have happened).
                    assert!(matches!(status(c), Ok(SockStatus::OPENING | SockStatus::OPENED)));
                }
                other => assert_eq!(other, Ok(()), "a loopback connection may complete at once"),
            }
            let clock = sub_clock(9, Clockid::MONOTONIC, PATIENCE_NS, Subclockflags::empty());
            let events = poll(&[sub_write(1, c), clock]).unwrap();
            assert_eq!(events[0].userdata, 1, "the connection completed before the clock");
            assert_eq!(status(c), Ok(SockStatus::OPENED));
            assert_eq!(get_size(c, SockOption::LAST_ERROR), Ok(0));
            let events = poll(&[sub_read(1, l), clock]).unwrap();
            assert_eq!(events[0].userdata, 1, "the listener is readable with a connection pending");
            let (s, _) = accept(l, Fdflags::NONBLOCK).unwrap();
            assert!(fdstat(s).unwrap().fs_flags.contains(Fdflags::NONBLOCK));
            assert_eq!(recv(s, 8, Riflags::empty()).err(), Some(Errno::AGAIN), "no data yet, and non-blocking");
            for fd in [s, c, l] {
                close(fd).unwrap();
            }
        }
    });
}

#[test]
fn a_refused_connection_leaves_the_socket_failed() {
    instance().run(|| {
        // A port nobody listens on: one just released (nothing else binds loopback ports of this test).
        let probe = tcp(false);
        bind(probe, lo(false, 0)).unwrap();
        let closed = local(probe).unwrap();
        close(probe).unwrap();
        let blocking = tcp(false);
        assert_eq!(connect(blocking, closed), Err(Errno::CONNREFUSED));
        assert_eq!(status(blocking), Ok(SockStatus::FAILED));
        assert_eq!(get_size(blocking, SockOption::LAST_ERROR), Ok(u64::from(Errno::CONNREFUSED.raw())));
        let c = tcp(false);
        set_nonblock(c);
        match connect(c, closed) {
            Err(Errno::INPROGRESS) => {
                let clock = sub_clock(9, Clockid::MONOTONIC, PATIENCE_NS, Subclockflags::empty());
                assert_eq!(poll(&[sub_write(1, c), clock]).unwrap()[0].userdata, 1);
            }
            other => assert_eq!(other, Err(Errno::CONNREFUSED)),
        }
        // Asking for the error first (which takes the host's) still leaves the status failed.
        assert_eq!(get_size(c, SockOption::LAST_ERROR), Ok(u64::from(Errno::CONNREFUSED.raw())));
        assert_eq!(status(c), Ok(SockStatus::FAILED));
        assert_eq!(get_size(c, SockOption::LAST_ERROR), Ok(u64::from(Errno::CONNREFUSED.raw())));
        close(c).unwrap();
        close(blocking).unwrap();
    });
}

#[test]
fn timeouts_fire() {
    instance().run(|| {
        let (l, _) = listener(false);
        set_time(l, SockOption::ACCEPT_TIMEOUT, Some(50_000_000)).unwrap();
        let start = Instant::now();
        assert_eq!(accept(l, Fdflags::empty()).err(), Some(Errno::TIMEDOUT));
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(40) && took < Duration::from_secs(5), "{took:?}");

        let (c, s) = tcp_pair(false);
        set_time(c, SockOption::RECV_TIMEOUT, Some(50_000_000)).unwrap();
        let start = Instant::now();
        assert_eq!(recv(c, 8, Riflags::empty()).err(), Some(Errno::AGAIN), "a receive timeout is AGAIN");
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(40) && took < Duration::from_secs(5), "{took:?}");
        for fd in [c, s, l] {
            close(fd).unwrap();
        }
    });
}

/// A listener whose queue is full drops further connection requests, so a blocking connect waits: its
/// `connect_timeout` ends the wait.
#[test]
fn a_connect_timeout_fires_when_the_listener_queue_is_full() {
    instance().run(|| {
        let l = tcp(false);
        bind(l, lo(false, 0)).unwrap();
        listen(l, 0).unwrap();
        let at = local(l).unwrap();
        let mut clients = Vec::new();
        let mut timed_out = None;
        // The host queues a connection or two even at backlog 0; at most eight are tried.
        for _ in 0..8 {
            let c = tcp(false);
            set_time(c, SockOption::CONNECT_TIMEOUT, Some(100_000_000)).unwrap();
            let start = Instant::now();
            let r = connect(c, at);
            clients.push(c);
            if r == Err(Errno::TIMEDOUT) {
                timed_out = Some((c, start.elapsed()));
                break;
            }
            assert_eq!(r, Ok(()));
        }
        let (c, took) = timed_out.expect("a connection to a full queue timed out");
        assert!(took >= Duration::from_millis(90) && took < Duration::from_secs(5), "{took:?}");
        assert_eq!(status(c), Ok(SockStatus::FAILED));
        assert!(!fdstat(c).unwrap().fs_flags.contains(Fdflags::NONBLOCK), "the fd stays blocking");
        for fd in clients.into_iter().chain([l]) {
            close(fd).unwrap();
        }
    });
}

#[test]
fn shutting_down_one_direction_half_closes() {
    instance().run(|| {
        let (c, s) = tcp_pair(false);
        // SAFETY: no pointers.
        ok(unsafe { sock_shutdown(c, Sdflags::WR) }).unwrap();
        assert_eq!(recv(s, 8, Riflags::empty()).map(|r| r.0), Ok(Vec::new()), "end of stream for the server");
        assert_eq!(send(s, b"still"), Ok(5), "the other direction stays open");
        let from = recv_from(c, 8).unwrap();
        assert_eq!((from.0, from.2), (b"still".to_vec(), local(s).unwrap()), "a stream's sender is its peer");
        // Sending after the shutdown is PIPE, through either call, and no SIGPIPE ends the process.
        assert_eq!(send(c, b"x"), Err(Errno::PIPE));
        assert_eq!(write(c, b"x"), Err(Errno::PIPE));
        assert_eq!(status(c), Ok(SockStatus::OPENED));
        // SAFETY: no pointers.
        ok(unsafe { sock_shutdown(c, Sdflags::RD) }).unwrap();
        assert_eq!(status(c), Ok(SockStatus::CLOSED), "both directions are shut");
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(sock_shutdown(s, Sdflags::empty()), Errno::INVAL, "no direction");
            assert_eq!(sock_shutdown(s, Sdflags::from_bits_retain(4)), Errno::INVAL, "an unknown bit");
        }
        close(c).unwrap();
        close(s).unwrap();
    });
}

/// Each option's round trip: flags on and off, times set and cleared, sizes set and read back.
#[test]
fn every_option_round_trips() {
    macro_rules! flags {
        ($fd:expr => $($opt:ident),*) => {$(
            for on in [true, false, true] {
                set_flag($fd, SockOption::$opt, on).unwrap();
                assert_eq!(get_flag($fd, SockOption::$opt), Ok(on), stringify!($opt));
            }
        )*};
    }
    // The host keeps its timeouts in clock ticks (Linux: rounded up to a few milliseconds).
    macro_rules! times {
        ($fd:expr => $($opt:ident = $ns:expr),*) => {$(
            set_time($fd, SockOption::$opt, Some($ns)).unwrap();
            let got = get_time($fd, SockOption::$opt).unwrap().expect(stringify!($opt));
            assert!((($ns)..($ns) + 20_000_000).contains(&got), "{} set to {} reads {got}", stringify!($opt), $ns);
            set_time($fd, SockOption::$opt, None).unwrap();
            assert_eq!(get_time($fd, SockOption::$opt), Ok(None), stringify!($opt));
        )*};
    }
    macro_rules! sizes {
        ($fd:expr => $($opt:ident = $n:expr, $check:expr),*) => {$(
            set_size($fd, SockOption::$opt, $n).unwrap();
            let got = get_size($fd, SockOption::$opt).unwrap();
            assert!($check(got), "{} set to {} reads {got}", stringify!($opt), $n);
        )*};
    }
    instance().run(|| {
        let (t4, t6, u4, u6) = (tcp(false), tcp(true), udp(false), udp(true));
        flags!(t4 => REUSE_PORT, REUSE_ADDR, NO_DELAY, DONT_ROUTE, KEEP_ALIVE, OOB_INLINE);
        flags!(t6 => ONLY_V6, NO_DELAY);
        flags!(u4 => BROADCAST, MULTICAST_LOOP_V4);
        flags!(u6 => MULTICAST_LOOP_V6, ONLY_V6);
        times!(t4 => RECV_TIMEOUT = 250_000_000u64, SEND_TIMEOUT = 1_500_000_000, LINGER = 2_000_000_000,
            CONNECT_TIMEOUT = 123, ACCEPT_TIMEOUT = 7_000_000_000u64);
        sizes!(t4 => RECV_BUF_SIZE = 65536, |n| n >= 65536, SEND_BUF_SIZE = 65536, |n| n >= 65536,
            RECV_LOWAT = 10, |n| n == 10, TTL = 42, |n| n == 42);
        sizes!(t6 => TTL = 17, |n| n == 17);
        sizes!(u4 => MULTICAST_TTL_V4 = 3, |n| n == 3);
        // Read-only and derived values.
        assert_eq!(get_size(t4, SockOption::TYPE), Ok(u64::from(SockType::SOCKET_STREAM.raw())));
        assert_eq!(get_size(u6, SockOption::TYPE), Ok(u64::from(SockType::SOCKET_DGRAM.raw())));
        assert_eq!(get_size(t6, SockOption::PROTO), Ok(u64::from(SockProto::TCP.raw())));
        assert_eq!(get_size(u4, SockOption::PROTO), Ok(u64::from(SockProto::UDP.raw())));
        assert_eq!(get_size(t4, SockOption::LAST_ERROR), Ok(0));
        assert_eq!(get_flag(t4, SockOption::LISTENING), Ok(false));
        assert!(get_size(t4, SockOption::SEND_LOWAT).is_ok());
        assert_eq!(get_time(t4, SockOption::LINGER), Ok(None));
        // Linger is kept in whole seconds, rounded up.
        set_time(t4, SockOption::LINGER, Some(1)).unwrap();
        assert_eq!(get_time(t4, SockOption::LINGER), Ok(Some(1_000_000_000)));
        set_time(t4, SockOption::LINGER, None).unwrap();
        // `noop` is accepted everywhere and does nothing.
        set_flag(t4, SockOption::NOOP, true).unwrap();
        assert_eq!(get_flag(t4, SockOption::NOOP), Ok(false));
        set_time(t4, SockOption::NOOP, Some(5)).unwrap();
        assert_eq!(get_time(t4, SockOption::NOOP), Ok(None));
        set_size(t4, SockOption::NOOP, 5).unwrap();
        assert_eq!(get_size(t4, SockOption::NOOP), Ok(0));
        // Refusals: another column's option, a get-only option, unknown ones, values out of range.
        assert_eq!(set_flag(t4, SockOption::RECV_TIMEOUT, true), Err(Errno::INVAL));
        assert_eq!(get_time(t4, SockOption::NO_DELAY), Err(Errno::INVAL));
        assert_eq!(set_size(t4, SockOption::LINGER, 1), Err(Errno::INVAL));
        assert_eq!(set_size(t4, SockOption::TYPE, 1), Err(Errno::INVAL));
        assert_eq!(set_size(t4, SockOption::LAST_ERROR, 0), Err(Errno::INVAL));
        assert_eq!(set_flag(t4, SockOption::LISTENING, true), Err(Errno::INVAL));
        assert_eq!(set_flag(t4, SockOption::from_raw(200), true), Err(Errno::INVAL));
        assert_eq!(get_size(t4, SockOption::from_raw(27)), Err(Errno::INVAL));
        assert_eq!(set_flag(t4, SockOption::PROMISCUOUS, true), Err(Errno::NOTSUP));
        assert_eq!(get_flag(t4, SockOption::PROMISCUOUS), Err(Errno::NOTSUP));
        assert_eq!(set_time(t4, SockOption::RECV_TIMEOUT, Some(0)), Err(Errno::INVAL), "none turns it off");
        assert_eq!(set_size(t4, SockOption::RECV_BUF_SIZE, 1 << 40), Err(Errno::INVAL));
        assert_eq!(set_size(t6, SockOption::TTL, 256), Err(Errno::INVAL));
        assert_eq!(set_flag(t4, SockOption::ONLY_V6, true), Err(Errno::NOPROTOOPT), "the host's answer");
        // SAFETY: no pointers; then a valid record with an unknown tag.
        unsafe {
            assert_eq!(sock_set_opt_flag(t4, SockOption::NO_DELAY, Bool::from_raw(2)), Errno::INVAL);
            let bad = OptionTimestamp { tag: 7, ..OptionTimestamp::none(0) };
            assert_eq!(sock_set_opt_time(t4, SockOption::RECV_TIMEOUT, &bad), Errno::INVAL);
            assert_eq!(sock_set_opt_time(t4, SockOption::RECV_TIMEOUT, std::ptr::null()), Errno::FAULT);
            assert_eq!(sock_get_opt_size(t4, SockOption::TTL, std::ptr::null_mut()), Errno::FAULT);
        }
        for fd in [t4, t6, u4, u6] {
            close(fd).unwrap();
        }
    });
}

#[test]
fn bad_input_gets_a_listed_errno() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let open_sock = |af: u8, ty: u8, proto: u16| {
            let mut fd = 0;
            // SAFETY: valid out-pointer.
            let e = unsafe {
                sock_open(AddressFamily::from_raw(af), SockType::from_raw(ty), SockProto::from_raw(proto), &mut fd)
            };
            if e == Errno::SUCCESS {
                close(fd).unwrap();
            }
            e
        };
        let (inet4, stream, dgram) = (AddressFamily::INET4.raw(), SockType::SOCKET_STREAM.raw(), 0);
        assert_eq!(open_sock(9, stream, 0), Errno::INVAL, "unknown family");
        assert_eq!(open_sock(AddressFamily::UNIX.raw(), stream, 0), Errno::AFNOSUPPORT);
        assert_eq!(open_sock(AddressFamily::UNSPEC.raw(), stream, 0), Errno::AFNOSUPPORT);
        assert_eq!(open_sock(inet4, 9, 0), Errno::INVAL, "unknown type");
        assert_eq!(open_sock(inet4, SockType::SOCKET_RAW.raw(), 0), Errno::NOTSUP);
        assert_eq!(open_sock(inet4, SockType::SOCKET_SEQPACKET.raw(), 0), Errno::NOTSUP);
        assert_eq!(open_sock(inet4, stream, 300), Errno::INVAL, "unknown protocol");
        assert_eq!(open_sock(inet4, stream, SockProto::ICMP.raw()), Errno::PROTONOSUPPORT);
        assert_eq!(open_sock(inet4, dgram, SockProto::TCP.raw()), Errno::PROTONOSUPPORT, "TCP is no datagram protocol");
        assert_eq!(open_sock(inet4, stream, SockProto::TCP.raw()), Errno::SUCCESS);
        assert_eq!(open_sock(inet4, dgram, SockProto::UDP.raw()), Errno::SUCCESS);
        // SAFETY: a null out-pointer is refused before anything is opened.
        let e =
            unsafe { sock_open(AddressFamily::INET4, SockType::SOCKET_STREAM, SockProto::IP, std::ptr::null_mut()) };
        assert_eq!(e, Errno::FAULT);

        let t = tcp(false);
        let unknown_tag = AddrPort { tag: 9, ..AddrPort::default() };
        // SAFETY: valid records, or null.
        unsafe {
            assert_eq!(sock_bind(t, &unknown_tag), Errno::INVAL);
            assert_eq!(sock_bind(t, &AddrPort::unix(Default::default())), Errno::AFNOSUPPORT);
            assert_eq!(sock_bind(t, &AddrPort::unspec(Default::default())), Errno::AFNOSUPPORT);
            assert_eq!(sock_bind(t, std::ptr::null()), Errno::FAULT);
            assert_eq!(sock_connect(t, std::ptr::null()), Errno::FAULT);
            assert_eq!(sock_addr_local(t, std::ptr::null_mut()), Errno::FAULT);
        }
        assert_eq!(bind(t, lo(true, 0)), Err(Errno::AFNOSUPPORT), "an IPv6 address for an IPv4 socket (the host's)");
        assert_eq!(peer(t), Err(Errno::NOTCONN));

        // Socket calls on fds that are no sockets, and on no fd at all.
        let f = open(ROOT, "f", Oflags::CREAT).unwrap();
        let (r, w) = pipe();
        for fd in [f, r, ROOT, 1] {
            assert_eq!(listen(fd, 1), Err(Errno::NOTSOCK));
            assert_eq!(local(fd), Err(Errno::NOTSOCK));
            assert_eq!(status(fd), Err(Errno::NOTSOCK));
            assert_eq!(get_size(fd, SockOption::TYPE), Err(Errno::NOTSOCK));
        }
        assert_eq!(listen(999, 1), Err(Errno::BADF));

        // listen: UDP cannot; any backlog is fine.
        let u = udp(false);
        assert_eq!(listen(u, 1), Err(Errno::NOTSUP));
        let (l0, lhuge) = (tcp(false), tcp(true));
        listen(l0, 0).unwrap();
        listen(lhuge, Size::MAX).unwrap();
        assert_eq!(get_flag(lhuge, SockOption::LISTENING), Ok(true));

        // File calls on a listening socket.
        assert_eq!(read(l0, 4), Err(Errno::NOTCONN));
        assert!(matches!(write(l0, b"x"), Err(Errno::NOTCONN | Errno::PIPE)));
        let mut at = 0;
        // SAFETY: valid out-pointers.
        unsafe {
            assert_eq!(fd_seek(l0, 0, Whence::SET, &mut at), Errno::NOTCAPABLE, "a socket has no FD_SEEK");
            let mut st = Filestat::default();
            assert_eq!(fd_filestat_get(l0, &mut st), Errno::SUCCESS);
            assert_eq!(st.filetype, Filetype::SOCKET_STREAM);
            assert_eq!(fd_filestat_get(u, &mut st), Errno::SUCCESS);
            assert_eq!(st.filetype, Filetype::SOCKET_DGRAM);
        }
        assert_eq!(
            open_with(l0, Lookupflags::empty(), "x", Oflags::empty(), Rights::FD_READ, Fdflags::empty()).err(),
            Some(Errno::NOTDIR)
        );

        // accept: only NONBLOCK; both out-pointers.
        assert_eq!(accept(l0, Fdflags::APPEND).err(), Some(Errno::INVAL));
        let (mut new, mut from) = (0, AddrPort::default());
        // SAFETY: one out-pointer is null, refused before accepting.
        unsafe {
            assert_eq!(sock_accept(l0, Fdflags::empty(), std::ptr::null_mut(), &mut from), Errno::FAULT);
            assert_eq!(sock_accept(l0, Fdflags::empty(), &mut new, std::ptr::null_mut()), Errno::FAULT);
        }
        assert_eq!(accept(t, Fdflags::empty()).err(), Some(Errno::INVAL), "not listening");

        // recv and send: unknown flags, null out-pointers (no data consumed), null buffers.
        let (c, s) = tcp_pair(false);
        send(c, b"data").unwrap();
        assert_eq!(recv(s, 8, Riflags::from_bits_retain(8)).err(), Some(Errno::INVAL));
        let mut buf = [0u8; 8];
        let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: 8 };
        let ciov = Ciovec { buf: buf.as_ptr(), buf_len: 1 };
        let (mut n, mut ro) = (0, Roflags::empty());
        // SAFETY: valid or null pointers, as each case says.
        unsafe {
            assert_eq!(sock_recv(s, &iov, 1, Riflags::empty(), std::ptr::null_mut(), &mut ro), Errno::FAULT);
            assert_eq!(sock_recv(s, std::ptr::null(), 1, Riflags::empty(), &mut n, &mut ro), Errno::FAULT);
            let null_buf = Iovec { buf: std::ptr::null_mut(), buf_len: 4 };
            assert_eq!(sock_recv(s, &null_buf, 1, Riflags::empty(), &mut n, &mut ro), Errno::FAULT);
            assert_eq!(sock_send(c, &ciov, 1, 1, &mut n), Errno::INVAL, "the seed names no siflags");
            assert_eq!(sock_send(c, &ciov, 1, 0, std::ptr::null_mut()), Errno::FAULT);
            let to = record(lo(false, 9));
            assert_eq!(sock_send_to(c, &ciov, 1, 0, std::ptr::null(), &mut n), Errno::FAULT);
            assert_eq!(sock_send_to(c, &ciov, 1, 0, &unknown_tag, &mut n), Errno::INVAL);
            assert_eq!(sock_send_to(u, &ciov, 1, 0, &to, std::ptr::null_mut()), Errno::FAULT);
        }
        assert_eq!(recv(s, 8, Riflags::empty()).map(|r| r.0), Ok(b"data".to_vec()), "the failed calls took nothing");
        for fd in [t, f, r, w, u, l0, lhuge, c, s] {
            close(fd).unwrap();
        }
    });
}

/// Calls `rule.call` on `fd` (the rule's fd) with valid arguments otherwise; `file` is a regular file.
fn invoke(rule: &needs::Rule, fd: Fd, other: Fd) -> Errno {
    let mut byte = [0u8; 4];
    let iov = Iovec { buf: byte.as_mut_ptr(), buf_len: byte.len() };
    let ciov = Ciovec { buf: byte.as_ptr(), buf_len: 1 };
    let (mut size, mut ro, mut a, mut new, mut sent) = (0, Roflags::empty(), AddrPort::default(), 0, 0);
    let to = record(lo(false, 9));
    // SAFETY: every pointer is valid for what the call reads or writes.
    unsafe {
        match rule.call {
            "sock_shutdown" => sock_shutdown(fd, Sdflags::WR),
            "sock_addr_local" => sock_addr_local(fd, &mut a),
            "sock_addr_peer" => sock_addr_peer(fd, &mut a),
            "sock_bind" => sock_bind(fd, &record(lo(false, 0))),
            "sock_listen" => sock_listen(fd, 1),
            "sock_accept" => sock_accept(fd, Fdflags::NONBLOCK, &mut new, &mut a),
            "sock_connect" => sock_connect(fd, &to),
            "sock_recv" => sock_recv(fd, &iov, 1, Riflags::empty(), &mut size, &mut ro),
            "sock_recv_from" => sock_recv_from(fd, &iov, 1, Riflags::empty(), &mut size, &mut ro, &mut a),
            "sock_send" => sock_send(fd, &ciov, 1, 0, &mut size),
            "sock_send_to" => sock_send_to(fd, &ciov, 1, 0, &to, &mut size),
            "sock_send_file" if rule.fd == "out_fd" => sock_send_file(fd, other, 0, 1, &mut sent),
            "sock_send_file" => sock_send_file(other, fd, 0, 1, &mut sent),
            call => panic!("no invocation for {call}"),
        }
    }
}

/// `fd` narrowed to `base` (within what it has).
fn narrowed(fd: Fd, base: Rights) -> Fd {
    let st = fdstat(fd).unwrap();
    // SAFETY: no pointers.
    ok(unsafe { fd_fdstat_set_rights(fd, st.fs_rights_base & base, st.fs_rights_inheriting) }).unwrap();
    fd
}

/// The function parameters of `call` in the ABI facts.
fn abi_params(call: &str) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../witx/abi/wasix_64v1.json");
    let abi: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).expect(path)).unwrap();
    let f = abi["functions"].as_array().unwrap().iter().find(|f| f["name"] == call);
    let params = f.unwrap_or_else(|| panic!("{call} is not a WASIX function"))["params"].as_array().unwrap();
    params.iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn every_socket_rule_is_enforced() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let file = open(ROOT, "f", Oflags::CREAT).unwrap();
        write(file, b"x").unwrap();
        for rule in needs::SOCKET_TABLE {
            assert!(abi_params(rule.call).iter().any(|p| p == rule.fd), "{} has no parameter {}", rule.call, rule.fd);
            let needs::Need::All(rights) = rule.need else { panic!("socket rules need all their rights") };
            let on_file = rule.call == "sock_send_file" && rule.fd == "in_fd";
            let fresh = || {
                if on_file {
                    open(ROOT, "f", Oflags::empty()).unwrap()
                } else {
                    let s = udp(false);
                    set_nonblock(s);
                    s
                }
            };
            let (other_fd, cleanup): (Fd, Vec<Fd>) = if on_file {
                let (c, s) = tcp_pair(false);
                (c, vec![c, s])
            } else {
                (file, vec![])
            };
            for missing in rights.iter() {
                let fd = narrowed(fresh(), Rights::all() - missing);
                assert_eq!(invoke(rule, fd, other_fd), Errno::NOTCAPABLE, "{} without {missing:?}", rule.call);
                close(fd).unwrap();
            }
            let fd = fresh();
            assert_ne!(invoke(rule, fd, other_fd), Errno::NOTCAPABLE, "{} with every right", rule.call);
            close(fd).unwrap();
            for fd in cleanup {
                close(fd).unwrap();
            }
        }
        close(file).unwrap();
    });
}

#[test]
fn sockets_get_the_socket_rights_and_accepted_ones_inherit_the_listeners() {
    instance().run(|| {
        let socket_rights = Rights::FD_READ
            | Rights::FD_WRITE
            | Rights::POLL_FD_READWRITE
            | Rights::FD_FDSTAT_SET_FLAGS
            | Rights::FD_FILESTAT_GET
            | Rights::SOCK_SHUTDOWN
            | Rights::SOCK_ACCEPT
            | Rights::SOCK_CONNECT
            | Rights::SOCK_LISTEN
            | Rights::SOCK_BIND
            | Rights::SOCK_RECV
            | Rights::SOCK_SEND
            | Rights::SOCK_ADDR_LOCAL
            | Rights::SOCK_ADDR_REMOTE
            | Rights::SOCK_RECV_FROM
            | Rights::SOCK_SEND_TO;
        let (l, at) = listener(false);
        let st = fdstat(l).unwrap();
        assert_eq!((st.fs_rights_base, st.fs_rights_inheriting), (socket_rights, socket_rights));
        // SAFETY: no pointers.
        ok(unsafe { fd_fdstat_set_rights(l, socket_rights, socket_rights - Rights::SOCK_SEND) }).unwrap();
        let c = tcp(false);
        connect(c, at).unwrap();
        let (s, _) = accept(l, Fdflags::empty()).unwrap();
        assert_eq!(fdstat(s).unwrap().fs_rights_base, socket_rights - Rights::SOCK_SEND);
        assert_eq!(send(s, b"x"), Err(Errno::NOTCAPABLE));
        assert_eq!(write(s, b"x"), Ok(1), "fd_write needs FD_WRITE only");
        // Without SOCK_BIND, a socket cannot bind; without FD_READ, nothing is received.
        let b = narrowed(tcp(false), Rights::all() - Rights::SOCK_BIND);
        assert_eq!(bind(b, lo(false, 0)), Err(Errno::NOTCAPABLE));
        let r = narrowed(c, Rights::all() - Rights::FD_READ);
        assert_eq!(recv(r, 1, Riflags::empty()).err(), Some(Errno::NOTCAPABLE));
        for fd in [l, c, s, b] {
            close(fd).unwrap();
        }
    });
}

#[test]
fn dup_and_renumber_keep_the_socket() {
    instance().run(|| {
        let (c, s) = tcp_pair(true);
        let mut d = 0;
        // SAFETY: valid out-pointer; no pointers.
        unsafe {
            ok(fd_dup(c, &mut d)).unwrap();
            let (target, _) = pipe();
            ok(fd_renumber(s, target)).unwrap();
            close(c).unwrap();
            assert_eq!(send(d, b"dup"), Ok(3));
            assert_eq!(recv(target, 8, Riflags::empty()).map(|r| r.0), Ok(b"dup".to_vec()));
            assert_eq!(filetype(target), Filetype::SOCKET_STREAM);
            close(d).unwrap();
            close(target).unwrap();
        }
    });
}

#[test]
fn sock_send_file_sends_from_an_offset_without_moving_the_files() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let f = open(ROOT, "f", Oflags::CREAT).unwrap();
        write(f, b"0123456789").unwrap();
        let (c, s) = tcp_pair(false);
        let mut sent = 0;
        // SAFETY: valid out-pointers.
        unsafe {
            let mut at = 0;
            ok(fd_seek(f, 0, Whence::SET, &mut at)).unwrap();
            ok(sock_send_file(c, f, 2, 5, &mut sent)).unwrap();
            assert_eq!(sent, 5);
            assert_eq!(recv(s, 5, Riflags::RECV_WAITALL).map(|r| r.0), Ok(b"23456".to_vec()));
            ok(fd_tell(f, &mut at)).unwrap();
            assert_eq!(at, 0, "the file's offset did not move");
            // Past the end: what is left.
            ok(sock_send_file(c, f, 8, 100, &mut sent)).unwrap();
            assert_eq!(sent, 2);
            let (r, w) = pipe();
            assert_eq!(sock_send_file(c, r, 0, 1, &mut sent), Errno::NOTCAPABLE, "a pipe has no FD_SEEK");
            let mut dup = 0;
            ok(fd_dup(ROOT, &mut dup)).unwrap();
            assert_eq!(sock_send_file(c, dup, 0, 1, &mut sent), Errno::ISDIR, "no file to send from");
            close(dup).unwrap();
            assert_eq!(sock_send_file(f, f, 0, 1, &mut sent), Errno::NOTSOCK);
            assert_eq!(sock_send_file(c, f, 0, 1, std::ptr::null_mut()), Errno::FAULT);
            for fd in [r, w] {
                close(fd).unwrap();
            }
        }
        for fd in [f, c, s] {
            close(fd).unwrap();
        }
    });
}

#[test]
fn multicast_groups_follow_the_policy_and_refuse_bad_input() {
    let group = AddrIp4 { n0: 224, n1: 0, h0: 0, h1: 251 };
    let any = AddrIp4::default();
    let group6 = AddrIp6 { n0: 0xff02, h3: 0xfb, ..AddrIp6::default() };
    instance().run(|| {
        let u = udp(false);
        // SAFETY: valid records, or null.
        unsafe {
            assert_eq!(sock_join_multicast_v4(u, &group, &any), Errno::ACCES, "loopback only: no other interface");
            assert_eq!(sock_join_multicast_v4(u, std::ptr::null(), &any), Errno::FAULT);
            assert_eq!(sock_leave_multicast_v4(u, &group, std::ptr::null()), Errno::FAULT);
            assert_eq!(sock_join_multicast_v6(u, &group6, 0), Errno::ACCES, "interface 0 is the host's choice");
            assert_eq!(sock_leave_multicast_v6(u, std::ptr::null(), 0), Errno::FAULT);
            assert_eq!(sock_join_multicast_v4(1, &group, &any), Errno::NOTSOCK);
        }
        close(u).unwrap();
    });
    Config::new().network(Network::None).build().unwrap().run(|| {
        let u = udp(true);
        // SAFETY: valid records.
        unsafe {
            assert_eq!(sock_join_multicast_v6(u, &group6, 1), Errno::NOTSUP);
            assert_eq!(sock_leave_multicast_v4(u, &group, &any), Errno::NOTSUP);
        }
        close(u).unwrap();
    });
}

/// 192.0.2.1 (TEST-NET-1, never routed): an address that is not loopback. No packet is ever sent to it: the
/// policies refuse it before the host sees it.
fn not_loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([192, 0, 2, 1], port))
}

#[test]
fn without_a_network_only_opening_works() {
    Config::new().network(Network::None).build().unwrap().run(|| {
        let (t, u) = (tcp(false), udp(true));
        assert_eq!(bind(t, lo(false, 0)), Err(Errno::NOTSUP));
        assert_eq!(connect(t, lo(false, 9)), Err(Errno::NOTSUP));
        assert_eq!(listen(t, 1), Err(Errno::NOTSUP));
        assert_eq!(send_to(u, b"x", lo(true, 9)), Err(Errno::NOTSUP));
        assert_eq!(resolve_names("localhost", 4).err(), Some(Errno::NOTSUP));
        assert_eq!(status(t), Ok(SockStatus::OPENING));
        close(t).unwrap();
        close(u).unwrap();
    });
}

#[test]
fn loopback_only_keeps_sockets_on_loopback() {
    instance().run(|| {
        let t = tcp(false);
        assert_eq!(bind(t, not_loopback(0)), Err(Errno::ACCES));
        assert_eq!(connect(t, not_loopback(9)), Err(Errno::NETUNREACH));
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:9".parse().unwrap();
        let t6 = tcp(true);
        assert_eq!(connect(t6, mapped), Err(Errno::NETUNREACH), "an IPv4-mapped address is no loophole");
        // Binding every interface binds loopback.
        bind(t, SocketAddr::from(([0, 0, 0, 0], 0))).unwrap();
        assert!(local(t).unwrap().ip().is_loopback());
        bind(t6, "[::]:0".parse().unwrap()).unwrap();
        assert!(local(t6).unwrap().ip().is_loopback());
        // Listening or sending from an unbound socket binds loopback first.
        let l = tcp(true);
        listen(l, 1).unwrap();
        assert_eq!(local(l).unwrap().ip(), lo(true, 0).ip());
        let (u, sink) = (udp(false), udp(false));
        bind(sink, lo(false, 0)).unwrap();
        assert_eq!(send_to(u, b"x", not_loopback(9)), Err(Errno::NETUNREACH));
        send_to(u, b"x", local(sink).unwrap()).unwrap();
        assert_eq!(local(u).unwrap().ip(), lo(false, 0).ip());
        assert_eq!(resolve_names("example.com", 4).err(), Some(Errno::NOENT), "never looked up");
        for fd in [t, t6, l, u, sink] {
            close(fd).unwrap();
        }
    });
}

/// `resolve(name)` with room for `room` entries.
fn resolve_names(name: &str, room: usize) -> Result<Vec<Addr>, Errno> {
    let mut out = vec![Addr::default(); room];
    let mut n = 0;
    // SAFETY: `out` has room for `room` entries.
    ok(unsafe { resolve(name.as_ptr(), name.len(), 80, out.as_mut_ptr(), room as Size, &mut n) })?;
    assert!(n as usize <= room);
    out.truncate(n as usize);
    Ok(out)
}

fn is_loopback(a: &Addr) -> bool {
    match (a.as_inet4(), a.as_inet6()) {
        (Some(v4), _) => v4.n0 == 127,
        (_, Some(v6)) => v6 == AddrIp6 { h3: 1, ..AddrIp6::default() },
        _ => false,
    }
}

#[test]
fn resolve_finds_localhost() {
    for network in [Network::Loopback, Network::Host] {
        Config::new().network(network).build().unwrap().run(|| {
            let found = resolve_names("localhost", 8).unwrap();
            assert!(!found.is_empty() && found.iter().all(is_loopback), "{network:?}: {found:?}");
            assert_eq!(resolve_names("localhost", 1).unwrap().len(), 1, "at most naddrs entries");
            if network == Network::Loopback {
                let below = resolve_names("app.localhost.", 4).unwrap();
                assert_eq!(below.len(), 2, "RFC 6761: both loopback addresses");
                assert!(below.iter().all(is_loopback));
            }
            assert_eq!(resolve_names("localhost", 0), Ok(Vec::new()));
            let numeric = resolve_names("127.0.0.1", 4).unwrap();
            assert_eq!(numeric, [Addr::inet4(AddrIp4 { n0: 127, n1: 0, h0: 0, h1: 1 })]);
            assert_eq!(resolve_names("::1", 4).unwrap().len(), 1);
            assert_eq!(resolve_names("", 4), Err(Errno::INVAL));
            assert_eq!(resolve_names("local\0host", 4), Err(Errno::INVAL));
            assert_eq!(resolve_names(&"a".repeat(254), 4), Err(Errno::NAMETOOLONG));
            let bad = [0xff, 0xfe];
            let (mut out, mut n) = (Addr::default(), 0);
            // SAFETY: valid buffers; then null pointers, refused.
            unsafe {
                assert_eq!(resolve(bad.as_ptr(), 2, 0, &mut out, 1, &mut n), Errno::ILSEQ);
                let name = b"localhost";
                assert_eq!(resolve(name.as_ptr(), name.len(), 0, &mut out, 1, std::ptr::null_mut()), Errno::FAULT);
                assert_eq!(resolve(name.as_ptr(), name.len(), 0, std::ptr::null_mut(), 1, &mut n), Errno::FAULT);
                assert_eq!(resolve(std::ptr::null(), 3, 0, &mut out, 1, &mut n), Errno::FAULT);
            }
        });
    }
}
