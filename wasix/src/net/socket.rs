//! [`Socket`]: a socket of any family, type and protocol the host serves, with every call of the ABI, as
//! socket2's `Socket`; the std-like types ([`TcpStream`](super::TcpStream), …) are built the same way for
//! one kind each.

use super::sys;
use crate::fd::{self, owned_fd_newtype, AsFd, BorrowedFd, Fdflags, OwnedFd};
use crate::io::{Errno, Result};
use crate::poll::{EventType, Poll};
use crate::time::Clock;
use core::time::Duration;
use std::io::{IoSlice, IoSliceMut};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr};
use std::time::Instant;
use wasix_sys::{AddressFamily, Riflags, Roflags, Sdflags, SockOption, SockProto, SockStatus, SockType};

/// A socket: what `sock_open` returns, closed when dropped. [`std::io::Read`] and [`std::io::Write`]
/// receive and send on it (also through `&`); it converts to and from the std-like types.
///
/// ```
/// use wasix::net::{AddressFamily, SockProto, SockType, Socket};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let socket = Socket::new(AddressFamily::INET4, SockType::SOCKET_STREAM, SockProto::IP).unwrap();
///     socket.set_nodelay(true).unwrap();
///     socket.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
///     socket.listen(16).unwrap();
///     assert_ne!(socket.local_addr().unwrap().port(), 0);
/// });
/// ```
///
/// # References
/// - socket2's `Socket`
/// - [`wasix_sys::sock_open`] and the other `sock_*` functions
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
}

owned_fd_newtype!(Socket);
impl_stream_io!(Socket);

/// Implements [`std::io::Read`] (one `sock_recv`) and [`std::io::Write`] (one `sock_send`) for a socket
/// type and its shared reference, as std does for `TcpStream`; writes are unbuffered, so there is nothing
/// to flush.
macro_rules! impl_stream_io {
    ($ty:ty) => {
        impl std::io::Read for &$ty {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.read_vectored(&mut [std::io::IoSliceMut::new(buf)])
            }

            fn read_vectored(&mut self, bufs: &mut [std::io::IoSliceMut<'_>]) -> std::io::Result<usize> {
                let fd = $crate::fd::AsFd::as_fd(*self);
                Ok($crate::net::sys::recv(fd, bufs, wasix_sys::Riflags::empty()).map(|(n, _)| n)?)
            }
        }

        impl std::io::Write for &$ty {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.write_vectored(&[std::io::IoSlice::new(buf)])
            }

            fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
                Ok($crate::net::sys::send($crate::fd::AsFd::as_fd(*self), bufs, 0)?)
            }

            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }

        impl std::io::Read for $ty {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                (&*self).read(buf)
            }

            fn read_vectored(&mut self, bufs: &mut [std::io::IoSliceMut<'_>]) -> std::io::Result<usize> {
                (&*self).read_vectored(bufs)
            }
        }

        impl std::io::Write for $ty {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                (&*self).write(buf)
            }

            fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
                (&*self).write_vectored(bufs)
            }

            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
    };
}

pub(crate) use impl_stream_io;

/// Converts between [`Socket`] and the std-like types (the same fd, as socket2's conversions).
macro_rules! socket_conversions {
    ($($ty:ty),*) => {$(
        impl From<Socket> for $ty {
            /// Takes over the socket; its kind is not checked.
            fn from(socket: Socket) -> Self {
                <$ty>::from(OwnedFd::from(socket))
            }
        }

        impl From<$ty> for Socket {
            fn from(value: $ty) -> Self {
                Socket::from(OwnedFd::from(value))
            }
        }
    )*};
}

socket_conversions!(super::TcpListener, super::TcpStream, super::UdpSocket);

/// Sets or clears `NONBLOCK` in an fd's flags, keeping the others.
pub(crate) fn set_nonblocking(fd: BorrowedFd<'_>, nonblocking: bool) -> Result<()> {
    let mut flags = fd::fdstat(fd)?.flags;
    flags.set(Fdflags::NONBLOCK, nonblocking);
    fd::set_flags(fd, flags)
}

