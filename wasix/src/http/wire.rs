//! HTTP/1.1 spoken by this crate over [`TcpStream`], for hosts without `http_request` (Wasmer 7.4.2; the
//! host profile decides). Plain `http` only: `https` is [`Error::TlsUnavailable`]. One connection per
//! request (`Connection: close`), redirects followed here, `gzip` decoded with `flate2`.
//!
//! The head parsing and the body framings (`Content-Length`, chunked, until close) are also what
//! [`crate::ws`] uses for its handshake.

use super::url::{Scheme, Url};
use super::{Body, Error, Request, Response};
use crate::net::TcpStream;
use std::io::{self, BufRead, BufReader, Read, Write};

/// Redirects followed before [`Error::TooManyRedirects`].
const MAX_REDIRECTS: usize = 5;
/// The longest response head accepted, and the most headers.
const MAX_HEAD: usize = 64 * 1024;
const MAX_HEADERS: usize = 128;

/// Methods whose empty body is sent without `Content-Length`.
fn bodiless(method: &str) -> bool {
    ["GET", "HEAD", "DELETE", "OPTIONS", "TRACE"].iter().any(|m| m.eq_ignore_ascii_case(method))
}

/// A connection to `url`'s host (`TlsUnavailable` for a secure scheme).
pub(crate) fn connect(url: &Url) -> Result<TcpStream, Error> {
    if url.scheme.secure() {
        return Err(Error::TlsUnavailable);
    }
    let stream = TcpStream::connect((url.host.as_str(), url.port)).map_err(Error::from_errno)?;
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

pub(super) fn send(mut req: Request) -> Result<Response, Error> {
    let mut url = Url::parse(&req.url, &[Scheme::Http, Scheme::Https])?;
    let mut redirected = false;
    for _ in 0..=MAX_REDIRECTS {
        let stream = connect(&url)?;
        let streamed = matches!(req.body, Body::Reader(_));
        let written = write_request(&stream, &url, &mut req);
        let mut reader = BufReader::with_capacity(64 * 1024, stream);
        let head = loop {
            match read_head(&mut reader) {
                // Interim responses (100 Continue, …) precede the real one.
                Ok((status, _)) if (100..200).contains(&status) && status != 101 => {}
                other => break other,
            }
        };
        // A server may answer before taking the whole body (a 413, say): its answer counts.
        let (status, mut headers) = match (written, head) {
            (_, Ok(head)) => head,
            (Err(e), Err(_)) | (Ok(()), Err(e)) => return Err(e),
        };
        let location = header(&headers, "location").map(str::to_owned);
        if let (true, Some(location)) = ([301, 302, 303, 307, 308].contains(&status), location) {
            let keeps_method = [307, 308].contains(&status);
            if keeps_method && streamed {
                // A streamed body cannot be sent again: the redirect is the answer.
            } else {
                url = url.join(&location)?;
                if !keeps_method && !req.method.eq_ignore_ascii_case("HEAD") {
                    req.method = "GET".into();
                    req.body = Body::None;
                    req.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-length"));
                }
                redirected = true;
                continue;
            }
        }
        let no_body = req.method.eq_ignore_ascii_case("HEAD") || status == 204 || status == 304;
        let mut body: Box<dyn Read + Send> = if no_body { Box::new(io::empty()) } else { framed(reader, &headers)? };
        if req.gzip && header(&headers, "content-encoding").is_some_and(|e| e.eq_ignore_ascii_case("gzip")) {
            body = Box::new(flate2::read::MultiGzDecoder::new(body));
            headers.retain(|(n, _)| n != "content-encoding" && n != "content-length");
        }
        return Ok(Response { status, redirected, headers, body });
    }
    Err(Error::TooManyRedirects)
}

/// Writes the request head and body (a streamed body is consumed: `req.body` is `None` after).
fn write_request(mut stream: &TcpStream, url: &Url, req: &mut Request) -> Result<(), Error> {
    let mut head =
        format!("{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", req.method, url.target, url.host_header());
    let mut named_length = false;
    let mut named_encoding = false;
    for (name, value) in &req.headers {
        if name.eq_ignore_ascii_case("host") || name.eq_ignore_ascii_case("connection") {
            continue;
        }
        named_length |= name.eq_ignore_ascii_case("content-length");
        named_encoding |= name.eq_ignore_ascii_case("accept-encoding");
        head.push_str(&format!("{name}: {}\r\n", value.trim_matches([' ', '\t'])));
    }
    if !named_encoding {
        head.push_str(if req.gzip { "Accept-Encoding: gzip\r\n" } else { "Accept-Encoding: identity\r\n" });
    }
    let io = |e: io::Error| Error::from_io(&e);
    match &req.body {
        Body::None if bodiless(&req.method) || named_length => {}
        Body::None => head.push_str("Content-Length: 0\r\n"),
        Body::Bytes(b) if !named_length => head.push_str(&format!("Content-Length: {}\r\n", b.len())),
        Body::Bytes(_) => {}
        Body::Reader(_) if !named_length => head.push_str("Transfer-Encoding: chunked\r\n"),
        Body::Reader(_) => {}
    }
    head.push_str("\r\n");
    match &mut req.body {
        Body::Bytes(b) if b.len() <= 64 * 1024 => {
            let mut all = head.into_bytes();
            all.extend_from_slice(b);
            stream.write_all(&all).map_err(io)
        }
        Body::Bytes(b) => {
            stream.write_all(head.as_bytes()).map_err(io)?;
            stream.write_all(b).map_err(io)
        }
        Body::None => stream.write_all(head.as_bytes()).map_err(io),
        Body::Reader(reader) => {
            stream.write_all(head.as_bytes()).map_err(io)?;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(io(e)),
                };
                if named_length {
                    if n == 0 {
                        break;
                    }
                    stream.write_all(&buf[..n]).map_err(io)?;
                } else {
                    let mut chunk = format!("{n:x}\r\n").into_bytes();
                    chunk.extend_from_slice(&buf[..n]);
                    chunk.extend_from_slice(b"\r\n");
                    stream.write_all(&chunk).map_err(io)?;
                    if n == 0 {
                        break;
                    }
                }
            }
            req.body = Body::None;
            Ok(())
        }
    }
}

