//! The reactor: the fds tasks wait on and the timers they sleep on, one `poll_oneoff` for all of them (plus
//! the nearest timer), and the wake-ups it leads to. It is run by whichever thread drives it: a
//! [`block_on`](super::block_on) waiting for its future, a call of [`Reactor::turn`] from another executor,
//! or, on targets with threads and only while no `block_on` is running, a driver thread of its own.
//!
//! Readiness is level-triggered (as `poll_oneoff` is): a direction of an fd is in the next poll while a task
//! waits on it, and an event wakes every task waiting on that direction and ends their registrations, so a
//! task that finds the fd not ready after all just registers again. A registration holds a task's waker and
//! nothing else; dropping the future that made it removes it, so a dropped future is never woken.

#![allow(unsafe_code)] // Borrowing the registered fds' numbers for the one `poll_oneoff` that waits on them.

use crate::fd::{AsRawFd, BorrowedFd, EventFd, RawFd};
use crate::io::{Errno, Result};
use crate::poll::{Events, Poll};
use crate::time::Clock;
use core::task::{Context, Poll as TaskPoll, Waker};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError, TryLockError};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// The `userdata` of the notifier's subscription; sources use `id << 1 | direction`, far below it.
const NOTIFIER: u64 = u64::MAX;
/// The `userdata` of the nearest timer's clock subscription.
const CLOCK: u64 = u64::MAX - 1;

/// A direction of readiness: index into [`Source::directions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Read = 0,
    Write = 1,
}

/// The waiters of one direction of one fd.
#[derive(Debug, Default)]
struct Interest {
    /// Bumped whenever the reactor reports the direction ready; a waiter is done once it moved.
    tick: u64,
    /// The `poll_readable`/`poll_writable` registration of the [`Async`](super::Async) itself: the waker
    /// (taken when woken) and the tick it waits to see move.
    slot: Option<(Option<Waker>, u64)>,
    /// The registrations of `readable()`/`writable()` futures and the futures built on them: their token and
    /// waker.
    waiters: Vec<(u64, Waker)>,
}

impl Interest {
    /// Whether a task waits, so the direction goes into the poll.
    fn wanted(&self) -> bool {
        matches!(self.slot, Some((Some(_), _))) || !self.waiters.is_empty()
    }

    /// The direction is ready: moves the tick and takes every waker.
    fn fire(&mut self, wake: &mut Vec<Waker>) {
        self.tick = self.tick.wrapping_add(1);
        if let Some((waker, _)) = &mut self.slot {
            wake.extend(waker.take());
        }
        wake.extend(self.waiters.drain(..).map(|(_, w)| w));
    }
}

/// One registered fd.
#[derive(Debug)]
struct Source {
    fd: RawFd,
    directions: [Interest; 2],
}

/// What the reactor's lock guards.
#[derive(Debug, Default)]
struct State {
    sources: HashMap<u64, Source>,
    /// Timers by deadline and id, with the waker of the task sleeping on each.
    timers: BTreeMap<(Instant, u64), Waker>,
    /// Ids for sources, waiters and timers; never reused.
    next_id: u64,
    /// While a thread waits in `poll_oneoff`: the deadline it waits for (`None`: none), so a new earlier
    /// timer or a new fd interrupts it.
    polling: Option<Option<Instant>>,
}

impl State {
    /// Takes the wakers of the timers due by `now`.
    fn due_timers(&mut self, now: Instant, wake: &mut Vec<Waker>) {
        while let Some(entry) = self.timers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            wake.push(entry.remove());
        }
    }
}

/// The subscriptions and events of the driving thread, reused for every wait.
#[derive(Debug, Default)]
pub(crate) struct Poller {
    poll: Poll<'static>,
    events: Events,
}

/// The flags a driving thread shares with its waker: whether it was woken, and whether it waits in
/// `poll_oneoff` right now (so a wake must interrupt the poll through the notifier).
#[derive(Debug, Default)]
pub(crate) struct DriverFlags {
    pub(crate) notified: AtomicBool,
    pub(crate) in_poll: AtomicBool,
}

