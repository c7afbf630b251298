#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

//! Signals at the raw level: the handler `callback_signal` names running inside `proc_raise`, the default
//! actions (terminate with 128 + the number, or ignore), `none`, unknown numbers and ids, `thread_signal`
//! delivered on the target thread's next call, the interval timer firing, cancelled and firing once, and
//! `proc_parent`. Every wait is bounded, so no test can hang.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};
use wasix_sys::sim::exports::{export, Export};
use wasix_sys::sim::{Config, Exit, Sim};
use wasix_sys::*;

/// Every delivery a handler of this file saw, as (pid, tid, signal).
static SEEN: Mutex<Vec<(Pid, Tid, u8)>> = Mutex::new(Vec::new());

/// The handler: records the delivery, asking the simulator for the process and thread it runs on.
unsafe extern "C-unwind" fn record(sig: Signal) {
    let (mut pid, mut tid) = (0, 0);
    // SAFETY: valid out-pointers.
    unsafe {
        assert_eq!(proc_id(&mut pid), Errno::SUCCESS);
        assert_eq!(thread_id(&mut tid), Errno::SUCCESS);
    }
    SEEN.lock().unwrap().push((pid, tid, sig.raw()));
}

/// What a spawned thread waits for before its next WASIX call.
struct Gate {
    go: AtomicBool,
    called: AtomicBool,
}

/// A thread entry that makes no WASIX call until the gate opens (bounded at 5 s), then one.
unsafe extern "C-unwind" fn gated(user_data: u64) {
    // SAFETY: the spawner passes a `Gate` that outlives the thread (it joins it).
    let gate = unsafe { &*(user_data as usize as *const Gate) };
    let start = Instant::now();
    while !gate.go.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(1));
    }
    // SAFETY: no pointers.
    unsafe { sched_yield() };
    gate.called.store(true, Ordering::SeqCst);
}

fn exports() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        export("test_signal", Export::Signal(record));
        export("test_gated", Export::Thread(gated));
    });
}

/// A fresh instance whose signal handler is [`record`].
fn instance() -> Sim {
    exports();
    let sim = Config::new().build().unwrap();
    sim.run(|| name_handler("test_signal"));
    sim
}

fn name_handler(name: &str) {
    // SAFETY: a valid name.
    unsafe { callback_signal(name.as_ptr(), name.len()) }
}

fn seen(pid: Pid) -> Vec<(Tid, u8)> {
    SEEN.lock().unwrap().iter().filter(|s| s.0 == pid).map(|s| (s.1, s.2)).collect()
}

fn raise(sig: Signal) -> Errno {
    // SAFETY: no pointers.
    unsafe { proc_raise(sig) }
}

/// Makes WASIX calls (each delivers pending signals) until `done` or 5 s.
fn calls_until(done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() && start.elapsed() < Duration::from_secs(5) {
        // SAFETY: no pointers.
        unsafe { thread_sleep(500_000) };
    }
}

#[test]
fn the_handler_runs_inside_proc_raise_with_the_signal() {
    let sim = instance();
    sim.run(|| {
        assert_eq!(raise(Signal::USR1), Errno::SUCCESS);
        assert_eq!(seen(sim.pid()), [(1, 10)], "delivered before proc_raise returned, on the main thread");
        assert_eq!(raise(Signal::TERM), Errno::SUCCESS, "a handled signal does not terminate");
        assert_eq!(seen(sim.pid()), [(1, 10), (1, 15)]);
    });
}

#[test]
fn without_a_handler_a_terminating_signal_exits_with_128_plus_its_number() {
    for (sig, code) in [(Signal::TERM, 143), (Signal::HUP, 129), (Signal::USR1, 138), (Signal::ALRM, 142)] {
        let sim = Config::new().build().unwrap();
        assert_eq!(sim.run_main(|| assert_eq!(raise(sig), Errno::SUCCESS)), Exit(code), "{sig:?}");
    }
}

#[test]
fn kill_terminates_even_with_a_handler_and_stop_is_never_handled() {
    let sim = instance();
    assert_eq!(sim.run_main(|| assert_eq!(raise(Signal::STOP), Errno::SUCCESS)), Exit(0));
    assert_eq!(
        sim.run_main(|| {
            let _ = raise(Signal::KILL);
        }),
        Exit(137)
    );
    assert_eq!(seen(sim.pid()), []);
}

