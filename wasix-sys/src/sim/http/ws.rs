//! `ws_connect` (the simulator half of `wasix::ws`): the handshake in the call; then the guest's blocking
//! reads and writes move records (format in the module docs of [`super`]) to and from `tungstenite` in
//! their own calls, until a poll or `NONBLOCK` hands the connection to a worker thread that moves them
//! through the guest's socket pair.

use super::super::fdtable::{Entry, Kind};
use super::super::lock;
use super::super::{mem, state, status, Network};
use super::{check_url, errno_of_io, socket_pair, Held, Policy, Sender};
use crate::{Errno, Fd, Fdflags, Rights};
use rustix::event::{poll, PollFd, PollFlags};
use std::io::{self, IoSlice, IoSliceMut, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
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

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// An fd of kind `Kind::WebSocket`: the guest's end of a pair and the connection.
#[derive(Debug)]
pub(crate) struct WsFd {
    pub fd: OwnedFd,
    conn: Arc<Conn>,
}

/// Who serves the connection.
enum State {
    /// The guest's own calls.
    Direct(Box<Socket>),
    /// A worker, through the pair.
    Relayed,
    /// Nobody: it ended (reads give what is left in `outbox`, then end of file).
    Done,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            State::Direct(_) => "Direct",
            State::Relayed => "Relayed",
            State::Done => "Done",
        })
    }
}

/// A connection served directly. Locks are taken in the order `inbox` or `outbox`, then `state`, and none
/// is held while waiting for the socket.
#[derive(Debug)]
struct Conn {
    state: Mutex<State>,
    /// The connection's socket (a duplicate, non-blocking), for waiting.
    raw: TcpStream,
    /// Bytes the guest wrote that do not make a whole record yet.
    inbox: Mutex<Vec<u8>>,
    /// A record (or its rest) the guest has not read yet.
    outbox: Mutex<(Vec<u8>, usize)>,
    /// The worker's end of the pair, until a worker has it.
    end: Mutex<Option<Held>>,
    relaying: AtomicBool,
}

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
        let conn = Arc::new(Conn {
            state: Mutex::new(State::Direct(Box::new(ws))),
            raw,
            inbox: Mutex::new(Vec::new()),
            outbox: Mutex::new((Vec::new(), 0)),
            end: Mutex::new(Some(Held::new(worker))),
            relaying: AtomicBool::new(false),
        });
        let rights = Rights::FD_READ
            | Rights::FD_WRITE
            | Rights::POLL_FD_READWRITE
            | Rights::FD_FDSTAT_SET_FLAGS
            | Rights::FD_FILESTAT_GET;
        let kind = Kind::WebSocket(Box::new(WsFd { fd: guest, conn }));
        let fd = s.fds.insert(Entry::new(kind, rights, Rights::empty(), Fdflags::empty()))?;
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

/// A record: the opcode, the payload's length (4 bytes, little-endian), the payload.
fn record(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut r = Vec::with_capacity(5 + payload.len());
    r.push(opcode);
    r.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    r.extend_from_slice(payload);
    r
}

/// The record of a message from the peer (none for a raw frame, which reading never gives).
fn record_of(msg: &Message) -> Option<Vec<u8>> {
    Some(match msg {
        Message::Text(t) => record(TEXT, t.as_bytes()),
        Message::Binary(b) => record(BINARY, b),
        Message::Ping(b) => record(PING, b),
        Message::Pong(b) => record(PONG, b),
        Message::Close(frame) => {
            let mut payload = Vec::new();
            if let Some(f) = frame {
                payload.extend_from_slice(&u16::from(f.code).to_be_bytes());
                payload.extend_from_slice(f.reason.as_bytes());
            }
            record(CLOSE, &payload)
        }
        Message::Frame(_) => return None,
    })
}

