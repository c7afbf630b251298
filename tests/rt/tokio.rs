//! Unpatched upstream tokio (`rt`, `net`, `io-util`, `time`) on `wasi`, driving sockets that `wasix::net`
//! created and handed over through std (`From<wasix::net::TcpListener> for std::net::TcpListener`, then
//! tokio's `from_std`). Tokio's reactor (mio's wasip1 backend) polls through `poll_oneoff` on its own.
//!
//! Where it stops on Wasmer 7.4.2: the tasks here are joined inside the runtime's `block_on` future, not
//! `tokio::spawn`ed. With spawned tasks the current-thread scheduler also parks with a zero timeout
//! (`park_yield`, between task batches), which mio's wasip1 backend passes to `poll_oneoff` as a relative
//! clock of 0 ns, and Wasmer 7.4.2 takes a relative 0 as "no timeout": the runtime then sleeps until some
//! fd event comes, and an echo whose peers wait on each other hangs. Our host profile fixes that quirk for
//! calls made through `wasix`, but mio calls the `wasi` import directly.

use futures::future::join_all;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Clients of the echo, all at once on tokio's current-thread runtime.
const CLIENTS: usize = 50;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn tokio_echoes_over_a_wasix_listener() {
    let listener = wasix::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    runtime().block_on(async {
        let listener = tokio::net::TcpListener::from_std(std::net::TcpListener::from(listener)).unwrap();
        let server = async {
            let mut sessions = Vec::new();
            for _ in 0..CLIENTS {
                let (mut stream, _) = listener.accept().await.unwrap();
                sessions.push(async move {
                    let mut buf = [0; 256];
                    loop {
                        let n = stream.read(&mut buf).await.unwrap();
                        if n == 0 {
                            break;
                        }
                        stream.write_all(&buf[..n]).await.unwrap();
                    }
                });
            }
            join_all(sessions).await;
        };
        let clients = join_all((0..CLIENTS).map(|i| async move {
            // A stream `wasix::net` connected, handed to tokio as well.
            let stream = wasix::net::TcpStream::connect(addr).unwrap();
            stream.set_nonblocking(true).unwrap();
            let mut stream = tokio::net::TcpStream::from_std(std::net::TcpStream::from(stream)).unwrap();
            let sent: Vec<u8> = (0..1000).map(|k| (i * 13 + k) as u8).collect();
            stream.write_all(&sent).await.unwrap();
            stream.shutdown().await.unwrap();
            let mut got = Vec::new();
            stream.read_to_end(&mut got).await.unwrap();
            assert!(got == sent, "client {i}: the echo differs");
        }));
        tokio::time::timeout(super::PATIENCE, async { tokio::join!(server, clients) })
            .await
            .expect("the echo did not finish in time");
    });
}

#[test]
fn tokio_sleeps_on_wasi() {
    let start = std::time::Instant::now();
    runtime().block_on(async { tokio::time::sleep(Duration::from_millis(20)).await });
    assert!(start.elapsed() >= Duration::from_millis(20));
}
