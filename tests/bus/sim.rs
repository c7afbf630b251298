//! Calls through the simulator's bus: echo in every format, concurrency, faults, subcalls, exits, futures
//! on two executors, bad input.

use super::{sample, Sample, SERVED};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use wasix::bus::{self, Error, Format, Process};
use wasix::sim::{Config, Sim};

/// The test bus program: echo, arithmetic, faults, exits and a callback into the caller.
fn service() {
    bus::serve()
        .handle("echo", |_, s: Sample| Ok(s))
        .handle("double", |_, n: u64| Ok(n * 2))
        .handle("fail", |_, e: u32| Err::<(), _>(Error::from_raw(e)))
        .handle("exit", |_, code: u32| -> Result<(), Error> { wasix::process::exit(code) })
        .handle("depth", |req, n: u32| {
            // Calls back into the caller within this call, which calls back in here, until 0.
            if n == 0 {
                return Ok(vec![0]);
            }
            let mut path: Vec<u32> = req.subcall("depth", &(n - 1)).wait()?;
            path.push(n);
            Ok(path)
        })
        .handle_raw("raw", |_, bytes| Ok(bytes.iter().rev().copied().collect()))
        .run()
}

fn sim() -> Sim {
    Config::new().program("service", service).build().unwrap()
}

#[test]
fn an_echo_round_trips_in_every_served_format() {
    sim().run(|| {
        for format in SERVED {
            let p = Process::open_local("service").unwrap().with_format(format);
            let back: Sample = p.call("echo", &sample()).wait().unwrap();
            assert_eq!(back, sample(), "{format:?}");
        }
        let p = Process::open_local("service").unwrap();
        assert_eq!(p.call_raw("raw", b"abc").wait().unwrap(), b"cba");
    });
}

