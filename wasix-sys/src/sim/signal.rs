//! `callback_signal`, `proc_raise`, `proc_raise_interval`, `proc_signal` and `thread_signal` (the simulator
//! half of `wasix::signal`): signals within one process.
//!
//! # The model
//! - **The handler** is per instance: the export `callback_signal` names (default `__wasm_signal`, as
//!   Wasmer's), looked up in [`super::exports`] as an [`Export::Signal`] each time a signal is delivered.
//!   A name under which nothing (or an export of another kind) is exported means no handler: the default
//!   action applies.
//! - **Pending signals** are per thread (the main thread, id 1, is every thread that entered the instance
//!   with `Sim::run`; spawned threads have their own ids): a set of signal numbers, so a signal raised twice
//!   before delivery is delivered once, as POSIX's non-queued signals are. They are delivered, lowest
//!   number first, when that thread next **enters** a WASIX call (as on Wasmer, where signals are delivered
//!   when the guest enters a syscall): every call that goes through its instance, plus `thread_sleep`,
//!   `sched_yield` and `futex_wait`; not `futex_wake`, `futex_wake_all` and `random_get`, which never touch
//!   the instance (the hot paths of `wasix::sync`). The handler runs inside that call, before the call's own
//!   work. A call already blocked is not interrupted: the signal waits for the thread's next call.
//! - **The per-call cost** is one relaxed atomic load of the instance's count of threads with pending
//!   signals (in `state::with`); only while it is non-zero does a call take the slow path (a lock and a
//!   look-up of its own thread's set), so while one thread leaves a signal pending, the instance's other
//!   threads pay that on every call. Measured with `sim_vs_host` (five alternating runs of the benchmark
//!   built with and without the check, load average about 3 on the 2-core development VM): `fd_write` of
//!   1 byte to `/dev/null` at best 174.9 ns with it and 172.2 ns without (the host call 157.0 and 155.5),
//!   the simulator's own cost per call (`fd_write` to `Stdio::Null`) 20.2 ns with and 20.5 ns without:
//!   within the noise.
//! - **`proc_raise(sig)`** delivers `sig` to the calling thread before it returns (the handler runs inside
//!   the call). **`proc_signal(pid, sig)`** to the calling process itself is `proc_raise`; to one of its
//!   children (see `sim/process/child.rs`) it makes `sig` pending on a simulated child's main thread, or
//!   sends it to a host child with the host's `kill` (Linux's number); any other pid, 0 included, is
//!   `SRCH` (Wasmer 7.4.2 returns success for any pid). A process can signal only itself and its children.
//!   **`thread_signal(tid, sig)`** to the calling thread is `proc_raise`; to another running thread of the
//!   instance it marks `sig` pending there and returns at once; an id that is no running thread of the
//!   instance (never spawned, ended, joined) is `SRCH`. Signals still pending when a thread's entry ends are
//!   dropped.
//! - **`proc_raise_interval(sig, interval, repeat)`** arms the instance's interval timer of `sig` (one per
//!   signal, as Wasmer 7.4.2 keeps them), replacing the one armed before for `sig`: after `interval`
//!   nanoseconds `sig` is made pending on the thread that armed it, and again every `interval` if `repeat`
//!   is true (a period missed while the signal is still pending adds nothing). `interval` 0 cancels
//!   `sig`'s timer. A timer whose first expiry does not fit the host's clock never fires. Each timer is one
//!   host thread, which ends when the timer is cancelled or replaced, fires its last time, finds the thread
//!   that armed it ended, or the instance is dropped.
//! - **The default action** (no handler; the seed's rule, [`crate::seed::signal`]): the signals the seed
//!   marks "Ignored" (`pipe`, `chld`, `urg`, `winch`) and `cont` (nothing is ever stopped) do nothing; the
//!   ones that "stop executing" (`stop`, `tstp`, `ttin`, `ttou`) are ignored too, since a simulated process
//!   has no job control to continue it; every other one terminates the process as `proc_exit` does, with
//!   the code a POSIX shell reports for a process killed by a signal, **128 + the signal's number** (`term`
//!   gives 143). As in POSIX, `kill` cannot be handled (it always terminates) and `stop` cannot either (it
//!   is always ignored).
//! - **`none` (0)** delivers nothing: `proc_raise(none)` and `proc_signal(own pid, none)` succeed,
//!   `thread_signal(tid, none)` only checks that the thread exists. A number the seed does not define is
//!   `INVAL`, as an unknown `repeat` boolean is.

