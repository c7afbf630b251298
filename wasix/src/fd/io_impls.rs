//! `std::io::Read` and `std::io::Write` for the crate's fd-holding types, each call one `fd_read` or
//! `fd_write` (defined once here, used by the standard streams, pipes and files).

/// Implements [`std::io::Read`] for types that are [`AsFd`](crate::fd::AsFd) through [`crate::fd::read`].
macro_rules! impl_read {
    ($($ty:ty),* $(,)?) => {$(
        impl std::io::Read for $ty {
            #[inline]
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                $crate::fd::read(&*self, buf).map_err(std::io::Error::from)
            }

            #[inline]
            fn read_vectored(&mut self, bufs: &mut [std::io::IoSliceMut<'_>]) -> std::io::Result<usize> {
                $crate::fd::read_vectored(&*self, bufs).map_err(std::io::Error::from)
            }
        }
    )*};
}

/// Implements [`std::io::Write`] for types that are [`AsFd`](crate::fd::AsFd) through [`crate::fd::write`];
/// the writes are unbuffered, so there is nothing to flush.
macro_rules! impl_write {
    ($($ty:ty),* $(,)?) => {$(
        impl std::io::Write for $ty {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                $crate::fd::write(&*self, buf).map_err(std::io::Error::from)
            }

            #[inline]
            fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
                $crate::fd::write_vectored(&*self, bufs).map_err(std::io::Error::from)
            }

            #[inline]
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
    )*};
}

pub(crate) use {impl_read, impl_write};
