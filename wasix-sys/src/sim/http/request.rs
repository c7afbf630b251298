//! `http_request` and `http_status` (the simulator half of `wasix::http`): the request is sent with the
//! instance's `ureq` agent, and its bytes moved by the guest's own calls or by a worker (see the module
//! docs of [`super`], "When a request is sent, and who moves its bytes").

use super::super::fdtable::{Entry, Kind};
use super::super::lock;
use super::super::{mem, state, status, Network};
use super::{check_url, errno_of_io, socket_pair, Held, Receiver, Sender};
use crate::seed::http as seed;
use crate::{Bool, Errno, Fd, Fdflags, HttpHandles, HttpStatus, Rights};
use std::io::{self, IoSliceMut, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

/// Which of the three fds an [`HttpFd`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Request,
    Response,
    Headers,
}

/// An fd of kind `Kind::Http`: the exchange it belongs to and, once something needs a host object (a
/// write to `request`, a poll, `NONBLOCK`, an fstat), the guest's end of a host socket pair whose other
/// end the exchange holds.
#[derive(Debug)]
pub(crate) struct HttpFd {
    pub fd: OnceLock<OwnedFd>,
    end: End,
}

/// Which end of which exchange an [`HttpFd`] is.
#[derive(Debug)]
struct End {
    exchange: Arc<Exchange>,
    role: Role,
}

impl Drop for End {
    /// Closing `request` (its last fd: duplicates share one `HttpFd`) ends the body; the request is sent
    /// by the first call that needs its response.
    fn drop(&mut self) {
        if self.role == Role::Request {
            self.exchange.end_body();
        }
    }
}

impl HttpFd {
    fn new(exchange: Arc<Exchange>, role: Role) -> HttpFd {
        HttpFd { fd: OnceLock::new(), end: End { exchange, role } }
    }

    /// The guest's end of the fd's pair, made on first use (`None` if the host has no socket to spare).
    pub fn host_fd(&self) -> Option<BorrowedFd<'_>> {
        if let Some(fd) = self.fd.get() {
            return Some(fd.as_fd());
        }
        let (guest, other) = socket_pair().ok()?;
        if self.fd.set(guest).is_ok() {
            self.end.exchange.attach(self.end.role, Held::new(other));
        }
        self.fd.get().map(AsFd::as_fd)
    }

    /// `http_status` of this fd.
    pub fn status(&self) -> Result<HttpStatus, Errno> {
        self.end.exchange.ensure_sent()
    }

    /// Called before a write: a body goes through the pair, streamed by a worker from the first write.
    /// Once the body ended, `PIPE`.
    pub fn before_write(&self) -> Result<(), Errno> {
        if self.end.role == Role::Request {
            if self.end.exchange.ended.load(Ordering::Acquire) {
                return Err(Errno::PIPE);
            }
            self.host_fd().ok_or(Errno::NFILE)?;
            self.end.exchange.stream_body();
        }
        Ok(())
    }

    /// Called before a poll of the fd: waiting for `response` or `headers` ends the body and hands their
    /// bytes to a worker (a poller needs them in the pair).
    pub fn before_poll(&self) {
        if self.end.role != Role::Request {
            self.relay();
        }
    }

    /// Called before the fd's host end is given to another process: a worker moves its bytes (streams a
    /// body the other process writes, fills `response` or `headers` for it).
    pub fn before_share(&self) {
        match self.end.role {
            Role::Request => drop(self.before_write()),
            _ => self.relay(),
        }
    }

    fn relay(&self) {
        if self.host_fd().is_some() {
            self.end.exchange.relay(self.end.role);
        }
    }

    /// `fd_read` of this fd; `nonblocking`: the description's `NONBLOCK`.
    pub fn read(&self, bufs: &mut [IoSliceMut<'_>], nonblocking: bool) -> Result<usize, Errno> {
        let ex = &self.end.exchange;
        if nonblocking {
            self.before_poll();
        } else if let Some(n) = ex.read_direct(self.end.role, bufs)? {
            return Ok(n);
        }
        let fd = self.host_fd().ok_or(Errno::NFILE)?;
        let n = match bufs {
            [one] => rustix::io::read(fd, &mut **one),
            _ => rustix::io::readv(fd, bufs),
        }
        .map_err(super::super::errno::from_host)?;
        match (n, self.end.role) {
            // `response` whose body ended early fails at its end.
            (0, Role::Response) => ex.ended_body().map(|()| 0),
            _ => Ok(n),
        }
    }
}

