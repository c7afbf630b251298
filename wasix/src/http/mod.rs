//! An HTTP/1.1 client: build a [`Request`], [`send`](Request::send) it, read the [`Response`]'s status,
//! headers and streaming body.
//!
//! Where the host serves `http_request` (the simulator, seed-conformant hosts) the request goes through
//! it; on Wasmer 7.4.2, which lacks it, this module speaks HTTP/1.1 itself over [`crate::net::TcpStream`]
//! (plain `http` only there: `https` is [`Error::TlsUnavailable`]). Which way is taken is the host
//! profile's decision, never the caller's, and the behaviour is the same either way: redirects (up to 5,
//! then [`Error::TooManyRedirects`]) are followed, [`Request::gzip`] asks for and decodes a compressed
//! body, a response of any status is a [`Response`] (check [`Response::status`]), and a body that ends
//! early fails its last read with `CONNRESET`.
//!
//! Request bodies: [`Request::body`] (bytes, sent with `Content-Length`) or [`Request::body_reader`] (any
//! `Read`, streamed chunked unless a `Content-Length` header is given).
//!
//! ```
//! use std::io::{Read, Write};
//! use wasix::http::Request;
//! use wasix::net::TcpListener;
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     // A one-shot server on loopback.
//!     let listener = TcpListener::bind("127.0.0.1:0").unwrap();
//!     let url = format!("http://{}/hello", listener.local_addr().unwrap());
//!     let server = wasix::thread::spawn(move || {
//!         let (mut conn, _) = listener.accept().unwrap();
//!         let mut head = Vec::new();
//!         let mut byte = [0];
//!         while !head.ends_with(b"\r\n\r\n") {
//!             conn.read_exact(&mut byte).unwrap();
//!             head.push(byte[0]);
//!         }
//!         conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Greeting: yes\r\n\r\nhello").unwrap();
//!     });
//!     let response = Request::get(&url).header("Accept", "text/plain").send().unwrap();
//!     assert_eq!(response.status(), 200);
//!     assert_eq!(response.header("x-greeting"), Some("yes"));
//!     assert_eq!(response.text().unwrap(), "hello");
//!     server.join().unwrap();
//! });
//! ```

mod host;
pub(crate) mod url;
pub(crate) mod wire;

use crate::io::Errno;
use std::fmt;
use std::io::{self, Read};

/// How the safe clients reach HTTP and WebSocket servers on this host: decided by the host profile
/// (`host::HTTP_TRANSPORT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // Each host builds one of them.
pub(crate) enum Transport {
    /// Through the host's `http_request`, `http_status` and `ws_connect`.
    Host,
    /// Over TCP, the protocols spoken by this crate (the Wasmer profile's choice).
    Tcp,
}

/// Why a request (or a WebSocket) failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The URL is malformed, has no host, or carries user information.
    Url,
    /// The URL's scheme is not one the call speaks (`http`/`https`, `ws`/`wss`).
    Scheme,
    /// `https` or `wss` where this crate speaks the protocol itself over TCP (Wasmer 7.4.2): it has no TLS.
    TlsUnavailable,
    /// The method is empty, longer than 64 bytes, or not an HTTP token.
    Method,
    /// A header name is not a token, or a name or value holds CR, LF or NUL.
    Header,
    /// More than 5 redirects.
    TooManyRedirects,
    /// The peer broke the protocol (HTTP, WebSocket or TLS, a certificate not trusted included).
    Protocol,
    /// The WebSocket is closed: a close was received or sent, or the connection ended.
    Closed,
    /// A call failed with this errno: the network policy (`NOTSUP`, `NETUNREACH`), `CONNREFUSED`,
    /// `CONNRESET` (the server closed early or refused the rest of a body), …
    Io(Errno),
}

impl Error {
    /// The errno closest to the error (what a raw call would have said).
    pub fn errno(self) -> Errno {
        match self {
            Error::Url | Error::Method | Error::Header => Errno::INVAL,
            Error::Scheme => Errno::PROTONOSUPPORT,
            Error::TlsUnavailable => Errno::NOTSUP,
            Error::TooManyRedirects => Errno::LOOP,
            Error::Protocol => Errno::PROTO,
            Error::Closed => Errno::PIPE,
            Error::Io(e) => e,
        }
    }

    /// The error of a raw call's errno.
    pub(crate) fn from_errno(e: Errno) -> Error {
        match e {
            Errno::PROTONOSUPPORT => Error::Scheme,
            Errno::LOOP => Error::TooManyRedirects,
            Errno::PROTO => Error::Protocol,
            e => Error::Io(e),
        }
    }

    /// The error of an `io::Error` from a stream this crate reads or writes.
    pub(crate) fn from_io(e: &io::Error) -> Error {
        match e.kind() {
            io::ErrorKind::InvalidData => Error::Protocol,
            io::ErrorKind::UnexpectedEof => Error::Io(Errno::CONNRESET),
            _ => Error::Io(Errno::from_io_error(e).unwrap_or(Errno::IO)),
        }
    }
}

