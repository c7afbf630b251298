//! `ws_connect` (the simulator half of `wasix::ws`): the handshake in the call, then one worker thread per
//! connection moving records (format in the module docs of [`super`]) between the guest's fd and
//! `tungstenite`.

use super::super::fdtable::{Entry, Kind};
use super::super::{mem, state, status, Network};
use super::{check_url, errno_of_io, socket_pair, Policy, Sender};
use crate::{Errno, Fd, Fdflags, Rights};
use rustix::event::{poll, PollFd, PollFlags};
use std::io::{self, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::OwnedFd;
use std::time::Duration;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::CloseFrame;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Error as WsError, Message, WebSocket};

/// Record opcodes (the protocol's, and 0 for an error).
pub(crate) const ERROR: u8 = 0;
pub(crate) const TEXT: u8 = 1;
pub(crate) const BINARY: u8 = 2;
pub(crate) const CLOSE: u8 = 8;
pub(crate) const PING: u8 = 9;
pub(crate) const PONG: u8 = 10;
/// The largest payload of a record the guest writes (tungstenite's message limit).
const MAX_PAYLOAD: usize = 64 << 20;

pub(crate) unsafe fn ws_connect(url: *const u8, url_len: usize, ret: *mut Fd) -> Errno {
    status(state::with(|s| {
        // SAFETY: the guest passes `url_len` bytes per the ABI contract.
        let url = unsafe { mem::slice(url, url_len)? };
        if s.network == Network::None {
            return Err(Errno::NOTSUP);
        }
        let url = check_url(url, ["ws", "wss"], s.network)?;
        if ret.is_null() {
            return Err(Errno::FAULT);
        }
        let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = url.port_or_known_default().unwrap_or(80);
        let addrs = match s.network {
            Network::Host => (host.as_str(), port).to_socket_addrs().map_err(|_| Errno::NOENT)?.collect(),
            n => Policy(n).addresses(&host, port)?,
        };
        let mut last = Errno::CONNREFUSED;
        let mut tcp = None;
        for a in addrs {
            match TcpStream::connect_timeout(&a, Duration::from_secs(30)) {
                Ok(t) => {
                    tcp = Some(t);
                    break;
                }
                Err(e) => last = errno_of_io(&e),
            }
        }
        let tcp = tcp.ok_or(last)?;
        let _ = tcp.set_nodelay(true);
        let raw = tcp.try_clone().map_err(|e| errno_of_io(&e))?;
        let connector = tungstenite::Connector::Rustls(s.http.tls()?);
        let (ws, _) =
            tungstenite::client_tls_with_config(url.as_str(), tcp, None, Some(connector)).map_err(|e| match e {
                tungstenite::HandshakeError::Failure(e) => errno_of_ws(&e),
                tungstenite::HandshakeError::Interrupted(_) => Errno::AGAIN,
            })?;
        raw.set_nonblocking(true).map_err(|e| errno_of_io(&e))?;
        let (guest, worker) = socket_pair()?;
        rustix::io::ioctl_fionbio(&worker, true).map_err(super::super::errno::from_host)?;
        let rights = Rights::FD_READ
            | Rights::FD_WRITE
            | Rights::POLL_FD_READWRITE
            | Rights::FD_FDSTAT_SET_FLAGS
            | Rights::FD_FILESTAT_GET;
        let fd = s.fds.insert(Entry::new(Kind::WebSocket(guest), rights, Rights::empty(), Fdflags::empty()))?;
        let started = std::thread::Builder::new().name("wasix-ws".into()).spawn(move || {
            let mut w = Worker { ws, raw, guest: worker, inbox: Vec::new(), flushing: false };
            w.run();
        });
        if started.is_err() {
            drop(s.fds.remove(fd));
            return Err(Errno::AGAIN);
        }
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, fd) }
    }))
}

/// The errno of a tungstenite error.
fn errno_of_ws(e: &WsError) -> Errno {
    match e {
        WsError::Io(io) => errno_of_io(io),
        WsError::Tls(_) => Errno::PROTO,
        WsError::Capacity(_) => Errno::MSGSIZE,
        WsError::Utf8(_) => Errno::ILSEQ,
        WsError::ConnectionClosed | WsError::AlreadyClosed => Errno::CONNRESET,
        WsError::Url(_) => Errno::INVAL,
        _ => Errno::PROTO,
    }
}

struct Worker {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    /// The connection's socket (a duplicate), for polling.
    raw: TcpStream,
    /// The worker's end of the guest's pair, non-blocking.
    guest: OwnedFd,
    /// Bytes the guest wrote that do not make a whole record yet.
    inbox: Vec<u8>,
    /// Whether tungstenite holds frames the socket would not take yet.
    flushing: bool,
}

/// What the loop does next.
enum Next {
    Go,
    Stop,
}