/// Where the response body comes from.
enum Source {
    /// Not known yet.
    Pending,
    /// The client's body reader, read by the guest's own `fd_read` calls.
    Direct(Box<dyn Read + Send + Sync>),
    /// A worker moves the body into the pair.
    Relayed,
    /// Read to its end (or its error), or the request failed.
    Done,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Source::Pending => "Pending",
            Source::Direct(_) => "Direct",
            Source::Relayed => "Relayed",
            Source::Done => "Done",
        })
    }
}

/// The other end of a pair, as the exchange holds it: until it is made, while it waits for bytes, and
/// `closed` once nothing more will come (a pair made then is closed at once: its guest end reads as ended).
#[derive(Debug, Default)]
struct Slot {
    end: Option<Held>,
    closed: bool,
}

impl Slot {
    fn close(&mut self) {
        self.closed = true;
        self.end = None;
    }
}

/// The response headers as text (`name: value\n` lines) once known, and how much the guest has read.
#[derive(Debug, Default)]
struct Headers {
    text: Option<Vec<u8>>,
    at: usize,
    slot: Slot,
    relayed: bool,
}

impl Headers {
    /// A relayed pair gets what is left of the text, then its end (the write of at most 4 KiB cannot block:
    /// it fits any Unix socket's buffer; longer text goes on a thread of its own).
    fn flush(&mut self) {
        let (Some(text), true) = (&self.text, self.relayed) else { return };
        let Some(end) = self.slot.end.take() else { return };
        self.slot.closed = true;
        let rest = text[self.at..].to_vec();
        self.at = text.len();
        if rest.len() <= 4096 {
            let _ = io::Write::write_all(&mut Sender(&end), &rest);
        } else {
            let _ = std::thread::Builder::new().name("wasix-http-headers".into()).spawn(move || {
                let _ = io::Write::write_all(&mut Sender(&end), &rest);
            });
        }
    }
}

/// What the three fds of one request share (and its workers, while they run).
#[derive(Debug)]
pub(crate) struct Exchange {
    /// The request, until someone sends it.
    job: Mutex<Option<Job>>,
    /// The other end of the body pair while no worker reads it, else a duplicate: shutting its reading
    /// down ends the body; closed then.
    body: Mutex<Slot>,
    ended: AtomicBool,
    /// The other end of the `response` pair, for a relay.
    response: Mutex<Slot>,
    headers: Mutex<Headers>,
    source: Mutex<Source>,
    /// A poll or a non-blocking read asked for the body in the pair.
    relay_body: AtomicBool,
    /// The response's head (or the request's failure), once known.
    outcome: Mutex<Option<Result<HttpStatus, Errno>>>,
    known: Condvar,
    /// Why the body ended early (0: it did not).
    body_error: AtomicU16,
}

impl Drop for Exchange {
    /// Every fd is closed and nothing asked for the response: the request is still sent, on a worker, and
    /// its response discarded.
    fn drop(&mut self) {
        if let Some(job) = self.job.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = std::thread::Builder::new().name("wasix-http".into()).spawn(move || drop(send(&job, None, None)));
        }
    }
}

impl Exchange {
    fn new(job: Job) -> Exchange {
        Exchange {
            job: Mutex::new(Some(job)),
            body: Mutex::default(),
            ended: AtomicBool::new(false),
            response: Mutex::default(),
            headers: Mutex::default(),
            source: Mutex::new(Source::Pending),
            relay_body: AtomicBool::new(false),
            outcome: Mutex::new(None),
            known: Condvar::new(),
            body_error: AtomicU16::new(0),
        }
    }

    fn take_job(&self) -> Option<Job> {
        lock(&self.job).take()
    }

    /// Keeps the other end of `role`'s pair, just made (closed at once if nothing more will come).
    fn attach(&self, role: Role, other: Held) {
        match role {
            Role::Request => {
                let mut body = lock(&self.body);
                if !body.closed {
                    body.end = Some(other);
                }
            }
            Role::Response => {
                let mut response = lock(&self.response);
                if !response.closed {
                    response.end = Some(other);
                }
            }
            Role::Headers => {
                let mut headers = lock(&self.headers);
                if !headers.slot.closed {
                    headers.slot.end = Some(other);
                    headers.flush();
                }
            }
        }
    }

    /// Runs `work` on a worker thread of its own (`AGAIN` for the request when none can be started).
    fn spawn(&self, job: Job, work: impl FnOnce(Job, Arc<Exchange>) + Send + 'static, ex: Arc<Exchange>) {
        let started = std::thread::Builder::new().name("wasix-http".into()).spawn(move || work(job, ex));
        if started.is_err() {
            self.fail(Errno::AGAIN);
        }
    }

