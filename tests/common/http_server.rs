//! A small HTTP/1.1 and WebSocket test server over `wasix::net`, on a `wasix::thread`, so the same server
//! runs natively (on the simulator) and inside the guest on a real host. One connection at a time, each
//! answered with `Connection: close`; reads give up after a few seconds so nothing waits forever.
//!
//! Routes: `/echo` (the request body back, `x-method` and `x-echo` (the request's `x-test`) headers),
//! `/headers` (repeated response headers), `/status/<n>`, `/redirect` (301 to `/echo`), `/loop` (302 to
//! itself), `/chunked`, `/bytes/<n>` (`n` bytes `i % 251`, with `Content-Length`), `/gzip` (compressed when
//! asked for), `/short` (ends before its `Content-Length`), `/limit` (413 for a body over 1 KiB),
//! `/garbage` (not HTTP), `/ws` (WebSocket echo; pings answered), `/ws-bad` (sends an invalid frame),
//! `/ws-ping` (pings the client, says whether its pong matched).

use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;
use wasix::net::{SocketAddr, TcpListener, TcpStream};

/// The pattern of `/bytes/<n>`.
pub fn pattern_byte(i: u64) -> u8 {
    (i % 251) as u8
}

/// The compressed body `/gzip` sends, decoded.
pub fn gzip_text() -> String {
    "compressed body ".repeat(100)
}

/// A running server.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
}

impl TestServer {
    /// Starts a server on `127.0.0.1`, port 0.
    pub fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        wasix::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                let _ = serve(conn);
            }
        });
        TestServer { addr }
    }

    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `ws://<addr><path>`.
    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }
}

struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

fn line(r: &mut impl BufRead) -> std::io::Result<String> {
    let mut s = String::new();
    r.by_ref().take(8192).read_line(&mut s)?;
    Ok(s.trim_end().to_owned())
}