use super::exports::{Callback, Export};
use super::lock;
use super::state::{self, Sim, State};
use super::thread::spawn::current_tid;
use super::{errno, process};
use crate::seed::signal::{self, Action};
use crate::{Bool, Errno, Pid, Signal, Tid, Timestamp};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

/// An instance's signals: the threads' pending sets and the interval timer.
#[derive(Debug, Default)]
pub(crate) struct Signals {
    /// How many threads have a non-empty pending set: the per-call check reads only this.
    waiting: AtomicU32,
    /// Each thread's pending set, bit `n` for signal `n`; only non-empty sets are kept.
    pending: Mutex<HashMap<Tid, u32>>,
    /// The interval timers' control, shared with their host threads.
    timer: Arc<Timer>,
}

/// The interval timers' control: the host thread of signal `n`'s timer runs while `armed[n]` holds the
/// generation it was started with.
#[derive(Debug, Default)]
struct Timer {
    armed: Mutex<[u64; 31]>,
    changed: Condvar,
}

impl Signals {
    /// Whether some thread of the instance has a signal pending: one relaxed load. A set made pending on
    /// another core may be seen a call later; the pending set itself is read under its lock.
    #[inline(always)]
    pub(crate) fn any_pending(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) != 0
    }

    /// Adds `sig` to `tid`'s pending set, if `running` (checked under the lock, so a thread that ends, see
    /// [`Signals::forget`], never gets a set afterwards). `none` adds nothing.
    fn mark(&self, tid: Tid, sig: Signal, running: impl FnOnce() -> bool) -> Result<(), Errno> {
        let mut pending = lock(&self.pending);
        if !running() {
            return Err(Errno::SRCH);
        }
        if sig != Signal::NONE {
            let set = pending.entry(tid).or_insert(0);
            if *set == 0 {
                self.waiting.fetch_add(1, Ordering::Relaxed);
            }
            *set |= 1 << sig.raw();
        }
        Ok(())
    }

    /// Takes `tid`'s pending set.
    fn take(&self, tid: Tid) -> u32 {
        let mut pending = lock(&self.pending);
        match pending.remove(&tid) {
            Some(set) => {
                self.waiting.fetch_sub(1, Ordering::Relaxed);
                set
            }
            None => 0,
        }
    }

    /// Drops the signals pending on a thread whose entry has ended; `ended` marks it so (under the lock,
    /// see [`Signals::mark`]).
    pub(crate) fn forget(&self, tid: Tid, ended: impl FnOnce()) {
        let mut pending = lock(&self.pending);
        ended();
        if pending.remove(&tid).is_some() {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Stops `sig`'s interval timer (its host thread ends) and gives the generation a new one runs under.
    fn rearm(&self, sig: Signal) -> u64 {
        let mut armed = lock(&self.timer.armed);
        let generation = &mut armed[usize::from(sig.raw())];
        *generation += 1;
        self.timer.changed.notify_all();
        *generation
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        let mut armed = lock(&self.timer.armed);
        armed.iter_mut().for_each(|g| *g += 1);
        self.timer.changed.notify_all();
    }
}

/// `INVAL` for a number the seed does not define.
fn check(sig: Signal) -> Result<(), Errno> {
    sig.name().map(drop).ok_or(Errno::INVAL)
}

/// Delivers `sig` on the calling thread: its handler, else its default action.
fn deliver(state: &State, sig: Signal) {
    if sig == Signal::NONE {
        return;
    }
    if signal::catchable(sig) {
        if let Some(Export::Signal(handler)) = state.callbacks.resolve(Callback::Signal) {
            // SAFETY: the guest exported `handler` as its signal handler, which takes the signal.
            unsafe { handler(sig) };
            return;
        }
    }
    if signal::default_action(sig) == Action::Terminate {
        process::exit_process(signal::exit_code(sig))
    }
}

/// Delivers the calling thread's pending signals, lowest number first: the slow path of `state::with`,
/// taken only while some thread of the instance has signals pending.
#[cold]
#[inline(never)]
pub(crate) fn deliver_pending(state: &State) {
    let mut set = state.signals.take(current_tid(state));
    while set != 0 {
        let n = set.trailing_zeros();
        set &= set - 1;
        // `n` < 32 and only defined numbers are ever marked.
        deliver(state, Signal::from_raw(n as u8));
    }
}

/// The check a call that does not otherwise reach its instance makes at its entry (`thread_sleep`,
/// `sched_yield`, `futex_wait`): the calling thread's pending signals are delivered.
#[inline]
pub(crate) fn at_entry() {
    state::deliver_signals();
}

pub(crate) unsafe fn callback_signal(callback: *const u8, callback_len: usize) {
    // SAFETY: per the ABI contract.
    unsafe { super::thread::spawn::set_callback(Callback::Signal, callback, callback_len) }
}

pub(crate) unsafe fn proc_raise(sig: Signal) -> Errno {
    if let Err(e) = check(sig) {
        return e;
    }
    state::with(|s| deliver(s, sig));
    Errno::SUCCESS
}

pub(crate) unsafe fn proc_signal(pid: Pid, sig: Signal) -> Errno {
    if let Err(e) = check(sig) {
        return e;
    }
    state::with(|s| {
        if pid != s.pid() {
            if sig == Signal::NONE {
                return if s.children.contains(pid) { Errno::SUCCESS } else { Errno::SRCH };
            }
            return super::status(s.children.signal(pid, sig));
        }
        deliver(s, sig);
        Errno::SUCCESS
    })
}

/// Sends `sig` to another simulated process: pending on its main thread, delivered at that thread's next
/// WASIX call (or ending its `proc_join` wait).
pub(crate) fn send(target: &State, sig: Signal) -> Result<(), Errno> {
    target.signals.mark(super::thread::spawn::MAIN_TID, sig, || true)
}

/// Whether the calling thread has a signal pending (a blocking call's reason to stop with `INTR`).
pub(crate) fn pending_here(state: &State) -> bool {
    state.signals.any_pending() && lock(&state.signals.pending).contains_key(&current_tid(state))
}

pub(crate) unsafe fn thread_signal(tid: Tid, sig: Signal) -> Errno {
    if let Err(e) = check(sig) {
        return e;
    }
    state::with(|s| {
        if tid == current_tid(s) {
            deliver(s, sig);
            return Errno::SUCCESS;
        }
        super::status(s.signals.mark(tid, sig, || s.threads.is_running(tid)))
    })
}

pub(crate) unsafe fn proc_raise_interval(sig: Signal, interval: Timestamp, repeat: Bool) -> Errno {
    if let Err(e) = check(sig) {
        return e;
    }
    let repeat = match repeat {
        Bool::FALSE => false,
        Bool::TRUE => true,
        _ => return Errno::INVAL,
    };
    let sim = Sim::current();
    let signals = &sim.state.signals;
    let generation = signals.rearm(sig);
    if interval == 0 {
        return Errno::SUCCESS;
    }
    let period = Duration::from_nanos(interval);
    let Some(first) = Instant::now().checked_add(period) else { return Errno::SUCCESS };
    let tid = current_tid(&sim.state);
    let instance = Arc::downgrade(&sim.state);
    let timer = Arc::clone(&signals.timer);
    let started = std::thread::Builder::new()
        .name(format!("wasix {} signal timer", sim.pid()))
        .spawn(move || run_timer(&timer, generation, &instance, first, period, repeat, tid, sig));
    match started {
        Ok(_) => Errno::SUCCESS,
        Err(e) => errno::from_io(&e),
    }
}

/// An interval timer's host thread: makes `sig` pending on `tid` at `next` (and every `period` after,
/// if `repeat`) while the timer stays armed with `generation` and the instance exists.
#[allow(clippy::too_many_arguments)]
fn run_timer(
    timer: &Timer,
    generation: u64,
    instance: &Weak<State>,
    mut next: Instant,
    period: Duration,
    repeat: bool,
    tid: Tid,
    sig: Signal,
) {
    loop {
        {
            let mut armed = lock(&timer.armed);
            loop {
                if armed[usize::from(sig.raw())] != generation {
                    return;
                }
                let now = Instant::now();
                if now >= next {
                    break;
                }
                armed = timer.changed.wait_timeout(armed, next - now).unwrap_or_else(PoisonError::into_inner).0;
            }
        }
        // Outside the timer's lock: dropping the last reference here drops the instance, whose `Signals`
        // takes that lock.
        let Some(state) = instance.upgrade() else { return };
        // The thread that armed the timer may have ended: the timer then stops.
        let marked = state.signals.mark(tid, sig, || state.threads.is_running(tid));
        drop(state);
        if marked.is_err() || !repeat {
            return;
        }
        // Periods missed meanwhile are skipped (the signal is pending once whatever their number).
        match next.checked_add(period) {
            Some(n) => next = n.max(Instant::now()),
            None => return,
        }
    }
}
