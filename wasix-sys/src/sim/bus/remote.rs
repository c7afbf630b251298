//! The remote bus: `bus_open_remote(name, reuse, instance, token)` opens a bus process in another host
//! process that runs the simulator and serves a bus with [`Sim::serve_bus`], over TCP.
//!
//! - **`instance`** is the server's socket address (`127.0.0.1:4000`, `[::1]:4000`); anything else is
//!   `bad_request`. The caller's network policy must let it reach that address (`access_denied`); a server
//!   that cannot be reached in 5 seconds, or that answers out of protocol, is `bus_invocation_failed`.
//! - The caller's first frame asks for `name` (with `reuse`) and carries `token`. The server compares the
//!   token with its own (in constant time); a wrong one is refused with `access_denied` before the name is
//!   even looked up, so nothing runs. Otherwise the server opens the program among its own, as
//!   `bus_open_local` does in its served instance (the same `local::open`), and refuses with that call's
//!   error if it fails (`invalid_wapm` for an unknown name).
//! - From then on both sides exchange the frames of a local link (`wire`) on the stream, which each
//!   process's own pollers read in `bus_poll` (no host thread relays them, so a frame costs what a plain
//!   TCP exchange does): calls, replies, faults, closes and exits behave as locally. The sockets are
//!   non-blocking; a writer whose peer's buffer is full reads what that peer sent meanwhile, so two
//!   processes sending large payloads to each other never wait on each other. A connection that breaks counts as a hang-up: the caller's calls in flight fault with
//!   `aborted`; the bus process loses that caller (and gets `term` if it was the last).

use super::super::state::State;
use super::super::{mem, state, Sim};
use super::local::{self, boolean};
use super::wire::{Message, MAX_FRAME};
use super::{Gone, Inbox, Link, LinkId, Peer};
use crate::{Bid, Bool, BusError};
use rustix::event::{PollFd, PollFlags};
use rustix::time::Timespec;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long a caller waits to connect, and either side for the other's handshake frame.
const HANDSHAKE: Duration = Duration::from_secs(5);

/// One side of a remote link: the stream frames are written to, and the inbox its frames are read into.
#[derive(Debug)]
pub(crate) struct Connection {
    stream: Arc<TcpStream>,
    writing: Mutex<()>,
    /// The inbox this link's frames are read into (set once the far side's process is known).
    inbox: std::sync::OnceLock<Arc<Inbox>>,
}

impl Connection {
    pub fn send(&self, m: &Message<'_>) -> Result<(), Gone> {
        let _one_frame_at_a_time = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let frame = m.encode();
        let mut at = 0;
        while at < frame.len() {
            match (&*self.stream).write(&frame[at..]) {
                Ok(0) => return Err(Gone),
                Ok(n) => at += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    // The peer's buffer is full: take in what it sends meanwhile, then wait for room.
                    if let Some(inbox) = self.inbox.get() {
                        inbox.read_available();
                    }
                    let mut fds = [PollFd::new(&*self.stream, PollFlags::OUT | PollFlags::IN)];
                    let _ = rustix::event::poll(&mut fds, Some(&Timespec { tv_sec: 0, tv_nsec: 100_000_000 }));
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Gone),
            }
        }
        if matches!(m, Message::Exit { .. } | Message::Hangup) {
            // Nothing follows either: the other side's reader sees the end.
            let _ = self.stream.shutdown(Shutdown::Both);
        }
        Ok(())
    }
}

/// Writes a handshake frame on a blocking stream.
fn write(stream: &mut TcpStream, m: &Message<'_>) -> Result<(), Gone> {
    stream.write_all(&m.encode()).map_err(|_| Gone)
}

/// The next handshake frame (length prefix included); `None` at the end of the stream, after the
/// handshake's timeout, or for a frame too long.
fn read_frame(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut len = [0; 4];
    stream.read_exact(&mut len).ok()?;
    let n = u32::from_le_bytes(len) as usize;
    if n > MAX_FRAME {
        return None;
    }
    let mut frame = vec![0; 4 + n];
    frame[..4].copy_from_slice(&len);
    stream.read_exact(&mut frame[4..]).ok()?;
    Some(frame)
}

/// A remote link's socket as its process's pollers read it: the bytes of a frame not complete yet.
#[derive(Debug)]
pub(crate) struct Reader {
    link: LinkId,
    stream: Arc<TcpStream>,
    partial: Vec<u8>,
}

impl Reader {
    pub fn new(link: LinkId, stream: Arc<TcpStream>) -> Self {
        Reader { link, stream, partial: Vec::new() }
    }