/// A connection to `to` that gives up after `timeout` (`INVAL` for a zero timeout, `TIMEDOUT` when it
/// passes): a non-blocking `sock_connect`, then `poll_oneoff` until the socket is writable, and
/// `sock_status` (with `last_error` on failure) for the outcome. The fd's flags are restored.
pub(crate) fn connect_timeout(fd: BorrowedFd<'_>, to: &SocketAddr, timeout: Duration) -> Result<()> {
    if timeout.is_zero() {
        return Err(Errno::INVAL);
    }
    let flags = fd::fdstat(fd)?.flags;
    fd::set_flags(fd, flags | Fdflags::NONBLOCK)?;
    let outcome = connect_within(fd, to, timeout);
    fd::set_flags(fd, flags)?;
    outcome
}

fn connect_within(fd: BorrowedFd<'_>, to: &SocketAddr, timeout: Duration) -> Result<()> {
    match sys::connect(fd, to) {
        Ok(()) => return Ok(()),
        Err(Errno::INPROGRESS | Errno::AGAIN | Errno::ALREADY) => {}
        Err(e) => return Err(e),
    }
    let deadline = Instant::now() + timeout;
    loop {
        match sys::status(fd)? {
            SockStatus::OPENED => return Ok(()),
            SockStatus::FAILED => return Err(take_error(fd)?.unwrap_or(Errno::CONNREFUSED)),
            _ => {}
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Errno::TIMEDOUT);
        }
        let mut poll = Poll::new();
        poll.writable(fd, 0).clock(Clock::MONOTONIC, left, 1);
        let events = poll.wait()?;
        if let Some(e) = events.iter().find(|e| e.kind() == EventType::FD_WRITE).and_then(|e| e.error()) {
            return Err(e);
        }
    }
}

/// `sock_get_opt_size(last_error)`: the socket's pending error, taken.
pub(crate) fn take_error(fd: BorrowedFd<'_>) -> Result<Option<Errno>> {
    let raw = sys::get_size(fd, SockOption::LAST_ERROR)?;
    let errno = u16::try_from(raw).map_err(|_| Errno::INVAL)?;
    Ok(Some(Errno::from_raw(errno)).filter(|&e| e != Errno::SUCCESS))
}

/// A time option as the `Option<Duration>` std's timeouts use (`INVAL` for `Some(0)`, as std refuses it).
pub(crate) fn set_timeout(fd: BorrowedFd<'_>, opt: SockOption, time: Option<Duration>) -> Result<()> {
    if time.is_some_and(|d| d.is_zero()) {
        return Err(Errno::INVAL);
    }
    sys::set_time(fd, opt, time)
}

/// The `sdflags` of std's `Shutdown`.
#[inline]
pub(crate) fn sdflags(how: Shutdown) -> Sdflags {
    match how {
        Shutdown::Read => Sdflags::RD,
        Shutdown::Write => Sdflags::WR,
        Shutdown::Both => Sdflags::RD | Sdflags::WR,
    }
}

/// A size option as a `usize`, `OVERFLOW` when it does not fit.
#[inline]
pub(crate) fn size(raw: u64) -> Result<usize> {
    usize::try_from(raw).map_err(|_| Errno::OVERFLOW)
}

/// Creating, connecting, sending and receiving.
impl Socket {
    /// `sock_open(domain, ty, protocol)`—A new socket; `SockProto::IP` picks the type's protocol.
    ///
    /// An address family other than `INET4` and `INET6` is `AFNOSUPPORT` (or `INVAL` when the seed names
    /// no such family), a type other than `SOCKET_STREAM` and `SOCKET_DGRAM` `NOTSUP` (or `INVAL`).
    #[doc(alias = "sock_open", alias = "socket")]
    pub fn new(domain: AddressFamily, ty: SockType, protocol: SockProto) -> Result<Socket> {
        sys::open(domain, ty, protocol).map(Socket::from)
    }