    /// The first write to `request`: a worker sends the request, streaming the body from the pair as the
    /// guest writes it. Nothing once the request was sent.
    fn stream_body(self: &Arc<Self>) {
        let mut body = lock(&self.body);
        let Some(job) = self.take_job() else { return };
        let Some(end) = body.end.take() else { return self.fail(Errno::PIPE) };
        // The worker reads the body; the exchange keeps a duplicate to end it.
        match end.try_clone() {
            Ok(dup) => body.end = Some(Held::new(dup)),
            Err(e) => return self.fail(errno_of_io(&e)),
        }
        drop(body);
        self.spawn(job, move |job, ex| ex.send_and_finish(&job, Some(end)), self.clone());
    }

    /// Ends the request body with what was written so far (once).
    pub fn end_body(&self) {
        if !self.ended.swap(true, Ordering::AcqRel) {
            let mut body = lock(&self.body);
            if let Some(end) = body.end.take() {
                let _ = rustix::net::shutdown(&*end, rustix::net::Shutdown::Read);
            }
            body.closed = true;
        }
    }

    /// Ends the body and waits for the response's head, sending the request in this call if nobody has.
    fn ensure_sent(self: &Arc<Self>) -> Result<HttpStatus, Errno> {
        self.end_body();
        if let Some(job) = self.take_job() {
            self.send_and_finish(&job, None);
        }
        self.outcome()
    }

    /// A poll or a non-blocking read of `role` (whose pair exists): its bytes go through the pair from now
    /// on, moved by a worker (the one that sends the request, if nobody has yet).
    fn relay(self: &Arc<Self>, role: Role) {
        match role {
            Role::Request => return,
            Role::Response => self.relay_body.store(true, Ordering::SeqCst),
            Role::Headers => {
                let mut headers = lock(&self.headers);
                headers.relayed = true;
                headers.flush();
            }
        }
        self.end_body();
        if let Some(job) = self.take_job() {
            self.spawn(job, move |job, ex| ex.send_and_finish(&job, None), self.clone());
        } else if role == Role::Response {
            self.relay_source();
        }
    }

