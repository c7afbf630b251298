//! The simulator half of `wasix::http` and `wasix::ws`: `http_request` and `http_status` ([`request`]) over
//! the `ureq` client, `ws_connect` ([`ws`]) over `tungstenite`, both with rustls for `https`/`wss`.
//!
//! Why these crates: `ureq` 2 is a small blocking HTTP/1.1 client (no async runtime) with redirects, gzip
//! and rustls, and it takes a resolver and a rustls configuration from its caller, which is where the
//! instance's network policy and [`Config::root_certificate`](super::Config::root_certificate) go in;
//! `tungstenite` is the WebSocket protocol alone over any `Read + Write`. Both are native-only dependencies.
//!
//! # The fds
//! Each fd these calls return is one end of a host Unix stream socket pair, so `fd_read`, `fd_write`,
//! `fd_close`, `fd_fdstat_get`, `fd_fdstat_set_flags` (`NONBLOCK`: `AGAIN` instead of blocking) and
//! `poll_oneoff` work on them as on a pipe (file type `unknown`, as pipes). Rights: `request` gets
//! `fd_write`, `response` and `headers` `fd_read`, the WebSocket fd both; each also `poll_fd_readwrite`,
//! `fd_fdstat_set_flags` and `fd_filestat_get`, nothing inheritable.
//!
//! # When a request is sent, and who moves its bytes
//! Bytes take the shortest way the guest's calls allow. A guest that blocks in its calls (the safe API
//! does) costs no thread and no copy: the request is sent in the call that first needs its response, and
//! each blocking `fd_read` of `response` reads the client's body reader straight into guest memory. A
//! worker thread of the simulator takes over where the calls cannot wait: it streams a request body the
//! guest writes (from the first write to `request`), sends a request that a poll or a non-blocking read of
//! `response` or `headers` waits for, and moves the body into the pair once `response` or `headers` is
//! polled or read non-blocking (from then on, for good: a poller needs the bytes where the host's poller
//! sees them). A request whose fds are all closed before anything asked for its response is sent then,
//! on a worker, its response discarded. The other ends of the pairs are held by the exchange until then (the fuzz harness counts
//! them with [`held_host_fds`]). The WebSocket fd works the same way: blocking reads and writes go to
//! the connection in the guest's call, a poll or `NONBLOCK` hands it to a worker.
//!
//! # Request and response ([`request`])
//! `http_request(url, method, headers, gzip)`:
//! - `url`: an absolute `http://` or `https://` URL (not UTF-8: `ILSEQ`; malformed or without a host:
//!   `INVAL`; another scheme: `PROTONOSUPPORT`).
//! - `method`: a non-empty HTTP token (`GET`, `POST`, any extension method) of at most 64 bytes, else `INVAL`.
//! - `headers` (in): zero or more lines `Name: value`, separated by `\n` (a final `\n` is allowed, empty lines
//!   are skipped). The name is a non-empty HTTP token; the value (surrounding spaces and tabs trimmed) is
//!   any UTF-8 without CR, LF or NUL. Anything else is `INVAL` (`ILSEQ` for bytes that are not UTF-8), so a
//!   header string can never inject a header or a request. A `Content-Length` header makes the body that
//!   long (else it goes chunked); `Host` is set from the URL.
//! - `gzip`: true asks for a compressed body (`Accept-Encoding: gzip`) and decodes a `gzip` body
//!   transparently: `response` delivers the decoded bytes (and `size` is then unknown). False sends
//!   `Accept-Encoding: identity` unless `headers` names an encoding, and delivers the body as sent.
//!
//! The guest writes the request body to `request`; the body ends at the first of closing `request` (its
//! last fd), `http_status` on any of the three fds, or a read or `poll_oneoff` of `response` or `headers`.
//! A request with a body is sent as the guest writes it; one without is sent by the first call that
//! needs the response (`http_status`, a read or poll of `response` or `headers`: in that call when it
//! waits, else on a worker), or when its last fd is closed. Whatever was written by then is the body (none when nothing was: no
//! `Content-Length` for `GET`, `HEAD`, `DELETE`, `OPTIONS` and `TRACE`, `Content-Length: 0` for the
//! others); a later write to `request` is `PIPE`. Bytes written before the body ends start the request at
//! once and stream as they come. Redirects (up to 5) are followed; a longer chain is `LOOP`.
//!
//! `http_status(fd)` (any of the three fds; another fd: `BADF`) waits for the response's head and gives
//! `status`, `ok` (status 200–299), `redirected` (a redirect was followed) and `size`: the body's
//! `Content-Length` when known, else 0. A request that failed gives its errno here, and `response` and
//! `headers` read as empty: the instance's policy (see below), `CONNREFUSED`, `LOOP` for too many redirects,
//! `PROTO` for a server that does not speak HTTP (or TLS: a certificate not trusted), `CONNRESET` or
//! `PIPE` for a server that closes while the body is sent (one that accepts less).
//!
//! `headers` (out) reads as one line `name: value\n` per response header, names in lower case, in the
//! order received. `response` reads as the body; when it ends early (the server closes before its
//! `Content-Length`, a broken chunked or gzip body) the read that would return end of file fails with
//! `CONNRESET` (`IO` for a body that cannot be decoded) instead.
//!
//! # WebSocket ([`ws`])
//! `ws_connect(url)` (`ws://` or `wss://`, the URL rules above; the handshake's failure is its errno) returns
//! one fd carrying messages both ways as records: a 1-byte opcode, a 4-byte little-endian payload length,
//! the payload. Opcodes are the protocol's: 1 text (UTF-8), 2 binary, 8 close (payload: empty, or a 2-byte
//! big-endian code and a UTF-8 reason), 9 ping, 10 pong; and, read only, 0 for an error: a 2-byte
//! little-endian errno (`PROTO` for a peer that broke the protocol, `ILSEQ` for text that is not UTF-8 in
//! either direction, `INVAL` for a record the guest wrote that is malformed, `CONNRESET` for a connection
//! lost), after which the fd reads end of file. Records written may be split over writes and several may go
//! in one write. Pings are answered by the simulator (and shown to the guest); a close from the peer is
//! answered, shown as a close record, then end of file; a close the guest writes is sent, and the peer's
//! answer read as a close record, then end of file.
//!
//! # Network policy
//! [`Config::network`](super::Config::network) applies to every host a request or connection reaches,
//! redirects included: no network is `NOTSUP`; loopback only lets numeric loopback addresses and
//! `localhost` names through, another address is `NETUNREACH`, another name `NOENT` (never resolved).
//! `http_request` and `ws_connect` check the URL's host at once; a redirect elsewhere fails in `http_status`.
//!
//! # TLS
//! `https` and `wss` use rustls (ring) with the platform's root certificates plus those of
//! [`Config::root_certificate`](super::Config::root_certificate).