    /// `sock_bind`—Binds the socket to a local address (port 0: one the host picks).
    #[doc(alias = "sock_bind")]
    pub fn bind(&self, addr: &SocketAddr) -> Result<()> {
        sys::bind(self.as_fd(), addr)
    }

    /// `sock_listen`—Listens for connections, queueing up to `backlog` (`NOTSUP` for datagram sockets).
    #[doc(alias = "sock_listen")]
    pub fn listen(&self, backlog: u32) -> Result<()> {
        sys::listen(self.as_fd(), backlog)
    }

    /// `sock_accept`—The next connection and its peer's address (blocking, as the new socket is).
    #[doc(alias = "sock_accept")]
    pub fn accept(&self) -> Result<(Socket, SocketAddr)> {
        sys::accept(self.as_fd(), Fdflags::empty()).map(|(fd, peer)| (Socket::from(fd), peer))
    }

    /// `sock_connect`—Connects to `addr` (`INPROGRESS` on a non-blocking socket while it is under way).
    #[doc(alias = "sock_connect")]
    pub fn connect(&self, addr: &SocketAddr) -> Result<()> {
        sys::connect(self.as_fd(), addr)
    }

    /// Connects to `addr`, giving up with `TIMEDOUT` after `timeout` (a non-blocking `sock_connect`,
    /// then `poll_oneoff`).
    pub fn connect_timeout(&self, addr: &SocketAddr, timeout: Duration) -> Result<()> {
        connect_timeout(self.as_fd(), addr, timeout)
    }

    /// `sock_send`—Sends bytes; the count sent.
    #[doc(alias = "sock_send")]
    pub fn send(&self, buf: &[u8]) -> Result<usize> {
        sys::send(self.as_fd(), &[IoSlice::new(buf)], 0)
    }

    /// `sock_send`—Sends from several buffers in turn.
    #[doc(alias = "sock_send")]
    pub fn send_vectored(&self, bufs: &[IoSlice<'_>]) -> Result<usize> {
        sys::send(self.as_fd(), bufs, 0)
    }

    /// `sock_send_file`—Sends up to `count` bytes of `file` from `offset`, without moving the file's own
    /// offset; the count sent (less than asked at the end of the file, or on a non-blocking socket whose
    /// buffer filled).
    ///
    /// # References
    /// - [`wasix_sys::sock_send_file`]
    /// - Linux `sendfile`
    #[doc(alias = "sock_send_file", alias = "sendfile")]
    pub fn send_file(&self, file: impl AsFd, offset: u64, count: u64) -> Result<u64> {
        sys::send_file(self.as_fd(), file.as_fd(), offset, count)
    }

    /// `sock_send_to`—Sends a datagram to `addr`.
    #[doc(alias = "sock_send_to")]
    pub fn send_to(&self, buf: &[u8], addr: &SocketAddr) -> Result<usize> {
        sys::send_to(self.as_fd(), &[IoSlice::new(buf)], 0, addr)
    }

    /// `sock_recv`—Receives bytes; the count received (0 at the end of a stream).
    #[doc(alias = "sock_recv")]
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(buf, Riflags::empty()).map(|(n, _)| n)
    }

    /// `sock_recv`—Receives into several buffers in turn.
    #[doc(alias = "sock_recv")]
    pub fn recv_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> Result<(usize, Roflags)> {
        sys::recv(self.as_fd(), bufs, Riflags::empty())
    }

    /// `sock_recv` with `flags` (`RECV_PEEK`, `RECV_WAITALL`); the output flags say whether a datagram
    /// was truncated.
    #[doc(alias = "sock_recv")]
    pub fn recv_with_flags(&self, buf: &mut [u8], flags: Riflags) -> Result<(usize, Roflags)> {
        sys::recv(self.as_fd(), &mut [IoSliceMut::new(buf)], flags)
    }

    /// `sock_recv(recv_peek)`—Receives bytes without taking them from the queue.
    #[doc(alias = "sock_recv")]
    pub fn peek(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(buf, Riflags::RECV_PEEK).map(|(n, _)| n)
    }