/// The process's reactor ([`Reactor::get`]).
///
/// ```
/// use std::time::Duration;
/// use wasix::rt::{Reactor, Timer};
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     // Another executor's idle hook can drive the reactor itself: here, until a timer is due.
///     let timer = Timer::after(Duration::from_millis(5));
///     let mut timer = std::pin::pin!(timer);
///     let waker = std::task::Waker::noop();
///     let mut cx = std::task::Context::from_waker(waker);
///     while timer.as_mut().poll(&mut cx).is_pending() {
///         Reactor::get().turn(Some(Duration::from_secs(1))).unwrap();
///     }
///     # use std::future::Future;
/// });
/// ```
#[derive(Debug)]
pub struct Reactor {
    state: Mutex<State>,
    /// Held by the thread that drives the reactor: only one waits in `poll_oneoff` at a time.
    poller: Mutex<Poller>,
    /// An event fd whose readiness interrupts a wait (`None` if the host has no event fds).
    notifier: Option<EventFd>,
    /// A notification is written and not yet drained, so another would add nothing.
    notified: AtomicBool,
    /// How many [`block_on`](super::block_on)s run; while none does, the driver thread drives.
    block_ons: AtomicUsize,
    /// Threads of `block_on`s waiting for the poller to be free.
    parked: Mutex<Vec<Thread>>,
    /// Whether the driver thread was started (or could not be).
    driver: OnceLock<bool>,
}

