//! [`Async<T>`]: an fd-holding value (socket, pipe end, event fd, standard stream) made non-blocking and
//! registered with the [`Reactor`], with futures for its readiness and `futures-io`'s `AsyncRead` and
//! `AsyncWrite` over its `std::io::Read` and `Write`.

use super::reactor::{Direction, Reactor};
use crate::fd::{self, AsFd, AsRawFd, Fdflags};
use crate::io::{Errno, Result};
use core::future::Future;
use core::pin::Pin;
use core::task::{ready, Context, Poll};
use futures_io::{AsyncRead, AsyncWrite};
use std::io::{IoSlice, IoSliceMut, Read, Write};

/// An fd-holding `T` whose operations wait for readiness instead of blocking the thread.
///
/// [`Async::new`] sets the fd `NONBLOCK` and registers it with the [`Reactor`]; an operation that would
/// block (`AGAIN`) then waits for the reactor to report the fd ready and tries again. The futures this
/// type returns ([`readable`](Self::readable), [`read_with`](Self::read_with), `accept`, `recv_from`, …)
/// remove their registration when dropped; the `poll_*` methods, and so `AsyncRead`/`AsyncWrite`, keep one
/// registration per direction (the latest waker) until the fd is next ready or the `Async` is dropped.
///
/// ```
/// use futures::{AsyncReadExt, AsyncWriteExt};
/// use wasix::rt::{block_on, Async};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let (reader, writer) = wasix::fd::pipe().unwrap();
///     let (mut reader, mut writer) = (Async::new(reader).unwrap(), Async::new(writer).unwrap());
///     block_on(async {
///         let read = async {
///             let mut got = [0; 5];
///             reader.read_exact(&mut got).await.unwrap();
///             got
///         };
///         let write = async { writer.write_all(b"hello").await.unwrap() };
///         let (got, ()) = futures::join!(read, write);
///         assert_eq!(&got, b"hello");
///     });
/// });
/// ```
#[derive(Debug)]
pub struct Async<T: AsFd> {
    /// `None` only after `into_inner`, so `Drop` deregisters before the fd closes.
    io: Option<T>,
    id: u64,
}

/// Nothing in an `Async` is pinned: its futures borrow it and hold ids.
impl<T: AsFd> Unpin for Async<T> {}

impl<T: AsFd> Async<T> {
    /// `fd_fdstat_set_flags`—Makes `io`'s fd `NONBLOCK` (it stays so, also for other handles of the same
    /// fd) and registers it with the reactor.
    pub fn new(io: T) -> Result<Async<T>> {
        let flags = fd::fdstat(&io)?.flags;
        if !flags.contains(Fdflags::NONBLOCK) {
            fd::set_flags(&io, flags | Fdflags::NONBLOCK)?;
        }
        let id = Reactor::get().register(io.as_fd().as_raw_fd());
        Ok(Async { io: Some(io), id })
    }

    /// The value inside.
    #[inline]
    pub fn get_ref(&self) -> &T {
        self.io.as_ref().expect("only `into_inner` takes the value, and it consumes the `Async`")
    }

    /// Deregisters the fd and returns the value (its fd still `NONBLOCK`).
    pub fn into_inner(mut self) -> T {
        Reactor::get().deregister(self.id);
        self.io.take().expect("only `into_inner` takes the value, and it consumes the `Async`")
    }

    /// Waits until the reactor next reports the fd readable (or at end of input, or in error).
    #[inline]
    pub fn readable(&self) -> Ready<'_, T> {
        Ready { of: self, direction: Direction::Read, token: None, at: None }
    }

    /// Waits until the reactor next reports the fd writable (or in error).
    #[inline]
    pub fn writable(&self) -> Ready<'_, T> {
        Ready { of: self, direction: Direction::Write, token: None, at: None }
    }

    /// Ready once the reactor reported the fd readable since the last call that returned pending (the
    /// first call registers the task). `BADF` if the fd was deregistered.
    #[inline]
    pub fn poll_readable(&self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        Reactor::get().poll_slot(self.id, Direction::Read, cx)
    }

    /// Ready once the reactor reported the fd writable since the last call that returned pending.
    #[inline]
    pub fn poll_writable(&self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        Reactor::get().poll_slot(self.id, Direction::Write, cx)
    }

    /// Runs `op` until it gives anything but `AGAIN`, waiting for readability between tries.
    ///
    /// ```
    /// use wasix::fd::EventFlags;
    /// use wasix::rt::{block_on, Async};
    ///
    /// wasix::sim::Config::new().build().unwrap().run(|| {
    ///     let counter = Async::new(wasix::fd::event(0, EventFlags::empty()).unwrap()).unwrap();
    ///     let total = block_on(async {
    ///         let read = counter.read_with(|c| c.read());
    ///         let write = async { counter.get_ref().write(7).unwrap() };
    ///         futures::join!(read, write).0
    ///     });
    ///     assert_eq!(total, Ok(7));
    /// });
    /// ```
    pub async fn read_with<R>(&self, mut op: impl FnMut(&T) -> Result<R>) -> Result<R> {
        loop {
            match op(self.get_ref()) {
                Err(Errno::AGAIN) => self.readable().await?,
                other => return other,
            }
        }
    }

    /// Runs `op` until it gives anything but `AGAIN`, waiting for writability between tries.
    pub async fn write_with<R>(&self, mut op: impl FnMut(&T) -> Result<R>) -> Result<R> {
        loop {
            match op(self.get_ref()) {
                Err(Errno::AGAIN) => self.writable().await?,
                other => return other,
            }
        }
    }
}