    /// Hands a direct body to a pump worker if a relay was asked for. Called by `relay` and by whoever
    /// releases the source (a direct read, the sender): one of them finds it free.
    fn relay_source(self: &Arc<Self>) {
        if !self.relay_body.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut source) = self.source.try_lock() else { return };
        if !matches!(*source, Source::Direct(_)) {
            return;
        }
        let Source::Direct(reader) = std::mem::replace(&mut *source, Source::Relayed) else { unreachable!() };
        drop(source);
        let Some(end) = lock(&self.response).end.take() else { return };
        let ex = self.clone();
        let started = std::thread::Builder::new().name("wasix-http-body".into()).spawn(move || ex.pump(reader, &end));
        if started.is_err() {
            self.body_error.store(Errno::AGAIN.raw(), Ordering::Release);
        }
    }

    /// The request failed: `http_status` gives `e`, `response` and `headers` read as empty.
    fn fail(&self, e: Errno) {
        lock(&self.response).close();
        lock(&self.headers).slot.close();
        *lock(&self.source) = Source::Done;
        self.settle(Err(e));
    }

    fn settle(&self, outcome: Result<HttpStatus, Errno>) {
        *lock(&self.outcome) = Some(outcome);
        self.known.notify_all();
    }

    /// Waits for the response's head.
    fn outcome(&self) -> Result<HttpStatus, Errno> {
        let mut o = lock(&self.outcome);
        loop {
            if let Some(r) = *o {
                return r;
            }
            o = self.known.wait(o).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Sends the request (`body`: the pair's end to stream it from, else it is empty), then delivers the
    /// head and the headers, and leaves the body to be read directly, or relays it.
    fn send_and_finish(self: &Arc<Self>, job: &Job, body: Option<Held>) {
        match send(job, body.as_ref(), Some(self)) {
            Ok(resp) => self.finish(job, resp),
            Err(e) => self.fail(e),
        }
    }

    fn finish(self: &Arc<Self>, job: &Job, resp: ureq::Response) {
        let code = resp.status();
        let size = resp.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        let redirected = resp.get_url() != job.url.as_str();
        let mut text = String::new();
        let mut seen = Vec::new();
        for name in resp.headers_names() {
            if seen.contains(&name) {
                continue;
            }
            for value in resp.all(&name) {
                text.push_str(&name);
                text.push_str(": ");
                text.push_str(value);
                text.push('\n');
            }
            seen.push(name);
        }
        {
            let mut headers = lock(&self.headers);
            headers.text = Some(text.into_bytes());
            headers.flush();
        }
        *lock(&self.source) = Source::Direct(resp.into_reader());
        self.settle(Ok(HttpStatus {
            ok: if (200..300).contains(&code) { Bool::TRUE } else { Bool::FALSE },
            redirected: if redirected { Bool::TRUE } else { Bool::FALSE },
            size,
            status: code,
        }));
        self.relay_source();
    }

    /// A blocking read of `role` served without the pair; `None` when its bytes go through the pair.
    fn read_direct(self: &Arc<Self>, role: Role, bufs: &mut [IoSliceMut<'_>]) -> Result<Option<usize>, Errno> {
        match role {
            Role::Request => Ok(None),
            Role::Headers => {
                if lock(&self.headers).relayed {
                    return Ok(None);
                }
                if self.ensure_sent().is_err() {
                    return Ok(Some(0));
                }
                let mut headers = lock(&self.headers);
                if headers.relayed {
                    return Ok(None);
                }
                let Some(text) = &headers.text else { return Ok(Some(0)) };
                let n = super::super::mem::fill(bufs, &text[headers.at..]);
                headers.at += n;
                Ok(Some(n))
            }
            Role::Response => self.read_body(bufs),
        }
    }

    /// A direct read of the body into the first non-empty buffer; `None` when the body is relayed.
    fn read_body(self: &Arc<Self>, bufs: &mut [IoSliceMut<'_>]) -> Result<Option<usize>, Errno> {
        if self.relay_body.load(Ordering::SeqCst) {
            return Ok(None);
        }
        if self.ensure_sent().is_err() {
            return Ok(Some(0));
        }
        let Some(buf) = bufs.iter_mut().find(|b| !b.is_empty()) else { return Ok(Some(0)) };
        let mut source = lock(&self.source);
        let result = match &mut *source {
            Source::Direct(reader) => loop {
                match reader.read(buf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    r => break r,
                }
            },
            Source::Relayed => return Ok(None),
            Source::Pending | Source::Done => return self.ended_body().map(|()| Some(0)),
        };
        let result = match result {
            Ok(0) => {
                *source = Source::Done;
                lock(&self.response).close();
                Ok(Some(0))
            }
            Ok(n) => Ok(Some(n)),
            Err(e) => {
                *source = Source::Done;
                lock(&self.response).close();
                self.body_error.store(body_errno(&e).raw(), Ordering::Release);
                Err(body_errno(&e))
            }
        };
        drop(source);
        self.relay_source();
        result
    }

    /// The end of the body: an early end fails.
    fn ended_body(&self) -> Result<(), Errno> {
        match self.body_error.load(Ordering::Acquire) {
            0 => Ok(()),
            e => Err(Errno::from_raw(e)),
        }
    }

    /// The relay: moves the body into the pair until it ends or the guest closes `response`.
    fn pump(&self, mut reader: Box<dyn Read + Send + Sync>, end: &Held) {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if io::Write::write_all(&mut Sender(end), &buf[..n]).is_err() {
                        break; // The guest closed `response`.
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.body_error.store(body_errno(&e).raw(), Ordering::Release);
                    break;
                }
            }
        }
    }
}

/// The errno of a body that could not be read to its end: `IO` for one that cannot be decoded, else
/// `CONNRESET`.
fn body_errno(e: &io::Error) -> Errno {
    match errno_of_io(e) {
        Errno::IO | Errno::PROTO if e.kind() != io::ErrorKind::UnexpectedEof => Errno::IO,
        _ => Errno::CONNRESET,
    }
}

/// The request headers: `(name, value)` pairs from the `headers` string (format in the module docs).
fn parse_headers(raw: &[u8]) -> Result<Vec<(String, String)>, Errno> {
    seed::check_headers(raw)?;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Ok(seed::headers(raw).flatten().map(|(n, v)| (text(n), text(v))).collect())
}

/// A request not sent yet.
struct Job {
    agent: ureq::Agent,
    url: url::Url,
    method: String,
    headers: Vec<(String, String)>,
    gzip: bool,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("url", &self.url.as_str()).field("method", &self.method).finish_non_exhaustive()
    }
}

pub(crate) unsafe fn http_request(
    url: *const u8,
    url_len: usize,
    method: *const u8,
    method_len: usize,
    headers: *const u8,
    headers_len: usize,
    gzip: Bool,
    ret: *mut HttpHandles,
) -> Errno {
    status(state::with(|s| {
        // SAFETY: the guest passes each string's bytes per the ABI contract.
        let (url, method, headers) =
            unsafe { (mem::slice(url, url_len)?, mem::slice(method, method_len)?, mem::slice(headers, headers_len)?) };
        if s.network == Network::None {
            return Err(Errno::NOTSUP);
        }
        let url = check_url(url, ["http", "https"], s.network)?;
        seed::check_method(method)?;
        let method = std::str::from_utf8(method).map_err(|_| Errno::INVAL)?;
        let headers = parse_headers(headers)?;
        let gzip = match gzip {
            Bool::FALSE => false,
            Bool::TRUE => true,
            _ => return Err(Errno::INVAL),
        };
        if ret.is_null() {
            return Err(Errno::FAULT);
        }
        let agent = s.http.agent(s.network)?;
        let job = Job { agent, url, method: method.to_owned(), headers, gzip };
        let exchange = Arc::new(Exchange::new(job));
        let more = Rights::POLL_FD_READWRITE | Rights::FD_FDSTAT_SET_FLAGS | Rights::FD_FILESTAT_GET;
        let entry = |role, right| {
            let kind = Kind::Http(Box::new(HttpFd::new(exchange.clone(), role)));
            Entry::new(kind, right | more, Rights::empty(), Fdflags::empty())
        };
        let (request, response) =
            s.fds.insert_pair(entry(Role::Request, Rights::FD_WRITE), entry(Role::Response, Rights::FD_READ))?;
        let headers_fd = match s.fds.insert(entry(Role::Headers, Rights::FD_READ)) {
            Ok(fd) => fd,
            Err(e) => {
                // Nothing was asked of the request: it goes with its fds unsent.
                drop(exchange.take_job());
                drop((s.fds.remove(request), s.fds.remove(response)));
                return Err(e);
            }
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, HttpHandles { request, response, headers: headers_fd }) }
    }))
}