#[test]
fn signals_whose_default_is_ignore_do_nothing() {
    let sim = Config::new().build().unwrap();
    let ignored = [
        Signal::PIPE,
        Signal::CHLD,
        Signal::URG,
        Signal::WINCH,
        Signal::CONT,
        Signal::STOP,
        Signal::TSTP,
        Signal::TTIN,
        Signal::TTOU,
    ];
    let exit = sim.run_main(|| {
        for sig in ignored {
            assert_eq!(raise(sig), Errno::SUCCESS, "{sig:?}");
        }
    });
    assert_eq!(exit, Exit(0));
}

#[test]
fn a_handler_name_with_no_export_behind_it_gives_the_default_action() {
    let sim = instance();
    sim.run(|| name_handler("no_such_export"));
    assert_eq!(
        sim.run_main(|| {
            let _ = raise(Signal::USR2);
        }),
        Exit(140)
    );
    // An export of another kind is no handler either.
    sim.run(|| name_handler("test_gated"));
    assert_eq!(
        sim.run_main(|| {
            let _ = raise(Signal::INT);
        }),
        Exit(130)
    );
    sim.run(|| name_handler("test_signal"));
    sim.run(|| assert_eq!(raise(Signal::INT), Errno::SUCCESS));
    assert_eq!(seen(sim.pid()), [(1, 2)]);
}

#[test]
fn signal_none_only_checks_the_target() {
    let sim = instance();
    sim.run(|| {
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(proc_raise(Signal::NONE), Errno::SUCCESS);
            assert_eq!(proc_signal(sim.pid(), Signal::NONE), Errno::SUCCESS);
            assert_eq!(proc_signal(sim.pid() + 1000, Signal::NONE), Errno::SRCH);
            assert_eq!(thread_signal(1, Signal::NONE), Errno::SUCCESS);
            assert_eq!(thread_signal(77, Signal::NONE), Errno::SRCH);
            assert_eq!(proc_raise_interval(Signal::NONE, 1_000, Bool::TRUE), Errno::SUCCESS);
            assert_eq!(proc_raise_interval(Signal::NONE, 0, Bool::FALSE), Errno::SUCCESS);
        }
    });
    assert_eq!(seen(sim.pid()), []);
}

#[test]
fn unknown_signals_are_inval() {
    let sim = instance();
    sim.run(|| {
        for raw in [31, 32, 200, 255] {
            let sig = Signal::from_raw(raw);
            // SAFETY: no pointers.
            unsafe {
                assert_eq!(proc_raise(sig), Errno::INVAL, "{raw}");
                assert_eq!(proc_signal(sim.pid(), sig), Errno::INVAL, "{raw}");
                assert_eq!(thread_signal(1, sig), Errno::INVAL, "{raw}");
                assert_eq!(proc_raise_interval(sig, 1_000_000, Bool::FALSE), Errno::INVAL, "{raw}");
            }
        }
        // SAFETY: no pointers.
        assert_eq!(unsafe { proc_raise_interval(Signal::USR1, 1_000_000, Bool::from_raw(2)) }, Errno::INVAL);
    });
    assert_eq!(seen(sim.pid()), []);
}

#[test]
fn proc_signal_reaches_the_calling_process_only() {
    let sim = instance();
    sim.run(|| {
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(proc_signal(sim.pid(), Signal::HUP), Errno::SUCCESS);
            assert_eq!(proc_signal(0, Signal::HUP), Errno::SRCH);
            assert_eq!(proc_signal(sim.pid() + 1000, Signal::KILL), Errno::SRCH);
        }
    });
    assert_eq!(seen(sim.pid()), [(1, 1)]);
}

#[test]
fn thread_signal_is_delivered_on_the_target_threads_next_call() {
    let sim = instance();
    sim.run(|| {
        name_callback_thread("test_gated");
        let gate = Box::new(Gate { go: AtomicBool::new(false), called: AtomicBool::new(false) });
        let mut tid = 0;
        // SAFETY: valid out-pointer; `gate` outlives the thread (joined below).
        let e = unsafe { thread_spawn(&*gate as *const Gate as usize as u64, 0, 0, Bool::FALSE, &mut tid) };
        assert_eq!(e, Errno::SUCCESS);
        // SAFETY: no pointers.
        assert_eq!(unsafe { thread_signal(tid, Signal::USR2) }, Errno::SUCCESS);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(seen(sim.pid()), [], "nothing is delivered before the thread's next call");
        // The main thread's own calls do not take the other thread's signal.
        // SAFETY: no pointers.
        unsafe { sched_yield() };
        assert_eq!(seen(sim.pid()), []);
        gate.go.store(true, Ordering::SeqCst);
        // SAFETY: no pointers.
        assert_eq!(unsafe { thread_join(tid) }, Errno::SUCCESS);
        assert!(gate.called.load(Ordering::SeqCst));
        assert_eq!(seen(sim.pid()), [(tid, 12)], "delivered on the target thread");
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(thread_signal(tid, Signal::USR2), Errno::SRCH, "a joined thread");
            assert_eq!(thread_signal(tid + 1, Signal::USR2), Errno::SRCH, "a thread never spawned");
            assert_eq!(thread_signal(1, Signal::USR1), Errno::SUCCESS, "oneself: delivered at once");
        }
        assert_eq!(seen(sim.pid()), [(tid, 12), (1, 10)]);
    });
}

