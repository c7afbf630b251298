//! Other executors than `wasix::rt::block_on`: `futures::executor::block_on` and a `futures` thread pool,
//! with the reactor driven by its own thread (so only where there are threads).

use futures::executor::ThreadPool;
use futures::task::SpawnExt;
use futures::{AsyncReadExt, AsyncWriteExt};
use std::time::{Duration, Instant};
use wasix::net::{TcpListener, TcpStream};
use wasix::rt::{sleep, timeout, Async};

#[test]
#[cfg_attr(
    target_family = "wasm",
    ignore = "needs the reactor's driver thread, so threads (futures' block_on parks its only thread until a wake: \
              without threads use wasix::rt::block_on): wasm32-wasip1-threads with --include-ignored"
)]
fn futures_block_on_drives_timers_and_pipes() {
    let (reader, writer) = wasix::fd::pipe().unwrap();
    let (mut reader, mut writer) = (Async::new(reader).unwrap(), Async::new(writer).unwrap());
    let start = Instant::now();
    let got = futures::executor::block_on(timeout(super::PATIENCE, async {
        let read = async {
            let mut buf = [0; 3];
            reader.read_exact(&mut buf).await.unwrap();
            buf
        };
        let write = async {
            sleep(Duration::from_millis(20)).await;
            writer.write_all(b"abc").await.unwrap();
        };
        futures::join!(read, write).0
    }))
    .unwrap();
    assert_eq!(&got, b"abc");
    assert!(start.elapsed() >= Duration::from_millis(20));
}

#[test]
#[cfg_attr(
    target_family = "wasm",
    ignore = "needs threads (the pool's and the reactor's driver): wasm32-wasip1-threads with --include-ignored"
)]
fn a_thread_pool_serves_connections_on_several_threads() {
    let pool = ThreadPool::builder().pool_size(2).create().unwrap();
    let listener = Async::<TcpListener>::bind("127.0.0.1:0").unwrap();
    let addr = listener.get_ref().local_addr().unwrap();
    let server = pool
        .spawn_with_handle(async move {
            for _ in 0..8 {
                let (mut stream, _) = listener.accept().await.unwrap();
                let mut buf = [0; 5];
                stream.read_exact(&mut buf).await.unwrap();
                stream.write_all(&buf).await.unwrap();
            }
        })
        .unwrap();
    let clients: Vec<_> = (0..8u8)
        .map(|i| {
            pool.spawn_with_handle(async move {
                let mut stream = Async::<TcpStream>::connect(addr).await.unwrap();
                let sent = [i; 5];
                stream.write_all(&sent).await.unwrap();
                let mut got = [0; 5];
                stream.read_exact(&mut got).await.unwrap();
                assert_eq!(got, sent);
            })
            .unwrap()
        })
        .collect();
    futures::executor::block_on(timeout(super::PATIENCE, async {
        futures::future::join_all(clients).await;
        server.await;
    }))
    .unwrap();
}

#[test]
#[cfg_attr(
    all(target_family = "wasm", not(target_feature = "atomics")),
    ignore = "needs threads: wasm32-wasip1-threads with --include-ignored"
)]
fn a_task_of_another_thread_wakes_a_block_on() {
    // The wake comes from a thread that does not drive the reactor: it must interrupt the `poll_oneoff` of
    // the `block_on` waiting for it.
    let (sender, receiver) = futures::channel::oneshot::channel();
    let thread = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        sender.send(7).unwrap();
    });
    let start = Instant::now();
    assert_eq!(super::run(receiver), Ok(7));
    assert!(start.elapsed() < Duration::from_secs(5));
    thread.join().unwrap();
}
