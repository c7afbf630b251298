//! `wasix::http` and `wasix::ws` against the test server of `wasix_conformance::http_server`, started by
//! each test on `127.0.0.1`, port 0, on a `wasix::thread` (so on wasm these tests need
//! `wasm32-wasip1-threads`): methods, headers both ways, status codes and redirects, body framings, gzip, a
//! 64 MiB streamed body, bad input ([`request`]); WebSocket echo of text and binary, pings both ways,
//! close, an invalid frame ([`ws`]). Natively the requests go through the simulator's `http_request` and
//! `ws_connect` (and `sim` adds https and wss with a test certificate); on Wasmer through the safe layer's
//! own HTTP/1.1 and WebSocket over TCP.

mod request;
mod ws;

pub use wasix_conformance::http_server::TestServer;

/// https with a test certificate (native: the simulator's rustls; on Wasmer `https` is
/// `Error::TlsUnavailable`, see `request::https_is_unavailable_over_tcp`).
#[cfg(not(target_family = "wasm"))]
mod sim {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::Arc;
    use wasix::http::{Error, Request};
    use wasix::sim::Config;

    /// A one-request-per-connection https server on `127.0.0.1` for `localhost`; its certificate (DER).
    fn https_server() -> (u16, Vec<u8>) {
        let key = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let der = key.cert.der().to_vec();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![key.cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.key_pair.serialize_der().into()),
            )
            .unwrap();
        let config = Arc::new(config);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for tcp in listener.incoming().take(8) {
                let Ok(tcp) = tcp else { continue };
                let _ = tcp.set_read_timeout(Some(std::time::Duration::from_secs(5)));
                let conn = rustls::ServerConnection::new(config.clone()).unwrap();
                let mut tls = BufReader::new(rustls::StreamOwned::new(conn, tcp));
                let mut line = String::new();
                while tls.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let _ =
                    tls.get_mut().write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure");
                tls.get_mut().conn.send_close_notify();
                let _ = tls.get_mut().flush();
            }
        });
        (port, der)
    }

    #[test]
    fn https_works_with_a_root_the_config_adds() {
        let (port, der) = https_server();
        let url = format!("https://localhost:{port}/");
        let body = Config::new().root_certificate(der).build().unwrap().run(|| {
            let resp = Request::get(&url).send().unwrap();
            assert_eq!(resp.status(), 200);
            resp.text().unwrap()
        });
        assert_eq!(body, "secure");
        let err = Config::new().build().unwrap().run(|| Request::get(&url).send().unwrap_err());
        assert_eq!(err, Error::Protocol, "an untrusted certificate");
    }

    #[test]
    fn the_network_policy_applies() {
        use wasix::io::Errno;
        use wasix::sim::Network;
        let err = Config::new()
            .network(Network::None)
            .build()
            .unwrap()
            .run(|| Request::get("http://127.0.0.1:1/").send().unwrap_err());
        assert_eq!(err, Error::Io(Errno::NOTSUP));
        let loopback = Config::new().build().unwrap();
        assert_eq!(
            loopback.run(|| Request::get("http://192.0.2.1/").send().unwrap_err()),
            Error::Io(Errno::NETUNREACH)
        );
        assert_eq!(
            loopback.run(|| Request::get("http://nowhere.invalid/").send().unwrap_err()),
            Error::Io(Errno::NOENT)
        );
        let ws = loopback.run(|| wasix::ws::WebSocket::connect("ws://192.0.2.1/").unwrap_err());
        assert_eq!(ws, Error::Io(Errno::NETUNREACH));
    }
}