fn name_callback_thread(name: &str) {
    // SAFETY: a valid name.
    unsafe { callback_thread(name.as_ptr(), name.len()) }
}

#[test]
fn a_repeating_interval_fires_until_cancelled() {
    let sim = instance();
    sim.run(|| {
        let count = || seen(sim.pid()).len();
        // SAFETY: no pointers.
        assert_eq!(unsafe { proc_raise_interval(Signal::ALRM, 2_000_000, Bool::TRUE) }, Errno::SUCCESS);
        calls_until(|| count() >= 3);
        assert!(count() >= 3, "fired {} times in 5 s", count());
        assert!(seen(sim.pid()).iter().all(|&s| s == (1, 14)), "on the thread that armed it");
        // SAFETY: no pointers.
        assert_eq!(unsafe { proc_raise_interval(Signal::ALRM, 0, Bool::FALSE) }, Errno::SUCCESS);
        // SAFETY: no pointers; delivers what was pending when it was cancelled.
        unsafe { sched_yield() };
        let after = count();
        let start = Instant::now();
        calls_until(|| start.elapsed() > Duration::from_millis(30));
        assert_eq!(count(), after, "a cancelled timer fires no more");
    });
}

#[test]
fn a_one_shot_interval_fires_once() {
    let sim = instance();
    sim.run(|| {
        let count = || seen(sim.pid()).len();
        // SAFETY: no pointers.
        assert_eq!(unsafe { proc_raise_interval(Signal::USR1, 1_000_000, Bool::FALSE) }, Errno::SUCCESS);
        calls_until(|| count() >= 1);
        let start = Instant::now();
        calls_until(|| start.elapsed() > Duration::from_millis(30));
        assert_eq!(seen(sim.pid()), [(1, 10)]);
    });
}

#[test]
fn an_interval_signal_without_a_handler_terminates_at_the_next_call() {
    let sim = Config::new().build().unwrap();
    let exit = sim.run_main(|| {
        // SAFETY: no pointers.
        assert_eq!(unsafe { proc_raise_interval(Signal::ALRM, 1_000_000, Bool::FALSE) }, Errno::SUCCESS);
        calls_until(|| false);
        panic!("the alarm did not end the process within 5 s");
    });
    assert_eq!(exit, Exit(142));
}

#[test]
fn a_new_interval_replaces_the_old_one_of_its_signal_only() {
    let sim = instance();
    sim.run(|| {
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(proc_raise_interval(Signal::USR1, 1_000_000, Bool::TRUE), Errno::SUCCESS);
            assert_eq!(proc_raise_interval(Signal::USR1, 1_000_000, Bool::FALSE), Errno::SUCCESS);
            assert_eq!(proc_raise_interval(Signal::USR2, 1_000_000, Bool::TRUE), Errno::SUCCESS);
        }
        let count = |n| seen(sim.pid()).iter().filter(|s| s.1 == n).count();
        calls_until(|| count(12) >= 3);
        // SAFETY: no pointers.
        assert_eq!(unsafe { proc_raise_interval(Signal::USR2, 0, Bool::FALSE) }, Errno::SUCCESS);
        let start = Instant::now();
        calls_until(|| start.elapsed() > Duration::from_millis(20));
        assert!(count(12) >= 3, "the other signal's timer runs on: {:?}", seen(sim.pid()));
        // The repeating timer had at most one expiry before the one-shot replaced it.
        assert!((1..=2).contains(&count(10)), "{:?}", seen(sim.pid()));
    });
}

#[test]
fn a_process_has_no_parent() {
    let sim = instance();
    sim.run(|| {
        let mut parent = 77;
        // SAFETY: valid out-pointers, or null.
        unsafe {
            assert_eq!(proc_parent(sim.pid(), &mut parent), Errno::SUCCESS);
            assert_eq!(parent, 0);
            parent = 77;
            assert_eq!(proc_parent(sim.pid() + 1000, &mut parent), Errno::BADF);
            assert_eq!(parent, 77, "a failing call writes nothing");
            assert_eq!(proc_parent(sim.pid(), std::ptr::null_mut()), Errno::FAULT);
        }
    });
}
