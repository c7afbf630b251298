//! Raw `http_request`, `http_status` and `ws_connect` on the simulator: the exact errno of each bad
//! argument, when the request is sent (closing `request`, or a read of `response`), the fds' rights and
//! `poll_oneoff` readiness, and `http_status` on an fd that is no request's. The server is a `std::net`
//! one on `127.0.0.1`, port 0; every read has a timeout.

#![cfg(not(target_family = "wasm"))]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;
use wasix_sys::sim::{Config, Network};
use wasix_sys::*;

/// A server answering one request at `path` with `200` and the body `body` makes of the request's method;
/// its URL.
fn serve_once(path: &'static str, body: impl FnOnce(&str) -> Vec<u8> + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}{path}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut r = BufReader::new(conn.try_clone().unwrap());
        let mut first = String::new();
        r.read_line(&mut first).unwrap();
        let mut line = String::new();
        while r.read_line(&mut line).is_ok_and(|n| n > 2) {
            line.clear();
        }
        let body = body(first.split(' ').next().unwrap_or(""));
        let mut w = conn;
        let _ = write!(w, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
        let _ = w.write_all(&body);
    });
    url
}

/// A server answering one request with the request's method as the body; its URL.
fn server() -> String {
    serve_once("/x", |method| method.as_bytes().to_vec())
}

fn request(url: &str, method: &str, headers: &str) -> Result<HttpHandles, Errno> {
    let mut h = HttpHandles { request: 0, response: 0, headers: 0 };
    // SAFETY: the strings are valid for their lengths; `h` is a valid out-pointer.
    let e = unsafe {
        http_request(
            url.as_ptr(),
            url.len(),
            method.as_ptr(),
            method.len(),
            headers.as_ptr(),
            headers.len(),
            Bool::FALSE,
            &mut h,
        )
    };
    if e == Errno::SUCCESS {
        Ok(h)
    } else {
        Err(e)
    }
}

fn read_all(fd: Fd) -> Result<Vec<u8>, Errno> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: buf.len() };
        let mut n = 0;
        // SAFETY: one iovec over `buf`; `n` is a valid out-pointer.
        match unsafe { fd_read(fd, &iov, 1, &mut n) } {
            Errno::SUCCESS if n == 0 => return Ok(out),
            Errno::SUCCESS => out.extend_from_slice(&buf[..n as usize]),
            e => return Err(e),
        }
    }
}

#[test]
fn bad_arguments_have_their_errno() {
    Config::new().build().unwrap().run(|| {
        assert_eq!(request("http://[::1", "GET", "").unwrap_err(), Errno::INVAL);
        assert_eq!(request("gopher://127.0.0.1/", "GET", "").unwrap_err(), Errno::PROTONOSUPPORT);
        assert_eq!(request("http://127.0.0.1:1/", "", "").unwrap_err(), Errno::INVAL);
        assert_eq!(request("http://127.0.0.1:1/", "GE T", "").unwrap_err(), Errno::INVAL);
        assert_eq!(request("http://127.0.0.1:1/", "GET", "A: 1\r\nB: 2").unwrap_err(), Errno::INVAL);
        assert_eq!(request("http://127.0.0.1:1/", "GET", "no colon").unwrap_err(), Errno::INVAL);
        assert_eq!(request("http://127.0.0.1:1/", "GET", "A: \0").unwrap_err(), Errno::INVAL);
        assert_eq!(request("http://192.0.2.1/", "GET", "").unwrap_err(), Errno::NETUNREACH);
        assert_eq!(request("http://nowhere.invalid/", "GET", "").unwrap_err(), Errno::NOENT);
        let bad_utf8 = [b'h', 0xff];
        let mut h = HttpHandles { request: 0, response: 0, headers: 0 };
        // SAFETY: valid lengths and out-pointer.
        let e = unsafe { http_request(bad_utf8.as_ptr(), 2, b"GET".as_ptr(), 3, [].as_ptr(), 0, Bool::FALSE, &mut h) };
        assert_eq!(e, Errno::ILSEQ);
        // SAFETY: valid lengths and out-pointer.
        let e = unsafe {
            http_request(
                b"http://127.0.0.1:1/".as_ptr(),
                19,
                b"GET".as_ptr(),
                3,
                [].as_ptr(),
                0,
                Bool::from_raw(2),
                &mut h,
            )
        };
        assert_eq!(e, Errno::INVAL, "a bool that is neither");
        let mut fd = 0;
        // SAFETY: valid length and out-pointer.
        assert_eq!(unsafe { ws_connect(b"ws://".as_ptr(), 5, &mut fd) }, Errno::INVAL);
        let mut st = HttpStatus { ok: Bool::FALSE, redirected: Bool::FALSE, size: 0, status: 0 };
        // SAFETY: a valid out-pointer; fd 1 is stdout, no request's.
        assert_eq!(unsafe { http_status(1, &mut st) }, Errno::BADF);
    });
    Config::new().network(Network::None).build().unwrap().run(|| {
        assert_eq!(request("http://127.0.0.1:1/", "GET", "").unwrap_err(), Errno::NOTSUP);
    });
}

