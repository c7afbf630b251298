//! WebSocket connections.

use crate::TestServer;
use wasix::ws::{CloseFrame, Error, Message, WebSocket};

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn text_and_binary_messages_echo() {
    let server = TestServer::start();
    let mut ws = WebSocket::connect(&server.ws_url("/ws")).unwrap();
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    for m in [
        Message::Text("hello".into()),
        Message::Binary(vec![0, 1, 2, 255]),
        Message::Text(String::new()),
        Message::Binary(big),
        Message::Text("ünïcødé".into()),
    ] {
        ws.send(m.clone()).unwrap();
        assert_eq!(ws.recv().unwrap(), m);
    }
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn pings_are_answered_both_ways() {
    let server = TestServer::start();
    let mut ws = WebSocket::connect(&server.ws_url("/ws")).unwrap();
    ws.send(Message::Ping(b"marco".to_vec())).unwrap();
    assert_eq!(ws.recv().unwrap(), Message::Pong(b"marco".to_vec()));
    // The server pings; the client answers by itself and still sees the ping.
    let mut ws = WebSocket::connect(&server.ws_url("/ws-ping")).unwrap();
    assert_eq!(ws.recv().unwrap(), Message::Ping(b"are you there".to_vec()));
    assert_eq!(ws.recv().unwrap(), Message::Text("pong received".into()));
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_close_is_answered_and_ends_the_connection() {
    let server = TestServer::start();
    let mut ws = WebSocket::connect(&server.ws_url("/ws")).unwrap();
    let frame = CloseFrame { code: 1000, reason: "done".into() };
    ws.send(Message::Close(Some(frame.clone()))).unwrap();
    assert_eq!(ws.recv().unwrap(), Message::Close(Some(frame)));
    assert_eq!(ws.recv().unwrap_err(), Error::Closed);
    assert_eq!(ws.send(Message::Text("late".into())).unwrap_err(), Error::Closed);
    let mut ws = WebSocket::connect(&server.ws_url("/ws")).unwrap();
    ws.close(None).unwrap();
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn an_invalid_frame_is_a_protocol_error() {
    let server = TestServer::start();
    let mut ws = WebSocket::connect(&server.ws_url("/ws-bad")).unwrap();
    assert_eq!(ws.recv().unwrap_err(), Error::Protocol);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_server_that_does_not_upgrade_is_refused() {
    let server = TestServer::start();
    let err = WebSocket::connect(&server.ws_url("/status/404")).unwrap_err();
    assert_eq!(err, Error::Protocol);
}

#[test]
fn bad_input_is_a_typed_error() {
    assert_eq!(WebSocket::connect("ws://").unwrap_err(), Error::Url);
    assert_eq!(WebSocket::connect("http://127.0.0.1:1/").unwrap_err(), Error::Scheme);
    assert_eq!(WebSocket::connect("ws://127.0.0.1:1/\r\nX: y").unwrap_err(), Error::Url);
}
