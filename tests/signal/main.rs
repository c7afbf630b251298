//! `wasix::signal`: handlers running on `raise`, every signal's number reaching its handler, the interval
//! timer firing and being cancelled, `send_to_thread` reaching a thread at its next call, signalling the
//! process itself; natively (`mod sim`) the default actions' exit codes. Every wait is bounded.
//!
//! The handlers are the process's: natively the tests share them, so each test raises signals no other test
//! raises, and `term`, `winch` and `kill` are left without a handler for the default actions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use wasix::io::Errno;
use wasix::signal::{self, Signal};
use wasix::{process, thread};

/// Every delivery [`record`] saw, as (thread id, signal).
static SEEN: Mutex<Vec<(u32, Signal)>> = Mutex::new(Vec::new());

fn record(sig: Signal) {
    let tid = thread::current_id().map_or(0, |t| t.as_raw());
    SEEN.lock().unwrap().push((tid, sig));
}

fn count(sig: Signal) -> usize {
    SEEN.lock().unwrap().iter().filter(|s| s.1 == sig).count()
}

/// Makes WASIX calls (each takes the calling thread's pending signals) until `done` or 5 s.
fn calls_until(done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() && start.elapsed() < Duration::from_secs(5) {
        thread::sleep(Duration::from_micros(500)).unwrap();
    }
}

#[test]
fn a_raised_signal_runs_its_handler_before_raise_returns() {
    signal::set_handler(Signal::Usr1, Some(record)).unwrap();
    signal::raise(Signal::Usr1).unwrap();
    assert_eq!(count(Signal::Usr1), 1);
    assert!(SEEN.lock().unwrap().contains(&(thread::current_id().unwrap().as_raw(), Signal::Usr1)), "on this thread");
}

/// The signals `every_signal_reaches_its_handler_with_its_number` handles: all but those other tests raise.
fn handled_here(sig: Signal) -> bool {
    !matches!(
        sig,
        Signal::Usr1
            | Signal::Usr2
            | Signal::Vtalrm
            | Signal::Xfsz
            | Signal::Hup
            | Signal::Term
            | Signal::Winch
            | Signal::Kill
            | Signal::Stop
    )
}

#[test]
fn every_signal_reaches_its_handler_with_its_number() {
    for sig in Signal::ALL.into_iter().filter(|&s| handled_here(s)) {
        assert_eq!(Signal::from_raw(sig.raw()), Some(sig));
        signal::set_handler(sig, Some(record)).unwrap();
        let before = count(sig);
        signal::raise(sig).unwrap();
        assert_eq!(count(sig), before + 1, "{sig:?}");
    }
}

#[test]
fn kill_and_stop_cannot_be_handled() {
    assert_eq!(signal::set_handler(Signal::Kill, Some(record)), Err(Errno::INVAL));
    assert_eq!(signal::set_handler(Signal::Stop, Some(record)), Err(Errno::INVAL));
}

#[test]
fn setting_a_handler_returns_the_one_before() {
    fn other(_: Signal) {}
    assert_eq!(signal::set_handler(Signal::Hup, Some(other)), Ok(None));
    let old = signal::set_handler(Signal::Hup, None).unwrap();
    assert!(old.is_some_and(|f| core::ptr::fn_addr_eq(f, other as fn(Signal))));
}

#[test]
fn an_interval_raises_its_signal_until_cancelled() {
    signal::set_handler(Signal::Vtalrm, Some(record)).unwrap();
    signal::interval(Signal::Vtalrm, Duration::from_millis(2), true).unwrap();
    calls_until(|| count(Signal::Vtalrm) >= 3);
    signal::cancel_interval(Signal::Vtalrm).unwrap();
    assert!(count(Signal::Vtalrm) >= 3, "fired {} times in 5 s", count(Signal::Vtalrm));
    // Takes what was pending when it was cancelled.
    process::yield_now().unwrap();
    let after = count(Signal::Vtalrm);
    let start = Instant::now();
    calls_until(|| start.elapsed() > Duration::from_millis(30));
    assert_eq!(count(Signal::Vtalrm), after, "a cancelled timer fires no more");
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_signalled_thread_runs_the_handler_at_its_next_call() {
    signal::set_handler(Signal::Usr2, Some(record)).unwrap();
    let go = std::sync::Arc::new(AtomicBool::new(false));
    let theirs = go.clone();
    let t = thread::spawn(move || {
        let start = Instant::now();
        while !theirs.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(5) {
            core::hint::spin_loop();
        }
        calls_until(|| count(Signal::Usr2) >= 1);
    });
    let tid = t.id();
    signal::send_to_thread(tid, Signal::Usr2).unwrap();
    go.store(true, Ordering::SeqCst);
    t.join().unwrap();
    assert_eq!(*SEEN.lock().unwrap().iter().find(|s| s.1 == Signal::Usr2).unwrap(), (tid.as_raw(), Signal::Usr2));
}

#[test]
fn signalling_the_process_itself_runs_the_handler() {
    signal::set_handler(Signal::Xfsz, Some(record)).unwrap();
    signal::send(process::id().unwrap(), Signal::Xfsz).unwrap();
    calls_until(|| count(Signal::Xfsz) >= 1);
    assert_eq!(count(Signal::Xfsz), 1);
}

#[cfg(not(target_family = "wasm"))]
mod sim {
    //! The default actions, each in a process of its own.

    use super::*;
    use wasix::sim::{Config, Exit};

    #[test]
    fn an_unhandled_signal_terminates_with_128_plus_its_number_or_is_ignored() {
        let sim = Config::new().build().unwrap();
        assert_eq!(sim.run_main(|| signal::raise(Signal::Term).unwrap()), Exit(143));
        assert_eq!(sim.run_main(|| signal::raise(Signal::Kill).unwrap()), Exit(137));
        assert_eq!(sim.run_main(|| signal::raise(Signal::Winch).unwrap()), Exit(0));
    }

    #[test]
    fn other_processes_are_srch() {
        let sim = Config::new().build().unwrap();
        sim.run(|| assert_eq!(signal::send(sim.pid() + 1000, Signal::Term), Err(Errno::SRCH)));
    }
}
