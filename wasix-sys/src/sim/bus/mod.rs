//! The message bus (the simulator half of `wasix::bus`): `bus_open_local`, `bus_close` (`local`),
//! `bus_open_remote` and [`Sim::serve_bus`](super::Sim::serve_bus) (`remote`), `bus_call`, `bus_subcall`,
//! `call_reply`, `call_fault`, `call_close` (`call`) and `bus_poll` (`poll`).
//!
//! # The model
//! - A **bus process** is a program from the process registry (see `sim/process/registry.rs`: a native
//!   program registered with `Config::program`) that `bus_open_local(name, reuse)` starts as a new
//!   simulated process, in its own instance on its own host thread, exactly as `proc_spawn` starts one (the
//!   shared `process::spawn::start_instance`): stdin reads end-of-file, stdout and stderr are the opener's,
//!   and it has the opener's preopens. With `reuse` it joins a bus process of that name already running in
//!   the opener's family of instances (the instances one `Config` built and the processes they started),
//!   starting one only if none runs. The opener gets a **`bid`**, a handle of its own (two opens give two
//!   handles, also to one reused process). A host executable cannot be a bus process: `invalid_abi`.
//! - Between the opener and the bus process is a **link**; everything crosses it as bytes (`wire`): a local
//!   link pushes frames into the other instance's inbox, a remote one (`bus_open_remote`, to another host
//!   process running the simulator that serves a bus with `Sim::serve_bus`) sends the same frames over TCP.
//!   No Rust object is shared between the two processes, so a guest sees what a real host gives it.
//! - **Calls**: `bus_call(bid, topic, format, buf)` sends `buf` to the bus process and returns a **`cid`**.
//!   The topic is a 128-bit `hash`, by convention `wasix_sys::seed::bus::topic_hash` of the topic's name;
//!   the format is carried, not checked (the receiver decodes). The bus process sees it as a
//!   `bus_event::call` with a `cid` of its own and answers with `call_reply` (a `bus_event::result` for the
//!   caller) or `call_fault` (a `bus_event::fault` with that error). Either ends the call on both sides;
//!   `call_close` ends a call early: the other side gets a `bus_event::close` for it, and a reply still
//!   under way is dropped. Every call ends with exactly one `result`, `fault` or `close` event on the
//!   caller's side (none if the caller closed it itself with `call_close`).
//! - **Subcalls**: `bus_subcall(parent, ...)` makes a call within call `parent`, to the other party of that
//!   call: within a call the process received, to its caller (a callback), within a call it made, to its
//!   bus process (a call on a session). The receiver's `bus_event::call` has `parent` = its own `cid` of
//!   that call. A subcall whose parent ended before it arrived faults with `aborted`. Subcalls nest to any
//!   depth.
//! - **Payloads** travel in the events' `fd`: a new fd of the receiving process (read-only, in memory,
//!   filetype `unknown`) that reads the payload and then end-of-file. It is the receiver's: it closes it
//!   with `fd_close`. A zero-length payload is a payload (bincode encodes `()` in no bytes); one longer
//!   than 64 MiB is `bad_request`.
//! - **`bus_poll(timeout, events, nevents)`** waits up to `timeout` nanoseconds (0: not at all,
//!   `u64::MAX`: for ever) for the process's next events, of every handle and call, and writes at most
//!   `nevents` of them, oldest first; the rest wait for the next poll. Each event is delivered exactly once,
//!   in the order its link carried it, so a call's events come in order. A timeout with nothing to report
//!   returns 0 events. Several threads may poll at once; each event goes to one of them.
//! - **Ends**: when a bus process ends (its main returns, `proc_exit`, a signal, a panic), each call it
//!   had not answered, delivered or still queued, faults with `aborted`, and then each opener gets one
//!   `bus_event::exit` with its `bid` and the exit code. A later `bus_call` on that `bid` is `aborted`.
//!   `bus_close(bid)` drops the handle: each of its calls in flight ends with a `close` event (the bus
//!   process gets `close` events for them too), and when the last handle of a bus process closes, it is sent
//!   `term` (it ends with 143 unless it handles the signal). A process that ends closes its own handles
//!   the same way.
//!
//! # Errors
//! | `bus_error` | where |
//! |---|---|
//! | `memory_access_violation` | a null pointer where the call reads or writes something |
//! | `bad_request` | an empty, NUL-holding or over-long program name; a `reuse` that is not a `bool`; a `format` the seed does not define; a payload over 64 MiB; `nevents` 0; a reply or fault to a call the process made itself; a remote `instance` that is no socket address |
//! | `invalid_wapm` | a program name nothing is registered under (locally, or on the remote side) |
//! | `invalid_abi` | a program that is a host executable (it does not speak the bus) |
//! | `invalid_handle` | a `bid` or `cid` the process never had |
//! | `already_consumed` | a `cid` that has ended: a second reply, a reply after a close or after the caller left |
//! | `aborted` | a call to a bus process that has ended; the fault of a call whose bus process ended, or whose parent ended first |
//! | `access_denied` | a wrong remote token (nothing runs); a remote address the instance's network policy refuses |
//! | `bus_invocation_failed` | a remote peer that cannot be reached, or that breaks the protocol |
//! | `internal_failure` | the host refused a thread or an event counter; with the fd table full when an event's payload fd is made, a result arrives as a fault with it, and a call received is faulted back with it |
//! | any | what a bus process passes to `call_fault` (a value the seed does not define, or `success`, arrives as `unknown_error`) |
//!
//! Never produced by the simulator: `serialization`, `deserialization`, `invalid_topic`, `missing_callback`
//! and `unsupported` (the simulator carries bytes and never looks into payloads or topics: a bus process
//! decides what it understands and faults with these itself, as the safe layer's `wasix::bus::serve` does),
//! `fetch_wapm` and `compile_error` (programs are native functions, never fetched or compiled),
//! `memory_allocation_failed` (host allocation failure aborts the host process), `unknown_error` (only as a
//! fault's stand-in above).

