//! Async I/O: `wasix::rt` on the simulator vs `async-io` on the host (the baseline, measured in the same
//! run), in the table format `scripts/bench` collects: 1,000 concurrent loopback TCP connections, each
//! echoing 64-byte requests, all on one thread (`block_on` of each crate). The figure is requests per
//! second, so higher is better and the target (0.80) a floor. No assertions: timings vary with the machine.
//!
//! Run with `cargo bench -p wasix --bench rt`. Built for wasm the benchmark only says so; the Wasmer figure
//! comes from `examples/async_echo.rs` built for `wasm32-wasip1`.

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("rt: run natively (`cargo bench -p wasix --bench rt`); on Wasmer run examples/async_echo.rs");
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use futures::future::join_all;
    use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
    use std::time::Instant;

    /// Connections open at once.
    const CONNECTIONS: usize = 1000;
    /// Requests each connection makes per round.
    const REQUESTS: usize = 20;
    /// The size of a request (and of its echo).
    const SIZE: usize = 64;
    /// Rounds per side, alternating; the fastest round of each counts.
    const ROUNDS: usize = 5;

    /// Echoes requests of `SIZE` bytes until the client closes.
    async fn serve<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S) {
        let mut buf = [0; SIZE];
        while stream.read_exact(&mut buf).await.is_ok() {
            stream.write_all(&buf).await.unwrap();
        }
    }

    /// Makes `REQUESTS` requests, checking each echo.
    async fn client<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, i: usize) {
        let request = [i as u8; SIZE];
        let mut got = [0; SIZE];
        for _ in 0..REQUESTS {
            stream.write_all(&request).await.unwrap();
            stream.read_exact(&mut got).await.unwrap();
            assert_eq!(got, request);
        }
    }

    /// Requests per second of one round of one crate: `$block_on` runs it, `$listener` is a bound listener
    /// and `$connect(addr)` a future of a connected stream (the code is the same for both crates).
    macro_rules! round {
        ($block_on:path, $listener:expr, $connect:expr) => {{
            let listener = $listener;
            let addr = listener.get_ref().local_addr().unwrap();
            $block_on(async {
                // Connect everything first, so the timing covers only the requests.
                let mut clients = Vec::with_capacity(CONNECTIONS);
                let mut servers = Vec::with_capacity(CONNECTIONS);
                for i in 0..CONNECTIONS {
                    let (c, s) = futures::join!($connect(addr), listener.accept());
                    clients.push(client(c.unwrap(), i));
                    servers.push(serve(s.unwrap().0));
                }
                let start = Instant::now();
                // A server ends when its client, done, drops its stream.
                futures::join!(join_all(clients), join_all(servers));
                (CONNECTIONS * REQUESTS) as f64 / start.elapsed().as_secs_f64()
            })
        }};
    }

    /// On the simulator's default instance: the reactor is the process's, so every round uses one instance.
    fn ours() -> f64 {
        round!(
            wasix::rt::block_on,
            wasix::rt::Async::<wasix::net::TcpListener>::bind("127.0.0.1:0").unwrap(),
            wasix::rt::Async::<wasix::net::TcpStream>::connect
        )
    }

    fn theirs() -> f64 {
        round!(
            async_io::block_on,
            async_io::Async::<std::net::TcpListener>::bind(([127, 0, 0, 1], 0)).unwrap(),
            async_io::Async::<std::net::TcpStream>::connect
        )
    }

    pub fn main() {
        let (mut best_ours, mut best_theirs) = (0.0f64, 0.0f64);
        for _ in 0..ROUNDS {
            best_ours = best_ours.max(ours());
            best_theirs = best_theirs.max(theirs());
        }
        let ratio = best_ours / best_theirs;
        println!("| call | ns | baseline ns | ratio | target | |");
        println!("|---|---:|---:|---:|---:|---|");
        // The table's `ns` columns hold nanoseconds per request here (lower is better), the ratio is
        // requests per second (ours / theirs, higher is better).
        let mark = if ratio >= 0.80 { "met" } else { "missed" };
        println!(
            "| echo, {CONNECTIONS} connections, {SIZE} B requests, one thread (req/s {best_ours:.0} vs {best_theirs:.0}) | {:.1} | {:.1} | {ratio:.3} | 0.80 | {mark} |",
            1e9 / best_ours,
            1e9 / best_theirs
        );
    }
}
