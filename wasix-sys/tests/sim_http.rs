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

/// A server answering one request with `200` and the request's method as the body; its URL.
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/x", listener.local_addr().unwrap());
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
        let method = first.split(' ').next().unwrap_or("").to_owned();
        let mut w = conn;
        write!(w, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{method}", method.len()).unwrap();
    });
    url
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