pub(crate) mod request;
pub(crate) mod ws;

use super::errno::from_io;
use super::Network;
use crate::Errno;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::{Arc, OnceLock};

pub(crate) use request::HttpFd;
pub(crate) use ws::WsFd;

/// What an instance keeps for its HTTP and WebSocket clients: the TLS configuration (built on the first
/// `https` or `wss` connection) and, built on first use, the HTTP agent (whose pool keeps connections
/// alive between requests).
#[derive(Debug, Default)]
pub(crate) struct Clients {
    tls: Arc<Tls>,
    agent: OnceLock<ureq::Agent>,
}

/// The rustls configuration, built once when first needed: loading the platform's roots takes
/// milliseconds, which a plain `http` request never pays.
#[derive(Debug, Default)]
struct Tls {
    /// DER certificates trusted besides the platform's.
    roots: Vec<Vec<u8>>,
    config: OnceLock<Result<Arc<rustls::ClientConfig>, Errno>>,
}

impl Tls {
    /// The configuration: the platform's roots (those it fails to load are skipped) and the added ones.
    fn config(&self) -> Result<Arc<rustls::ClientConfig>, Errno> {
        self.config
            .get_or_init(|| {
                let mut store = rustls::RootCertStore::empty();
                for cert in rustls_native_certs::load_native_certs().certs {
                    let _ = store.add(cert);
                }
                for der in &self.roots {
                    store.add(rustls::pki_types::CertificateDer::from(der.clone())).map_err(|_| Errno::INVAL)?;
                }
                let provider = Arc::new(rustls::crypto::ring::default_provider());
                let config = rustls::ClientConfig::builder_with_provider(provider)
                    .with_safe_default_protocol_versions()
                    .map_err(|_| Errno::NOTSUP)?
                    .with_root_certificates(store)
                    .with_no_client_auth();
                Ok(Arc::new(config))
            })
            .clone()
    }
}

