//! [`block_on`]: runs a future to completion on the current thread, driving the reactor while the future
//! waits, so one thread serves every fd and timer its tasks wait on.

use super::reactor::{DriverFlags, Reactor};
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;
use std::task::Wake;
use std::thread::Thread;

/// The waker of one `block_on`: marks the thread woken, and interrupts its `poll_oneoff` if it waits in one.
#[derive(Debug)]
struct Parker {
    flags: DriverFlags,
    thread: Thread,
}

impl Wake for Parker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.flags.notified.store(true, SeqCst);
        if self.flags.in_poll.load(SeqCst) {
            Reactor::get().notify();
        }
        self.thread.unpark();
    }
}

/// Runs `future` on this thread until it completes, and returns its output. While the future waits, this
/// thread drives the [`Reactor`]: it waits in `poll_oneoff` for every fd and timer that tasks (of any
/// thread) wait on, and wakes them. When another thread already drives the reactor, this one sleeps until
/// its future is woken.
///
/// Run several tasks on the one thread by joining them (`futures::future::join_all`, `select`) or with a
/// local executor (`futures::executor::LocalPool` polled inside `block_on`).
///
/// ```
/// use std::time::{Duration, Instant};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let start = Instant::now();
///     let answer = wasix::rt::block_on(async {
///         wasix::rt::sleep(Duration::from_millis(20)).await;
///         42
///     });
///     assert_eq!(answer, 42);
///     assert!(start.elapsed() >= Duration::from_millis(20));
/// });
/// ```
pub fn block_on<F: Future>(future: F) -> F::Output {
    let reactor = Reactor::get();
    let _running = reactor.enter_block_on();
    let parker = Arc::new(Parker { flags: DriverFlags::default(), thread: std::thread::current() });
    let waker = parker.clone().into();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        while !parker.flags.notified.swap(false, SeqCst) {
            match reactor.try_poller() {
                Some(mut poller) => {
                    let outcome = reactor.react(&mut poller, &parker.flags, None);
                    drop(poller);
                    reactor.poller_released();
                    if outcome.is_err() {
                        // The host refused the wait: sleep until a wake rather than spin on the error.
                        std::thread::park_timeout(std::time::Duration::from_millis(1));
                    }
                }
                None => reactor.wait_for_poller(),
            }
        }
    }
}