pub(crate) mod call;
pub(crate) mod local;
pub(crate) mod payload;
pub(crate) mod poll;
pub(crate) mod remote;
pub(crate) mod wire;

use super::state::State;
use crate::{Bid, BusDataFormat, BusError, Cid, Hash};
use payload::Payload;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Instant;
use wire::{Message, Parent};

/// A link's number in one process.
type LinkId = u64;

/// What one process keeps of the bus.
#[derive(Debug, Default)]
pub(crate) struct Bus {
    /// The frames other processes sent, not read yet.
    pub inbox: Arc<Inbox>,
    inner: Mutex<Inner>,
    /// The bus processes running in this family of instances, by program name, for `reuse`.
    running: Running,
}

/// Bus processes by name, shared by a family of instances.
type Running = Arc<Mutex<HashMap<Vec<u8>, Weak<State>>>>;

impl Bus {
    /// The bus of a process started by the process of `parent`: it shares the registry of running bus
    /// processes.
    pub fn child_of(parent: &Bus) -> Bus {
        Bus { running: parent.running.clone(), ..Bus::default() }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Frames for one process, and the wake-ups of its pollers. Frames of local links are pushed in by the
/// sender; those of remote links are read from their sockets by the process's own pollers (one at a time
/// waits in the host's `poll` on them and on `wake`, the others on `ready`), so a remote frame reaches its
/// reader with no host thread in between.
#[derive(Debug, Default)]
pub(crate) struct Inbox {
    queue: Mutex<Queue>,
    ready: Condvar,
    /// An event counter that ends a poller's wait in the host's `poll` (made with the first remote link).
    wake: std::sync::OnceLock<std::os::fd::OwnedFd>,
}

#[derive(Debug, Default)]
struct Queue {
    frames: VecDeque<(LinkId, Vec<u8>)>,
    /// Set when the process ended: nothing is queued any more.
    ended: bool,
    /// Counts wake-ups that carry no frame (events left over for another poller).
    kicks: u64,
    /// The remote links' sockets, read by the pollers.
    readers: Vec<remote::Reader>,
    /// Whether a poller waits in the host's `poll` (then `wake` must be poked).
    os_polling: bool,
    /// Pollers waiting on `ready` (notified only when there are some: a notification is a host call).
    sleepers: usize,
}

/// The process has ended: the frame was not delivered.
#[derive(Debug)]
pub(crate) struct Gone;

impl Inbox {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends the wait of a poller in the host's `poll`.
    fn poke(&self, q: &Queue) {
        if q.os_polling {
            if let Some(wake) = self.wake.get() {
                let _ = rustix::io::write(wake, &1u64.to_ne_bytes());
            }
        }
    }

    /// Queues `frame`, which came in over `link`.
    pub fn push(&self, link: LinkId, frame: Vec<u8>) -> Result<(), Gone> {
        let mut q = self.lock();
        if q.ended {
            return Err(Gone);
        }
        q.frames.push_back((link, frame));
        self.poke(&q);
        let sleepers = q.sleepers;
        drop(q);
        if sleepers > 0 {
            self.ready.notify_one();
        }
        Ok(())
    }

    /// Wakes the pollers without a frame.
    fn kick(&self) {
        let mut q = self.lock();
        q.kicks += 1;
        self.poke(&q);
        drop(q);
        self.ready.notify_all();
    }

    /// Reads remote link `link`'s frames from `stream` from now on; `Gone` if the process has ended.
    pub fn add_reader(&self, link: LinkId, stream: Arc<std::net::TcpStream>) -> Result<(), Gone> {
        let wake =
            || rustix::event::eventfd(0, rustix::event::EventfdFlags::CLOEXEC | rustix::event::EventfdFlags::NONBLOCK);
        if self.wake.get().is_none() {
            let fd = wake().map_err(|_| Gone)?;
            let _ = self.wake.set(fd);
        }
        let mut q = self.lock();
        if q.ended {
            return Err(Gone);
        }
        q.readers.push(remote::Reader::new(link, stream));
        // A poller waiting in the host's `poll` adds the socket; one waiting on `ready` starts polling it.
        self.poke(&q);
        drop(q);
        self.ready.notify_all();
        Ok(())
    }

    /// Queues what the remote links have sent so far (for a writer that must not wait on a peer that
    /// waits on it).
    pub fn read_available(&self) {
        let mut q = self.lock();
        let Queue { readers, frames, ended, .. } = &mut *q;
        if !*ended && remote::read(readers, frames) {
            drop(q);
            self.ready.notify_all();
        }
    }

    /// The frames queued, waiting for one (or a kick) until `deadline` (`None`: for ever).
    fn take(&self, deadline: Option<Instant>) -> VecDeque<(LinkId, Vec<u8>)> {
        let mut q = self.lock();
        let kicks = q.kicks;
        while q.frames.is_empty() && q.kicks == kicks && !q.ended {
            let now = Instant::now();
            if deadline.is_some_and(|d| now >= d) {
                break;
            }
            if !q.readers.is_empty() && !q.os_polling {
                q.os_polling = true;
                let streams: Vec<Arc<std::net::TcpStream>> = q.readers.iter().map(remote::Reader::stream).collect();
                drop(q);
                let woken = remote::wait(self.wake.get(), &streams, deadline.map(|d| d - now));
                q = self.lock();
                q.os_polling = false;
                if let (true, Some(wake)) = (woken, self.wake.get()) {
                    let _ = rustix::io::read(wake, &mut [0; 8]);
                }
                if !q.ended {
                    let Queue { readers, frames, .. } = &mut *q;
                    remote::read(readers, frames);
                }
                // Frames for the others, or one of them to take its turn at the sockets.
                if q.sleepers > 0 {
                    self.ready.notify_all();
                }
                continue;
            }
            q.sleepers += 1;
            q = match deadline {
                None => self.ready.wait(q).unwrap_or_else(PoisonError::into_inner),
                Some(d) => self.ready.wait_timeout(q, d - now).unwrap_or_else(PoisonError::into_inner).0,
            };
            q.sleepers -= 1;
        }
        std::mem::take(&mut q.frames)
    }

    /// Marks the process ended and gives the frames still queued; its remote sockets are no longer read.
    fn end(&self) -> VecDeque<(LinkId, Vec<u8>)> {
        let mut q = self.lock();
        q.ended = true;
        q.readers.clear();
        let frames = std::mem::take(&mut q.frames);
        self.poke(&q);
        drop(q);
        self.ready.notify_all();
        frames
    }

    /// Whether the process has ended.
    fn ended(&self) -> bool {
        self.lock().ended
    }
}

/// Where a link's frames go.
#[derive(Debug, Clone)]
enum Peer {
    /// Not connected yet (while `bus_open_local` sets the link up).
    Pending,
    /// Another process of this host process: its inbox, and its number of the link.
    Local(Arc<Inbox>, LinkId),
    /// A process of another host process, over TCP.
    Remote(Arc<remote::Connection>),
}

impl Peer {
    fn send(&self, m: &Message<'_>) -> Result<(), Gone> {
        match self {
            Peer::Pending => Err(Gone),
            Peer::Local(inbox, link) => inbox.push(*link, m.encode()),
            Peer::Remote(c) => c.send(m),
        }
    }
}

#[derive(Debug)]
struct Link {
    peer: Peer,
    /// The handle, on the side that opened the link (`None` on the bus process's side).
    bid: Option<Bid>,
    /// Whether the other side is gone (ended, or hung up).
    dead: bool,
}

/// A call this process made.
#[derive(Debug)]
struct Outgoing {
    link: LinkId,
}

/// A call this process received: where it came from and the caller's id of it.
#[derive(Debug)]
struct Incoming {
    link: LinkId,
    id: u64,
}

/// An event decoded, not handed out yet.
#[derive(Debug)]
enum Ready {
    Exit { bid: Bid, code: u32 },
    Call { parent: Option<Cid>, cid: Cid, format: u8, topic: Hash, payload: Payload },
    Result { cid: Cid, format: u8, payload: Payload },
    Fault { cid: Cid, error: BusError },
    Close { cid: Cid },
}

#[derive(Debug)]
struct Inner {
    next_cid: Cid,
    next_bid: Bid,
    next_link: LinkId,
    links: HashMap<LinkId, Link>,
    bids: HashMap<Bid, LinkId>,
    outgoing: HashMap<Cid, Outgoing>,
    incoming: HashMap<Cid, Incoming>,
    /// `incoming` by link and the caller's id.
    by_caller: HashMap<(LinkId, u64), Cid>,
    ready: VecDeque<Ready>,
    /// Links on which this process is the bus process, for `term` when the last one hangs up.
    served: usize,
    /// Set when the process ended.
    ended: bool,
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            next_cid: 1,
            next_bid: 1,
            next_link: 1,
            links: HashMap::new(),
            bids: HashMap::new(),
            outgoing: HashMap::new(),
            incoming: HashMap::new(),
            by_caller: HashMap::new(),
            ready: VecDeque::new(),
            served: 0,
            ended: false,
        }
    }
}