impl Worker {
    fn run(&mut self) {
        loop {
            // Peer data first: the handshake may have read frames past its response into tungstenite's
            // buffer, where polling the socket would not see them.
            if let Next::Stop = self.pass_peer_messages() {
                return;
            }
            if let Next::Stop = self.pass_guest_records() {
                return;
            }
            if let Next::Stop = self.flush() {
                return;
            }
            let mut tcp_events = PollFlags::IN;
            if self.flushing {
                tcp_events |= PollFlags::OUT;
            }
            let mut fds = [PollFd::new(&self.guest, PollFlags::IN), PollFd::new(&self.raw, tcp_events)];
            match poll(&mut fds, None) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(_) => return,
            }
        }
    }

    /// Sends one record to the guest, waiting while its end is full; false once the guest is gone.
    fn deliver(&self, opcode: u8, payload: &[u8]) -> bool {
        let mut record = Vec::with_capacity(5 + payload.len());
        record.push(opcode);
        record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        record.extend_from_slice(payload);
        let mut rest = &record[..];
        while !rest.is_empty() {
            match Sender(&self.guest).write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let _ = poll(&mut [PollFd::new(&self.guest, PollFlags::OUT)], None);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }

    /// An error record, then end of file.
    fn fail(&mut self, e: Errno) -> Next {
        self.deliver(ERROR, &e.raw().to_le_bytes());
        Next::Stop
    }

    fn pass_peer_messages(&mut self) -> Next {
        loop {
            match self.ws.read() {
                Ok(msg) => {
                    let delivered = match &msg {
                        Message::Text(t) => self.deliver(TEXT, t.as_bytes()),
                        Message::Binary(b) => self.deliver(BINARY, b),
                        Message::Ping(b) => self.deliver(PING, b),
                        Message::Pong(b) => self.deliver(PONG, b),
                        Message::Close(frame) => {
                            let mut payload = Vec::new();
                            if let Some(f) = frame {
                                payload.extend_from_slice(&u16::from(f.code).to_be_bytes());
                                payload.extend_from_slice(f.reason.as_bytes());
                            }
                            self.deliver(CLOSE, &payload)
                        }
                        Message::Frame(_) => true,
                    };
                    if !delivered {
                        return Next::Stop;
                    }
                    // A ping's pong or a close's answer may be queued.
                    self.flushing = true;
                }
                Err(WsError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => return Next::Go,
                Err(WsError::Io(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => return Next::Stop,
                Err(WsError::Io(e)) => return self.fail(errno_of_io(&e).max_reset()),
                Err(e) => {
                    let errno = errno_of_ws(&e);
                    return self.fail(errno);
                }
            }
        }
    }

    fn pass_guest_records(&mut self) -> Next {
        let mut buf = [0u8; 64 * 1024];
        loop {
            match rustix::io::read(&self.guest, &mut buf) {
                Ok(0) => {
                    // The guest closed its fd: close the connection as politely as it allows.
                    let _ = self.ws.close(None);
                    let _ = self.raw.set_nonblocking(false);
                    let _ = self.raw.set_write_timeout(Some(Duration::from_secs(1)));
                    let _ = self.ws.flush();
                    return Next::Stop;
                }
                Ok(n) => self.inbox.extend_from_slice(&buf[..n]),
                Err(rustix::io::Errno::AGAIN) => break,
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return Next::Stop,
            }
        }
        while self.inbox.len() >= 5 {
            let opcode = self.inbox[0];
            let len = u32::from_le_bytes([self.inbox[1], self.inbox[2], self.inbox[3], self.inbox[4]]) as usize;
            if len > MAX_PAYLOAD {
                return self.fail(Errno::INVAL);
            }
            if self.inbox.len() < 5 + len {
                break;
            }
            let payload = self.inbox[5..5 + len].to_vec();
            self.inbox.drain(..5 + len);
            let msg = match opcode {
                TEXT => match String::from_utf8(payload) {
                    Ok(t) => Message::text(t),
                    Err(_) => return self.fail(Errno::ILSEQ),
                },
                BINARY => Message::binary(payload),
                PING => Message::Ping(payload.into()),
                PONG => Message::Pong(payload.into()),
                CLOSE => {
                    let frame = match payload.len() {
                        0 => None,
                        1 => return self.fail(Errno::INVAL),
                        _ => match std::str::from_utf8(&payload[2..]) {
                            Ok(reason) => Some(CloseFrame {
                                code: CloseCode::from(u16::from_be_bytes([payload[0], payload[1]])),
                                reason: reason.to_owned().into(),
                            }),
                            Err(_) => return self.fail(Errno::ILSEQ),
                        },
                    };
                    match self.ws.close(frame) {
                        Ok(()) => {}
                        Err(WsError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => {}
                        Err(e) => return self.fail(errno_of_ws(&e)),
                    }
                    self.flushing = true;
                    continue;
                }
                _ => return self.fail(Errno::INVAL),
            };
            match self.ws.write(msg) {
                Ok(()) => {}
                Err(WsError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return self.fail(errno_of_ws(&e)),
            }
            self.flushing = true;
        }
        Next::Go
    }

    fn flush(&mut self) -> Next {
        if !self.flushing {
            return Next::Go;
        }
        match self.ws.flush() {
            Ok(()) => {
                self.flushing = false;
                Next::Go
            }
            Err(WsError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => Next::Go,
            Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => Next::Stop,
            Err(e) => self.fail(errno_of_ws(&e)),
        }
    }
}

/// An I/O error on an established connection is a lost connection unless the host said more.
trait MaxReset {
    fn max_reset(self) -> Errno;
}

impl MaxReset for Errno {
    fn max_reset(self) -> Errno {
        if self == Errno::IO {
            Errno::CONNRESET
        } else {
            self
        }
    }
}
