//! Wasmer 7.4.2 has no `http_request`, `http_status` or `ws_connect` (a module importing them does not
//! instantiate): `wasix::http` and `wasix::ws` speak HTTP/1.1 and WebSocket themselves over
//! `wasix::net::TcpStream` there (`crate::http::wire`, `crate::ws`'s `wire`), plain `http`/`ws` only, since
//! no TLS library is built in. This constant is the one place that choice is made; the safe modules never
//! name the raw imports on this path, so a guest using them imports none of the three.

use crate::http::Transport;

/// How the safe clients reach servers on Wasmer: over TCP.
pub(crate) const HTTP_TRANSPORT: Transport = Transport::Tcp;
