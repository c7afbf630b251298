//! Conversions between these fd types and std's (`std::os::fd`, `std::fs::File`, `std::net`), on `wasi`
//! targets, where std's fds are the same WASIX fd numbers (wasi-libc passes them through unchanged).

#![allow(unsafe_code)] // Conversions between std's fd types and these.

use super::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};
use crate::conv;
use std::os::fd as std_fd;

impl From<OwnedFd> for std_fd::OwnedFd {
    /// Hands the fd to std; std then closes it.
    fn from(fd: OwnedFd) -> Self {
        // SAFETY: `into_raw_fd` gives up ownership of an open fd, which the new value takes over.
        unsafe { std_fd::FromRawFd::from_raw_fd(conv::std_raw_fd(fd.into_raw_fd())) }
    }
}

impl From<std_fd::OwnedFd> for OwnedFd {
    /// Takes the fd from std; this value then closes it.
    fn from(fd: std_fd::OwnedFd) -> Self {
        // SAFETY: `into_raw_fd` gives up ownership of an open fd, which the new value takes over.
        unsafe { OwnedFd::from_raw_fd(conv::wasix_raw_fd(std_fd::IntoRawFd::into_raw_fd(fd))) }
    }
}

impl<'fd> From<BorrowedFd<'fd>> for std_fd::BorrowedFd<'fd> {
    fn from(fd: BorrowedFd<'fd>) -> Self {
        // SAFETY: the fd is open for `'fd`, which the new borrow keeps.
        unsafe { std_fd::BorrowedFd::borrow_raw(conv::std_raw_fd(fd.as_raw_fd())) }
    }
}

impl<'fd> From<std_fd::BorrowedFd<'fd>> for BorrowedFd<'fd> {
    fn from(fd: std_fd::BorrowedFd<'fd>) -> Self {
        // SAFETY: the fd is open for `'fd`, which the new borrow keeps.
        unsafe { BorrowedFd::borrow_raw(conv::wasix_raw_fd(std_fd::AsRawFd::as_raw_fd(&fd))) }
    }
}

/// Implements [`AsFd`] for std types that hold an fd.
macro_rules! as_fd_via_std {
    ($($ty:ty),* $(,)?) => {$(
        impl AsFd for $ty {
            #[inline]
            fn as_fd(&self) -> BorrowedFd<'_> {
                std_fd::AsFd::as_fd(self).into()
            }
        }
    )*};
}

as_fd_via_std!(
    std_fd::OwnedFd,
    std_fd::BorrowedFd<'_>,
    std::fs::File,
    std::net::TcpListener,
    std::net::TcpStream,
    std::net::UdpSocket,
);