#[test]
fn closing_request_sends_it_and_the_fds_have_their_rights() {
    let url = server();
    Config::new().build().unwrap().run(|| {
        let h = request(&url, "POST", "X-A: 1\n").unwrap();
        // `response` cannot be written, `request` cannot be read.
        let mut n = 0;
        let byte = [0u8];
        let ciov = Ciovec { buf: byte.as_ptr(), buf_len: 1 };
        // SAFETY: one ciovec over `byte`; `n` is a valid out-pointer.
        assert_eq!(unsafe { fd_write(h.response, &ciov, 1, &mut n) }, Errno::NOTCAPABLE);
        assert_eq!(read_all(h.request).unwrap_err(), Errno::NOTCAPABLE);
        // SAFETY: the fd is open.
        assert_eq!(unsafe { fd_close(h.request) }, Errno::SUCCESS);
        let mut st = HttpStatus { ok: Bool::FALSE, redirected: Bool::FALSE, size: 0, status: 0 };
        // SAFETY: a valid out-pointer.
        assert_eq!(unsafe { http_status(h.headers, &mut st) }, Errno::SUCCESS);
        assert_eq!((st.status, st.ok, st.redirected, st.size), (200, Bool::TRUE, Bool::FALSE, 4));
        assert_eq!(read_all(h.response).unwrap(), b"POST");
        let head = String::from_utf8(read_all(h.headers).unwrap()).unwrap();
        assert!(head.contains("content-length: 4\n"), "{head}");
    });
}

#[test]
fn reading_the_response_sends_a_request_whose_body_was_never_written() {
    let url = server();
    Config::new().build().unwrap().run(|| {
        let h = request(&url, "GET", "").unwrap();
        // `response` is polled (which sends the request) until readable.
        let sub = Subscription {
            userdata: 7,
            u: SubscriptionU::fd_read(SubscriptionFdReadwrite { file_descriptor: h.response }),
        };
        let mut ev = std::mem::MaybeUninit::<Event>::zeroed();
        let mut n = 0;
        // SAFETY: one subscription, room for one event, a valid out-pointer.
        assert_eq!(unsafe { poll_oneoff(&sub, ev.as_mut_ptr(), 1, &mut n) }, Errno::SUCCESS);
        // SAFETY: `poll_oneoff` wrote one event.
        assert_eq!((n, unsafe { ev.assume_init() }.userdata), (1, 7));
        assert_eq!(read_all(h.response).unwrap(), b"GET");
        // The body ended: a late write to `request` is `PIPE`.
        let byte = [0u8];
        let ciov = Ciovec { buf: byte.as_ptr(), buf_len: 1 };
        // SAFETY: one ciovec over `byte`; `n` is a valid out-pointer.
        assert_eq!(unsafe { fd_write(h.request, &ciov, 1, &mut n) }, Errno::PIPE);
    });
}

/// A server answering one request with a `len`-byte body whose byte `i` is `i % 251`; its URL.
fn big_server(len: usize) -> String {
    serve_once("/big", move |_| (0..len).map(|i| (i % 251) as u8).collect())
}

