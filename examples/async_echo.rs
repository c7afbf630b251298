//! An async TCP echo server and its clients on one thread, with `wasix::rt`: `clients` connections (1000
//! unless given) each make `requests` 64-byte requests (20 unless given) and check every echo; the program
//! prints the requests per second. Natively it runs on the simulator; built for `wasm32-wasip1` it runs on
//! Wasmer (`wasmer run --net`), which gives the `rt` benchmark's Wasmer figure.
//!
//! ```text
//! cargo run -p wasix-examples --bin async-echo -- 1000 20
//! cargo build -p wasix-examples --bin async-echo --target wasm32-wasip1 --release
//! wasmer run --net target/wasm32-wasip1/release/async-echo.wasm -- 1000 20
//! ```

use futures::future::join_all;
use futures::{AsyncReadExt, AsyncWriteExt};
use std::time::{Duration, Instant};
use wasix::net::{SocketAddr, TcpListener, TcpStream};
use wasix::rt::{block_on, timeout, Async};

const SIZE: usize = 64;

/// Echoes requests until the client closes its end.
async fn serve(stream: Async<TcpStream>) {
    let mut buf = [0; SIZE];
    while (&stream).read_exact(&mut buf).await.is_ok() {
        if (&stream).write_all(&buf).await.is_err() {
            break;
        }
    }
}

/// Connects and makes `requests` requests, checking each echo.
async fn client(addr: SocketAddr, i: usize, requests: usize) -> std::io::Result<()> {
    let mut stream = Async::<TcpStream>::connect(addr).await?;
    let request = [i as u8; SIZE];
    let mut got = [0; SIZE];
    for _ in 0..requests {
        stream.write_all(&request).await?;
        stream.read_exact(&mut got).await?;
        if got != request {
            return Err(std::io::Error::other(format!("client {i}: a wrong echo")));
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let clients = args.next().transpose().map_err(std::io::Error::other)?.unwrap_or(1000);
    let requests = args.next().transpose().map_err(std::io::Error::other)?.unwrap_or(20);
    let listener = Async::<TcpListener>::bind("127.0.0.1:0")?;
    let addr = listener.get_ref().local_addr()?;
    let start = Instant::now();
    let outcome = block_on(timeout(Duration::from_secs(120), async {
        let server = async {
            let mut sessions = Vec::with_capacity(clients);
            for _ in 0..clients {
                let (stream, _) = listener.accept().await?;
                sessions.push(serve(stream));
            }
            join_all(sessions).await;
            Ok::<_, wasix::io::Errno>(())
        };
        let all = join_all((0..clients).map(|i| client(addr, i, requests)));
        let (served, done) = futures::join!(server, all);
        served?;
        done.into_iter().collect::<std::io::Result<Vec<()>>>().map(drop)
    }))?;
    outcome?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{clients} connections x {requests} requests of {SIZE} B: {:.0} requests/s (connects included)",
        (clients * requests) as f64 / seconds
    );
    Ok(())
}