impl<T: AsFd> AsFd for Async<T> {
    #[inline]
    fn as_fd(&self) -> fd::BorrowedFd<'_> {
        self.get_ref().as_fd()
    }
}

impl<T: AsFd> Drop for Async<T> {
    fn drop(&mut self) {
        if self.io.is_some() {
            Reactor::get().deregister(self.id);
        }
    }
}

/// The future of [`Async::readable`] and [`Async::writable`]; dropping it removes its registration.
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Ready<'a, T: AsFd> {
    of: &'a Async<T>,
    direction: Direction,
    token: Option<u64>,
    at: Option<u64>,
}

impl<T: AsFd> Future for Ready<'_, T> {
    type Output = Result<()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let reactor = Reactor::get();
        let this = &mut *self;
        let token = *this.token.get_or_insert_with(|| reactor.new_id());
        let ready = ready!(reactor.poll_waiter(this.of.id, this.direction, token, &mut this.at, cx));
        this.token = None;
        Poll::Ready(ready)
    }
}

impl<T: AsFd> Drop for Ready<'_, T> {
    fn drop(&mut self) {
        if let Some(token) = self.token {
            Reactor::get().remove_waiter(self.of.id, self.direction, token);
        }
    }
}

/// Tries `op` until it gives anything but `WouldBlock`, returning pending while `wait` does.
fn poll_io<R>(
    mut wait: impl FnMut(&mut Context<'_>) -> Poll<Result<()>>,
    cx: &mut Context<'_>,
    mut op: impl FnMut() -> std::io::Result<R>,
) -> Poll<std::io::Result<R>> {
    loop {
        match op() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => ready!(wait(cx))?,
            other => return Poll::Ready(other),
        }
    }
}

impl<T: AsFd + Read> AsyncRead for Async<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let id = this.id;
        let io = this.io.as_mut().expect("only `into_inner` takes the value, and it consumes the `Async`");
        poll_io(|cx| Reactor::get().poll_slot(id, Direction::Read, cx), cx, || io.read(buf))
    }

    fn poll_read_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &mut [IoSliceMut<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let id = this.id;
        let io = this.io.as_mut().expect("only `into_inner` takes the value, and it consumes the `Async`");
        poll_io(|cx| Reactor::get().poll_slot(id, Direction::Read, cx), cx, || io.read_vectored(bufs))
    }
}

impl<T: AsFd> AsyncRead for &Async<T>
where
    for<'a> &'a T: Read,
{
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<std::io::Result<usize>> {
        let this = *self;
        poll_io(|cx| this.poll_readable(cx), cx, || (&mut this.get_ref()).read(buf))
    }

    fn poll_read_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &mut [IoSliceMut<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = *self;
        poll_io(|cx| this.poll_readable(cx), cx, || (&mut this.get_ref()).read_vectored(bufs))
    }
}

impl<T: AsFd + Write> AsyncWrite for Async<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let id = this.id;
        let io = this.io.as_mut().expect("only `into_inner` takes the value, and it consumes the `Async`");
        poll_io(|cx| Reactor::get().poll_slot(id, Direction::Write, cx), cx, || io.write(buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let id = this.id;
        let io = this.io.as_mut().expect("only `into_inner` takes the value, and it consumes the `Async`");
        poll_io(|cx| Reactor::get().poll_slot(id, Direction::Write, cx), cx, || io.write_vectored(bufs))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let id = this.id;
        let io = this.io.as_mut().expect("only `into_inner` takes the value, and it consumes the `Async`");
        poll_io(|cx| Reactor::get().poll_slot(id, Direction::Write, cx), cx, || io.flush())
    }

    /// Flushes; the fd stays open (shut a socket down with `get_ref().shutdown(..)`, or drop it).
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}

impl<T: AsFd> AsyncWrite for &Async<T>
where
    for<'a> &'a T: Write,
{
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = *self;
        poll_io(|cx| this.poll_writable(cx), cx, || (&mut this.get_ref()).write(buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = *self;
        poll_io(|cx| this.poll_writable(cx), cx, || (&mut this.get_ref()).write_vectored(bufs))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = *self;
        poll_io(|cx| this.poll_writable(cx), cx, || (&mut this.get_ref()).flush())
    }

    /// Flushes; the fd stays open.
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}