fn read_some(fd: Fd, buf: &mut [u8]) -> Result<usize, Errno> {
    let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: buf.len() };
    let mut n = 0;
    // SAFETY: one iovec over `buf`; `n` is a valid out-pointer.
    match unsafe { fd_read(fd, &iov, 1, &mut n) } {
        Errno::SUCCESS => Ok(n as usize),
        e => Err(e),
    }
}

/// Starts a GET of a `len`-byte body from [`big_server`] inside an instance built from `config` and runs
/// `test` on its fds there.
fn get_big(config: Config, len: usize, test: impl FnOnce(HttpHandles)) {
    let url = big_server(len);
    config.build().unwrap().run(|| test(request(&url, "GET", "").unwrap()));
}

fn poll_readable(fd: Fd) {
    let sub = Subscription { userdata: 1, u: SubscriptionU::fd_read(SubscriptionFdReadwrite { file_descriptor: fd }) };
    let mut ev = std::mem::MaybeUninit::<Event>::zeroed();
    let mut n = 0;
    // SAFETY: one subscription, room for one event, a valid out-pointer.
    assert_eq!(unsafe { poll_oneoff(&sub, ev.as_mut_ptr(), 1, &mut n) }, Errno::SUCCESS);
    assert_eq!(n, 1);
}

/// A body read directly by blocking reads, then polled halfway (the worker takes over and moves the rest
/// through the pair): every byte arrives once, in order.
#[test]
fn a_body_read_directly_then_polled_arrives_whole_and_in_order() {
    const LEN: usize = 3 << 20;
    get_big(Config::new(), LEN, |h| {
        let mut st = HttpStatus { ok: Bool::FALSE, redirected: Bool::FALSE, size: 0, status: 0 };
        // SAFETY: a valid out-pointer.
        assert_eq!(unsafe { http_status(h.response, &mut st) }, Errno::SUCCESS);
        assert_eq!((st.status, st.size), (200, LEN as u64));
        let mut body = Vec::new();
        let mut buf = vec![0u8; 64 << 10];
        while body.len() < LEN / 3 {
            let n = read_some(h.response, &mut buf).unwrap();
            assert!(n > 0, "early end after {} bytes", body.len());
            body.extend_from_slice(&buf[..n]);
        }
        poll_readable(h.response);
        loop {
            match read_some(h.response, &mut buf).unwrap() {
                0 => break,
                n => body.extend_from_slice(&buf[..n]),
            }
        }
        assert_eq!(body.len(), LEN);
        assert!(body.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8), "a byte out of place");
        let head = String::from_utf8(read_all(h.headers).unwrap()).unwrap();
        assert!(head.contains(&format!("content-length: {LEN}\n")), "{head}");
    });
}

/// A non-blocking `response` is served by the worker through the pair: `AGAIN` until bytes are there,
/// then the whole body.
#[test]
fn a_nonblocking_response_is_relayed() {
    const LEN: usize = 1 << 20;
    get_big(Config::new(), LEN, |h| {
        // SAFETY: plain calls on open fds.
        unsafe {
            assert_eq!(fd_fdstat_set_flags(h.response, Fdflags::NONBLOCK), Errno::SUCCESS);
            assert_eq!(fd_close(h.request), Errno::SUCCESS);
        }
        let mut body = Vec::new();
        let mut buf = vec![0u8; 64 << 10];
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            assert!(std::time::Instant::now() < deadline, "no end of the body after {} bytes", body.len());
            match read_some(h.response, &mut buf) {
                Ok(0) => break,
                Ok(n) => body.extend_from_slice(&buf[..n]),
                Err(Errno::AGAIN) => poll_readable(h.response),
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(body.len(), LEN);
        assert!(body.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8), "a byte out of place");
    });
}