/// The first whole record of `inbox`, taken out of it, as what to send; `None` when no record is whole.
fn next_record(inbox: &mut Vec<u8>) -> Result<Option<Message>, Errno> {
    if inbox.len() < 5 {
        return Ok(None);
    }
    let opcode = inbox[0];
    let len = u32::from_le_bytes([inbox[1], inbox[2], inbox[3], inbox[4]]) as usize;
    if len > MAX_PAYLOAD {
        return Err(Errno::INVAL);
    }
    if inbox.len() < 5 + len {
        return Ok(None);
    }
    let payload = inbox[5..5 + len].to_vec();
    inbox.drain(..5 + len);
    Ok(Some(match opcode {
        TEXT => Message::text(String::from_utf8(payload).map_err(|_| Errno::ILSEQ)?),
        BINARY => Message::binary(payload),
        PING => Message::Ping(payload.into()),
        PONG => Message::Pong(payload.into()),
        CLOSE => Message::Close(match payload.len() {
            0 => None,
            1 => return Err(Errno::INVAL),
            _ => Some(CloseFrame {
                code: CloseCode::from(u16::from_be_bytes([payload[0], payload[1]])),
                reason: std::str::from_utf8(&payload[2..]).map_err(|_| Errno::ILSEQ)?.to_owned().into(),
            }),
        }),
        _ => return Err(Errno::INVAL),
    }))
}

