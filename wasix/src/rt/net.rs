//! Sockets in an [`Async`]: accepting and connecting TCP without blocking the thread, and UDP datagrams.
//! Reads and writes of a stream go through `AsyncRead`/`AsyncWrite`.

use super::Async;
use crate::fd::OwnedFd;
use crate::io::{Errno, Result};
use crate::net::{AddressFamily, SockProto, SockStatus, SockType, Socket, SocketAddr, TcpListener, TcpStream};
use crate::net::{ToSocketAddrs, UdpSocket};

impl Async<TcpListener> {
    /// A listener bound to the first of `addrs` that works, registered with the reactor.
    pub fn bind<A: ToSocketAddrs>(addrs: A) -> Result<Async<TcpListener>> {
        Async::new(TcpListener::bind(addrs)?)
    }

    /// Waits for a connection and accepts it: the stream (registered too) and the peer's address.
    pub async fn accept(&self) -> Result<(Async<TcpStream>, SocketAddr)> {
        let (stream, peer) = self.read_with(TcpListener::accept).await?;
        Ok((Async::new(stream)?, peer))
    }
}

impl Async<TcpStream> {
    /// `sock_connect` without blocking: a connection to `addr`, waiting for it to be made (its error, such
    /// as `CONNREFUSED`, if it fails).
    ///
    /// ```
    /// use futures::{AsyncReadExt, AsyncWriteExt};
    /// use wasix::net::{TcpListener, TcpStream};
    /// use wasix::rt::{block_on, Async};
    ///
    /// wasix::sim::Config::new().build().unwrap().run(|| {
    ///     let listener = Async::<TcpListener>::bind("127.0.0.1:0").unwrap();
    ///     let addr = listener.get_ref().local_addr().unwrap();
    ///     block_on(async {
    ///         let server = async {
    ///             let (mut stream, _) = listener.accept().await.unwrap();
    ///             let mut got = [0; 4];
    ///             stream.read_exact(&mut got).await.unwrap();
    ///             stream.write_all(&got).await.unwrap();
    ///         };
    ///         let client = async {
    ///             let mut stream = Async::<TcpStream>::connect(addr).await.unwrap();
    ///             stream.write_all(b"ping").await.unwrap();
    ///             let mut got = [0; 4];
    ///             stream.read_exact(&mut got).await.unwrap();
    ///             got
    ///         };
    ///         assert_eq!(&futures::join!(server, client).1, b"ping");
    ///     });
    /// });
    /// ```
    pub async fn connect(addr: SocketAddr) -> Result<Async<TcpStream>> {
        let family = if addr.is_ipv4() { AddressFamily::INET4 } else { AddressFamily::INET6 };
        let socket = Async::new(Socket::new(family, SockType::SOCKET_STREAM, SockProto::TCP)?)?;
        match socket.get_ref().connect(&addr) {
            Ok(()) | Err(Errno::INPROGRESS | Errno::AGAIN | Errno::ALREADY) => {}
            Err(e) => return Err(e),
        }
        loop {
            let status = socket.get_ref().status()?;
            if status == SockStatus::OPENED {
                break;
            }
            if status == SockStatus::FAILED {
                return Err(socket.get_ref().take_error()?.unwrap_or(Errno::CONNREFUSED));
            }
            socket.writable().await?;
        }
        Async::new(TcpStream::from(OwnedFd::from(socket.into_inner())))
    }
}

impl Async<UdpSocket> {
    /// A UDP socket bound to the first of `addrs` that works, registered with the reactor.
    pub fn bind<A: ToSocketAddrs>(addrs: A) -> Result<Async<UdpSocket>> {
        Async::new(UdpSocket::bind(addrs)?)
    }

    /// Waits until `buf` can be sent to `addr` as one datagram, and sends it; the count sent.
    pub async fn send_to(&self, buf: &[u8], addr: SocketAddr) -> Result<usize> {
        self.write_with(|s| s.send_to(buf, addr)).await
    }

    /// Waits for a datagram and receives it: the count received (the rest of a longer datagram is lost)
    /// and the sender's address.
    pub async fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        self.read_with(|s| s.recv_from(buf)).await
    }

    /// Sends one datagram to the connected peer.
    pub async fn send(&self, buf: &[u8]) -> Result<usize> {
        self.write_with(|s| s.send(buf)).await
    }

    /// Receives one datagram from the connected peer.
    pub async fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        self.read_with(|s| s.recv(buf)).await
    }
}