    pub fn stream(&self) -> Arc<TcpStream> {
        self.stream.clone()
    }
}

/// Waits up to `timeout` (`None`: for ever) until one of `streams` is readable or `wake` is poked; whether
/// `wake` was.
pub(super) fn wait(wake: Option<&OwnedFd>, streams: &[Arc<TcpStream>], timeout: Option<Duration>) -> bool {
    let mut fds: Vec<PollFd<'_>> = streams.iter().map(|s| PollFd::new(&**s, PollFlags::IN)).collect();
    if let Some(wake) = wake {
        fds.push(PollFd::new(wake, PollFlags::IN));
    }
    let timeout = timeout
        .map(|t| Timespec { tv_sec: i64::try_from(t.as_secs()).unwrap_or(i64::MAX), tv_nsec: t.subsec_nanos().into() });
    let _ = rustix::event::poll(&mut fds, timeout.as_ref());
    wake.is_some() && fds.last().is_some_and(|f| !f.revents().is_empty())
}

/// Moves the complete frames the sockets of `readers` hold into `frames`; a socket that ended (or sent a
/// frame too long) is dropped with a hang-up frame for its link. Whether anything was queued.
pub(super) fn read(readers: &mut Vec<Reader>, frames: &mut VecDeque<(LinkId, Vec<u8>)>) -> bool {
    let before = frames.len();
    let mut buf = [0u8; 16 << 10];
    readers.retain_mut(|r| {
        let mut open = true;
        loop {
            match (&*r.stream).read(&mut buf) {
                Ok(0) => {
                    open = false;
                    break;
                }
                Ok(n) => {
                    r.partial.extend_from_slice(&buf[..n]);
                    if n < buf.len() {
                        // The socket is (very likely) drained: spare the read that would say so.
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    open = false;
                    break;
                }
            }
        }
        while r.partial.len() >= 4 {
            let n = u32::from_le_bytes([r.partial[0], r.partial[1], r.partial[2], r.partial[3]]) as usize;
            if n > MAX_FRAME {
                open = false;
                break;
            }
            if r.partial.len() < 4 + n {
                break;
            }
            let rest = r.partial.split_off(4 + n);
            frames.push_back((r.link, std::mem::replace(&mut r.partial, rest)));
        }
        if !open {
            frames.push_back((r.link, Message::Hangup.encode()));
        }
        open
    });
    frames.len() > before
}

pub(crate) unsafe fn bus_open_remote(
    name: *const u8,
    name_len: usize,
    reuse: Bool,
    instance: *const u8,
    instance_len: usize,
    token: *const u8,
    token_len: usize,
    ret: *mut Bid,
) -> BusError {
    // SAFETY: the three strings are valid for their lengths per the ABI contract.
    let strings =
        unsafe { (mem::slice(name, name_len), mem::slice(instance, instance_len), mem::slice(token, token_len)) };
    let (Ok(name), Ok(instance), Ok(token)) = strings else { return BusError::MEMORY_ACCESS_VIOLATION };
    if ret.is_null() {
        return BusError::MEMORY_ACCESS_VIOLATION;
    }
    let Some(reuse) = boolean(reuse) else { return BusError::BAD_REQUEST };
    let Some(addr) = std::str::from_utf8(instance).ok().and_then(|i| i.parse::<SocketAddr>().ok()) else {
        return BusError::BAD_REQUEST;
    };
    let sim = Sim::current();
    if state::with(|s| super::super::net::reach(s, addr)).is_err() {
        return BusError::ACCESS_DENIED;
    }
    match connect(&sim.state, addr, name, reuse, token) {
        // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
        Ok(bid) => match unsafe { mem::write(ret, bid) } {
            Ok(()) => BusError::SUCCESS,
            Err(_) => BusError::MEMORY_ACCESS_VIOLATION,
        },
        Err(e) => e,
    }
}

/// Opens `name` on the server at `addr` and gives the handle.
fn connect(s: &State, addr: SocketAddr, name: &[u8], reuse: bool, token: &[u8]) -> Result<Bid, BusError> {
    let failed = |_| BusError::BUS_INVOCATION_FAILED;
    let mut stream = TcpStream::connect_timeout(&addr, HANDSHAKE).map_err(failed)?;
    stream.set_nodelay(true).map_err(failed)?;
    stream.set_read_timeout(Some(HANDSHAKE)).map_err(failed)?;
    write(&mut stream, &Message::Open { reuse, name, token }).map_err(|Gone| BusError::BUS_INVOCATION_FAILED)?;
    let answer = read_frame(&mut stream).ok_or(BusError::BUS_INVOCATION_FAILED)?;
    match Message::decode(&answer) {
        Some(Message::Opened) => {}
        Some(Message::Refused { error }) => {
            let error = BusError::from_raw(error);
            return Err(if error.name().is_some() && error != BusError::SUCCESS {
                error
            } else {
                BusError::UNKNOWN_ERROR
            });
        }
        _ => return Err(BusError::BUS_INVOCATION_FAILED),
    }
    stream.set_nonblocking(true).map_err(failed)?;
    let stream = Arc::new(stream);
    let mut inner = s.bus.lock();
    let (link, bid) = (inner.next_link, inner.next_bid);
    inner.next_link += 1;
    inner.next_bid += 1;
    s.bus.inbox.add_reader(link, stream.clone()).map_err(|Gone| BusError::INTERNAL_FAILURE)?;
    let connection = Connection { stream, writing: Mutex::new(()), inbox: s.bus.inbox.clone().into() };
    let peer = Peer::Remote(Arc::new(connection));
    inner.links.insert(link, Link { peer, bid: Some(bid), dead: false });
    inner.bids.insert(bid, link);
    Ok(bid)
}

/// A bus served to other host processes by [`Sim::serve_bus`]; dropping it stops accepting new callers
/// (the links already open go on).
#[derive(Debug)]
pub struct BusServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl BusServer {
    /// The address callers give `bus_open_remote` as `instance`.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for BusServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, HANDSHAKE);
    }
}