/// A WebSocket server that answers each binary message `m` with two messages, `m` then `m` reversed, in one
/// write; its URL.
fn ws_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let Ok(mut ws) = tungstenite::accept(conn) else { return };
        while let Ok(m) = ws.read() {
            if let tungstenite::Message::Binary(b) = m {
                let mut r = b.to_vec();
                r.reverse();
                let _ = ws.write(tungstenite::Message::Binary(b));
                let _ = ws.write(tungstenite::Message::binary(r));
                if ws.flush().is_err() {
                    return;
                }
            }
        }
    });
    url
}

/// `ws_connect(url)` from inside an instance; the new fd.
fn connect(url: &str) -> Fd {
    let mut fd = 0;
    // SAFETY: a valid URL and out-pointer.
    assert_eq!(unsafe { ws_connect(url.as_ptr(), url.len(), &mut fd) }, Errno::SUCCESS);
    fd
}

fn ws_record(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut r = vec![opcode];
    r.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    r.extend_from_slice(payload);
    r
}

fn write_all(fd: Fd, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let ciov = Ciovec { buf: bytes.as_ptr(), buf_len: bytes.len() };
        let mut n = 0;
        // SAFETY: one ciovec over `bytes`; `n` is a valid out-pointer.
        match unsafe { fd_write(fd, &ciov, 1, &mut n) } {
            Errno::SUCCESS => bytes = &bytes[n as usize..],
            Errno::AGAIN => std::thread::sleep(Duration::from_millis(1)),
            e => panic!("{e}"),
        }
    }
}

/// Reads exactly `n` bytes, polling while a non-blocking fd has none.
fn read_exact(fd: Fd, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    let mut at = 0;
    while at < n {
        match read_some(fd, &mut out[at..]) {
            Ok(0) => panic!("end of file after {at} of {n} bytes"),
            Ok(k) => at += k,
            Err(Errno::AGAIN) => poll_readable(fd),
            Err(e) => panic!("{e}"),
        }
    }
    out
}

/// A WebSocket served by the guest's blocking calls, then polled and made non-blocking (a worker takes it
/// over) in the middle of a record, with the server's second message of a pair already read from the socket
/// into tungstenite's buffer: every record arrives once, whole and in order, and the echo goes on.
#[test]
fn a_websocket_read_directly_then_polled_keeps_every_record_in_order() {
    let url = ws_server();
    Config::new().build().unwrap().run(|| {
        let fd = connect(&url);
        let message = |i: u8| -> Vec<u8> { (0..100).map(|k| k ^ i).collect() };
        let reversed = |i: u8| -> Vec<u8> { message(i).into_iter().rev().collect() };
        for i in 0..3 {
            write_all(fd, &ws_record(2, &message(i)));
            assert_eq!(read_exact(fd, 105), ws_record(2, &message(i)));
            assert_eq!(read_exact(fd, 105), ws_record(2, &reversed(i)));
        }
        write_all(fd, &ws_record(2, &message(3)));
        // Only the first record's head is read directly ...
        assert_eq!(read_exact(fd, 5), ws_record(2, &message(3))[..5]);
        // ... then the fd is polled and made non-blocking: the rest comes through the worker.
        poll_readable(fd);
        // SAFETY: a plain call on an open fd.
        assert_eq!(unsafe { fd_fdstat_set_flags(fd, Fdflags::NONBLOCK) }, Errno::SUCCESS);
        assert_eq!(read_exact(fd, 100), message(3));
        assert_eq!(read_exact(fd, 105), ws_record(2, &reversed(3)));
        for i in 4..8 {
            write_all(fd, &ws_record(2, &message(i)));
            assert_eq!(read_exact(fd, 105), ws_record(2, &message(i)));
            assert_eq!(read_exact(fd, 105), ws_record(2, &reversed(i)));
        }
        // SAFETY: the fd is open.
        assert_eq!(unsafe { fd_close(fd) }, Errno::SUCCESS);
    });
}