/// Methods whose empty body is sent without `Content-Length`.
fn bodiless(method: &str) -> bool {
    ["GET", "HEAD", "DELETE", "OPTIONS", "TRACE"].iter().any(|m| m.eq_ignore_ascii_case(method))
}

/// The errno of a failed request.
fn errno_of(e: &ureq::Transport) -> Errno {
    use ureq::ErrorKind as K;
    let io = std::error::Error::source(e).and_then(|s| s.downcast_ref::<io::Error>());
    match (e.kind(), io) {
        (_, Some(io)) if super::errno_of_io(io) != Errno::IO => errno_of_io(io),
        (K::InvalidUrl, _) => Errno::INVAL,
        (K::UnknownScheme, _) => Errno::PROTONOSUPPORT,
        (K::Dns, _) => Errno::NOENT,
        (K::ConnectionFailed, _) => Errno::CONNREFUSED,
        (K::TooManyRedirects, _) => Errno::LOOP,
        (K::BadStatus | K::BadHeader | K::HTTP, _) => Errno::PROTO,
        (K::InsecureRequestHttpsOnly, _) => Errno::ACCES,
        _ => Errno::IO,
    }
}

/// Sends the request and returns the response once its head is read. `body`: the worker's end of the
/// body pair, streamed from as the guest writes (it waits for the first bytes or the body's end); none
/// for an empty body.
fn send(job: &Job, body: Option<&Held>, ex: Option<&Exchange>) -> Result<ureq::Response, Errno> {
    let mut first = Vec::new();
    if let Some(body) = body {
        first.resize(64 * 1024, 0);
        let n = Receiver(body).read(&mut first).map_err(|e| errno_of_io(&e))?;
        first.truncate(n);
    }
    let mut req = job.agent.request_url(&job.method, &job.url);
    let mut named_encoding = false;
    for (name, value) in &job.headers {
        named_encoding |= name.eq_ignore_ascii_case("accept-encoding");
        req = req.set(name, value);
    }
    if !job.gzip && !named_encoding {
        req = req.set("accept-encoding", "identity");
    }
    let result = match body {
        Some(body) if !first.is_empty() => req.send(io::Cursor::new(first).chain(Receiver(body))),
        _ => {
            // Nothing was written before the body ended.
            ex.map(Exchange::end_body);
            if bodiless(&job.method) {
                req.call()
            } else {
                req.send_bytes(&[])
            }
        }
    };
    // The body is over either way: later writes to `request` are `PIPE`.
    ex.map(Exchange::end_body);
    match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => Ok(r),
        Err(ureq::Error::Transport(t)) => Err(errno_of(&t)),
    }
}

pub(crate) unsafe fn http_status(fd: Fd, out: *mut HttpStatus) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        let Kind::Http(h) = entry.kind() else { return Err(Errno::BADF) };
        if out.is_null() {
            return Err(Errno::FAULT);
        }
        let st = h.status()?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(out, st) }
    }))
}