impl From<Errno> for Error {
    fn from(e: Errno) -> Error {
        Error::Io(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Url => f.write_str("malformed URL"),
            Error::Scheme => f.write_str("unsupported URL scheme"),
            Error::TlsUnavailable => f.write_str("TLS is not available on this host"),
            Error::Method => f.write_str("invalid HTTP method"),
            Error::Header => f.write_str("invalid HTTP header"),
            Error::TooManyRedirects => f.write_str("too many redirects"),
            Error::Protocol => f.write_str("protocol violation"),
            Error::Closed => f.write_str("connection closed"),
            Error::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        let kind = match e {
            Error::Url | Error::Method | Error::Header => io::ErrorKind::InvalidInput,
            Error::Protocol => io::ErrorKind::InvalidData,
            Error::Scheme | Error::TlsUnavailable => io::ErrorKind::Unsupported,
            Error::Closed => io::ErrorKind::BrokenPipe,
            Error::TooManyRedirects => io::ErrorKind::Other,
            Error::Io(errno) => return io::Error::from(errno),
        };
        io::Error::new(kind, e)
    }
}

/// A request body.
pub(crate) enum Body {
    None,
    Bytes(Vec<u8>),
    Reader(Box<dyn Read + Send>),
}

/// An HTTP request, built up and then [sent](Request::send).
pub struct Request {
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) gzip: bool,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("gzip", &self.gzip)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request with any method (checked when sent: [`Error::Method`]).
    pub fn method(method: impl Into<String>, url: impl Into<String>) -> Request {
        Request { method: method.into(), url: url.into(), headers: Vec::new(), body: Body::None, gzip: false }
    }

    /// A `GET` request.
    pub fn get(url: impl Into<String>) -> Request {
        Request::method("GET", url)
    }

    /// A `POST` request.
    pub fn post(url: impl Into<String>) -> Request {
        Request::method("POST", url)
    }

    /// A `PUT` request.
    pub fn put(url: impl Into<String>) -> Request {
        Request::method("PUT", url)
    }

    /// A `DELETE` request.
    pub fn delete(url: impl Into<String>) -> Request {
        Request::method("DELETE", url)
    }

    /// Adds a header (checked when sent: [`Error::Header`]). `Host` comes from the URL.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Request {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The body: these bytes, sent with `Content-Length`.
    pub fn body(mut self, bytes: impl Into<Vec<u8>>) -> Request {
        self.body = Body::Bytes(bytes.into());
        self
    }

    /// The body: what `reader` gives until its end, streamed (chunked, unless a `Content-Length` header is
    /// given).
    pub fn body_reader(mut self, reader: impl Read + Send + 'static) -> Request {
        self.body = Body::Reader(Box::new(reader));
        self
    }

    /// Whether to ask for a gzip-compressed body and decode it (default: no).
    pub fn gzip(mut self, on: bool) -> Request {
        self.gzip = on;
        self
    }

    /// The headers as the `headers` string of `http_request` (checked by the seed's rules).
    pub(crate) fn header_string(&self) -> Result<String, Error> {
        let mut s = String::new();
        for (name, value) in &self.headers {
            if value.contains('\n') {
                return Err(Error::Header);
            }
            s.push_str(name);
            s.push_str(": ");
            s.push_str(value);
            s.push('\n');
        }
        wasix_sys::seed::http::check_headers(s.as_bytes()).map_err(|_| Error::Header)?;
        Ok(s)
    }

    /// Sends the request and waits for the response's head.
    pub fn send(self) -> Result<Response, Error> {
        url::Url::parse(&self.url, &[url::Scheme::Http, url::Scheme::Https])?;
        wasix_sys::seed::http::check_method(self.method.as_bytes()).map_err(|_| Error::Method)?;
        self.header_string()?;
        match crate::host::HTTP_TRANSPORT {
            Transport::Host => host::send(self),
            Transport::Tcp => wire::send(self),
        }
    }
}

/// A response: status, headers, and the body to read (it implements [`Read`]).
pub struct Response {
    pub(crate) status: u16,
    pub(crate) redirected: bool,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Box<dyn Read + Send>,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("redirected", &self.redirected)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl Response {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the status is 200–299.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether a redirect was followed to get here.
    pub fn redirected(&self) -> bool {
        self.redirected
    }

    /// The headers, in the order received, names in lower case.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of the header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body's length as the server announced it, when it did (not for a decoded gzip body).
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length").and_then(|v| v.parse().ok())
    }

    /// The whole body.
    pub fn bytes(mut self) -> io::Result<Vec<u8>> {
        let mut v = Vec::new();
        self.body.read_to_end(&mut v)?;
        Ok(v)
    }

    /// The whole body as UTF-8 text (`InvalidData` if it is not).
    pub fn text(self) -> io::Result<String> {
        String::from_utf8(self.bytes()?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// The whole body parsed as JSON.
    #[cfg(feature = "json")]
    pub fn json<T: serde::de::DeserializeOwned>(self) -> io::Result<T> {
        serde_json::from_slice(&self.bytes()?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// The response as an `http` crate response, its body read whole.
    #[cfg(feature = "http")]
    pub fn into_http(self) -> io::Result<::http::Response<Vec<u8>>> {
        let mut builder = ::http::Response::builder().status(self.status);
        for (n, v) in &self.headers {
            builder = builder.header(n.as_str(), v.as_str());
        }
        let body = self.bytes()?;
        builder.body(body).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

impl Read for Response {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.body.read(buf)
    }
}

#[cfg(feature = "http")]
impl<B: Into<Vec<u8>>> From<::http::Request<B>> for Request {
    /// The method, URI, headers (values that are not UTF-8 are taken lossily) and body of an `http` request.
    fn from(r: ::http::Request<B>) -> Request {
        let (parts, body) = r.into_parts();
        let mut req = Request::method(parts.method.as_str(), parts.uri.to_string());
        for (n, v) in &parts.headers {
            req = req.header(n.as_str(), String::from_utf8_lossy(v.as_bytes()));
        }
        let body = body.into();
        if !body.is_empty() {
            req = req.body(body);
        }
        req
    }
}