/// A record the guest writes that is malformed ends a directly served connection: an error record with
/// `INVAL`, then end of file, and a later write is `PIPE`.
#[test]
fn a_malformed_record_written_directly_is_an_error_record() {
    let url = ws_server();
    Config::new().build().unwrap().run(|| {
        let fd = connect(&url);
        write_all(fd, &ws_record(3, b"x"));
        assert_eq!(read_exact(fd, 7), ws_record(0, &Errno::INVAL.raw().to_le_bytes()));
        assert_eq!(read_all(fd).unwrap(), b"");
        let ciov = Ciovec { buf: b"x".as_ptr(), buf_len: 1 };
        let mut n = 0;
        // SAFETY: one ciovec over a static byte; `n` is a valid out-pointer.
        assert_eq!(unsafe { fd_write(fd, &ciov, 1, &mut n) }, Errno::PIPE);
    });
}

/// Reads `fd` to its end, each read waited for at most `patience` (a poll with a clock), so a body that never
/// comes fails the test instead of hanging it.
fn read_all_within(fd: Fd, patience: Duration) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let subs = [
            Subscription { userdata: 1, u: SubscriptionU::fd_read(SubscriptionFdReadwrite { file_descriptor: fd }) },
            Subscription {
                userdata: 2,
                u: SubscriptionU::clock(SubscriptionClock {
                    id: Clockid::MONOTONIC,
                    timeout: patience.as_nanos() as u64,
                    precision: 0,
                    flags: Subclockflags::empty(),
                }),
            },
        ];
        let mut ev = [Event::default(); 2];
        let mut n = 0;
        // SAFETY: two subscriptions, room for two events, a valid out-pointer.
        assert_eq!(unsafe { poll_oneoff(subs.as_ptr(), ev.as_mut_ptr(), 2, &mut n) }, Errno::SUCCESS);
        assert!(ev[..n as usize].iter().any(|e| e.userdata == 1), "no bytes within {patience:?} after {}", out.len());
        match read_some(fd, &mut buf).unwrap() {
            0 => return out,
            k => out.extend_from_slice(&buf[..k]),
        }
    }
}

/// A response fd given to a host child as its standard input (renumbered onto fd 0, `inherit`): the body
/// flows to the child through the pair even though the guest never polled the fd (regression: a body
/// served to the guest's own reads never reached a pair another process reads).
#[test]
fn a_response_fd_given_to_a_host_child_delivers_the_body() {
    const LEN: usize = 200_000;
    get_big(Config::new().host_programs(true), LEN, |h| {
        // SAFETY: plain calls on open fds.
        unsafe {
            assert_eq!(fd_close(h.request), Errno::SUCCESS);
            assert_eq!(fd_renumber(h.response, 0), Errno::SUCCESS);
        }
        let (name, args) = (b"/bin/cat", b"cat");
        let mut ph = std::mem::MaybeUninit::<ProcessHandles>::zeroed();
        // SAFETY: valid strings with their lengths and a valid out-pointer.
        let e = unsafe {
            proc_spawn(
                name.as_ptr(),
                name.len(),
                Bool::FALSE,
                args.as_ptr(),
                args.len(),
                b"".as_ptr(),
                0,
                StdioMode::INHERIT,
                StdioMode::PIPED,
                StdioMode::NULL,
                b"".as_ptr(),
                0,
                ph.as_mut_ptr(),
            )
        };
        assert_eq!(e, BusError::SUCCESS);
        // SAFETY: `proc_spawn` succeeded and wrote the handles.
        let ph = unsafe { ph.assume_init() };
        assert_eq!(ph.stdout.tag, 1, "a piped stdout");
        // SAFETY: the tag says `some`.
        let out = unsafe { ph.stdout.u.some };
        // The guest's fd 0 is the parent's: closing it leaves the child's copy.
        // SAFETY: fd 0 is open.
        assert_eq!(unsafe { fd_close(0) }, Errno::SUCCESS);
        let body = read_all_within(out, Duration::from_secs(10));
        assert_eq!(body.len(), LEN);
        assert!(body.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8), "a byte out of place");
        let (mut pid, mut code) = (ph.bid, 99);
        // SAFETY: valid in-out pointers.
        assert_eq!(unsafe { proc_join(&mut pid, &mut code) }, Errno::SUCCESS);
        assert_eq!(code, 0);
    });
}
