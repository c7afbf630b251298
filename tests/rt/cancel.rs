//! Cancellation: a future dropped before its fd or timer is ready is never woken afterwards, and an
//! `Async` dropped while a task waits deregisters its fd.

use super::run;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Wake, Waker};
use std::time::Duration;
use wasix::rt::{sleep, Async, Timer};

/// A waker that counts its wakes.
#[derive(Default)]
struct Counter(AtomicUsize);

impl Wake for Counter {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A counting waker and its count.
fn counting() -> (Waker, Arc<Counter>) {
    let counter = Arc::new(Counter::default());
    (counter.clone().into(), counter)
}

/// Registers a `readable()` wait on a pipe with a counting waker, keeps it or drops it, then makes the
/// pipe readable and lets the reactor run: the wakes the waker got.
fn wakes_after_write(keep: bool) -> usize {
    let (reader, writer) = wasix::fd::pipe().unwrap();
    let reader = Async::new(reader).unwrap();
    let (waker, count) = counting();
    let mut ready = Box::pin(reader.readable());
    assert!(ready.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());
    if !keep {
        drop(ready);
    }
    wasix::fd::write(&writer, b"x").unwrap();
    // The reactor runs for a while with the pipe readable.
    run(sleep(Duration::from_millis(50)));
    count.0.load(Ordering::SeqCst)
}

#[test]
fn a_waiting_future_is_woken() {
    assert_eq!(wakes_after_write(true), 1);
}

#[test]
fn a_dropped_future_is_never_woken() {
    assert_eq!(wakes_after_write(false), 0);
}

#[test]
fn a_dropped_timer_is_never_woken() {
    let (waker, count) = counting();
    let mut timer = Box::pin(Timer::after(Duration::from_millis(5)));
    assert!(timer.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());
    drop(timer);
    let mut kept = Box::pin(Timer::after(Duration::from_millis(5)));
    let (kept_waker, kept_count) = counting();
    assert!(kept.as_mut().poll(&mut Context::from_waker(&kept_waker)).is_pending());
    run(sleep(Duration::from_millis(50)));
    assert_eq!((count.0.load(Ordering::SeqCst), kept_count.0.load(Ordering::SeqCst)), (0, 1));
}

#[test]
fn an_async_dropped_while_registered_is_forgotten() {
    let (reader, writer) = wasix::fd::pipe().unwrap();
    // A second reader keeps the pipe open, so the write below makes it readable.
    let _spare = reader.try_clone().unwrap();
    let reader = Async::new(reader).unwrap();
    let (waker, count) = counting();
    assert!(reader.poll_readable(&mut Context::from_waker(&waker)).is_pending());
    // Dropping the `Async` closes the fd; its registration must go with it, or the reactor would poll a
    // closed (or reused) fd number.
    drop(reader);
    wasix::fd::write(&writer, b"x").unwrap();
    run(sleep(Duration::from_millis(30)));
    assert_eq!(count.0.load(Ordering::SeqCst), 0);
}

#[test]
fn a_cancelled_read_leaves_the_data_for_the_next() {
    use futures::{AsyncReadExt, AsyncWriteExt};
    let (reader, writer) = wasix::fd::pipe().unwrap();
    let (mut reader, mut writer) = (Async::new(reader).unwrap(), Async::new(writer).unwrap());
    run(async {
        let mut buf = [0; 4];
        {
            let read = pin!(reader.read(&mut buf));
            assert!(wasix::rt::timeout(Duration::from_millis(10), read).await.is_err());
        }
        writer.write_all(b"late").await.unwrap();
        reader.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"late");
    });
}