impl Inner {
    fn new_cid(&mut self) -> Cid {
        let cid = self.next_cid;
        self.next_cid += 1;
        cid
    }

    /// The error for a `cid` that is not live: `already_consumed` if it was one, `invalid_handle` if never.
    fn dead_cid(&self, cid: Cid) -> BusError {
        if cid != 0 && cid < self.next_cid {
            BusError::ALREADY_CONSUMED
        } else {
            BusError::INVALID_HANDLE
        }
    }

    fn send(&self, link: LinkId, m: &Message<'_>) -> Result<(), Gone> {
        match self.links.get(&link) {
            Some(l) if !l.dead => l.peer.send(m),
            _ => Err(Gone),
        }
    }

    /// Makes a new call (or subcall) over `link` and gives its cid: `aborted` if the other side is gone.
    fn call(&mut self, link: LinkId, parent: Parent, topic: Hash, format: u8, payload: &[u8]) -> Result<Cid, BusError> {
        let cid = self.new_cid();
        self.send(link, &Message::Call { id: cid, parent, topic, format, payload })
            .map_err(|Gone| BusError::ABORTED)?;
        self.outgoing.insert(cid, Outgoing { link });
        Ok(cid)
    }

    /// Takes incoming call `cid` (to answer it).
    fn take_incoming(&mut self, cid: Cid) -> Result<Incoming, BusError> {
        match self.incoming.remove(&cid) {
            Some(call) => {
                self.by_caller.remove(&(call.link, call.id));
                Ok(call)
            }
            None if self.outgoing.contains_key(&cid) => Err(BusError::BAD_REQUEST),
            None => Err(self.dead_cid(cid)),
        }
    }

