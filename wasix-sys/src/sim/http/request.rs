//! `http_request` and `http_status` (the simulator half of `wasix::http`): one worker thread per request
//! sends it with the instance's `ureq` agent and feeds the three fds (see the module docs of [`super`]).

use super::super::fdtable::{Entry, Kind};
use super::super::{mem, state, status, Network};
use super::{check_url, errno_of_io, socket_pair, Receiver, Sender};
use crate::seed::http as seed;
use crate::{Bool, Errno, Fd, Fdflags, HttpHandles, HttpStatus, Rights};
use std::io::{self, Read};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// Which of the three fds an [`HttpFd`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Request,
    Response,
    Headers,
}

/// An fd of kind `Kind::Http`: the guest's end of a pair and the exchange it belongs to.
#[derive(Debug)]
pub(crate) struct HttpFd {
    pub fd: OwnedFd,
    pub exchange: Arc<Exchange>,
    pub role: Role,
}

impl HttpFd {
    /// Called before a read or a poll: reading `response` or `headers` ends the request body.
    #[inline]
    pub fn before_read(&self) {
        if self.role != Role::Request {
            self.exchange.end_body();
        }
    }

    /// What a read that returned end of file means: `response` whose body ended early fails instead.
    #[inline]
    pub fn at_end(&self) -> Result<(), Errno> {
        match self.exchange.body_error.load(Ordering::Acquire) {
            0 => Ok(()),
            _ if self.role != Role::Response => Ok(()),
            e => Err(Errno::from_raw(e)),
        }
    }
}

/// What the three fds of one request share with its worker.
#[derive(Debug)]
pub(crate) struct Exchange {
    /// A duplicate of the worker's end of the body pair: shutting its reading down ends the body; closed
    /// then, so an exchange whose body ended holds no host fd beyond the guest's three.
    body: Mutex<Option<OwnedFd>>,
    ended: AtomicBool,
    /// The response's head (or the request's failure), once known.
    outcome: Mutex<Option<Result<HttpStatus, Errno>>>,
    known: Condvar,
    /// Why the body ended early (0: it did not).
    body_error: AtomicU16,
}

impl Exchange {
    /// Ends the request body with what was written so far (once).
    pub fn end_body(&self) {
        if !self.ended.swap(true, Ordering::AcqRel) {
            if let Some(body) = self.body.lock().unwrap_or_else(|e| e.into_inner()).take() {
                let _ = rustix::net::shutdown(&body, rustix::net::Shutdown::Read);
            }
        }
    }

    fn settle(&self, outcome: Result<HttpStatus, Errno>) {
        *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
        self.known.notify_all();
    }

