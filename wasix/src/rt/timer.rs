//! Timers: [`Timer`] (a deadline, and [`sleep`]), [`Interval`] (a period, as a `Stream`) and
//! [`timeout`] (a deadline on any future). A waiting timer is an entry in the [`Reactor`]'s list, whose
//! nearest deadline bounds its `poll_oneoff`; dropping the timer removes its entry.

#![allow(unsafe_code)] // Pin projection of the future inside `Timeout`.

use super::reactor::Reactor;
use core::future::Future;
use core::pin::Pin;
use core::task::{ready, Context, Poll};
use futures_core::Stream;
use std::time::{Duration, Instant};

/// A future that completes at a deadline, with that deadline. A deadline too far to represent never comes.
///
/// ```
/// use std::time::{Duration, Instant};
/// use wasix::rt::{block_on, Timer};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let at = Instant::now() + Duration::from_millis(10);
///     assert_eq!(block_on(Timer::at(at)), at);
///     assert!(Instant::now() >= at);
/// });
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Timer {
    /// `None`: never.
    at: Option<Instant>,
    /// The reactor's id of the entry, once registered.
    id: Option<u64>,
}

impl Timer {
    /// A timer due `duration` from now.
    pub fn after(duration: Duration) -> Timer {
        Timer { at: Instant::now().checked_add(duration), id: None }
    }

    /// A timer due at `at`.
    pub fn at(at: Instant) -> Timer {
        Timer { at: Some(at), id: None }
    }

    /// A timer that never completes.
    pub fn never() -> Timer {
        Timer { at: None, id: None }
    }

    /// Its deadline (`None`: never).
    pub fn deadline(&self) -> Option<Instant> {
        self.at
    }

    /// Moves the deadline to `at` (the timer may then complete again).
    pub fn set_at(&mut self, at: Instant) {
        self.unregister();
        self.at = Some(at);
    }

    fn unregister(&mut self) {
        if let (Some(at), Some(id)) = (self.at, self.id.take()) {
            Reactor::get().remove_timer(at, id);
        }
    }
}

impl Future for Timer {
    type Output = Instant;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Instant> {
        let Some(at) = self.at else {
            return Poll::Pending;
        };
        if Instant::now() >= at {
            self.unregister();
            return Poll::Ready(at);
        }
        let reactor = Reactor::get();
        let id = *self.id.get_or_insert_with(|| reactor.new_id());
        reactor.insert_timer(at, id, cx.waker());
        Poll::Pending
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.unregister();
    }
}

/// A timer due `duration` from now: `sleep(d).await` waits `d` without blocking the thread.
pub fn sleep(duration: Duration) -> Timer {
    Timer::after(duration)
}

/// A `Stream` of instants `period` apart, the first one `period` from now; after a delay longer than a
/// period, ticks resume `period` after the late one (missed ticks are skipped, not bunched).
///
/// ```
/// use futures::StreamExt;
/// use std::time::Duration;
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let ticks = wasix::rt::block_on(wasix::rt::interval(Duration::from_millis(2)).take(3).collect::<Vec<_>>());
///     assert!(ticks.windows(2).all(|w| w[1] - w[0] >= Duration::from_millis(2)));
/// });
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct Interval {
    timer: Timer,
    period: Duration,
}

/// An [`Interval`] of `period` (a zero period is taken as 1 ns).
pub fn interval(period: Duration) -> Interval {
    let period = period.max(Duration::from_nanos(1));
    Interval { timer: Timer::after(period), period }
}

impl Interval {
    /// Waits for the next tick; its instant.
    pub async fn tick(&mut self) -> Instant {
        core::future::poll_fn(|cx| self.poll_tick(cx)).await
    }

    /// Ready with the tick's instant once it is due.
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        let at = ready!(Pin::new(&mut self.timer).poll(cx));
        let now = Instant::now();
        let mut next = at.checked_add(self.period);
        if next.is_some_and(|n| n <= now) {
            next = now.checked_add(self.period);
        }
        match next {
            Some(next) => self.timer.set_at(next),
            None => self.timer = Timer::never(),
        }
        Poll::Ready(at)
    }
}

impl Stream for Interval {
    type Item = Instant;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Instant>> {
        self.get_mut().poll_tick(cx).map(Some)
    }
}

/// The error of a [`timeout`] whose deadline came first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed;

impl core::fmt::Display for Elapsed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("the deadline passed before the future completed")
    }
}

impl core::error::Error for Elapsed {}

impl From<Elapsed> for std::io::Error {
    /// An error of kind `TimedOut`.
    fn from(elapsed: Elapsed) -> Self {
        std::io::Error::new(std::io::ErrorKind::TimedOut, elapsed)
    }
}

/// Runs `future` for at most `duration`: its output, or [`Elapsed`] if the time passed first (the future is
/// then dropped with the `Timeout`).
///
/// ```
/// use std::time::Duration;
/// use wasix::rt::{block_on, sleep, timeout, Elapsed};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let slow = block_on(timeout(Duration::from_millis(5), sleep(Duration::from_secs(60))));
///     assert_eq!(slow, Err(Elapsed));
///     let quick = block_on(timeout(Duration::from_secs(60), async { 7 }));
///     assert_eq!(quick, Ok(7));
/// });
/// ```
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout { future, timer: Timer::after(duration) }
}

/// The future of [`timeout`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Timeout<F> {
    future: F,
    timer: Timer,
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is never moved out of the `Timeout` nor given out
        // unpinned, and `Timeout` implements neither `Unpin` by hand nor a `Drop` that moves it. `timer` is
        // not pinned (it is `Unpin`), so a plain reference to it is fine.
        let (future, timer) = unsafe {
            let this = self.get_unchecked_mut();
            (Pin::new_unchecked(&mut this.future), &mut this.timer)
        };
        if let Poll::Ready(output) = future.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        Pin::new(timer).poll(cx).map(|_| Err(Elapsed))
    }
}
