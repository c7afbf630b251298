//! TCP, as std's `net` has it: [`TcpListener`] and [`TcpStream`].

use super::lookup::{each_addr, ToSocketAddrs};
use super::socket::{connect_timeout, sdflags, set_nonblocking, set_timeout, take_error};
use super::{addr, sys};
use crate::fd::{self, owned_fd_newtype, AsFd, Fdflags, OwnedFd};
use crate::io::{Errno, Result};
use core::time::Duration;
use std::io::IoSliceMut;
use std::net::{Shutdown, SocketAddr};
use wasix_sys::{Riflags, SockOption, SockProto, SockType};

/// The backlog [`TcpListener::bind`] listens with, as std's.
const BACKLOG: u32 = 128;

/// A TCP socket listening for connections.
///
/// ```
/// use std::io::{Read, Write};
/// use wasix::net::{TcpListener, TcpStream};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let listener = TcpListener::bind("127.0.0.1:0").unwrap();
///     let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
///     let (mut server, _peer) = listener.accept().unwrap();
///     client.write_all(b"ping").unwrap();
///     let mut got = [0; 4];
///     server.read_exact(&mut got).unwrap();
///     assert_eq!(&got, b"ping");
/// });
/// ```
///
/// # References
/// - std's `TcpListener`
/// - [`wasix_sys::sock_open`], [`wasix_sys::sock_bind`], [`wasix_sys::sock_listen`],
///   [`wasix_sys::sock_accept`]
#[derive(Debug)]
pub struct TcpListener {
    fd: OwnedFd,
}

/// A TCP connection; [`std::io::Read`] and [`std::io::Write`] receive and send on it (also through `&`).
///
/// # References
/// - std's `TcpStream`
/// - [`wasix_sys::sock_connect`], [`wasix_sys::sock_recv`], [`wasix_sys::sock_send`],
///   [`wasix_sys::sock_shutdown`]
#[derive(Debug)]
pub struct TcpStream {
    fd: OwnedFd,
}

owned_fd_newtype!(TcpListener, TcpStream);

/// A new TCP socket of `addr`'s family.
fn tcp_socket(addr: &SocketAddr) -> Result<OwnedFd> {
    sys::open(addr::family(addr), SockType::SOCKET_STREAM, SockProto::TCP)
}

impl TcpListener {
    /// `sock_open`, `sock_bind`, `sock_listen`—A listener on the first of `addrs` it can bind to.
    #[doc(alias = "sock_bind", alias = "sock_listen")]
    pub fn bind<A: ToSocketAddrs>(addrs: A) -> Result<TcpListener> {
        each_addr(addrs, |addr| {
            let fd = tcp_socket(addr)?;
            sys::bind(fd.as_fd(), addr)?;
            sys::listen(fd.as_fd(), BACKLOG)?;
            Ok(TcpListener { fd })
        })
    }

    /// `sock_accept`—The next connection and its peer's address; the stream blocks whatever the listener
    /// does.
    #[doc(alias = "sock_accept")]
    pub fn accept(&self) -> Result<(TcpStream, SocketAddr)> {
        sys::accept(self.as_fd(), Fdflags::empty()).map(|(fd, peer)| (TcpStream { fd }, peer))
    }

    /// The connections as they come, forever ([`accept`](Self::accept) in a loop).
    pub fn incoming(&self) -> Incoming<'_> {
        Incoming { listener: self }
    }

    /// `sock_addr_local`—The address the listener is bound to.
    #[doc(alias = "sock_addr_local")]
    pub fn local_addr(&self) -> Result<SocketAddr> {
        sys::addr_local(self.as_fd())
    }

    /// `fd_fdstat_set_flags`—Makes `accept` fail with `AGAIN` instead of waiting, or wait again.
    #[doc(alias = "fd_fdstat_set_flags")]
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<()> {
        set_nonblocking(self.as_fd(), nonblocking)
    }

    /// `sock_set_opt_size(ttl)`.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        sys::set_size(self.as_fd(), SockOption::TTL, u64::from(ttl))
    }

    /// `sock_get_opt_size(ttl)`.
    pub fn ttl(&self) -> Result<u32> {
        u32::try_from(sys::get_size(self.as_fd(), SockOption::TTL)?).map_err(|_| Errno::OVERFLOW)
    }

    /// `sock_get_opt_size(last_error)`—The pending error, taken.
    pub fn take_error(&self) -> Result<Option<Errno>> {
        take_error(self.as_fd())
    }

    /// `fd_dup`—Another fd for the same listener.
    #[doc(alias = "fd_dup")]
    pub fn try_clone(&self) -> Result<TcpListener> {
        fd::dup(self).map(TcpListener::from)
    }
}

/// The connections of a [`TcpListener`], from [`TcpListener::incoming`]; it never ends.
#[derive(Debug)]
pub struct Incoming<'a> {
    listener: &'a TcpListener,
}

