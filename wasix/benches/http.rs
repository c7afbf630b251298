//! HTTP and WebSocket: `wasix::http` and `wasix::ws` on the simulator (loopback) vs the client crates the
//! simulator uses, `ureq` and `tungstenite`, directly (the baselines, measured in the same run), in the
//! table format `scripts/bench` collects: a GET of a 1 MiB body (keep-alive, both through one agent) and a
//! WebSocket echo round trip of 64-byte messages. Each operation is timed on its own, the two sides
//! alternating, and the medians compared (`common::interleaved_medians`): on loopback both sides share the
//! machine's cores with the server threads, and a round-based best varied by 2× between runs. No
//! assertions: timings vary with the machine.
//!
//! Run with `cargo bench -p wasix --bench http`. Built for wasm the benchmark only says so.

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("http: run natively (`cargo bench -p wasix --bench http`)");
}

#[cfg(not(target_family = "wasm"))]
#[path = "common/mod.rs"]
mod common;

#[cfg(not(target_family = "wasm"))]
mod native {
    use super::common::{interleaved_medians, interleaved_medians_fresh};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;

    const BODY: usize = 1 << 20;
    /// Blocks of samples per side, and samples per block.
    const GET_BLOCKS: (usize, usize) = (50, 10);
    const ECHO_BLOCKS: (usize, usize) = (100, 200);

    fn row(name: &str, ours: f64, base: f64, ratio: f64, target: &str, met: bool) {
        let mark = if met { "met" } else { "missed" };
        println!("| {name} | {ours:.1} | {base:.1} | {ratio:.3} | {target} | {mark} |");
    }

    /// A keep-alive HTTP server answering every request with `BODY` bytes (none for a path starting with
    /// `/empty`); its port.
    fn http_server() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let body = vec![b'x'; BODY];
                    let mut w = conn.try_clone().unwrap();
                    let mut r = BufReader::new(conn);
                    let mut line = String::new();
                    loop {
                        // The request head.
                        let mut empty = false;
                        loop {
                            line.clear();
                            match r.read_line(&mut line) {
                                Ok(0) | Err(_) => return,
                                Ok(_) if line == "\r\n" => break,
                                Ok(_) => empty |= line.starts_with("GET /empty"),
                            }
                        }
                        let body = if empty { &[][..] } else { &body[..] };
                        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
                        if w.write_all(head.as_bytes()).and_then(|()| w.write_all(body)).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        port
    }

    /// A WebSocket echo server (tungstenite); its port.
    fn ws_server() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let _ = conn.set_nodelay(true);
                    let Ok(mut ws) = tungstenite::accept(conn) else { return };
                    while let Ok(m) = ws.read() {
                        if (m.is_text() || m.is_binary()) && ws.send(m).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        port
    }

    pub fn main() {
        let sim = wasix::sim::Config::new().build().unwrap();
        let url = format!("http://127.0.0.1:{}/", http_server());
        let agent = ureq::AgentBuilder::new().build();
        // Both sides read through one 64 KiB buffer.
        let buf = std::cell::RefCell::new(vec![0u8; 64 << 10]);
        let drain = |mut r: Box<dyn Read>| {
            let mut buf = buf.borrow_mut();
            let mut n = 0;
            loop {
                match r.read(&mut buf).unwrap() {
                    0 => break n,
                    k => n += k,
                }
            }
        };
        let (ours, base) = sim.run(|| {
            interleaved_medians(
                GET_BLOCKS.0,
                GET_BLOCKS.1,
                || {
                    let r = wasix::http::Request::get(&url).send().unwrap();
                    assert_eq!(drain(Box::new(r)), BODY);
                },
                || {
                    let r = agent.get(&url).call().unwrap();
                    assert_eq!(drain(r.into_reader()), BODY);
                },
            )
        });
        let ratio = ours / base;
        row("GET of a 1 MiB body on loopback", ours, base, ratio, "≤ 1.10", ratio <= 1.10);

        // The fixed cost of a request: an empty body (informative).
        let empty = format!("{url}empty");
        let (ours, base) = sim.run(|| {
            interleaved_medians(
                GET_BLOCKS.0,
                GET_BLOCKS.1 * 10,
                || assert_eq!(drain(Box::new(wasix::http::Request::get(&empty).send().unwrap())), 0),
                || assert_eq!(drain(agent.get(&empty).call().unwrap().into_reader()), 0),
            )
        });
        let ratio = ours / base;
        println!("| GET of an empty body on loopback | {ours:.1} | {base:.1} | {ratio:.3} | none | informative |");

        let ws_url = format!("ws://127.0.0.1:{}/", ws_server());
        let message = vec![7u8; 64];
        let (ours, base) = sim.run(|| {
            interleaved_medians_fresh(
                ECHO_BLOCKS.0,
                ECHO_BLOCKS.1,
                || wasix::ws::WebSocket::connect(&ws_url).unwrap(),
                |ws| {
                    ws.send(wasix::ws::Message::Binary(message.clone())).unwrap();
                    assert!(matches!(ws.recv().unwrap(), wasix::ws::Message::Binary(b) if b.len() == 64));
                },
                || {
                    let (theirs, _) = tungstenite::connect(&ws_url).unwrap();
                    if let tungstenite::stream::MaybeTlsStream::Plain(s) = theirs.get_ref() {
                        let _ = s.set_nodelay(true);
                    }
                    theirs
                },
                |theirs| {
                    theirs.send(tungstenite::Message::binary(message.clone())).unwrap();
                    assert_eq!(theirs.read().unwrap().len(), 64);
                },
            )
        });
        let ratio = ours / base;
        row("WebSocket echo round trip, 64 bytes", ours, base, ratio, "≤ 1.10", ratio <= 1.10);
    }
}