#[test]
fn a_thousand_concurrent_calls_from_eight_threads_each_get_their_own_answer() {
    sim().run(|| {
        let p = Arc::new(Process::open_local("service").unwrap());
        let threads: Vec<_> = (0..8u64)
            .map(|t| {
                let p = p.clone();
                wasix::thread::spawn(move || {
                    let calls: Vec<_> =
                        (0..125u64).map(|i| (t * 1000 + i, p.call::<_, u64>("double", &(t * 1000 + i)))).collect();
                    for (n, call) in calls {
                        assert_eq!(call.wait().unwrap(), n * 2);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    });
}

#[test]
fn a_fault_reaches_the_caller_with_its_error() {
    sim().run(|| {
        let p = Process::open_local("service").unwrap();
        for e in [Error::ACCESS_DENIED, Error::BAD_REQUEST, Error::INVALID_TOPIC] {
            assert_eq!(p.call::<_, ()>("fail", &e.raw()).wait().unwrap_err(), e);
        }
        // `success` is no fault: it arrives as `unknown_error`.
        assert_eq!(p.call::<_, ()>("fail", &0u32).wait().unwrap_err(), Error::UNKNOWN_ERROR);
    });
}

#[test]
fn subcalls_nest_three_deep() {
    sim().run(|| {
        // This process answers the callbacks too.
        bus::serve()
            .handle("depth", |req, n: u32| {
                if n == 0 {
                    return Ok(vec![0]);
                }
                let mut path: Vec<u32> = req.subcall("depth", &(n - 1)).wait()?;
                path.push(n);
                Ok(path)
            })
            .install();
        let p = Process::open_local("service").unwrap();
        // 3 (there) → 2 (here) → 1 (there) → 0 (here).
        let path: Vec<u32> = p.call("depth", &3u32).wait().unwrap();
        assert_eq!(path, vec![0, 1, 2, 3]);
    });
}

#[test]
fn a_bus_process_that_exits_mid_call_faults_its_calls_and_reports_its_code() {
    sim().run(|| {
        let p = Process::open_local("service").unwrap();
        assert_eq!(p.call::<_, ()>("exit", &7u32).wait().unwrap_err(), Error::ABORTED);
        assert_eq!(p.wait_exit().unwrap(), 7);
        assert_eq!(p.exit_code(), Some(7));
        assert_eq!(p.call::<_, u64>("double", &1u64).wait().unwrap_err(), Error::ABORTED);
    });
}

#[test]
fn futures_complete_on_block_on_and_on_a_thread_pool() {
    sim().run(|| {
        let p = Process::open_local("service").unwrap();
        let both = futures::future::join(p.call::<_, u64>("double", &2u64), p.call::<_, u64>("double", &3u64));
        let (a, b) = futures::executor::block_on(both);
        assert_eq!((a.unwrap(), b.unwrap()), (4, 6));
        let pool = futures::executor::ThreadPool::builder().pool_size(2).create().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        for n in 0..16u64 {
            let (call, tx) = (p.call::<_, u64>("double", &n), tx.clone());
            pool.spawn_ok(async move { tx.send((n, call.await.unwrap())).unwrap() });
        }
        for _ in 0..16 {
            let (n, got) = rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
            assert_eq!(got, n * 2);
        }
    });
}

#[test]
fn reuse_joins_the_running_bus_process() {
    static STARTS: AtomicU32 = AtomicU32::new(0);
    let sim = Config::new()
        .program("counted", || {
            STARTS.fetch_add(1, Ordering::SeqCst);
            bus::serve().handle("pid", |_, (): ()| Ok(wasix::process::id().unwrap())).run()
        })
        .build()
        .unwrap();
    sim.run(|| {
        let a = Process::open_local("counted").unwrap();
        let b = Process::open_local_with("counted", true).unwrap();
        let c = Process::open_local("counted").unwrap();
        let pid = |p: &Process| p.call::<_, u32>("pid", &()).wait().unwrap();
        assert_eq!(pid(&a), pid(&b));
        assert_ne!(pid(&a), pid(&c));
        assert_eq!(STARTS.load(Ordering::SeqCst), 2);
    });
}

#[test]
fn bad_input_is_a_listed_error() {
    sim().run(|| {
        assert_eq!(Process::open_local("no-such-program").unwrap_err(), Error::INVALID_WAPM);
        assert_eq!(Process::open_local("").unwrap_err(), Error::BAD_REQUEST);
        assert_eq!(Process::open_local("a\0b").unwrap_err(), Error::BAD_REQUEST);
        let p = Process::open_local("service").unwrap();
        assert_eq!(p.call::<_, ()>("no-such-topic", &()).wait().unwrap_err(), Error::INVALID_TOPIC);
        // A request that is not the handler's type.
        assert_eq!(p.call::<_, u64>("double", &0u8).wait().unwrap_err(), Error::DESERIALIZATION);
        // A reply that is not the caller's type.
        assert_eq!(p.call::<_, String>("double", &1u64).wait().unwrap_err(), Error::DESERIALIZATION);
        for format in [Format::Xml, Format::Rkyv] {
            let p = Process::open_local("service").unwrap().with_format(format);
            assert_eq!(p.call::<_, u64>("double", &1u64).wait().unwrap_err(), Error::UNSUPPORTED);
        }
    });
}

#[test]
fn a_call_outliving_its_handle_still_ends() {
    sim().run(|| {
        let p = Process::open_local("service").unwrap();
        let call = p.call::<_, u64>("double", &21u64);
        drop(p);
        // The reply may have come before the handle closed; otherwise the call is closed with it.
        match call.wait() {
            Ok(42) | Err(Error::ABORTED) => {}
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn closing_the_last_handle_ends_the_bus_process() {
    static ENDED: AtomicU32 = AtomicU32::new(0);
    struct CountsItsEnd;
    impl Drop for CountsItsEnd {
        fn drop(&mut self) {
            ENDED.fetch_add(1, Ordering::SeqCst);
        }
    }
    let sim = Config::new()
        .program("ends", || {
            let _end = CountsItsEnd;
            bus::serve().handle("ping", |_, (): ()| Ok(())).run()
        })
        .build()
        .unwrap();
    sim.run(|| {
        let p = Process::open_local("ends").unwrap();
        let q = Process::open_local_with("ends", true).unwrap();
        p.call::<_, ()>("ping", &()).wait().unwrap();
        drop(p);
        q.call::<_, ()>("ping", &()).wait().unwrap();
        assert_eq!(ENDED.load(Ordering::SeqCst), 0, "another handle still holds it");
        drop(q);
    });
    // The process gets `term` and unwinds its main.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while ENDED.load(Ordering::SeqCst) == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(ENDED.load(Ordering::SeqCst), 1);
}
