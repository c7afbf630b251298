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
