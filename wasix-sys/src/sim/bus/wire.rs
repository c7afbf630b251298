//! The bus's messages between two processes, as bytes: what crosses from one instance to another, over a
//! local link (a frame pushed into the receiver's inbox) or a remote one (the same frame on a TCP stream).
//! Both kinds of link carry exactly these frames, so a local bus process sees what a remote one sees.
//!
//! A frame is a little-endian `u32` length of the rest, a one-byte type, its fixed fields, and last the
//! payload (the rest of the frame), so a received payload is a range of its frame and is never copied.
//! Calls are named on a link by the id their **caller** gave them (its own `cid`), so neither side needs to
//! learn the other's numbers: a reply names the caller's id, a close says whose id it names.

use crate::Hash;

/// The longest payload a call or reply may carry (`bad_request` beyond), and so the longest frame.
pub(crate) const MAX_PAYLOAD: usize = 64 << 20;

/// The longest frame a remote link reads: a payload and its header.
pub(crate) const MAX_FRAME: usize = MAX_PAYLOAD + 64;

/// The call a new call is made within, as its sender names it on the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parent {
    None,
    /// A call the receiver made (its id there).
    Receivers(u64),
    /// A call the sender made (its id there).
    Senders(u64),
}

/// One frame's meaning.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Message<'a> {
    /// A new call with the sender's id `id`.
    Call { id: u64, parent: Parent, topic: Hash, format: u8, payload: &'a [u8] },
    /// The reply to the receiver's call `id`.
    Result { id: u64, format: u8, payload: &'a [u8] },
    /// The fault of the receiver's call `id`.
    Fault { id: u64, error: u32 },
    /// Call `id` is closed: one the sender made (`by_caller`) or one the receiver made.
    Close { id: u64, by_caller: bool },
    /// The sender's process ended with `code`.
    Exit { code: u32 },
    /// The sender closed the link (`bus_close`, or a remote connection that ended).
    Hangup,
    /// A remote link's first frame: the program to open and the token that allows it.
    Open { reuse: bool, name: &'a [u8], token: &'a [u8] },
    /// The answer to `Open`: the program runs.
    Opened,
    /// The answer to `Open`: refused with this `bus_error`; nothing runs.
    Refused { error: u32 },
}

const CALL: u8 = 1;
const RESULT: u8 = 2;
const FAULT: u8 = 3;
const CLOSE: u8 = 4;
const EXIT: u8 = 5;
const HANGUP: u8 = 6;
const OPEN: u8 = 7;
const OPENED: u8 = 8;
const REFUSED: u8 = 9;

impl Message<'_> {
    /// The frame, length prefix first.
    pub fn encode(&self) -> Vec<u8> {
        let payload_len = match self {
            Message::Call { payload, .. } | Message::Result { payload, .. } => payload.len(),
            Message::Open { name, token, .. } => name.len() + token.len(),
            _ => 0,
        };
        let mut f = Vec::with_capacity(48 + payload_len);
        f.extend_from_slice(&[0; 4]);
        match *self {
            Message::Call { id, parent, topic, format, payload } => {
                f.push(CALL);
                f.extend_from_slice(&id.to_le_bytes());
                let (kind, parent) = match parent {
                    Parent::None => (0u8, 0),
                    Parent::Receivers(p) => (1, p),
                    Parent::Senders(p) => (2, p),
                };
                f.push(kind);
                f.extend_from_slice(&parent.to_le_bytes());
                f.extend_from_slice(&topic.b0.to_le_bytes());
                f.extend_from_slice(&topic.b1.to_le_bytes());
                f.push(format);
                f.extend_from_slice(payload);
            }
            Message::Result { id, format, payload } => {
                f.push(RESULT);
                f.extend_from_slice(&id.to_le_bytes());
                f.push(format);
                f.extend_from_slice(payload);
            }
            Message::Fault { id, error } => {
                f.push(FAULT);
                f.extend_from_slice(&id.to_le_bytes());
                f.extend_from_slice(&error.to_le_bytes());
            }
            Message::Close { id, by_caller } => {
                f.push(CLOSE);
                f.extend_from_slice(&id.to_le_bytes());
                f.push(u8::from(by_caller));
            }
            Message::Exit { code } => {
                f.push(EXIT);
                f.extend_from_slice(&code.to_le_bytes());
            }
            Message::Hangup => f.push(HANGUP),
            Message::Open { reuse, name, token } => {
                f.push(OPEN);
                f.push(u8::from(reuse));
                f.extend_from_slice(&(name.len() as u32).to_le_bytes());
                f.extend_from_slice(name);
                f.extend_from_slice(token);
            }
            Message::Opened => f.push(OPENED),
            Message::Refused { error } => {
                f.push(REFUSED);
                f.extend_from_slice(&error.to_le_bytes());
            }
        }
        let len = (f.len() - 4) as u32;
        f[..4].copy_from_slice(&len.to_le_bytes());
        f
    }

    /// Reads a frame (length prefix included); `None` for one that is malformed (only a remote peer can
    /// send one: the link is then dropped).
    pub fn decode(frame: &[u8]) -> Option<Message<'_>> {
        let mut r = Reader(frame.get(4..)?);
        let m = match r.u8()? {
            CALL => {
                let id = r.u64()?;
                let parent = match (r.u8()?, r.u64()?) {
                    (0, _) => Parent::None,
                    (1, p) => Parent::Receivers(p),
                    (2, p) => Parent::Senders(p),
                    _ => return None,
                };
                let topic = Hash { b0: r.u64()?, b1: r.u64()? };
                Message::Call { id, parent, topic, format: r.u8()?, payload: r.rest() }
            }
            RESULT => Message::Result { id: r.u64()?, format: r.u8()?, payload: r.rest() },
            FAULT => Message::Fault { id: r.u64()?, error: r.u32()? },
            CLOSE => Message::Close { id: r.u64()?, by_caller: r.u8()? != 0 },
            EXIT => Message::Exit { code: r.u32()? },
            HANGUP => Message::Hangup,
            OPEN => {
                let reuse = r.u8()? != 0;
                let n = r.u32()? as usize;
                let name = r.take(n)?;
                Message::Open { reuse, name, token: r.rest() }
            }
            OPENED => Message::Opened,
            REFUSED => Message::Refused { error: r.u32()? },
            _ => return None,
        };
        Some(m)
    }
}

