//! WebSockets through the host's `ws_connect`: messages cross its fd as records (a 1-byte opcode, a
//! 4-byte little-endian length, the payload; opcode 0 is an error record holding an errno), the format
//! the simulator documents in `wasix_sys::sim`'s HTTP module.

#![allow(unsafe_code)] // The raw call.

use super::{CloseFrame, Error, Message, MAX_MESSAGE};
use crate::conv;
use crate::fd::{FromRawFd, OwnedFd, PipeReader};
use crate::host;
use crate::io::Errno;
use std::io::{self, Read};

/// A connection over the host's fd.
#[derive(Debug)]
pub(super) struct Connection {
    fd: PipeReader,
    /// A close was received (or the fd ended): `recv` and `send` are `Closed`.
    closed: bool,
}

impl Connection {
    pub fn connect(url: &str) -> Result<Connection, Error> {
        super::wire::check_url(url)?;
        // SAFETY: the URL is valid for its length; `out` gives a valid out-pointer.
        let fd =
            unsafe { conv::out(|ret| host::ws_connect(url.as_ptr(), url.len(), ret)) }.map_err(Error::from_errno)?;
        // SAFETY: the fd is new and ours alone.
        let fd = PipeReader::from(unsafe { OwnedFd::from_raw_fd(fd) });
        Ok(Connection { fd, closed: false })
    }

    pub fn send(&mut self, message: Message) -> Result<(), Error> {
        if self.closed {
            return Err(Error::Closed);
        }
        let (opcode, payload): (u8, Vec<u8>) = match message {
            Message::Text(t) => (1, t.into_bytes()),
            Message::Binary(b) => (2, b),
            Message::Ping(p) => (9, p),
            Message::Pong(p) => (10, p),
            Message::Close(frame) => {
                let mut p = Vec::new();
                if let Some(f) = frame {
                    p.extend_from_slice(&f.code.to_be_bytes());
                    p.extend_from_slice(f.reason.as_bytes());
                }
                (8, p)
            }
        };
        let mut record = Vec::with_capacity(5 + payload.len());
        record.push(opcode);
        record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        record.extend_from_slice(&payload);
        let mut rest = &record[..];
        while !rest.is_empty() {
            match crate::fd::write(&self.fd, rest) {
                Ok(n) => rest = &rest[n..],
                Err(Errno::INTR) => {}
                Err(Errno::PIPE) => return Err(Error::Closed),
                Err(e) => return Err(Error::Io(e)),
            }
        }
        Ok(())
    }

    pub fn recv(&mut self) -> Result<Message, Error> {
        if self.closed {
            return Err(Error::Closed);
        }
        let mut head = [0u8; 5];
        if let Err(e) = self.fd.read_exact(&mut head) {
            self.closed = true;
            return Err(if e.kind() == io::ErrorKind::UnexpectedEof { Error::Closed } else { Error::from_io(&e) });
        }
        let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if len > MAX_MESSAGE {
            self.closed = true;
            return Err(Error::Protocol);
        }
        let mut payload = vec![0u8; len];
        if let Err(e) = self.fd.read_exact(&mut payload) {
            self.closed = true;
            return Err(Error::from_io(&e));
        }
        match head[0] {
            0 => {
                self.closed = true;
                let errno = Errno::from_raw(u16::from_le_bytes([payload[0], *payload.get(1).unwrap_or(&0)]));
                Err(match errno {
                    Errno::PROTO | Errno::ILSEQ | Errno::MSGSIZE => Error::Protocol,
                    e => Error::Io(e),
                })
            }
            1 => String::from_utf8(payload).map(Message::Text).map_err(|_| Error::Protocol),
            2 => Ok(Message::Binary(payload)),
            9 => Ok(Message::Ping(payload)),
            10 => Ok(Message::Pong(payload)),
            8 => {
                self.closed = true;
                Ok(Message::Close(close_frame(&payload)?))
            }
            _ => Err(Error::Protocol),
        }
    }
}

/// A close payload's frame: none, or a code and a UTF-8 reason.
pub(super) fn close_frame(payload: &[u8]) -> Result<Option<CloseFrame>, Error> {
    match payload {
        [] => Ok(None),
        [_] => Err(Error::Protocol),
        [a, b, reason @ ..] => Ok(Some(CloseFrame {
            code: u16::from_be_bytes([*a, *b]),
            reason: String::from_utf8(reason.to_vec()).map_err(|_| Error::Protocol)?,
        })),
    }
}