/// Locks `m`, taking the data of a poisoned lock as it is: every critical section here leaves the state
/// consistent before anything that can panic (waking runs outside the locks).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Reactor {
    /// The process's reactor, made on first use. Every [`Async`](super::Async) and
    /// [`Timer`](super::Timer) registers here.
    ///
    /// Natively the simulator's fds belong to the instance that opened them: drive the reactor (and use
    /// its fds) from one simulator instance per process.
    pub fn get() -> &'static Reactor {
        static REACTOR: OnceLock<Reactor> = OnceLock::new();
        REACTOR.get_or_init(Reactor::new)
    }

    fn new() -> Reactor {
        let notifier = crate::fd::event(0, crate::fd::EventFlags::empty())
            .and_then(|fd| {
                let flags = crate::fd::fdstat(&fd)?.flags;
                crate::fd::set_flags(&fd, flags | crate::fd::Fdflags::NONBLOCK)?;
                Ok(fd)
            })
            .ok();
        Reactor {
            state: Mutex::default(),
            poller: Mutex::default(),
            notifier,
            notified: AtomicBool::new(false),
            block_ons: AtomicUsize::new(0),
            parked: Mutex::default(),
            driver: OnceLock::new(),
        }
    }

    /// Runs the reactor once on this thread: waits until an fd a task waits on is ready, a timer is due, a
    /// task of a thread blocked here is woken, or `timeout` passes (`None`: no limit; `Some(ZERO)`: only
    /// looks), then wakes the tasks concerned. `Ok(false)` without waiting when another thread is driving
    /// the reactor (it wakes the tasks); the errors are `poll_oneoff`'s.
    ///
    /// This is the hook for another executor: call it where the executor would park its thread (with the
    /// time to its own next timer), and have its wakers [`notify`](Self::notify) the reactor.
    pub fn turn(&self, timeout: Option<Duration>) -> Result<bool> {
        let Some(mut poller) = self.try_poller() else {
            return Ok(false);
        };
        let flags = DriverFlags::default();
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let outcome = self.react(&mut poller, &flags, timeout.map(|_| deadline));
        drop(poller);
        self.poller_released();
        outcome.map(|()| true)
    }

    /// Interrupts the wait of the thread driving the reactor (if one waits), so it returns and looks again:
    /// what a waker of a task of another executor calls when that executor's thread is the one in
    /// [`turn`](Self::turn).
    pub fn notify(&self) {
        if let Some(notifier) = &self.notifier {
            if !self.notified.swap(true, SeqCst) {
                // A failure leaves the notification pending: the wait ends at the next event instead.
                let _ = notifier.write(1);
            }
        }
    }

    /// The poller, if no other thread holds it.
    pub(crate) fn try_poller(&self) -> Option<MutexGuard<'_, Poller>> {
        match self.poller.try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// Called after releasing the poller: the `block_on`s that waited for it try again.
    pub(crate) fn poller_released(&self) {
        for thread in lock(&self.parked).drain(..) {
            thread.unpark();
        }
    }

    /// Parks this thread until the poller may be free or the thread is unparked by a wake.
    pub(crate) fn wait_for_poller(&self) {
        lock(&self.parked).push(std::thread::current());
        // Released between the failed try and the push: the releaser found no one to unpark.
        if let Ok(guard) = self.poller.try_lock() {
            drop(guard);
            return;
        }
        std::thread::park();
    }

    /// A `block_on` starts; the guard ends it.
    pub(crate) fn enter_block_on(&self) -> BlockOnGuard<'_> {
        self.block_ons.fetch_add(1, SeqCst);
        BlockOnGuard(self)
    }

    /// One wait and its wake-ups, holding the poller: fires due timers, waits in `poll_oneoff` for every
    /// wanted fd direction, the notifier and the nearest timer (not past `limit` if given: `Some(None)` is
    /// no wait, `None` no limit, and no wait at all when `flags` says the driver was already woken), then
    /// wakes the tasks whose fds or timers are ready.
    pub(crate) fn react(&self, poller: &mut Poller, flags: &DriverFlags, limit: Option<Option<Instant>>) -> Result<()> {
        let mut wake = Vec::new();
        {
            let mut state = lock(&self.state);
            let now = Instant::now();
            state.due_timers(now, &mut wake);
            let mut deadline = state.timers.first_key_value().map(|(&(at, _), _)| at);
            match limit {
                Some(None) => deadline = Some(now),
                Some(Some(at)) => deadline = Some(deadline.map_or(at, |d| d.min(at))),
                None => {}
            }
            if !wake.is_empty() {
                deadline = Some(now);
            }
            poller.poll.clear();
            for (&id, source) in &state.sources {
                // SAFETY: `poll_oneoff` takes the number as data and touches no memory through it. The
                // number is the source's fd, open while registered (`Async` deregisters before closing); if
                // another thread closes it during the wait, the host reports `BADF` or an event for a new fd
                // of that number, and dispatch below finds no source of this id or wakes its tasks to retry.
                let fd = unsafe { BorrowedFd::borrow_raw(source.fd) };
                if source.directions[Direction::Read as usize].wanted() {
                    poller.poll.readable(fd, id << 1);
                }
                if source.directions[Direction::Write as usize].wanted() {
                    poller.poll.writable(fd, id << 1 | 1);
                }
            }
            if let Some(notifier) = &self.notifier {
                // SAFETY: the notifier lives as long as the reactor, which is never dropped (a static).
                poller.poll.readable(unsafe { BorrowedFd::borrow_raw(notifier.as_raw_fd()) }, NOTIFIER);
            }
            flags.in_poll.store(true, SeqCst);
            if flags.notified.load(SeqCst) {
                deadline = Some(now);
            }
            state.polling = Some(deadline);
            if let Some(t) = deadline.map(|d| d.saturating_duration_since(now)) {
                poller.poll.clock(Clock::MONOTONIC, t, CLOCK);
            }
        }
        let outcome = if poller.poll.is_empty() {
            // Nothing to wait for and no notifier to be woken through: the caller parks instead.
            Ok(())
        } else {
            crate::io::retry_on_intr(|| poller.poll.wait_into(&mut poller.events))
        };
        flags.in_poll.store(false, SeqCst);
        let mut state = lock(&self.state);
        state.polling = None;
        if outcome.is_ok() {
            for event in poller.events.iter() {
                let userdata = event.userdata();
                if userdata == NOTIFIER {
                    self.notified.store(false, SeqCst);
                    if let Some(notifier) = &self.notifier {
                        let _ = notifier.read();
                    }
                } else if userdata != CLOCK {
                    if let Some(source) = state.sources.get_mut(&(userdata >> 1)) {
                        source.directions[(userdata & 1) as usize].fire(&mut wake);
                    }
                }
            }
        }
        state.due_timers(Instant::now(), &mut wake);
        drop(state);
        for waker in wake {
            waker.wake();
        }
        outcome
    }

    /// A new fd to wait on; its id.
    pub(crate) fn register(&self, fd: RawFd) -> u64 {
        let mut state = lock(&self.state);
        let id = state.new_id();
        state.sources.insert(id, Source { fd, directions: Default::default() });
        id
    }

    /// Forgets the fd `id` and its registrations (their wakers are dropped, not woken).
    pub(crate) fn deregister(&self, id: u64) {
        let source = lock(&self.state).sources.remove(&id);
        drop(source);
    }

    /// A new id for a waiter or timer.
    pub(crate) fn new_id(&self) -> u64 {
        lock(&self.state).new_id()
    }

    /// The `Async`'s own registration for `direction`: ready once the reactor reported the direction since
    /// the last call that returned pending.
    pub(crate) fn poll_slot(&self, id: u64, direction: Direction, cx: &mut Context<'_>) -> TaskPoll<Result<()>> {
        let mut state = lock(&self.state);
        let polling = state.polling.is_some();
        let Some(source) = state.sources.get_mut(&id) else {
            return TaskPoll::Ready(Err(Errno::BADF));
        };
        let interest = &mut source.directions[direction as usize];
        let tick = interest.tick;
        match &mut interest.slot {
            Some((_, at)) if *at != tick => {
                interest.slot = None;
                return TaskPoll::Ready(Ok(()));
            }
            Some((Some(waker), _)) if waker.will_wake(cx.waker()) => return TaskPoll::Pending,
            _ => {}
        }
        let new = !interest.wanted();
        interest.slot = Some((Some(cx.waker().clone()), tick));
        drop(state);
        self.registered(new && polling);
        TaskPoll::Pending
    }

    /// A waiter's registration for `direction` under `token`: `at` is the tick it was made at (set on the
    /// first call); ready once the tick moved.
    pub(crate) fn poll_waiter(
        &self,
        id: u64,
        direction: Direction,
        token: u64,
        at: &mut Option<u64>,
        cx: &mut Context<'_>,
    ) -> TaskPoll<Result<()>> {
        let mut state = lock(&self.state);
        let polling = state.polling.is_some();
        let Some(source) = state.sources.get_mut(&id) else {
            return TaskPoll::Ready(Err(Errno::BADF));
        };
        let interest = &mut source.directions[direction as usize];
        match *at {
            Some(tick) if tick != interest.tick => {
                interest.waiters.retain(|&(t, _)| t != token);
                *at = None;
                return TaskPoll::Ready(Ok(()));
            }
            Some(_) => {}
            None => *at = Some(interest.tick),
        }
        let new = !interest.wanted();
        match interest.waiters.iter_mut().find(|(t, _)| *t == token) {
            Some((_, waker)) => waker.clone_from(cx.waker()),
            None => interest.waiters.push((token, cx.waker().clone())),
        }
        drop(state);
        self.registered(new && polling);
        TaskPoll::Pending
    }

    /// Removes the waiter `token` of `direction` of `id` (a future dropped before it was ready).
    pub(crate) fn remove_waiter(&self, id: u64, direction: Direction, token: u64) {
        let mut state = lock(&self.state);
        if let Some(source) = state.sources.get_mut(&id) {
            source.directions[direction as usize].waiters.retain(|&(t, _)| t != token);
        }
    }

    /// Registers (or updates) the timer `id` due at `at`.
    pub(crate) fn insert_timer(&self, at: Instant, id: u64, waker: &Waker) {
        let mut state = lock(&self.state);
        let earlier = matches!(state.polling, Some(d) if d.is_none_or(|d| at < d));
        match state.timers.get_mut(&(at, id)) {
            Some(old) => old.clone_from(waker),
            None => {
                state.timers.insert((at, id), waker.clone());
            }
        }
        drop(state);
        self.registered(earlier);
    }

    /// Removes the timer `id` due at `at`, if it is still registered.
    pub(crate) fn remove_timer(&self, at: Instant, id: u64) {
        lock(&self.state).timers.remove(&(at, id));
    }

    /// After a registration: interrupts a wait that does not include it (`interrupt`), and makes sure
    /// something drives the reactor when no `block_on` does (the driver thread, or on targets without
    /// threads one look without waiting, for executors that poll in a loop).
    fn registered(&self, interrupt: bool) {
        if interrupt {
            self.notify();
        }
        if self.block_ons.load(SeqCst) > 0 {
            return;
        }
        // Whether the target has threads is known by trying: on `wasm32-wasip1` the spawn fails (stable Rust
        // has no `cfg` for the wasm `atomics` feature, so `wasm32-wasip1-threads` cannot be told apart).
        if !*self.driver.get_or_init(|| self.start_driver()) {
            let _ = self.turn(Some(Duration::ZERO));
        }
    }

    /// Starts the driver thread: it drives the reactor whenever no `block_on` holds it. Whether it started.
    fn start_driver(&self) -> bool {
        let reactor = Reactor::get();
        crate::thread::Builder::new()
            .name("wasix-rt".into())
            .spawn(move || {
                let flags = DriverFlags::default();
                loop {
                    let mut poller = lock(&reactor.poller);
                    let outcome = reactor.react(&mut poller, &flags, None);
                    drop(poller);
                    reactor.poller_released();
                    if outcome.is_err() || reactor.block_ons.load(SeqCst) > 0 {
                        // Lets a `block_on` take the poller (and a failing host a breath).
                        let _ = crate::thread::sleep(Duration::from_millis(1));
                    }
                }
            })
            .is_ok()
    }
}

impl State {
    fn new_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }
}

/// Ends a `block_on`'s count on drop.
#[derive(Debug)]
pub(crate) struct BlockOnGuard<'a>(&'a Reactor);

impl Drop for BlockOnGuard<'_> {
    fn drop(&mut self) {
        self.0.block_ons.fetch_sub(1, SeqCst);
    }
}
