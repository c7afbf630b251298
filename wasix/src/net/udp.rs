//! UDP, as std's `net` has it: [`UdpSocket`].

use super::lookup::{each_addr, ToSocketAddrs};
use super::socket::{set_nonblocking, set_timeout, take_error};
use super::{addr, sys};
use crate::fd::{self, owned_fd_newtype, AsFd, OwnedFd};
use crate::io::{Errno, Result};
use core::time::Duration;
use std::io::{IoSlice, IoSliceMut};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use wasix_sys::{Riflags, SockOption, SockProto, SockType};

/// A UDP socket: datagrams to and from any address, or one peer after [`connect`](Self::connect).
///
/// ```
/// use wasix::net::UdpSocket;
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let a = UdpSocket::bind("127.0.0.1:0").unwrap();
///     let b = UdpSocket::bind("127.0.0.1:0").unwrap();
///     a.send_to(b"hi", b.local_addr().unwrap()).unwrap();
///     let mut buf = [0; 8];
///     let (n, from) = b.recv_from(&mut buf).unwrap();
///     assert_eq!((&buf[..n], from), (&b"hi"[..], a.local_addr().unwrap()));
/// });
/// ```
///
/// # References
/// - std's `UdpSocket`
/// - [`wasix_sys::sock_send_to`], [`wasix_sys::sock_recv_from`], [`wasix_sys::sock_join_multicast_v4`]
#[derive(Debug)]
pub struct UdpSocket {
    fd: OwnedFd,
}

owned_fd_newtype!(UdpSocket);

impl UdpSocket {
    /// `sock_open`, `sock_bind`—A socket bound to the first of `addrs` it can bind to.
    #[doc(alias = "sock_bind")]
    pub fn bind<A: ToSocketAddrs>(addrs: A) -> Result<UdpSocket> {
        each_addr(addrs, |at| {
            let fd = sys::open(addr::family(at), SockType::SOCKET_DGRAM, SockProto::UDP)?;
            sys::bind(fd.as_fd(), at)?;
            Ok(UdpSocket { fd })
        })
    }

    /// `sock_send_to`—Sends a datagram to the first address `to` names.
    #[doc(alias = "sock_send_to")]
    pub fn send_to<A: ToSocketAddrs>(&self, buf: &[u8], to: A) -> Result<usize> {
        let to = to.to_socket_addrs()?.next().ok_or(Errno::INVAL)?;
        sys::send_to(self.as_fd(), &[IoSlice::new(buf)], 0, &to)
    }

