//! Networking: `wasix::net` on the simulator (loopback) vs `std::net` (the baseline, measured in the same
//! run), in the table format `scripts/bench` collects: TCP throughput (32 MiB transfers in 64 KiB writes;
//! the ratio is throughput, so higher is better and the target a floor), a UDP 64-byte round trip, and
//! connect + accept + close. The first two alternate many short samples of each side and compare medians
//! (`common::interleaved_medians`): a transfer's time varied by 2× from one round to the next on the
//! development machine, for both sides alike. No assertions: timings vary with the machine.
//!
//! Run with `cargo bench -p wasix --bench net`. Built for wasm the benchmark only says so.

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("net: run natively (`cargo bench -p wasix --bench net`)");
}

#[cfg(not(target_family = "wasm"))]
#[path = "common/mod.rs"]
mod common;

#[cfg(not(target_family = "wasm"))]
mod native {
    use super::common::interleaved_medians;
    use std::io::{Read, Write};
    use std::time::Instant;

    /// Rounds per side, alternating; the fastest round of each counts.
    const ROUNDS: usize = 5;

    fn best(mut f: impl FnMut() -> f64) -> f64 {
        (0..ROUNDS).map(|_| f()).fold(f64::MAX, f64::min)
    }

    fn row(name: &str, ours: f64, base: f64, ratio: f64, target: &str, met: bool) {
        let mark = if met { "met" } else { "missed" };
        println!("| {name} | {ours:.1} | {base:.1} | {ratio:.3} | {target} | {mark} |");
    }

    const TOTAL: usize = 32 << 20;
    /// TCP transfers per side.
    const TRANSFERS: usize = 81;
    const CHUNK: usize = 64 << 10;

    /// Nanoseconds to push `TOTAL` bytes through `w` while a thread drains `r`.
    fn stream<W: Write, R: Read + Send + 'static>(
        mut w: W,
        mut r: R,
        spawn: impl FnOnce(Box<dyn FnOnce() + Send>),
    ) -> f64 {
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        spawn(Box::new(move || {
            let mut buf = vec![0; CHUNK];
            let mut left = TOTAL;
            while left > 0 {
                match r.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => left = left.saturating_sub(n),
                }
            }
            done_tx.send(()).unwrap();
        }));
        let chunk = vec![7u8; CHUNK];
        let start = Instant::now();
        for _ in 0..TOTAL / CHUNK {
            w.write_all(&chunk).unwrap();
        }
        done_rx.recv().unwrap();
        start.elapsed().as_nanos() as f64
    }

    fn in_sim(sim: &wasix::sim::Sim) -> impl FnOnce(Box<dyn FnOnce() + Send>) + '_ {
        move |f| {
            let sim = sim.clone();
            std::thread::spawn(move || sim.run(f));
        }
    }

    fn plain(f: Box<dyn FnOnce() + Send>) {
        std::thread::spawn(f);
    }

    pub fn main() {
        let sim = wasix::sim::Config::new().build().expect("a simulator instance");
        println!(
            "wasix::net on the simulator (ns) vs std::net (baseline ns): medians of alternating samples (TCP, UDP), \
             fastest of {ROUNDS} alternating rounds (connect)\n"
        );
        println!("| call | ns | baseline ns | ratio | target | |");
        println!("|---|---:|---:|---:|---:|---|");

        // TCP throughput.
        let (ours, base) = interleaved_medians(
            TRANSFERS,
            1,
            || {
                sim.run(|| {
                    let listener = wasix::net::TcpListener::bind("127.0.0.1:0").unwrap();
                    let client = wasix::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
                    let (server, _) = listener.accept().unwrap();
                    stream(client, server, in_sim(&sim));
                })
            },
            || {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
                let (server, _) = listener.accept().unwrap();
                stream(client, server, plain);
            },
        );
        // Throughput ratio: std's time over ours.
        let ratio = base / ours;
        row("TCP loopback, 32 MiB in 64 KiB writes (throughput ratio)", ours, base, ratio, "≥ 0.95", ratio >= 0.95);

        // UDP round trip of 64 bytes, in blocks of `TRIPS` (a sample is one round trip).
        const TRIPS: usize = 400;
        const BLOCKS: usize = 50;
        // The same round trip over either crate's sockets (their methods have the same names and shapes).
        macro_rules! udp_pair {
            ($socket:ty) => {{
                let a = <$socket>::bind("127.0.0.1:0").unwrap();
                let b = <$socket>::bind("127.0.0.1:0").unwrap();
                let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
                let mut buf = [0u8; 64];
                move || {
                    a.send_to(&buf, b_addr).unwrap();
                    b.recv_from(&mut buf).unwrap();
                    b.send_to(&buf, a_addr).unwrap();
                    a.recv_from(&mut buf).unwrap();
                }
            }};
        }
        let (ours, base) = sim.run(|| {
            interleaved_medians(BLOCKS, TRIPS, udp_pair!(wasix::net::UdpSocket), udp_pair!(std::net::UdpSocket))
        });
        let ratio = ours / base;
        row("UDP 64-byte round trip", ours, base, ratio, "≤ 1.10", ratio <= 1.10);

        // connect + accept + close.
        const CONNS: usize = 2_000;
        macro_rules! connections {
            ($listener:ty, $stream:ty) => {{
                let listener = <$listener>::bind("127.0.0.1:0").unwrap();
                let addr = listener.local_addr().unwrap();
                let start = Instant::now();
                for _ in 0..CONNS {
                    let c = <$stream>::connect(addr).unwrap();
                    let s = listener.accept().unwrap();
                    drop((c, s));
                }
                start.elapsed().as_nanos() as f64 / CONNS as f64
            }};
        }
        let ours = best(|| sim.run(|| connections!(wasix::net::TcpListener, wasix::net::TcpStream)));
        let base = best(|| connections!(std::net::TcpListener, std::net::TcpStream));
        let ratio = ours / base;
        row("TCP connect + accept + close", ours, base, ratio, "≤ 1.20", ratio <= 1.20);
    }
}
