//! The WebSocket protocol (RFC 6455) spoken by this crate over [`TcpStream`], for hosts without
//! `ws_connect` (Wasmer 7.4.2; the host profile decides): the opening handshake (its key's SHA-1 checked),
//! masked frames out, frames in checked (reserved bits, opcodes, unmasked, control frames short and
//! unfragmented, fragments reassembled, text UTF-8, at most 64 MiB), pings answered, closes answered.

use super::{CloseFrame, Error, Message, MAX_MESSAGE};
use crate::http::url::{Scheme, Url};
use crate::http::wire::{connect, header, read_head};
use crate::net::TcpStream;
use std::io::{self, BufReader, Read, Write};

/// The GUID the handshake's accept key is made with.
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The URL's checks, for both ways of connecting.
pub(super) fn check_url(url: &str) -> Result<Url, Error> {
    Url::parse(url, &[Scheme::Ws, Scheme::Wss])
}

/// A connection this crate speaks the protocol on.
#[derive(Debug)]
pub(super) struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    /// A close was sent.
    sent_close: bool,
    /// A close was received or the connection ended.
    closed: bool,
}

impl Connection {
    pub fn connect(url: &str) -> Result<Connection, Error> {
        let url = check_url(url)?;
        let stream = connect(&url)?;
        let mut nonce = [0u8; 16];
        crate::random::fill(&mut nonce).map_err(Error::Io)?;
        let key = base64(&nonce);
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n",
            url.target,
            url.host_header()
        );
        let mut writer = stream.try_clone().map_err(Error::Io)?;
        writer.write_all(request.as_bytes()).map_err(|e| Error::from_io(&e))?;
        let mut reader = BufReader::with_capacity(64 * 1024, stream);
        let (status, headers) = read_head(&mut reader)?;
        let expected = base64(&sha1(format!("{key}{GUID}").as_bytes()));
        let upgraded = header(&headers, "upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
        if status != 101 || !upgraded || header(&headers, "sec-websocket-accept") != Some(expected.as_str()) {
            return Err(Error::Protocol);
        }
        Ok(Connection { reader, writer, sent_close: false, closed: false })
    }

    /// Writes one masked frame.
    fn frame(&mut self, opcode: u8, payload: &[u8]) -> Result<(), Error> {
        let mut mask = [0u8; 4];
        crate::random::fill(&mut mask).map_err(Error::Io)?;
        let mut out = Vec::with_capacity(payload.len() + 14);
        out.push(0x80 | opcode);
        match payload.len() {
            n if n < 126 => out.push(0x80 | n as u8),
            n if n <= 0xffff => {
                out.push(0x80 | 126);
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                out.push(0x80 | 127);
                out.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        out.extend_from_slice(&mask);
        out.extend(payload.iter().zip(mask.iter().cycle()).map(|(b, m)| b ^ m));
        self.writer.write_all(&out).map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset => Error::Closed,
            _ => Error::from_io(&e),
        })
    }

    pub fn send(&mut self, message: Message) -> Result<(), Error> {
        if self.sent_close {
            return Err(Error::Closed);
        }
        match message {
            Message::Text(t) => self.frame(1, t.as_bytes()),
            Message::Binary(b) => self.frame(2, &b),
            Message::Ping(p) => self.frame(9, &p),
            Message::Pong(p) => self.frame(10, &p),
            Message::Close(frame) => {
                let mut p = Vec::new();
                if let Some(f) = frame {
                    p.extend_from_slice(&f.code.to_be_bytes());
                    p.extend_from_slice(f.reason.as_bytes());
                }
                self.sent_close = true;
                self.frame(8, &p)
            }
        }
    }

    /// Reads one frame: `(fin, opcode, payload)`.
    fn read_frame(&mut self) -> Result<(bool, u8, Vec<u8>), Error> {
        let io = |e: io::Error| match e.kind() {
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset => Error::Closed,
            _ => Error::from_io(&e),
        };
        let mut head = [0u8; 2];
        self.reader.read_exact(&mut head).map_err(io)?;
        let (fin, rsv, opcode, masked) = (head[0] & 0x80 != 0, head[0] & 0x70, head[0] & 0x0f, head[1] & 0x80 != 0);
        if rsv != 0 || masked || ![0, 1, 2, 8, 9, 10].contains(&opcode) {
            return Err(Error::Protocol);
        }
        let len = match head[1] & 0x7f {
            126 => {
                let mut b = [0u8; 2];
                self.reader.read_exact(&mut b).map_err(io)?;
                u64::from(u16::from_be_bytes(b))
            }
            127 => {
                let mut b = [0u8; 8];
                self.reader.read_exact(&mut b).map_err(io)?;
                u64::from_be_bytes(b)
            }
            n => u64::from(n),
        };
        if opcode >= 8 && (len > 125 || !fin) {
            return Err(Error::Protocol);
        }
        if len > MAX_MESSAGE as u64 {
            return Err(Error::Protocol);
        }
        let mut payload = vec![0u8; len as usize];
        self.reader.read_exact(&mut payload).map_err(io)?;
        Ok((fin, opcode, payload))
    }

    pub fn recv(&mut self) -> Result<Message, Error> {
        if self.closed {
            return Err(Error::Closed);
        }
        let result = self.recv_message();
        if matches!(result, Err(_) | Ok(Message::Close(_))) {
            self.closed = true;
        }
        if let Err(Error::Protocol) = result {
            // Tell the peer why, as the protocol asks (1002: protocol error), then drop the connection.
            if !self.sent_close {
                self.sent_close = true;
                let _ = self.frame(8, &1002u16.to_be_bytes());
            }
            let _ = self.writer.shutdown(std::net::Shutdown::Both);
        }
        result
    }

    fn recv_message(&mut self) -> Result<Message, Error> {
        let mut message: Option<(u8, Vec<u8>)> = None;
        loop {
            let (fin, opcode, payload) = self.read_frame()?;
            match opcode {
                9 => {
                    if !self.sent_close {
                        self.frame(10, &payload)?;
                    }
                    return Ok(Message::Ping(payload));
                }
                10 => return Ok(Message::Pong(payload)),
                8 => {
                    let frame = super::host::close_frame(&payload)?;
                    if !self.sent_close {
                        self.sent_close = true;
                        let echo = frame.as_ref().map_or(Vec::new(), |f: &CloseFrame| f.code.to_be_bytes().to_vec());
                        let _ = self.frame(8, &echo);
                    }
                    return Ok(Message::Close(frame));
                }
                0 => {
                    let (_, data) = message.as_mut().ok_or(Error::Protocol)?;
                    if data.len() + payload.len() > MAX_MESSAGE {
                        return Err(Error::Protocol);
                    }
                    data.extend_from_slice(&payload);
                }
                _ => {
                    if message.is_some() {
                        return Err(Error::Protocol);
                    }
                    message = Some((opcode, payload));
                }
            }
            if fin {
                if let Some((opcode, data)) = message.take() {
                    return match opcode {
                        1 => String::from_utf8(data).map(Message::Text).map_err(|_| Error::Protocol),
                        _ => Ok(Message::Binary(data)),
                    };
                }
            }
        }
    }
}

/// Standard base64 with padding.
pub(crate) fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SHA-1 (FIPS 180-4), for the handshake's accept key only.
pub(crate) fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handshake_key_of_rfc_6455_is_accepted() {
        // RFC 6455 §1.3's example.
        let accept = base64(&sha1(format!("dGhlIHNhbXBsZSBub25jZQ=={GUID}").as_bytes()));
        assert_eq!(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }
}
