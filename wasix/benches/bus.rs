//! The message bus on the simulator, in the table format `scripts/bench` collects: a small-payload call
//! round trip over the local bus vs the same payload serialized (bincode) and sent both ways over
//! `std::sync::mpsc` between two threads (target ≤ 1.5×), and over the remote bus (a served instance,
//! TCP on loopback) vs a plain TCP request/response of the same bytes (target ≤ 1.2×). Both sides are
//! measured in the same run; also calls per second. No assertions: timings vary with the machine.
//!
//! Run with `cargo bench -p wasix --bench bus`. Built for wasm the benchmark only says so.

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("bus: run natively (`cargo bench -p wasix --bench bus`)");
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use serde::{Deserialize, Serialize};
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::Instant;
    use wasix::bus::{self, Process};
    use wasix::sim::Config;

    /// Rounds per side, alternating; the fastest round of each counts.
    const ROUNDS: usize = 5;
    const LOCAL_CALLS: usize = 4000;
    const REMOTE_CALLS: usize = 2000;

    #[derive(Serialize, Deserialize, Clone, Copy)]
    struct Small {
        id: u64,
        body: [u8; 16],
    }

    const SMALL: Small = Small { id: 42, body: [7; 16] };

    fn row(name: &str, ours: f64, base: f64, target: f64) {
        let ratio = ours / base;
        let mark = if ratio <= target { "met" } else { "missed" };
        println!("| {name} | {ours:.1} | {base:.1} | {ratio:.3} | ≤ {target} | {mark} |");
    }

    fn service() {
        bus::serve().handle("echo", |_, s: Small| Ok(s)).run()
    }

    /// Nanoseconds per call round trip over `p`.
    fn bus_round_trips(p: &Process, n: usize) -> f64 {
        let start = Instant::now();
        for _ in 0..n {
            let back: Small = p.call("echo", &SMALL).wait().unwrap();
            std::hint::black_box(back);
        }
        start.elapsed().as_nanos() as f64 / n as f64
    }

    /// Nanoseconds per round trip of the bincode bytes over two `mpsc` channels.
    fn mpsc_round_trips(n: usize) -> f64 {
        let (to_server, requests) = std::sync::mpsc::channel::<Vec<u8>>();
        let (to_client, replies) = std::sync::mpsc::channel::<Vec<u8>>();
        let server = std::thread::spawn(move || {
            for req in requests {
                let s: Small = bincode::deserialize(&req).unwrap();
                to_client.send(bincode::serialize(&s).unwrap()).unwrap();
            }
        });
        let start = Instant::now();
        for _ in 0..n {
            to_server.send(bincode::serialize(&SMALL).unwrap()).unwrap();
            let back: Small = bincode::deserialize(&replies.recv().unwrap()).unwrap();
            std::hint::black_box(back);
        }
        let ns = start.elapsed().as_nanos() as f64 / n as f64;
        drop(to_server);
        server.join().unwrap();
        ns
    }

    fn frame(bytes: &[u8]) -> Vec<u8> {
        let mut f = (bytes.len() as u32).to_le_bytes().to_vec();
        f.extend_from_slice(bytes);
        f
    }

    fn read_frame(s: &mut TcpStream) -> Option<Vec<u8>> {
        let mut len = [0; 4];
        s.read_exact(&mut len).ok()?;
        let mut buf = vec![0; u32::from_le_bytes(len) as usize];
        s.read_exact(&mut buf).ok()?;
        Some(buf)
    }

    /// Nanoseconds per length-prefixed request/response of the bincode bytes over loopback TCP.
    fn tcp_round_trips(n: usize) -> f64 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.set_nodelay(true).unwrap();
            while let Some(req) = read_frame(&mut s) {
                let v: Small = bincode::deserialize(&req).unwrap();
                s.write_all(&frame(&bincode::serialize(&v).unwrap())).unwrap();
            }
        });
        let mut c = TcpStream::connect(addr).unwrap();
        c.set_nodelay(true).unwrap();
        let start = Instant::now();
        for _ in 0..n {
            c.write_all(&frame(&bincode::serialize(&SMALL).unwrap())).unwrap();
            let back: Small = bincode::deserialize(&read_frame(&mut c).unwrap()).unwrap();
            std::hint::black_box(back);
        }
        let ns = start.elapsed().as_nanos() as f64 / n as f64;
        drop(c);
        server.join().unwrap();
        ns
    }

    pub fn main() {
        // Two client processes: one with a local handle only, one with a remote handle (a process with
        // remote links waits in the host's `poll`, which local frames then wake too).
        let local_client = Config::new().program("echo", service).build().unwrap();
        let remote_client = Config::new().build().unwrap();
        let served = Config::new().program("echo", service).build().unwrap();
        let server = served.serve_bus("127.0.0.1:0", "bench").unwrap();
        let addr = server.local_addr().to_string();
        let (mut local, mut base_local, mut remote, mut base_remote) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
        let p = local_client.run(|| Process::open_local("echo").unwrap());
        let r = remote_client.run(|| Process::open_remote("echo", false, &addr, "bench").unwrap());
        local_client.run(|| bus_round_trips(&p, 200));
        remote_client.run(|| bus_round_trips(&r, 200));
        for _ in 0..ROUNDS {
            local = local.min(local_client.run(|| bus_round_trips(&p, LOCAL_CALLS)));
            base_local = base_local.min(mpsc_round_trips(LOCAL_CALLS));
            remote = remote.min(remote_client.run(|| bus_round_trips(&r, REMOTE_CALLS)));
            base_remote = base_remote.min(tcp_round_trips(REMOTE_CALLS));
        }
        local_client.run(|| drop(p));
        remote_client.run(|| drop(r));
        println!("| call | ns | baseline ns | ratio | target | |");
        println!("|---|---|---|---|---|---|");
        row("local bus call round trip (24 B, bincode) vs mpsc", local, base_local, 1.5);
        row("remote bus call round trip (24 B, bincode) vs TCP", remote, base_remote, 1.2);
        println!(
            "calls per second: local bus {:.0}, mpsc {:.0}; remote bus {:.0}, TCP {:.0}",
            1e9 / local,
            1e9 / base_local,
            1e9 / remote,
            1e9 / base_remote
        );
    }
}