    /// What `frame`, received over `link`, means for this process (in `state`).
    fn receive(&mut self, state: &State, link: LinkId, frame: Vec<u8>) {
        let Some(m) = Message::decode(&frame) else {
            // Only a remote peer can send a malformed frame; it loses its link.
            return self.link_lost(state, link, None);
        };
        match m {
            Message::Call { id, parent, topic, format, payload } => {
                let parent = match parent {
                    Parent::None => Ok(None),
                    Parent::Receivers(c) => match self.outgoing.get(&c) {
                        Some(o) if o.link == link => Ok(Some(c)),
                        _ => Err(()),
                    },
                    Parent::Senders(p) => self.by_caller.get(&(link, p)).map(|&c| Some(c)).ok_or(()),
                };
                let Ok(parent) = parent else {
                    let _ = self.send(link, &Message::Fault { id, error: BusError::ABORTED.raw() });
                    return;
                };
                let start = wire::payload_start(&frame, payload);
                let cid = self.new_cid();
                self.incoming.insert(cid, Incoming { link, id });
                self.by_caller.insert((link, id), cid);
                self.ready.push_back(Ready::Call { parent, cid, format, topic, payload: Payload::new(frame, start) });
            }
            Message::Result { id, format, payload } => {
                if self.outgoing.get(&id).is_some_and(|o| o.link == link) {
                    self.outgoing.remove(&id);
                    let start = wire::payload_start(&frame, payload);
                    self.ready.push_back(Ready::Result { cid: id, format, payload: Payload::new(frame, start) });
                }
            }
            Message::Fault { id, error } => {
                if self.outgoing.get(&id).is_some_and(|o| o.link == link) {
                    self.outgoing.remove(&id);
                    let error = BusError::from_raw(error);
                    let error = if error == BusError::SUCCESS || error.name().is_none() {
                        BusError::UNKNOWN_ERROR
                    } else {
                        error
                    };
                    self.ready.push_back(Ready::Fault { cid: id, error });
                }
            }
            Message::Close { id, by_caller: true } => {
                if let Some(cid) = self.by_caller.remove(&(link, id)) {
                    self.incoming.remove(&cid);
                    self.ready.push_back(Ready::Close { cid });
                }
            }
            Message::Close { id, by_caller: false } => {
                if self.outgoing.get(&id).is_some_and(|o| o.link == link) {
                    self.outgoing.remove(&id);
                    self.ready.push_back(Ready::Close { cid: id });
                }
            }
            Message::Exit { code } => self.link_lost(state, link, Some(code)),
            Message::Hangup => self.link_lost(state, link, None),
            // Only the remote handshake uses these; on an open link they are a protocol error.
            Message::Open { .. } | Message::Opened | Message::Refused { .. } => self.link_lost(state, link, None),
        }
    }