impl Iterator for Incoming<'_> {
    type Item = Result<TcpStream>;

    fn next(&mut self) -> Option<Result<TcpStream>> {
        Some(self.listener.accept().map(|(stream, _)| stream))
    }
}

impl TcpStream {
    /// `sock_open`, `sock_connect`—A connection to the first of `addrs` that accepts one.
    #[doc(alias = "sock_connect")]
    pub fn connect<A: ToSocketAddrs>(addrs: A) -> Result<TcpStream> {
        each_addr(addrs, |addr| {
            let fd = tcp_socket(addr)?;
            sys::connect(fd.as_fd(), addr)?;
            Ok(TcpStream { fd })
        })
    }

    /// A connection to `addr` that gives up with `TIMEDOUT` after `timeout` (`INVAL` for zero).
    pub fn connect_timeout(addr: &SocketAddr, timeout: Duration) -> Result<TcpStream> {
        let fd = tcp_socket(addr)?;
        connect_timeout(fd.as_fd(), addr, timeout)?;
        Ok(TcpStream { fd })
    }

    /// `sock_addr_peer`—The address of the other end.
    #[doc(alias = "sock_addr_peer")]
    pub fn peer_addr(&self) -> Result<SocketAddr> {
        sys::addr_peer(self.as_fd())
    }

    /// `sock_addr_local`—This end's address.
    #[doc(alias = "sock_addr_local")]
    pub fn local_addr(&self) -> Result<SocketAddr> {
        sys::addr_local(self.as_fd())
    }

    /// `sock_shutdown`—Shuts down reading, writing or both (after `Write` the peer reads the end).
    #[doc(alias = "sock_shutdown")]
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        sys::shutdown(self.as_fd(), sdflags(how))
    }

    /// `sock_send_file`—Sends all of `count` bytes of `file` from `offset` (fewer only at the file's end),
    /// without moving the file's own offset; the count sent.
    #[doc(alias = "sock_send_file", alias = "sendfile")]
    pub fn send_file(&self, file: impl AsFd, offset: u64, count: u64) -> Result<u64> {
        let mut sent = 0;
        while sent < count {
            match sys::send_file(self.as_fd(), file.as_fd(), offset + sent, count - sent)? {
                0 => break,
                n => sent += n,
            }
        }
        Ok(sent)
    }

    /// `sock_recv(recv_peek)`—Reads without taking the bytes.
    pub fn peek(&self, buf: &mut [u8]) -> Result<usize> {
        sys::recv(self.as_fd(), &mut [IoSliceMut::new(buf)], Riflags::RECV_PEEK).map(|(n, _)| n)
    }

    /// `sock_set_opt_time(recv_timeout)`—How long a read waits before failing with `AGAIN` (`None`: no
    /// limit; `INVAL` for zero).
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        set_timeout(self.as_fd(), SockOption::RECV_TIMEOUT, timeout)
    }

    /// `sock_get_opt_time(recv_timeout)`.
    pub fn read_timeout(&self) -> Result<Option<Duration>> {
        sys::get_time(self.as_fd(), SockOption::RECV_TIMEOUT)
    }

    /// `sock_set_opt_time(send_timeout)`—How long a write waits before failing with `AGAIN`.
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        set_timeout(self.as_fd(), SockOption::SEND_TIMEOUT, timeout)
    }

    /// `sock_get_opt_time(send_timeout)`.
    pub fn write_timeout(&self) -> Result<Option<Duration>> {
        sys::get_time(self.as_fd(), SockOption::SEND_TIMEOUT)
    }

    /// `sock_set_opt_flag(no_delay)`—Sends small writes at once (no Nagle).
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::NO_DELAY, nodelay)
    }

    /// `sock_get_opt_flag(no_delay)`.
    pub fn nodelay(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::NO_DELAY)
    }

    /// `sock_set_opt_size(ttl)`.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        sys::set_size(self.as_fd(), SockOption::TTL, u64::from(ttl))
    }

    /// `sock_get_opt_size(ttl)`.
    pub fn ttl(&self) -> Result<u32> {
        u32::try_from(sys::get_size(self.as_fd(), SockOption::TTL)?).map_err(|_| Errno::OVERFLOW)
    }

    /// `fd_fdstat_set_flags`—Makes reads and writes that would wait fail with `AGAIN`, or wait again.
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<()> {
        set_nonblocking(self.as_fd(), nonblocking)
    }

    /// `sock_get_opt_size(last_error)`—The pending error, taken.
    pub fn take_error(&self) -> Result<Option<Errno>> {
        take_error(self.as_fd())
    }

    /// `fd_dup`—Another fd for the same connection.
    #[doc(alias = "fd_dup")]
    pub fn try_clone(&self) -> Result<TcpStream> {
        fd::dup(self).map(TcpStream::from)
    }
}

super::socket::impl_stream_io!(TcpStream);
