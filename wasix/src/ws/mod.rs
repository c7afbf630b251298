//! A WebSocket client: [`WebSocket::connect`] to a `ws://` (or `wss://`) URL, then
//! [`send`](WebSocket::send) and [`recv`](WebSocket::recv) [`Message`]s.
//!
//! Where the host serves `ws_connect` (the simulator, seed-conformant hosts) the connection goes through
//! it; on Wasmer 7.4.2, which lacks it, this module speaks the WebSocket protocol (RFC 6455) itself over
//! [`crate::net::TcpStream`] (`ws` only there: `wss` is [`Error::TlsUnavailable`]). The host profile
//! decides which, and the behaviour is the same: a ping is answered with a pong and also returned by
//! `recv`; a close from the peer is answered and returned as [`Message::Close`], after which `recv` and
//! `send` are [`Error::Closed`]; [`WebSocket::close`] sends a close and waits for the answer. A peer that
//! breaks the protocol (a bad frame, text that is not UTF-8) is [`Error::Protocol`].
//!
//! ```no_run
//! use wasix::ws::{Message, WebSocket};
//!
//! let mut ws = WebSocket::connect("ws://127.0.0.1:9001/echo").unwrap();
//! ws.send(Message::Text("hello".into())).unwrap();
//! assert_eq!(ws.recv().unwrap(), Message::Text("hello".into()));
//! ws.close(None).unwrap();
//! ```

mod host;
mod wire;

pub use crate::http::Error;
use crate::http::Transport;

/// A WebSocket message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// A text message.
    Text(String),
    /// A binary message.
    Binary(Vec<u8>),
    /// A ping (at most 125 bytes).
    Ping(Vec<u8>),
    /// A pong (at most 125 bytes).
    Pong(Vec<u8>),
    /// A close, with its code and reason if it has them.
    Close(Option<CloseFrame>),
}

/// A close message's code and reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseFrame {
    /// The status code (1000: normal closure).
    pub code: u16,
    /// The reason, UTF-8, at most 123 bytes.
    pub reason: String,
}

/// The largest message accepted (and sent), as tungstenite's default.
pub(crate) const MAX_MESSAGE: usize = 64 << 20;

/// A WebSocket connection.
#[derive(Debug)]
pub struct WebSocket {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Host(host::Connection),
    Tcp(wire::Connection),
}

impl WebSocket {
    /// Connects (the opening handshake) to `url`.
    pub fn connect(url: &str) -> Result<WebSocket, Error> {
        let inner = match crate::host::HTTP_TRANSPORT {
            Transport::Host => Inner::Host(host::Connection::connect(url)?),
            Transport::Tcp => Inner::Tcp(wire::Connection::connect(url)?),
        };
        Ok(WebSocket { inner })
    }

    /// Sends a message (control messages longer than 125 bytes and close reasons longer than 123 are
    /// [`Error::Protocol`]).
    pub fn send(&mut self, message: Message) -> Result<(), Error> {
        match &message {
            Message::Ping(p) | Message::Pong(p) if p.len() > 125 => return Err(Error::Protocol),
            Message::Close(Some(f)) if f.reason.len() > 123 => return Err(Error::Protocol),
            Message::Text(t) if t.len() > MAX_MESSAGE => return Err(Error::Protocol),
            Message::Binary(b) if b.len() > MAX_MESSAGE => return Err(Error::Protocol),
            _ => {}
        }
        match &mut self.inner {
            Inner::Host(c) => c.send(message),
            Inner::Tcp(c) => c.send(message),
        }
    }

    /// Receives the next message, waiting for it.
    pub fn recv(&mut self) -> Result<Message, Error> {
        match &mut self.inner {
            Inner::Host(c) => c.recv(),
            Inner::Tcp(c) => c.recv(),
        }
    }

    /// Sends a close and waits for the peer's (messages received meanwhile are dropped).
    pub fn close(&mut self, frame: Option<CloseFrame>) -> Result<(), Error> {
        self.send(Message::Close(frame))?;
        loop {
            match self.recv() {
                Ok(Message::Close(_)) | Err(Error::Closed) => return Ok(()),
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
    }
}