    /// Waits for the response's head.
    fn outcome(&self) -> Result<HttpStatus, Errno> {
        let mut o = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(r) = *o {
                return r;
            }
            o = self.known.wait(o).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// The request headers: `(name, value)` pairs from the `headers` string (format in the module docs).
fn parse_headers(raw: &[u8]) -> Result<Vec<(String, String)>, Errno> {
    seed::check_headers(raw)?;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Ok(seed::headers(raw).flatten().map(|(n, v)| (text(n), text(v))).collect())
}

/// What the worker needs.
struct Job {
    agent: ureq::Agent,
    url: url::Url,
    method: String,
    headers: Vec<(String, String)>,
    gzip: bool,
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
        let (body_guest, body_worker) = socket_pair()?;
        let (response_guest, response_worker) = socket_pair()?;
        let (headers_guest, headers_worker) = socket_pair()?;
        let exchange = Arc::new(Exchange {
            body: Mutex::new(Some(body_worker.try_clone().map_err(|e| errno_of_io(&e))?)),
            ended: AtomicBool::new(false),
            outcome: Mutex::new(None),
            known: Condvar::new(),
            body_error: AtomicU16::new(0),
        });
        let more = Rights::POLL_FD_READWRITE | Rights::FD_FDSTAT_SET_FLAGS | Rights::FD_FILESTAT_GET;
        let entry = |fd, role, right| {
            let kind = Kind::Http(Box::new(HttpFd { fd, exchange: exchange.clone(), role }));
            Entry::new(kind, right | more, Rights::empty(), Fdflags::empty())
        };
        let (request, response) = s.fds.insert_pair(
            entry(body_guest, Role::Request, Rights::FD_WRITE),
            entry(response_guest, Role::Response, Rights::FD_READ),
        )?;
        let headers_fd = match s.fds.insert(entry(headers_guest, Role::Headers, Rights::FD_READ)) {
            Ok(fd) => fd,
            Err(e) => {
                drop((s.fds.remove(request), s.fds.remove(response)));
                return Err(e);
            }
        };
        let job = Job { agent, url, method: method.to_owned(), headers, gzip };
        let worker = exchange.clone();
        let started = std::thread::Builder::new().name("wasix-http".into()).spawn(move || {
            run(job, &worker, body_worker, response_worker, headers_worker);
        });
        if started.is_err() {
            drop((s.fds.remove(request), s.fds.remove(response), s.fds.remove(headers_fd)));
            return Err(Errno::AGAIN);
        }
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

/// The worker: waits for the body's first bytes (or its end), sends the request, then delivers the head,
/// the headers and the body.
fn run(job: Job, ex: &Exchange, body: OwnedFd, response: OwnedFd, headers: OwnedFd) {
    let mut first = vec![0u8; 64 * 1024];
    let n = match Receiver(&body).read(&mut first) {
        Ok(n) => n,
        Err(e) => return ex.settle(Err(errno_of_io(&e))),
    };
    first.truncate(n);
    let mut req = job.agent.request_url(&job.method, &job.url);
    let mut named_encoding = false;
    for (name, value) in &job.headers {
        named_encoding |= name.eq_ignore_ascii_case("accept-encoding");
        req = req.set(name, value);
    }
    if !job.gzip && !named_encoding {
        req = req.set("accept-encoding", "identity");
    }
    let result = if n == 0 {
        // Nothing was written before the body ended.
        ex.end_body();
        if bodiless(&job.method) {
            req.call()
        } else {
            req.send_bytes(&[])
        }
    } else {
        req.send(io::Cursor::new(first).chain(Receiver(&body)))
    };
    // The body is over either way: later writes to `request` are `PIPE`.
    ex.end_body();
    drop(body);
    let resp = match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(ureq::Error::Transport(t)) => return ex.settle(Err(errno_of(&t))),
    };
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
    ex.settle(Ok(HttpStatus {
        ok: if (200..300).contains(&code) { Bool::TRUE } else { Bool::FALSE },
        redirected: if redirected { Bool::TRUE } else { Bool::FALSE },
        size,
        status: code,
    }));
    // A guest reading only the body must never wait for the headers: they go into the pair at once when
    // they fit its buffer (4 KiB fits any Unix socket's, so the write cannot block), on a thread of their own
    // otherwise (saving the common request a thread spawn).
    if text.len() <= 4096 {
        let _ = io::Write::write_all(&mut Sender(&headers), text.as_bytes());
        drop(headers);
    } else {
        let _ = std::thread::Builder::new().name("wasix-http-headers".into()).spawn(move || {
            let _ = io::Write::write_all(&mut Sender(&headers), text.as_bytes());
        });
    }
    let mut reader = resp.into_reader();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if io::Write::write_all(&mut Sender(&response), &buf[..n]).is_err() {
                    break; // The guest closed `response`.
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let errno = match errno_of_io(&e) {
                    Errno::IO | Errno::PROTO if e.kind() != io::ErrorKind::UnexpectedEof => Errno::IO,
                    _ => Errno::CONNRESET,
                };
                ex.body_error.store(errno.raw(), Ordering::Release);
                break;
            }
        }
    }
    let _ = response.as_fd();
}

pub(crate) unsafe fn http_status(fd: Fd, out: *mut HttpStatus) -> Errno {
    status(state::with(|s| {
        let entry = s.fds.get(fd)?;
        let Kind::Http(h) = entry.kind() else { return Err(Errno::BADF) };
        if out.is_null() {
            return Err(Errno::FAULT);
        }
        h.exchange.end_body();
        let st = h.exchange.outcome()?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(out, st) }
    }))
}