impl Sim {
    /// Serves this instance's programs as bus processes to other host processes: `bus_open_remote` with
    /// this server's [`BusServer::local_addr`] as `instance` and `token` opens one of them, started as a
    /// child of this instance exactly as its own `bus_open_local` would (see `sim/bus/remote.rs`).
    ///
    /// ```no_run
    /// use wasix_sys::sim::Config;
    ///
    /// let sim = Config::new().program("echo", || { /* a bus process's main */ }).build()?;
    /// let server = sim.serve_bus("127.0.0.1:0", "secret")?;
    /// println!("serving on {}", server.local_addr());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn serve_bus(&self, addr: impl ToSocketAddrs, token: impl AsRef<[u8]>) -> io::Result<BusServer> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let (state, token, stopped) = (self.state.clone(), token.as_ref().to_vec(), stop.clone());
        std::thread::Builder::new().name("wasix bus server".into()).spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (state, token) = (state.clone(), token.clone());
                let _ = std::thread::Builder::new().name("wasix bus caller".into()).spawn(move || {
                    let _ = accept(&state, stream, &token);
                });
            }
        })?;
        Ok(BusServer { addr, stop })
    }
}

/// Whether `a` and `b` are equal, in time that depends on their lengths only.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |d, (x, y)| d | (x ^ y)) == 0
}

/// Serves one caller on `stream`: the handshake, then its frames go to the bus process's inbox.
fn accept(s: &State, mut stream: TcpStream, token: &[u8]) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(HANDSHAKE))?;
    let Some(frame) = read_frame(&mut stream) else { return Ok(()) };
    let Some(Message::Open { reuse, name, token: given }) = Message::decode(&frame) else {
        return Ok(());
    };
    if !same_token(given, token) {
        let _ = write(&mut stream, &Message::Refused { error: BusError::ACCESS_DENIED.raw() });
        return Ok(());
    }
    stream.set_read_timeout(None)?;
    // The link is set up before the answer is written, so nothing may be sent on it until then: the
    // connection's writer lock is held meanwhile.
    let shared = Arc::new(stream.try_clone()?);
    let connection = Arc::new(Connection { stream: shared, writing: Mutex::new(()), inbox: Default::default() });
    let held = connection.writing.lock().unwrap_or_else(PoisonError::into_inner);
    let opened = local::open(s, name, reuse, Peer::Remote(connection.clone()));
    match opened {
        Ok((target, link)) => {
            let _ = write(&mut stream, &Message::Opened);
            stream.set_nonblocking(true)?;
            let _ = connection.inbox.set(target.bus.inbox.clone());
            drop(held);
            if target.bus.inbox.add_reader(link, connection.stream.clone()).is_err() {
                let _ = stream.shutdown(Shutdown::Both);
            }
            Ok(())
        }
        Err(e) => {
            let _ = write(&mut stream, &Message::Refused { error: e.raw() });
            Ok(())
        }
    }
}