    /// `sock_recv_from`—Receives a datagram and its sender's address.
    #[doc(alias = "sock_recv_from")]
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        sys::recv_from(self.as_fd(), &mut [IoSliceMut::new(buf)], Riflags::empty()).map(|(n, _, from)| (n, from))
    }

    /// `sock_recv_from(recv_peek)`—[`recv_from`](Self::recv_from) without taking the datagram.
    #[doc(alias = "sock_recv_from")]
    pub fn peek_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        sys::recv_from(self.as_fd(), &mut [IoSliceMut::new(buf)], Riflags::RECV_PEEK).map(|(n, _, from)| (n, from))
    }

    /// `sock_shutdown`—Shuts down one or both directions.
    #[doc(alias = "sock_shutdown")]
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        sys::shutdown(self.as_fd(), sdflags(how))
    }

    /// `sock_addr_local`—The address the socket is bound to.
    #[doc(alias = "sock_addr_local", alias = "getsockname")]
    pub fn local_addr(&self) -> Result<SocketAddr> {
        sys::addr_local(self.as_fd())
    }

    /// `sock_addr_peer`—The address of the connected peer (`NOTCONN` if none).
    #[doc(alias = "sock_addr_peer", alias = "getpeername")]
    pub fn peer_addr(&self) -> Result<SocketAddr> {
        sys::addr_peer(self.as_fd())
    }

    /// `sock_status`—Whether the socket is opening, open, closed or failed.
    #[doc(alias = "sock_status")]
    pub fn status(&self) -> Result<SockStatus> {
        sys::status(self.as_fd())
    }

    /// `fd_fdstat_set_flags`—Makes calls that would block fail with `AGAIN` instead, or block again.
    #[doc(alias = "fd_fdstat_set_flags")]
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<()> {
        set_nonblocking(self.as_fd(), nonblocking)
    }

    /// `fd_dup`—Another socket fd for the same socket.
    #[doc(alias = "fd_dup")]
    pub fn try_clone(&self) -> Result<Socket> {
        fd::dup(self).map(Socket::from)
    }
}