    /// `sock_recv_from`—Receives a datagram (the rest of one longer than `buf` is dropped) and its
    /// sender's address.
    #[doc(alias = "sock_recv_from")]
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        sys::recv_from(self.as_fd(), &mut [IoSliceMut::new(buf)], Riflags::empty()).map(|(n, _, from)| (n, from))
    }

    /// `sock_recv_from(recv_peek)`—[`recv_from`](Self::recv_from) leaving the datagram queued.
    pub fn peek_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        sys::recv_from(self.as_fd(), &mut [IoSliceMut::new(buf)], Riflags::RECV_PEEK).map(|(n, _, from)| (n, from))
    }

    /// `sock_connect`—Sends to and receives from the first address `addrs` names only.
    #[doc(alias = "sock_connect")]
    pub fn connect<A: ToSocketAddrs>(&self, addrs: A) -> Result<()> {
        each_addr(addrs, |to| sys::connect(self.as_fd(), to))
    }

    /// `sock_send`—Sends a datagram to the connected peer.
    #[doc(alias = "sock_send")]
    pub fn send(&self, buf: &[u8]) -> Result<usize> {
        sys::send(self.as_fd(), &[IoSlice::new(buf)], 0)
    }

    /// `sock_recv`—Receives a datagram from the connected peer.
    #[doc(alias = "sock_recv")]
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        sys::recv(self.as_fd(), &mut [IoSliceMut::new(buf)], Riflags::empty()).map(|(n, _)| n)
    }

    /// `sock_recv(recv_peek)`—[`recv`](Self::recv) leaving the datagram queued.
    pub fn peek(&self, buf: &mut [u8]) -> Result<usize> {
        sys::recv(self.as_fd(), &mut [IoSliceMut::new(buf)], Riflags::RECV_PEEK).map(|(n, _)| n)
    }

    /// `sock_addr_local`.
    #[doc(alias = "sock_addr_local")]
    pub fn local_addr(&self) -> Result<SocketAddr> {
        sys::addr_local(self.as_fd())
    }

    /// `sock_addr_peer`—The connected peer (`NOTCONN` if none).
    #[doc(alias = "sock_addr_peer")]
    pub fn peer_addr(&self) -> Result<SocketAddr> {
        sys::addr_peer(self.as_fd())
    }

    /// `sock_set_opt_flag(broadcast)`.
    pub fn set_broadcast(&self, broadcast: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::BROADCAST, broadcast)
    }

    /// `sock_get_opt_flag(broadcast)`.
    pub fn broadcast(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::BROADCAST)
    }

    /// `sock_set_opt_flag(multicast_loop_v4)`.
    pub fn set_multicast_loop_v4(&self, on: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::MULTICAST_LOOP_V4, on)
    }

    /// `sock_get_opt_flag(multicast_loop_v4)`.
    pub fn multicast_loop_v4(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::MULTICAST_LOOP_V4)
    }

    /// `sock_set_opt_size(multicast_ttl_v4)`.
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> Result<()> {
        sys::set_size(self.as_fd(), SockOption::MULTICAST_TTL_V4, u64::from(ttl))
    }

    /// `sock_get_opt_size(multicast_ttl_v4)`.
    pub fn multicast_ttl_v4(&self) -> Result<u32> {
        u32::try_from(sys::get_size(self.as_fd(), SockOption::MULTICAST_TTL_V4)?).map_err(|_| Errno::OVERFLOW)
    }

    /// `sock_set_opt_flag(multicast_loop_v6)`.
    pub fn set_multicast_loop_v6(&self, on: bool) -> Result<()> {
        sys::set_flag(self.as_fd(), SockOption::MULTICAST_LOOP_V6, on)
    }

    /// `sock_get_opt_flag(multicast_loop_v6)`.
    pub fn multicast_loop_v6(&self) -> Result<bool> {
        sys::get_flag(self.as_fd(), SockOption::MULTICAST_LOOP_V6)
    }

    /// `sock_join_multicast_v4`.
    pub fn join_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()> {
        sys::multicast_v4(self.as_fd(), true, multiaddr, interface)
    }

    /// `sock_leave_multicast_v4`.
    pub fn leave_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> Result<()> {
        sys::multicast_v4(self.as_fd(), false, multiaddr, interface)
    }

    /// `sock_join_multicast_v6`.
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> Result<()> {
        sys::multicast_v6(self.as_fd(), true, multiaddr, interface)
    }

    /// `sock_leave_multicast_v6`.
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> Result<()> {
        sys::multicast_v6(self.as_fd(), false, multiaddr, interface)
    }

    /// `sock_set_opt_size(ttl)`.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        sys::set_size(self.as_fd(), SockOption::TTL, u64::from(ttl))
    }

    /// `sock_get_opt_size(ttl)`.
    pub fn ttl(&self) -> Result<u32> {
        u32::try_from(sys::get_size(self.as_fd(), SockOption::TTL)?).map_err(|_| Errno::OVERFLOW)
    }

    /// `sock_set_opt_time(recv_timeout)`—How long a receive waits before `AGAIN` (`INVAL` for zero).
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        set_timeout(self.as_fd(), SockOption::RECV_TIMEOUT, timeout)
    }

    /// `sock_get_opt_time(recv_timeout)`.
    pub fn read_timeout(&self) -> Result<Option<Duration>> {
        sys::get_time(self.as_fd(), SockOption::RECV_TIMEOUT)
    }

    /// `sock_set_opt_time(send_timeout)`.
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        set_timeout(self.as_fd(), SockOption::SEND_TIMEOUT, timeout)
    }

    /// `sock_get_opt_time(send_timeout)`.
    pub fn write_timeout(&self) -> Result<Option<Duration>> {
        sys::get_time(self.as_fd(), SockOption::SEND_TIMEOUT)
    }

    /// `fd_fdstat_set_flags`—Makes receives that would wait fail with `AGAIN`, or wait again.
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<()> {
        set_nonblocking(self.as_fd(), nonblocking)
    }

    /// `sock_get_opt_size(last_error)`—The pending error, taken.
    pub fn take_error(&self) -> Result<Option<Errno>> {
        take_error(self.as_fd())
    }

    /// `fd_dup`—Another fd for the same socket.
    pub fn try_clone(&self) -> Result<UdpSocket> {
        fd::dup(self).map(UdpSocket::from)
    }
}