/// The status and headers of a response head (names in lower case).
pub(crate) fn read_head(reader: &mut impl BufRead) -> Result<(u16, Vec<(String, String)>), Error> {
    let mut total = 0;
    let mut line = String::new();
    let mut next_line = |line: &mut String| -> Result<(), Error> {
        line.clear();
        let n = reader.by_ref().take((MAX_HEAD + 1 - total) as u64).read_line(line).map_err(|e| Error::from_io(&e))?;
        total += n;
        if n == 0 {
            return Err(Error::Io(crate::io::Errno::CONNRESET));
        }
        if total > MAX_HEAD || !line.ends_with('\n') {
            return Err(Error::Protocol);
        }
        let trimmed = line.trim_end_matches('\n').trim_end_matches('\r').len();
        line.truncate(trimmed);
        Ok(())
    };
    next_line(&mut line)?;
    let mut parts = line.splitn(3, ' ');
    let (version, code) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if !version.starts_with("HTTP/1.") || code.len() != 3 {
        return Err(Error::Protocol);
    }
    let status: u16 = code.parse().map_err(|_| Error::Protocol)?;
    let mut headers = Vec::new();
    loop {
        next_line(&mut line)?;
        if line.is_empty() {
            return Ok((status, headers));
        }
        let (name, value) = line.split_once(':').ok_or(Error::Protocol)?;
        if !wasix_sys::seed::http::is_token(name.as_bytes()) || headers.len() == MAX_HEADERS {
            return Err(Error::Protocol);
        }
        headers.push((name.to_ascii_lowercase(), value.trim_matches([' ', '\t']).to_owned()));
    }
}

/// The first value of `name` (lower case) in `headers`.
pub(crate) fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The body as its headers frame it.
fn framed<R: BufRead + Send + 'static>(reader: R, headers: &[(String, String)]) -> Result<Box<dyn Read + Send>, Error> {
    if header(headers, "transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        return Ok(Box::new(Chunked { inner: reader, left: 0, done: false }));
    }
    match header(headers, "content-length") {
        Some(len) => {
            let len: u64 = len.parse().map_err(|_| Error::Protocol)?;
            Ok(Box::new(Exact { inner: reader, left: len }))
        }
        None => Ok(Box::new(reader)),
    }
}

/// The error of a body that ends before its framing says: `CONNRESET`, as the simulator's.
fn ended_early() -> io::Error {
    io::Error::from(crate::io::Errno::CONNRESET)
}

/// A `Content-Length` body: exactly that many bytes, an early end [`ended_early`].
struct Exact<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || buf.is_empty() {
            return Ok(0);
        }
        read_at_most(&mut self.inner, &mut self.left, buf)
    }
}

/// Reads into `buf` at most the `left` bytes a body still has (and counts them off); an end before them is
/// [`ended_early`]. `left` is not 0.
fn read_at_most(inner: &mut impl Read, left: &mut u64, buf: &mut [u8]) -> io::Result<usize> {
    let max = buf.len().min(usize::try_from(*left).unwrap_or(usize::MAX));
    let n = inner.read(&mut buf[..max])?;
    if n == 0 {
        return Err(ended_early());
    }
    *left -= n as u64;
    Ok(n)
}

/// A chunked body (trailers skipped); a broken one is `InvalidData`, an early end [`ended_early`].
struct Chunked<R> {
    inner: R,
    left: u64,
    done: bool,
}

impl<R: BufRead> Chunked<R> {
    fn line(&mut self) -> io::Result<String> {
        let mut line = String::new();
        let n = self.inner.by_ref().take(4096).read_line(&mut line)?;
        if n == 0 {
            return Err(ended_early());
        }
        if !line.ends_with('\n') {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "a chunk line is too long"));
        }
        Ok(line.trim_end().to_owned())
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let line = self.line()?;
            let size = line.split(';').next().unwrap_or("").trim();
            self.left = u64::from_str_radix(size, 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a chunk size is not hexadecimal"))?;
            if self.left == 0 {
                while !self.line()?.is_empty() {}
                self.done = true;
                return Ok(0);
            }
        }
        let n = read_at_most(&mut self.inner, &mut self.left, buf)?;
        if self.left == 0 && !self.line()?.is_empty() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "a chunk is longer than its size"));
        }
        Ok(n)
    }
}