fn read_head(r: &mut impl BufRead) -> std::io::Result<Req> {
    let first = line(r)?;
    let mut parts = first.split(' ');
    let method = parts.next().unwrap_or("").to_owned();
    let path = parts.next().unwrap_or("").to_owned();
    let mut headers = Vec::new();
    loop {
        let l = line(r)?;
        if l.is_empty() {
            break;
        }
        if let Some((n, v)) = l.split_once(':') {
            headers.push((n.to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    Ok(Req { method, path, headers })
}

/// The request body, up to `limit` bytes (`None`: more than that was announced or sent).
fn read_body(r: &mut impl BufRead, req: &Req, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    if req.header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        loop {
            let size = usize::from_str_radix(line(r)?.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| std::io::ErrorKind::InvalidData)?;
            if size == 0 {
                while !line(r)?.is_empty() {}
                break;
            }
            if body.len() + size > limit {
                return Ok(None);
            }
            let start = body.len();
            body.resize(start + size, 0);
            r.read_exact(&mut body[start..])?;
            line(r)?;
        }
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len.parse().map_err(|_| std::io::ErrorKind::InvalidData)?;
        if len > limit {
            return Ok(None);
        }
        body.resize(len, 0);
        r.read_exact(&mut body)?;
    }
    Ok(Some(body))
}

fn respond(mut w: &TcpStream, status: u16, headers: &[(&str, String)], body: &[u8]) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} Status\r\nConnection: close\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if status != 204 && !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-length")) {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    w.write_all(body)
}

fn serve(conn: TcpStream) -> std::io::Result<()> {
    let mut r = BufReader::new(conn.try_clone()?);
    let req = read_head(&mut r)?;
    let w = &conn;
    let route = req.path.split('?').next().unwrap_or("").to_owned();
    if route.starts_with("/ws") {
        return websocket(r, w, &req, &route);
    }
    let limit = if route == "/limit" { 1024 } else { 128 << 20 };
    let Some(body) = read_body(&mut r, &req, limit)? else {
        respond(w, 413, &[], b"too large")?;
        return Ok(());
    };
    match route.as_str() {
        "/echo" => {
            let echo = req.header("x-test").unwrap_or("").to_owned();
            respond(w, 200, &[("x-method", req.method.clone()), ("x-echo", echo)], &body)
        }
        "/headers" => respond(w, 200, &[("X-One", "1".into()), ("X-Two", "a".into()), ("X-Two", "b".into())], b"h"),
        "/redirect" => respond(w, 301, &[("Location", "/echo".into())], b""),
        "/loop" => respond(w, 302, &[("Location", "/loop".into())], b""),
        "/chunked" => {
            let mut w = w;
            w.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n")?;
            for part in ["hello, ", "chunked ", "world"] {
                w.write_all(format!("{:x}\r\n{part}\r\n", part.len()).as_bytes())?;
            }
            w.write_all(b"0\r\n\r\n")
        }
        "/gzip" => {
            let text = gzip_text();
            if req.header("accept-encoding").is_some_and(|e| e.contains("gzip")) {
                let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                enc.write_all(text.as_bytes())?;
                respond(w, 200, &[("Content-Encoding", "gzip".into())], &enc.finish()?)
            } else {
                respond(w, 200, &[], text.as_bytes())
            }
        }
        "/short" => {
            let mut w = w;
            w.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 100\r\n\r\nonly ten b")
        }
        "/garbage" => {
            let mut w = w;
            w.write_all(b"NOT HTTP AT ALL\r\n\r\n")
        }
        "/limit" => respond(w, 200, &[], b"fits"),
        p if p.starts_with("/status/") => {
            let code: u16 = p["/status/".len()..].parse().unwrap_or(500);
            let body = if code == 204 { String::new() } else { format!("status {code}") };
            respond(w, code, &[], body.as_bytes())
        }
        p if p.starts_with("/bytes/") => {
            let n: u64 = p["/bytes/".len()..].parse().unwrap_or(0);
            let mut w = w;
            w.write_all(format!("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {n}\r\n\r\n").as_bytes())?;
            let mut block = vec![0u8; 64 * 1024];
            let mut at = 0u64;
            while at < n {
                let len = block.len().min((n - at) as usize);
                for (i, b) in block[..len].iter_mut().enumerate() {
                    *b = pattern_byte(at + i as u64);
                }
                w.write_all(&block[..len])?;
                at += len as u64;
            }
            Ok(())
        }
        _ => respond(w, 404, &[], b"not found"),
    }
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() { A[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
        }
    }
    out
}

fn frame(mut w: &TcpStream, opcode: u8, payload: &[u8]) -> std::io::Result<()> {
    let mut out = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n <= 0xffff => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    w.write_all(&out)
}

/// One frame from the client (masked): `(opcode, payload)`.
fn read_frame(r: &mut impl Read) -> std::io::Result<(u8, Vec<u8>)> {
    let mut h = [0u8; 2];
    r.read_exact(&mut h)?;
    let len = match h[1] & 0x7f {
        126 => {
            let mut b = [0u8; 2];
            r.read_exact(&mut b)?;
            u64::from(u16::from_be_bytes(b))
        }
        127 => {
            let mut b = [0u8; 8];
            r.read_exact(&mut b)?;
            u64::from_be_bytes(b)
        }
        n => u64::from(n),
    };
    let mut mask = [0u8; 4];
    if h[1] & 0x80 != 0 {
        r.read_exact(&mut mask)?;
    }
    let mut payload = vec![0u8; len as usize];
    r.read_exact(&mut payload)?;
    for (i, b) in payload.iter_mut().enumerate() {
        *b ^= mask[i % 4];
    }
    Ok((h[0] & 0x0f, payload))
}

fn websocket(mut r: impl BufRead, w: &TcpStream, req: &Req, route: &str) -> std::io::Result<()> {
    use sha1::Digest;
    let key = req.header("sec-websocket-key").unwrap_or("").to_owned();
    let accept = base64(&sha1::Sha1::digest(format!("{key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11").as_bytes()));
    let mut wr = w;
    wr.write_all(
        format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
        )
        .as_bytes(),
    )?;
    match route {
        "/ws-bad" => return frame(w, 3, b"reserved opcode"),
        "/ws-ping" => {
            frame(w, 9, b"are you there")?;
            let (op, payload) = read_frame(&mut r)?;
            let verdict = if op == 10 && payload == b"are you there" { "pong received" } else { "no pong" };
            frame(w, 1, verdict.as_bytes())?;
        }
        _ => {}
    }
    loop {
        let (op, payload) = read_frame(&mut r)?;
        match op {
            1 | 2 => frame(w, op, &payload)?,
            9 => frame(w, 10, &payload)?,
            8 => return frame(w, 8, &payload),
            _ => {}
        }
    }
}
