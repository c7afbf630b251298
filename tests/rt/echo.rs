//! Echo over TCP (200 concurrent clients on one thread, IPv4 and IPv6), UDP datagrams, a refused
//! connection, pipes and event fds, all through `Async`.

use super::run;
use futures::future::join_all;
use futures::{AsyncReadExt, AsyncWriteExt};
use wasix::fd::EventFlags;
use wasix::io::Errno;
use wasix::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use wasix::rt::Async;

/// Clients of the echo test, all connected at once.
const CLIENTS: usize = 200;
/// Bytes each client sends, in several writes, so reads and writes interleave across clients.
const BYTES: usize = 4096;

/// The bytes client `i` sends: a pattern unique to it.
fn payload(i: usize) -> Vec<u8> {
    (0..BYTES).map(|k| (i * 31 + k * 7) as u8).collect()
}

/// Serves `count` connections of `listener` concurrently, echoing each until its client shuts down.
async fn serve(listener: &Async<TcpListener>, count: usize) {
    let mut sessions = Vec::new();
    for _ in 0..count {
        let (stream, _) = listener.accept().await.unwrap();
        sessions.push(async move {
            let mut buf = [0; 1024];
            loop {
                let n = (&stream).read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                (&stream).write_all(&buf[..n]).await.unwrap();
            }
        });
    }
    join_all(sessions).await;
}

/// Client `i`: connects, sends its payload in chunks while reading the echo, and checks every byte.
async fn client(addr: SocketAddr, i: usize) {
    let stream = Async::<TcpStream>::connect(addr).await.unwrap();
    let sent = payload(i);
    let write = async {
        for chunk in sent.chunks(1000) {
            (&stream).write_all(chunk).await.unwrap();
        }
        stream.get_ref().shutdown(wasix::net::Shutdown::Write).unwrap();
    };
    let read = async {
        let mut got = Vec::new();
        (&stream).read_to_end(&mut got).await.unwrap();
        got
    };
    let ((), got) = futures::join!(write, read);
    assert!(got == sent, "client {i}: the echo differs ({} bytes back of {})", got.len(), sent.len());
}

fn echo_on(at: &str) {
    let listener = Async::<TcpListener>::bind(at).unwrap();
    let addr = listener.get_ref().local_addr().unwrap();
    run(async {
        let clients = join_all((0..CLIENTS).map(|i| client(addr, i)));
        futures::join!(serve(&listener, CLIENTS), clients);
    });
}

#[test]
fn an_echo_server_serves_200_concurrent_clients_on_one_thread() {
    echo_on("127.0.0.1:0");
}

#[test]
fn the_echo_works_over_ipv6() {
    echo_on("[::1]:0");
}

#[test]
fn a_connection_to_a_closed_port_is_refused() {
    let addr = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    // The listener is closed: nothing listens on the port now.
    assert_eq!(run(Async::<TcpStream>::connect(addr)).err(), Some(Errno::CONNREFUSED));
}

#[test]
fn udp_datagrams_go_both_ways() {
    let a = Async::<UdpSocket>::bind("127.0.0.1:0").unwrap();
    let b = Async::<UdpSocket>::bind("127.0.0.1:0").unwrap();
    let (a_addr, b_addr) = (a.get_ref().local_addr().unwrap(), b.get_ref().local_addr().unwrap());
    run(async {
        let receive = async {
            let mut buf = [0; 16];
            let (n, from) = b.recv_from(&mut buf).await.unwrap();
            assert_eq!((&buf[..n], from), (&b"ping"[..], a_addr));
            assert_eq!(b.send_to(b"pong", from).await.unwrap(), 4);
        };
        let send = async {
            assert_eq!(a.send_to(b"ping", b_addr).await.unwrap(), 4);
            let mut buf = [0; 16];
            let (n, from) = a.recv_from(&mut buf).await.unwrap();
            assert_eq!((&buf[..n], from), (&b"pong"[..], b_addr));
        };
        futures::join!(receive, send);
    });
}

#[test]
fn a_pipe_carries_more_than_its_buffer() {
    let (reader, writer) = wasix::fd::pipe().unwrap();
    let (mut reader, mut writer) = (Async::new(reader).unwrap(), Async::new(writer).unwrap());
    // More than a pipe buffer holds: the writer must wait for the reader, on the same thread.
    let sent: Vec<u8> = (0..1 << 20).map(|k: u32| (k % 251) as u8).collect();
    let got = run(async {
        let write = async {
            writer.write_all(&sent).await.unwrap();
            drop(writer);
        };
        let read = async {
            let mut got = Vec::new();
            reader.read_to_end(&mut got).await.unwrap();
            got
        };
        futures::join!(write, read).1
    });
    assert!(got == sent, "{} bytes read of {}", got.len(), sent.len());
}

#[test]
fn an_event_fd_wakes_its_reader() {
    let counter = Async::new(wasix::fd::event(0, EventFlags::empty()).unwrap()).unwrap();
    let total = run(async {
        let read = counter.read_with(|c| c.read());
        let write = async {
            super::timer::yield_a_while().await;
            counter.get_ref().write(5).unwrap();
        };
        futures::join!(read, write).0
    });
    assert_eq!(total, Ok(5));
}