/// Options at the socket level (POSIX `SOL_SOCKET`).
impl Socket {
    /// `sock_get_opt_size(type)`—The socket's type.
    #[doc(alias = "SO_TYPE")]
    pub fn r#type(&self) -> Result<SockType> {
        let raw = sys::get_size(self.as_fd(), SockOption::TYPE)?;
        u8::try_from(raw).map(SockType::from_raw).map_err(|_| Errno::INVAL)
    }

    /// `sock_get_opt_size(last_error)`—The pending error, taken (`None` if there is none).
    #[doc(alias = "SO_ERROR")]
    pub fn take_error(&self) -> Result<Option<Errno>> {
        take_error(self.as_fd())
    }

    /// `sock_get_opt_flag(reuse_addr)`.
    #[doc(alias = "SO_REUSEADDR")]
    pub fn reuse_address(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::REUSE_ADDR)
    }

    /// `sock_set_opt_flag(reuse_addr)`—Lets the socket bind to an address still in use by one closing.
    #[doc(alias = "SO_REUSEADDR")]
    pub fn set_reuse_address(&self, reuse: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::REUSE_ADDR, reuse)
    }

    /// `sock_get_opt_flag(reuse_port)`.
    #[doc(alias = "SO_REUSEPORT")]
    pub fn reuse_port(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::REUSE_PORT)
    }

    /// `sock_set_opt_flag(reuse_port)`—Lets several sockets bind to the same port.
    #[doc(alias = "SO_REUSEPORT")]
    pub fn set_reuse_port(&self, reuse: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::REUSE_PORT, reuse)
    }

    /// `sock_get_opt_flag(keep_alive)`.
    #[doc(alias = "SO_KEEPALIVE")]
    pub fn keepalive(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::KEEP_ALIVE)
    }

    /// `sock_set_opt_flag(keep_alive)`—Sends keep-alive probes on an idle connection.
    #[doc(alias = "SO_KEEPALIVE")]
    pub fn set_keepalive(&self, keepalive: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::KEEP_ALIVE, keepalive)
    }

    /// `sock_get_opt_flag(broadcast)`.
    #[doc(alias = "SO_BROADCAST")]
    pub fn broadcast(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::BROADCAST)
    }

    /// `sock_set_opt_flag(broadcast)`—Lets a datagram socket send to broadcast addresses.
    #[doc(alias = "SO_BROADCAST")]
    pub fn set_broadcast(&self, broadcast: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::BROADCAST, broadcast)
    }

    /// `sock_get_opt_size(recv_buf_size)`.
    #[doc(alias = "SO_RCVBUF")]
    pub fn recv_buffer_size(&self) -> Result<usize> {
        size(sys::get_size(self.as_fd(), SockOption::RECV_BUF_SIZE)?)
    }

    /// `sock_set_opt_size(recv_buf_size)`—The size of the receive buffer (the host may round it).
    #[doc(alias = "SO_RCVBUF")]
    pub fn set_recv_buffer_size(&self, size: usize) -> Result<()> {
        sys::set_size(self.as_fd(), SockOption::RECV_BUF_SIZE, size as u64)
    }

    /// `sock_get_opt_size(send_buf_size)`.
    #[doc(alias = "SO_SNDBUF")]
    pub fn send_buffer_size(&self) -> Result<usize> {
        size(sys::get_size(self.as_fd(), SockOption::SEND_BUF_SIZE)?)
    }

    /// `sock_set_opt_size(send_buf_size)`—The size of the send buffer (the host may round it).
    #[doc(alias = "SO_SNDBUF")]
    pub fn set_send_buffer_size(&self, size: usize) -> Result<()> {
        sys::set_size(self.as_fd(), SockOption::SEND_BUF_SIZE, size as u64)
    }

    /// `sock_get_opt_time(recv_timeout)`—`None`: receives block without limit.
    #[doc(alias = "SO_RCVTIMEO")]
    pub fn read_timeout(&self) -> Result<Option<Duration>> {
        sys::get_time(self.as_fd(), SockOption::RECV_TIMEOUT)
    }

    /// `sock_set_opt_time(recv_timeout)`—How long a receive waits before `AGAIN` (`INVAL` for zero).
    #[doc(alias = "SO_RCVTIMEO")]
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        set_timeout(self.as_fd(), SockOption::RECV_TIMEOUT, timeout)
    }

    /// `sock_get_opt_time(send_timeout)`.
    #[doc(alias = "SO_SNDTIMEO")]
    pub fn write_timeout(&self) -> Result<Option<Duration>> {
        sys::get_time(self.as_fd(), SockOption::SEND_TIMEOUT)
    }

    /// `sock_set_opt_time(send_timeout)`—How long a send waits before `AGAIN` (`INVAL` for zero).
    #[doc(alias = "SO_SNDTIMEO")]
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        set_timeout(self.as_fd(), SockOption::SEND_TIMEOUT, timeout)
    }

    /// `sock_get_opt_time(linger)`.
    #[doc(alias = "SO_LINGER")]
    pub fn linger(&self) -> Result<Option<Duration>> {
        sys::get_time(self.as_fd(), SockOption::LINGER)
    }

    /// `sock_set_opt_time(linger)`—How long closing waits for unsent data (`None`: not at all).
    #[doc(alias = "SO_LINGER")]
    pub fn set_linger(&self, linger: Option<Duration>) -> Result<()> {
        sys::set_time(self.as_fd(), SockOption::LINGER, linger)
    }
}

/// Options of IPv4 (POSIX `IPPROTO_IP`).
impl Socket {
    /// `sock_get_opt_size(ttl)`.
    #[doc(alias = "IP_TTL")]
    pub fn ttl(&self) -> Result<u32> {
        u32::try_from(sys::get_size(self.as_fd(), SockOption::TTL)?).map_err(|_| Errno::OVERFLOW)
    }

