//! The I/O-safe fd types and traits: [`OwnedFd`] closes its fd when dropped, [`BorrowedFd`] borrows one
//! for a lifetime, and the traits convert between them and raw fd numbers, after `std::os::fd`.

#![allow(unsafe_code)] // The fd types' unsafe traits and constructors.

use core::marker::PhantomData;

/// A raw WASIX fd number.
pub type RawFd = wasix_sys::Fd;

/// An open fd that this value owns: dropping it closes the fd with `fd_close` (ignoring the result; use
/// [`close`](super::close) to see it).
#[repr(transparent)]
pub struct OwnedFd {
    fd: RawFd,
}

/// A borrowed fd: the fd stays open for at least `'fd`.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct BorrowedFd<'fd> {
    fd: RawFd,
    _owner: PhantomData<&'fd OwnedFd>,
}

impl BorrowedFd<'_> {
    /// Borrows the fd number `fd`.
    ///
    /// # Safety
    /// `fd` must be open, and stay open for the returned lifetime.
    #[inline]
    pub const unsafe fn borrow_raw(fd: RawFd) -> Self {
        BorrowedFd { fd, _owner: PhantomData }
    }
}

impl Drop for OwnedFd {
    // Inlined so the close is made in the caller's frame: a return executed after a syscall costs tens of
    // nanoseconds on hosts with return-prediction mitigations (see the `sim_vs_host` benchmark).
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: this value owns the fd, and nothing uses it after the drop. A failed close still
        // releases the fd, and drop has no one to report to, so the result is ignored (as std does).
        let _ = unsafe { super::ops::close_raw(self.fd) };
    }
}

impl core::fmt::Debug for OwnedFd {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OwnedFd").field("fd", &self.fd).finish()
    }
}

impl core::fmt::Debug for BorrowedFd<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BorrowedFd").field("fd", &self.fd).finish()
    }
}

/// Borrows an fd from a value that holds one.
pub trait AsFd {
    /// Borrows the fd.
    fn as_fd(&self) -> BorrowedFd<'_>;
}

/// Gives the raw fd number of a value that holds an fd.
pub trait AsRawFd {
    /// The raw fd number; the value keeps owning the fd.
    fn as_raw_fd(&self) -> RawFd;
}

/// Takes ownership of a raw fd number.
pub trait FromRawFd {
    /// Wraps `fd`, taking ownership of it.
    ///
    /// # Safety
    /// `fd` must be open and owned by nothing else: the new value may close it.
    unsafe fn from_raw_fd(fd: RawFd) -> Self;
}

/// Gives up ownership of an fd, returning its raw number.
pub trait IntoRawFd {
    /// The raw fd number, which the caller now owns (and must close).
    fn into_raw_fd(self) -> RawFd;
}

impl AsFd for BorrowedFd<'_> {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        *self
    }
}

impl AsFd for OwnedFd {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: `self` owns the fd and keeps it open while the borrow lives.
        unsafe { BorrowedFd::borrow_raw(self.fd) }
    }
}

impl<T: AsFd + ?Sized> AsFd for &T {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        T::as_fd(self)
    }
}

impl<T: AsFd + ?Sized> AsFd for &mut T {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        T::as_fd(self)
    }
}

impl<T: AsFd + ?Sized> AsFd for Box<T> {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        T::as_fd(self)
    }
}

impl<T: AsFd + ?Sized> AsFd for std::sync::Arc<T> {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        T::as_fd(self)
    }
}

impl<T: AsFd + ?Sized> AsFd for std::rc::Rc<T> {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        T::as_fd(self)
    }
}

impl AsRawFd for BorrowedFd<'_> {
    #[inline]
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

impl AsRawFd for OwnedFd {
    #[inline]
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

impl FromRawFd for OwnedFd {
    #[inline]
    unsafe fn from_raw_fd(fd: RawFd) -> Self {
        OwnedFd { fd }
    }
}

impl IntoRawFd for OwnedFd {
    #[inline]
    fn into_raw_fd(self) -> RawFd {
        core::mem::ManuallyDrop::new(self).fd
    }
}

/// Implements the fd traits and the conversions to and from [`OwnedFd`] for a newtype `$ty { fd: OwnedFd }`
/// (files, directories, pipe ends, event fds), as std does for its fd-holding types.
macro_rules! owned_fd_newtype {
    ($($ty:ident),* $(,)?) => {$(
        impl $crate::fd::AsFd for $ty {
            #[inline]
            fn as_fd(&self) -> $crate::fd::BorrowedFd<'_> {
                $crate::fd::AsFd::as_fd(&self.fd)
            }
        }

        impl $crate::fd::AsRawFd for $ty {
            #[inline]
            fn as_raw_fd(&self) -> $crate::fd::RawFd {
                $crate::fd::AsRawFd::as_raw_fd(&self.fd)
            }
        }

        impl $crate::fd::IntoRawFd for $ty {
            #[inline]
            fn into_raw_fd(self) -> $crate::fd::RawFd {
                $crate::fd::IntoRawFd::into_raw_fd(self.fd)
            }
        }

        // The unsafe code is this file's, wherever the macro is used.
        #[allow(unsafe_code)]
        impl $crate::fd::FromRawFd for $ty {
            #[inline]
            unsafe fn from_raw_fd(fd: $crate::fd::RawFd) -> Self {
                // SAFETY: forwarded contract: `fd` is open and owned by nothing else.
                Self { fd: unsafe { <$crate::fd::OwnedFd as $crate::fd::FromRawFd>::from_raw_fd(fd) } }
            }
        }

        impl From<$crate::fd::OwnedFd> for $ty {
            /// Takes ownership of `fd`; what it refers to is not checked.
            #[inline]
            fn from(fd: $crate::fd::OwnedFd) -> Self {
                Self { fd }
            }
        }

        impl From<$ty> for $crate::fd::OwnedFd {
            #[inline]
            fn from(value: $ty) -> Self {
                value.fd
            }
        }
    )*};
}

pub(crate) use owned_fd_newtype;