/// The agent's TLS connector: the configuration is built on the first `https` connection.
struct LazyTls(Arc<Tls>);

impl ureq::TlsConnector for LazyTls {
    fn connect(&self, dns_name: &str, io: Box<dyn ureq::ReadWrite>) -> Result<Box<dyn ureq::ReadWrite>, ureq::Error> {
        let config = self.0.config().map_err(errno_to_io)?;
        ureq::TlsConnector::connect(&config, dns_name, io)
    }
}

impl Clients {
    pub fn new(roots: Vec<Vec<u8>>) -> Self {
        Clients { tls: Arc::new(Tls { roots, config: OnceLock::new() }), agent: OnceLock::new() }
    }

    /// The clients of an instance made from this one's (a child process): the same trusted roots (and TLS
    /// configuration, once built), an agent of its own.
    pub fn inherit(&self) -> Self {
        Clients { tls: self.tls.clone(), agent: OnceLock::new() }
    }

    /// The rustls configuration (see [`Tls::config`]).
    pub fn tls(&self) -> Result<Arc<rustls::ClientConfig>, Errno> {
        self.tls.config()
    }

    /// The instance's agent, its resolver enforcing `network`.
    pub fn agent(&self, network: Network) -> Result<ureq::Agent, Errno> {
        Ok(self
            .agent
            .get_or_init(|| {
                ureq::AgentBuilder::new()
                    .resolver(Policy(network))
                    .tls_connector(Arc::new(LazyTls(self.tls.clone())))
                    .redirects(MAX_REDIRECTS)
                    .timeout_connect(std::time::Duration::from_secs(30))
                    .build()
            })
            .clone())
    }
}

/// Redirects followed before a request fails with `LOOP`.
const MAX_REDIRECTS: u32 = 5;

/// The resolver of the instance's agent: the network policy for every host a request reaches.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy(pub Network);

impl ureq::Resolver for Policy {
    fn resolve(&self, netloc: &str) -> io::Result<Vec<SocketAddr>> {
        let (host, port) = netloc.rsplit_once(':').ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        let port: u16 = port.parse().map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.addresses(host, port).map_err(errno_to_io)
    }
}

impl Policy {
    /// The addresses of `host` under the policy (see the module docs).
    pub fn addresses(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, Errno> {
        let numeric = host.parse::<IpAddr>().ok();
        let loopback_name = {
            let h = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
            h == "localhost" || h.ends_with(".localhost")
        };
        match self.0 {
            Network::None => Err(Errno::NOTSUP),
            Network::Loopback => match numeric {
                Some(ip) if ip.to_canonical().is_loopback() => Ok(vec![SocketAddr::new(ip, port)]),
                Some(_) => Err(Errno::NETUNREACH),
                None if loopback_name => Ok(vec![
                    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
                    SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port),
                ]),
                None => Err(Errno::NOENT),
            },
            Network::Host => match numeric {
                Some(ip) => Ok(vec![SocketAddr::new(ip, port)]),
                None => (host, port).to_socket_addrs().map(Iterator::collect).map_err(|_| Errno::NOENT),
            },
        }
    }
}

