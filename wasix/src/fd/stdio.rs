//! The standard streams: fds 0, 1 and 2 as borrowed fds, and as unbuffered [`std::io::Read`] /
//! [`std::io::Write`] handles.
//!
//! The handles do no buffering and take no lock: each `read` or `write` is one `fd_read` or `fd_write`.
//! Wrap one in a [`std::io::BufWriter`] to batch small writes.

#![allow(unsafe_code)] // Borrowing fds 0, 1 and 2.

use super::{AsFd, BorrowedFd};

/// Standard input, fd 0.
#[doc(alias = "FD_STDIN")]
#[inline]
pub const fn stdin() -> BorrowedFd<'static> {
    // SAFETY: every WASIX process starts with fd 0 open; like std's `stdin().as_fd()`, this assumes the
    // program does not close it.
    unsafe { BorrowedFd::borrow_raw(wasix_sys::FD_STDIN) }
}

/// Standard output, fd 1.
#[doc(alias = "FD_STDOUT")]
#[inline]
pub const fn stdout() -> BorrowedFd<'static> {
    // SAFETY: every WASIX process starts with fd 1 open; like std's `stdout().as_fd()`, this assumes the
    // program does not close it.
    unsafe { BorrowedFd::borrow_raw(wasix_sys::FD_STDOUT) }
}

/// Standard error, fd 2.
#[doc(alias = "FD_STDERR")]
#[inline]
pub const fn stderr() -> BorrowedFd<'static> {
    // SAFETY: every WASIX process starts with fd 2 open; like std's `stderr().as_fd()`, this assumes the
    // program does not close it.
    unsafe { BorrowedFd::borrow_raw(wasix_sys::FD_STDERR) }
}

/// Defines an unbuffered handle type for a standard stream.
macro_rules! handle {
    ($(#[$doc:meta])* $name:ident => $fd:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl AsFd for $name {
            #[inline]
            fn as_fd(&self) -> BorrowedFd<'_> {
                $fd()
            }
        }
    };
}

handle! {
    /// Standard input as a [`std::io::Read`]er: each read is one `fd_read` on fd 0.
    Stdin => stdin
}

handle! {
    /// Standard output as a [`std::io::Write`]r: each write is one `fd_write` on fd 1.
    Stdout => stdout
}

handle! {
    /// Standard error as a [`std::io::Write`]r: each write is one `fd_write` on fd 2.
    Stderr => stderr
}

super::io_impls::impl_read!(Stdin);
super::io_impls::impl_write!(Stdout, Stderr);
