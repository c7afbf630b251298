//! Conversions between these socket types and `std::net`'s, on `wasi` targets, where std's sockets are the
//! same WASIX fds (wasi-libc passes the numbers through unchanged): hand a listener or stream made here to
//! code written for `std::net` (or to an async runtime's `from_std`), or take one from it.

use super::{TcpListener, TcpStream, UdpSocket};
use crate::fd::OwnedFd;
use std::os::fd as std_fd;

macro_rules! std_conversions {
    ($($ty:ident),* $(,)?) => {$(
        impl From<$ty> for std::net::$ty {
            /// Hands the socket to std; std then closes it.
            fn from(socket: $ty) -> Self {
                let fd: OwnedFd = OwnedFd::from(socket);
                std::net::$ty::from(std_fd::OwnedFd::from(fd))
            }
        }

        impl From<std::net::$ty> for $ty {
            /// Takes the socket from std; this value then closes it.
            fn from(socket: std::net::$ty) -> Self {
                $ty::from(OwnedFd::from(std_fd::OwnedFd::from(socket)))
            }
        }
    )*};
}

std_conversions!(TcpListener, TcpStream, UdpSocket);