    /// `sock_set_opt_size(ttl)`—The time-to-live of outgoing packets (hop limit on IPv6).
    #[doc(alias = "IP_TTL")]
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        sys::set_size(self.as_fd(), SockOption::TTL, u64::from(ttl))
    }

    /// `sock_get_opt_flag(multicast_loop_v4)`.
    #[doc(alias = "IP_MULTICAST_LOOP")]
    pub fn multicast_loop_v4(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::MULTICAST_LOOP_V4)
    }

    /// `sock_set_opt_flag(multicast_loop_v4)`—Whether multicast datagrams sent come back to this host.
    #[doc(alias = "IP_MULTICAST_LOOP")]
    pub fn set_multicast_loop_v4(&self, on: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::MULTICAST_LOOP_V4, on)
    }

    /// `sock_get_opt_size(multicast_ttl_v4)`.
    #[doc(alias = "IP_MULTICAST_TTL")]
    pub fn multicast_ttl_v4(&self) -> Result<u32> {
        u32::try_from(sys::get_size(self.as_fd(), SockOption::MULTICAST_TTL_V4)?).map_err(|_| Errno::OVERFLOW)
    }

    /// `sock_set_opt_size(multicast_ttl_v4)`.
    #[doc(alias = "IP_MULTICAST_TTL")]
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> Result<()> {
        sys::set_size(self.as_fd(), SockOption::MULTICAST_TTL_V4, u64::from(ttl))
    }

    /// `sock_join_multicast_v4`—Joins the group `multiaddr` on the interface with address `interface`.
    #[doc(alias = "sock_join_multicast_v4", alias = "IP_ADD_MEMBERSHIP")]
    pub fn join_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()> {
        sys::multicast_v4(self.as_fd(), true, multiaddr, interface)
    }

    /// `sock_leave_multicast_v4`.
    #[doc(alias = "sock_leave_multicast_v4", alias = "IP_DROP_MEMBERSHIP")]
    pub fn leave_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()> {
        sys::multicast_v4(self.as_fd(), false, multiaddr, interface)
    }
}

/// Options of IPv6 (POSIX `IPPROTO_IPV6`).
impl Socket {
    /// `sock_get_opt_flag(only_v6)`.
    #[doc(alias = "IPV6_V6ONLY")]
    pub fn only_v6(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::ONLY_V6)
    }

    /// `sock_set_opt_flag(only_v6)`—Whether an IPv6 socket refuses IPv4-mapped traffic.
    #[doc(alias = "IPV6_V6ONLY")]
    pub fn set_only_v6(&self, only_v6: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::ONLY_V6, only_v6)
    }

    /// `sock_get_opt_flag(multicast_loop_v6)`.
    #[doc(alias = "IPV6_MULTICAST_LOOP")]
    pub fn multicast_loop_v6(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::MULTICAST_LOOP_V6)
    }

    /// `sock_set_opt_flag(multicast_loop_v6)`.
    #[doc(alias = "IPV6_MULTICAST_LOOP")]
    pub fn set_multicast_loop_v6(&self, on: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::MULTICAST_LOOP_V6, on)
    }

    /// `sock_join_multicast_v6`—Joins the group `multiaddr` on interface number `interface` (0: any).
    #[doc(alias = "sock_join_multicast_v6", alias = "IPV6_ADD_MEMBERSHIP")]
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> Result<()> {
        sys::multicast_v6(self.as_fd(), true, multiaddr, interface)
    }

    /// `sock_leave_multicast_v6`.
    #[doc(alias = "sock_leave_multicast_v6", alias = "IPV6_DROP_MEMBERSHIP")]
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> Result<()> {
        sys::multicast_v6(self.as_fd(), false, multiaddr, interface)
    }
}

/// Options of TCP (POSIX `IPPROTO_TCP`).
impl Socket {
    /// `sock_get_opt_flag(no_delay)`.
    #[doc(alias = "TCP_NODELAY")]
    pub fn nodelay(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::NO_DELAY)
    }

    /// `sock_set_opt_flag(no_delay)`—Sends small writes at once instead of coalescing them (Nagle).
    #[doc(alias = "TCP_NODELAY")]
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::NO_DELAY, nodelay)
    }
}