/// An errno carried through an `io::Error` (the resolver's, a worker's), recovered by [`errno_of_io`].
#[derive(Debug)]
struct Carried(Errno);

impl std::fmt::Display for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for Carried {}

fn errno_to_io(e: Errno) -> io::Error {
    io::Error::other(Carried(e))
}

/// The errno of an `io::Error` from a client: a carried one, a TLS failure (`PROTO`), else [`from_io`].
pub(crate) fn errno_of_io(e: &io::Error) -> Errno {
    if let Some(inner) = e.get_ref() {
        if let Some(Carried(errno)) = inner.downcast_ref::<Carried>() {
            return *errno;
        }
        if inner.downcast_ref::<rustls::Error>().is_some() {
            return Errno::PROTO;
        }
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => Errno::CONNRESET,
        io::ErrorKind::InvalidData => Errno::PROTO,
        _ => from_io(e),
    }
}

/// A URL the calls accept: UTF-8 (`ILSEQ`), parsed (`INVAL`, also without a host), one of `schemes`
/// (`PROTONOSUPPORT`), and its host allowed by the policy. Returns the URL and the host's addresses.
pub(crate) fn check_url(raw: &[u8], schemes: [&str; 2], network: Network) -> Result<url::Url, Errno> {
    let text = std::str::from_utf8(raw).map_err(|_| Errno::ILSEQ)?;
    if text.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err(Errno::INVAL);
    }
    let url = url::Url::parse(text).map_err(|_| Errno::INVAL)?;
    if !schemes.contains(&url.scheme()) {
        return Err(Errno::PROTONOSUPPORT);
    }
    let host = match url.host() {
        Some(url::Host::Domain(d)) => d.to_owned(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => return Err(Errno::INVAL),
    };
    if network != Network::Host {
        Policy(network).addresses(&host, url.port_or_known_default().unwrap_or(80))?;
    }
    Ok(url)
}

/// The host fds the exchanges and connections hold beside the guest's fds (the other ends of their
/// pairs, while no worker has them): for the fuzz harness's accounting of host fds.
#[doc(hidden)]
pub fn held_host_fds() -> usize {
    HELD.load(std::sync::atomic::Ordering::SeqCst)
}

static HELD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A host fd counted by [`held_host_fds`] while it lives.
#[derive(Debug)]
pub(crate) struct Held(OwnedFd);

impl Held {
    pub fn new(fd: OwnedFd) -> Held {
        HELD.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Held(fd)
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        HELD.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl std::ops::Deref for Held {
    type Target = OwnedFd;

    fn deref(&self) -> &OwnedFd {
        &self.0
    }
}

/// A connected pair of host stream sockets (close-on-exec): the guest's end and the worker's.
pub(crate) fn socket_pair() -> Result<(OwnedFd, OwnedFd), Errno> {
    use rustix::net::{socketpair, AddressFamily, SocketFlags, SocketType};
    socketpair(AddressFamily::UNIX, SocketType::STREAM, SocketFlags::CLOEXEC, None).map_err(super::errno::from_host)
}

/// A writer over a worker's end of a pair that never raises SIGPIPE (a guest that closed its end is `PIPE`).
pub(crate) struct Sender<'a>(pub &'a OwnedFd);

impl io::Write for Sender<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            match rustix::net::send(self.0.as_fd(), buf, rustix::net::SendFlags::NOSIGNAL) {
                Err(rustix::io::Errno::INTR) => continue,
                r => return r.map_err(io::Error::from),
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A reader over a worker's end of a pair.
pub(crate) struct Receiver<'a>(pub &'a OwnedFd);

impl io::Read for Receiver<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match rustix::io::read(self.0.as_fd(), &mut *buf) {
                Err(rustix::io::Errno::INTR) => continue,
                r => return r.map_err(io::Error::from),
            }
        }
    }
}