    /// The other side of `link` is gone: it ended with `code`, or hung up. Calls made over the link fault
    /// with `aborted`, calls received over it close; the handle's owner gets an `exit` event for an exit.
    fn link_lost(&mut self, state: &State, link: LinkId, code: Option<u32>) {
        let Some(l) = self.links.get_mut(&link) else { return };
        if l.dead {
            return;
        }
        l.dead = true;
        let bid = l.bid;
        let mut made: Vec<Cid> = self.outgoing.iter().filter(|(_, o)| o.link == link).map(|(&c, _)| c).collect();
        made.sort_unstable();
        for cid in made {
            self.outgoing.remove(&cid);
            self.ready.push_back(Ready::Fault { cid, error: BusError::ABORTED });
        }
        let mut received: Vec<Cid> = self.incoming.iter().filter(|(_, i)| i.link == link).map(|(&c, _)| c).collect();
        received.sort_unstable();
        for cid in received {
            if let Some(i) = self.incoming.remove(&cid) {
                self.by_caller.remove(&(i.link, i.id));
            }
            self.ready.push_back(Ready::Close { cid });
        }
        match bid {
            Some(bid) => {
                if let Some(code) = code {
                    self.ready.push_back(Ready::Exit { bid, code });
                }
            }
            None => {
                // A link to this process as a bus process: it is forgotten; the last one ends the process.
                self.links.remove(&link);
                self.served = self.served.saturating_sub(1);
                if self.served == 0 {
                    let _ = super::signal::send(state, crate::Signal::TERM);
                }
            }
        }
    }

