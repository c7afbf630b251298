//! Requests and responses.

use crate::TestServer;
use std::io::Read;
use wasix::http::{Error, Request};
use wasix::io::Errno;
use wasix_conformance::http_server::{gzip_text, pattern_byte};

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn methods_bodies_and_headers_go_both_ways() {
    let server = TestServer::start();
    for (req, method, body) in [
        (Request::get(server.url("/echo")), "GET", &b""[..]),
        (Request::post(server.url("/echo")).body("posted"), "POST", b"posted"),
        (Request::put(server.url("/echo")).body(vec![1, 2, 3]), "PUT", &[1, 2, 3]),
        (Request::delete(server.url("/echo")), "DELETE", b""),
        (Request::method("PATCH", server.url("/echo")).body("p"), "PATCH", b"p"),
    ] {
        let resp = req.header("X-Test", "sent along").send().unwrap();
        assert_eq!((resp.status(), resp.ok(), resp.redirected()), (200, true, false), "{method}");
        assert_eq!(resp.header("x-method"), Some(method));
        assert_eq!(resp.header("X-Echo"), Some("sent along"), "request header reached the server");
        assert_eq!(resp.content_length(), Some(body.len() as u64));
        assert_eq!(resp.bytes().unwrap(), body, "{method}");
    }
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn repeated_response_headers_keep_their_order() {
    let server = TestServer::start();
    let resp = Request::get(server.url("/headers")).send().unwrap();
    let xs: Vec<_> = resp.headers().iter().filter(|(n, _)| n.starts_with("x-")).cloned().collect();
    let want = [("x-one", "1"), ("x-two", "a"), ("x-two", "b")].map(|(n, v)| (n.to_owned(), v.to_owned()));
    assert_eq!(xs, want);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn status_codes_come_back_as_responses() {
    let server = TestServer::start();
    for code in [200u16, 204, 404, 500] {
        let resp = Request::get(server.url(&format!("/status/{code}"))).send().unwrap();
        assert_eq!((resp.status(), resp.ok()), (code, code < 300));
        let want = if code == 204 { String::new() } else { format!("status {code}") };
        assert_eq!(resp.text().unwrap(), want);
    }
    let resp = Request::get(server.url("/nowhere")).send().unwrap();
    assert_eq!(resp.status(), 404);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_redirect_is_followed_and_reported() {
    let server = TestServer::start();
    let resp = Request::get(server.url("/redirect")).send().unwrap();
    assert_eq!((resp.status(), resp.redirected()), (200, true));
    assert_eq!(resp.header("x-method"), Some("GET"));
    assert_eq!(Request::get(server.url("/loop")).send().unwrap_err(), Error::TooManyRedirects);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn chunked_bodies_are_read_whole_both_ways() {
    let server = TestServer::start();
    let resp = Request::get(server.url("/chunked")).send().unwrap();
    assert_eq!(resp.content_length(), None);
    assert_eq!(resp.text().unwrap(), "hello, chunked world");
    // A streamed request body goes chunked; the server decodes it.
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 7) as u8).collect();
    let resp = Request::post(server.url("/echo")).body_reader(std::io::Cursor::new(data.clone())).send().unwrap();
    assert_eq!(resp.bytes().unwrap(), data);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn gzip_is_asked_for_and_decoded() {
    let server = TestServer::start();
    let resp = Request::get(server.url("/gzip")).gzip(true).send().unwrap();
    assert_eq!(resp.header("content-encoding"), None, "decoded");
    assert_eq!(resp.text().unwrap(), gzip_text());
    let resp = Request::get(server.url("/gzip")).send().unwrap();
    assert_eq!(resp.text().unwrap(), gzip_text(), "not asked for: sent plain");
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_64_mib_body_streams_with_every_byte_in_place() {
    let server = TestServer::start();
    let len = 64u64 << 20;
    let mut resp = Request::get(server.url(&format!("/bytes/{len}"))).send().unwrap();
    assert_eq!(resp.content_length(), Some(len));
    let mut buf = vec![0u8; 256 * 1024];
    let mut at = 0u64;
    loop {
        let n = resp.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        for (i, b) in buf[..n].iter().enumerate() {
            assert_eq!(*b, pattern_byte(at + i as u64), "byte {}", at + i as u64);
        }
        at += n as u64;
    }
    assert_eq!(at, len);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_body_that_ends_early_fails_at_its_end() {
    let server = TestServer::start();
    let resp = Request::get(server.url("/short")).send().unwrap();
    let err = resp.bytes().unwrap_err();
    assert_eq!(Errno::from_io_error(&err), Some(Errno::CONNRESET), "{err}");
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_body_larger_than_the_server_takes_is_refused() {
    let server = TestServer::start();
    assert_eq!(Request::post(server.url("/limit")).body("small").send().unwrap().text().unwrap(), "fits");
    match Request::post(server.url("/limit")).body(vec![7u8; 8 << 20]).send() {
        Ok(resp) => assert_eq!(resp.status(), 413),
        Err(e) => assert!(matches!(e, Error::Io(Errno::CONNRESET | Errno::PIPE)), "{e:?}"),
    }
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_server_that_does_not_speak_http_is_a_protocol_error() {
    let server = TestServer::start();
    assert_eq!(Request::get(server.url("/garbage")).send().unwrap_err(), Error::Protocol);
}

#[test]
fn bad_input_is_a_typed_error() {
    for url in ["", "not a url", "http://", "http://user@127.0.0.1/", "http://127.0.0.1:99999/"] {
        assert_eq!(Request::get(url).send().unwrap_err(), Error::Url, "{url:?}");
    }
    assert_eq!(Request::get("ftp://127.0.0.1/").send().unwrap_err(), Error::Scheme);
    for method in ["", "GET /", "BAD\r\n", "NUL\0"] {
        assert_eq!(Request::method(method, "http://127.0.0.1:1/").send().unwrap_err(), Error::Method, "{method:?}");
    }
    for (name, value) in [("X-A", "1\r\nX-Injected: yes"), ("X-A", "nul\0"), ("Bad Name", "v"), ("", "v"), ("X\n", "v")]
    {
        let err = Request::get("http://127.0.0.1:1/").header(name, value).send().unwrap_err();
        assert_eq!(err, Error::Header, "{name:?}: {value:?}");
    }
}

#[test]
fn a_closed_port_is_connrefused() {
    let port = {
        let l = wasix::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = Request::get(format!("http://127.0.0.1:{port}/")).send().unwrap_err();
    assert_eq!(err, Error::Io(Errno::CONNREFUSED));
}

#[test]
#[cfg(target_family = "wasm")]
fn https_is_unavailable_over_tcp() {
    assert_eq!(Request::get("https://127.0.0.1:1/").send().unwrap_err(), Error::TlsUnavailable);
    assert_eq!(wasix::ws::WebSocket::connect("wss://127.0.0.1:1/").unwrap_err(), Error::TlsUnavailable);
}