/// Queues `msg` on the socket (a close as the protocol's close); the caller flushes.
fn queue(ws: &mut Socket, msg: Message) -> Result<(), Errno> {
    let r = match msg {
        Message::Close(frame) => ws.close(frame),
        msg => ws.write(msg),
    };
    match r {
        Ok(()) => Ok(()),
        Err(WsError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
        Err(e) => Err(errno_of_ws(&e)),
    }
}

/// What a flush of the socket says.
enum Flushed {
    All,
    Blocked,
    Closed,
}

fn flush(ws: &mut Socket) -> Result<Flushed, Errno> {
    match ws.flush() {
        Ok(()) => Ok(Flushed::All),
        Err(WsError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => Ok(Flushed::Blocked),
        Err(WsError::Io(e)) if e.kind() == io::ErrorKind::Interrupted => Ok(Flushed::Blocked),
        Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => Ok(Flushed::Closed),
        Err(e) => Err(errno_of_ws(&e)),
    }
}

/// An I/O error on an established connection is a lost connection unless the host said more.
fn lost(e: Errno) -> Errno {
    if e == Errno::IO {
        Errno::CONNRESET
    } else {
        e
    }
}

/// Waits until the socket is ready for `events` (no timeout: a blocking call).
fn wait(raw: &TcpStream, events: PollFlags) {
    let _ = poll(&mut [PollFd::new(raw, events)], None);
}

impl WsFd {
    /// `fd_write` of this fd; `nonblocking`: the description's `NONBLOCK`.
    pub fn write(&self, bufs: &[IoSlice<'_>], nonblocking: bool) -> Result<usize, Errno> {
        if nonblocking {
            self.before_poll();
        }
        if !self.conn.relaying.load(Ordering::SeqCst) {
            if let Some(n) = self.conn.write_direct(bufs)? {
                return Ok(n);
            }
        }
        super::super::net::io::send_host(self.fd.as_fd(), bufs, rustix::net::SendFlags::NOSIGNAL)
    }

    /// `fd_read` of this fd.
    pub fn read(&self, bufs: &mut [IoSliceMut<'_>], nonblocking: bool) -> Result<usize, Errno> {
        if nonblocking {
            self.before_poll();
        }
        if !self.conn.relaying.load(Ordering::SeqCst) {
            if let Some(n) = self.conn.read_direct(bufs)? {
                return Ok(n);
            }
        }
        rustix::io::readv(&self.fd, bufs).map_err(super::super::errno::from_host)
    }

    /// Called before a poll of the fd (and a non-blocking call): a worker serves the connection from now on.
    pub fn before_poll(&self) {
        if !self.conn.relaying.swap(true, Ordering::SeqCst) {
            self.conn.relay();
        }
    }
}

impl Conn {
    /// Sends the whole records of what the guest wrote; `None` when a worker serves the connection.
    fn write_direct(&self, bufs: &[IoSlice<'_>]) -> Result<Option<usize>, Errno> {
        let mut inbox = lock(&self.inbox);
        let mut state = lock(&self.state);
        let ws = match &mut *state {
            State::Direct(ws) => ws,
            State::Relayed => return Ok(None),
            State::Done => return Err(Errno::PIPE),
        };
        let n = bufs.iter().map(|b| b.len()).sum();
        for b in bufs {
            inbox.extend_from_slice(b);
        }
        loop {
            match next_record(&mut inbox) {
                Ok(Some(msg)) => {
                    if let Err(e) = queue(ws, msg) {
                        return Ok(Some(self.fail(state, e, n)));
                    }
                }
                Ok(None) => break,
                Err(e) => return Ok(Some(self.fail(state, e, n))),
            }
        }
        // Blocks until the socket has taken the frames, waiting without the lock.
        loop {
            let State::Direct(ws) = &mut *state else { return Ok(Some(n)) };
            match flush(ws) {
                Ok(Flushed::All) => return Ok(Some(n)),
                Ok(Flushed::Blocked) => {
                    drop(state);
                    wait(&self.raw, PollFlags::OUT);
                    state = lock(&self.state);
                }
                Ok(Flushed::Closed) => {
                    *state = State::Done;
                    return Err(Errno::PIPE);
                }
                Err(e) => return Ok(Some(self.fail(state, e, n))),
            }
        }
    }

    /// Reads the next message (or the rest of one) as records; `None` when a worker serves the connection.
    fn read_direct(&self, bufs: &mut [IoSliceMut<'_>]) -> Result<Option<usize>, Errno> {
        loop {
            let mut outbox = lock(&self.outbox);
            if outbox.1 < outbox.0.len() {
                let (record, at) = &mut *outbox;
                let n = super::super::mem::fill(bufs, &record[*at..]);
                *at += n;
                return Ok(Some(n));
            }
            let mut state = lock(&self.state);
            let ws = match &mut *state {
                State::Direct(ws) => ws,
                State::Relayed => return Ok(None),
                State::Done => return Ok(Some(0)),
            };
            match ws.read() {
                Ok(msg) => {
                    if let Some(r) = record_of(&msg) {
                        *outbox = (r, 0);
                    }
                    // A ping's pong or a close's answer may be queued.
                    if let Err(e) = flush(ws) {
                        outbox.0.extend_from_slice(&record(ERROR, &e.raw().to_le_bytes()));
                        *state = State::Done;
                    }
                }
                Err(WsError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => {
                    let _ = flush(ws);
                    drop((state, outbox));
                    wait(&self.raw, PollFlags::IN);
                }
                Err(WsError::Io(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => *state = State::Done,
                Err(WsError::Io(e)) => {
                    *outbox = (record(ERROR, &lost(errno_of_io(&e)).raw().to_le_bytes()), 0);
                    *state = State::Done;
                }
                Err(e) => {
                    *outbox = (record(ERROR, &errno_of_ws(&e).raw().to_le_bytes()), 0);
                    *state = State::Done;
                }
            }
        }
    }

    /// A write found the connection failed: it ends (the lock of `state` given up before `outbox` is taken,
    /// the order of the locks), an error record waits for the guest's reads, then end of file; later writes
    /// are `PIPE`. Returns `n`: the write took its bytes.
    fn fail(&self, mut state: MutexGuard<'_, State>, e: Errno, n: usize) -> usize {
        *state = State::Done;
        drop(state);
        lock(&self.outbox).0.extend_from_slice(&record(ERROR, &e.raw().to_le_bytes()));
        n
    }

    /// Hands the connection, and what the guest has not read or sent yet, to a worker.
    fn relay(self: &Arc<Self>) {
        let inbox = std::mem::take(&mut *lock(&self.inbox));
        let pending = {
            let mut outbox = lock(&self.outbox);
            let (record, at) = std::mem::take(&mut *outbox);
            record[at..].to_vec()
        };
        let state = std::mem::replace(&mut *lock(&self.state), State::Relayed);
        let Some(end) = lock(&self.end).take() else { return };
        let ws = match state {
            State::Direct(ws) => Some(ws),
            State::Relayed | State::Done => None,
        };
        let raw = match self.raw.try_clone() {
            Ok(raw) => raw,
            Err(_) => return,
        };
        let _ = std::thread::Builder::new().name("wasix-ws".into()).spawn(move || {
            let mut w = Worker { ws, raw, guest: end, inbox, flushing: true };
            if w.deliver(&pending) {
                w.run();
            }
        });
    }
}

impl Drop for Conn {
    /// The guest closed its fd: a connection it served itself is closed as politely as it allows.
    fn drop(&mut self) {
        if let State::Direct(ws) = std::mem::replace(&mut *lock(&self.state), State::Done) {
            close_politely(*ws, &self.raw);
        }
    }
}

/// Sends a close frame (and what is queued) within a second, on a thread of its own if the socket would
/// block, so `fd_close` never waits for the peer.
fn close_politely(mut ws: Socket, raw: &TcpStream) {
    let _ = ws.close(None);
    if let Ok(Flushed::Blocked) = flush(&mut ws) {
        if let Ok(raw) = raw.try_clone() {
            let _ = std::thread::Builder::new().name("wasix-ws-close".into()).spawn(move || {
                let _ = raw.set_nonblocking(false);
                let _ = raw.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = ws.flush();
            });
        }
    }
}

struct Worker {
    /// None: the connection ended before the worker took over (it only delivers what was left).
    ws: Option<Box<Socket>>,
    /// The connection's socket (a duplicate), for polling.
    raw: TcpStream,
    /// The worker's end of the guest's pair, non-blocking.
    guest: Held,
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
        if self.ws.is_none() {
            return;
        }
        loop {
            // Peer data first: frames read past what was asked for (by the handshake, by a direct read)
            // sit in tungstenite's buffer, where polling the socket would not see them.
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
            let mut fds = [PollFd::new(&*self.guest, PollFlags::IN), PollFd::new(&self.raw, tcp_events)];
            match poll(&mut fds, None) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(_) => return,
            }
        }
    }

    fn ws(&mut self) -> &mut Socket {
        self.ws.as_mut().expect("a running worker has its connection")
    }

    /// Sends bytes to the guest, waiting while its end is full; false once the guest is gone.
    fn deliver(&self, mut rest: &[u8]) -> bool {
        while !rest.is_empty() {
            match Sender(&self.guest).write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let _ = poll(&mut [PollFd::new(&*self.guest, PollFlags::OUT)], None);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }

    /// An error record, then end of file.
    fn fail(&mut self, e: Errno) -> Next {
        self.deliver(&record(ERROR, &e.raw().to_le_bytes()));
        Next::Stop
    }

    fn pass_peer_messages(&mut self) -> Next {
        loop {
            match self.ws().read() {
                Ok(msg) => {
                    if let Some(r) = record_of(&msg) {
                        if !self.deliver(&r) {
                            return Next::Stop;
                        }
                    }
                    // A ping's pong or a close's answer may be queued.
                    self.flushing = true;
                }
                Err(WsError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => return Next::Go,
                Err(WsError::Io(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => return Next::Stop,
                Err(WsError::Io(e)) => return self.fail(lost(errno_of_io(&e))),
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
            match rustix::io::read(&*self.guest, &mut buf) {
                Ok(0) => {
                    // The guest closed its fd: close the connection as politely as it allows, within a second.
                    let ws = self.ws();
                    let _ = ws.close(None);
                    let _ = self.raw.set_nonblocking(false);
                    let _ = self.raw.set_write_timeout(Some(Duration::from_secs(1)));
                    let _ = self.ws().flush();
                    return Next::Stop;
                }
                Ok(n) => self.inbox.extend_from_slice(&buf[..n]),
                Err(rustix::io::Errno::AGAIN) => break,
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return Next::Stop,
            }
        }
        loop {
            match next_record(&mut self.inbox) {
                Ok(Some(msg)) => {
                    if let Err(e) = queue(self.ws(), msg) {
                        return self.fail(e);
                    }
                    self.flushing = true;
                }
                Ok(None) => return Next::Go,
                Err(e) => return self.fail(e),
            }
        }
    }

    fn flush(&mut self) -> Next {
        if !self.flushing {
            return Next::Go;
        }
        match flush(self.ws()) {
            Ok(Flushed::All) => {
                self.flushing = false;
                Next::Go
            }
            Ok(Flushed::Blocked) => Next::Go,
            Ok(Flushed::Closed) => Next::Stop,
            Err(e) => self.fail(e),
        }
    }
}