    /// Drops handle `bid`'s link (see the module docs).
    fn close_handle(&mut self, bid: Bid) -> Result<(), BusError> {
        let link = self.bids.remove(&bid).ok_or(BusError::INVALID_HANDLE)?;
        let l = self.links.remove(&link).ok_or(BusError::INVALID_HANDLE)?;
        let mut ended: Vec<Cid> = self.outgoing.iter().filter(|(_, o)| o.link == link).map(|(&c, _)| c).collect();
        ended.extend(self.incoming.iter().filter(|(_, i)| i.link == link).map(|(&c, _)| c));
        ended.sort_unstable();
        for cid in ended {
            self.outgoing.remove(&cid);
            if let Some(i) = self.incoming.remove(&cid) {
                self.by_caller.remove(&(i.link, i.id));
            }
            self.ready.push_back(Ready::Close { cid });
        }
        if !l.dead {
            let _ = l.peer.send(&Message::Hangup);
        }
        Ok(())
    }
}

/// Process `state` has ended with `code` (called for every process, as its main's end is recorded): the
/// calls it had not answered fault, its callers get its exit, its own handles close.
pub(crate) fn ended(state: &State, code: u32) {
    let bus = &state.bus;
    let queued = bus.inbox.end();
    let mut inner = bus.lock();
    inner.ended = true;
    for (link, frame) in queued {
        if let Some(Message::Call { id, .. }) = Message::decode(&frame) {
            let _ = inner.send(link, &Message::Fault { id, error: BusError::ABORTED.raw() });
        }
    }
    let mut received: Vec<(Cid, LinkId, u64)> = inner.incoming.iter().map(|(&c, i)| (c, i.link, i.id)).collect();
    received.sort_unstable();
    for (_, link, id) in received {
        let _ = inner.send(link, &Message::Fault { id, error: BusError::ABORTED.raw() });
    }
    let mut made: Vec<(Cid, LinkId)> = inner.outgoing.iter().map(|(&c, o)| (c, o.link)).collect();
    made.sort_unstable();
    for (cid, link) in made {
        let _ = inner.send(link, &Message::Close { id: cid, by_caller: true });
    }
    for l in inner.links.values().filter(|l| !l.dead) {
        let _ = match l.bid {
            None => l.peer.send(&Message::Exit { code }),
            Some(_) => l.peer.send(&Message::Hangup),
        };
    }
    // The process keeps `next_cid`, so a late call of one of its threads still tells a spent cid from one
    // it never had.
    inner.links.clear();
    inner.bids.clear();
    inner.outgoing.clear();
    inner.incoming.clear();
    inner.by_caller.clear();
    inner.ready.clear();
}

/// The `bus_data_format` of a call's argument: `bad_request` for a value the seed does not define.
fn format(format: BusDataFormat) -> Result<u8, BusError> {
    format.name().map(|_| format.raw()).ok_or(BusError::BAD_REQUEST)
}