/// The payload's offset in its frame (the payload is the frame's tail).
pub(crate) fn payload_start(frame: &[u8], payload: &[u8]) -> usize {
    frame.len() - payload.len()
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_round_trips_and_truncations_are_refused() {
        let topic = Hash { b0: 1, b1: 2 };
        let all = [
            Message::Call { id: 7, parent: Parent::Senders(3), topic, format: 2, payload: b"abc" },
            Message::Call { id: 7, parent: Parent::None, topic, format: 0, payload: b"" },
            Message::Result { id: 9, format: 1, payload: b"xyz" },
            Message::Fault { id: 9, error: 7 },
            Message::Close { id: 4, by_caller: true },
            Message::Exit { code: 42 },
            Message::Hangup,
            Message::Open { reuse: true, name: b"echo", token: b"secret" },
            Message::Opened,
            Message::Refused { error: 14 },
        ];
        for m in all {
            let f = m.encode();
            assert_eq!(u32::from_le_bytes(f[..4].try_into().unwrap()) as usize, f.len() - 4);
            assert_eq!(Message::decode(&f), Some(m));
        }
        let call = Message::Call { id: 7, parent: Parent::Receivers(3), topic, format: 2, payload: b"" }.encode();
        for n in 4..call.len() {
            assert_eq!(Message::decode(&call[..n]), None, "{n} bytes");
        }
        assert_eq!(Message::decode(&[0, 0, 0, 0, 99]), None);
    }
}
