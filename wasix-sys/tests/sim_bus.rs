//! The bus at the raw level: events exactly once and in order, `bus_poll`'s timeout and `nevents`, each
//! bad input's exact `bus_error`, and the remote bus between two host processes (this test binary runs a
//! second copy of itself as the server, see [`remote_peer`]).

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use wasix_sys::seed::bus::topic_hash;
use wasix_sys::sim::Config;
use wasix_sys::*;

fn read_fd(fd: Fd) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: buf.len() };
        let mut n = 0;
        // SAFETY: one valid iovec, a valid out-pointer.
        assert_eq!(unsafe { fd_read(fd, &iov, 1, &mut n) }, Errno::SUCCESS);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n as usize]);
    }
    // SAFETY: no pointers.
    assert_eq!(unsafe { fd_close(fd) }, Errno::SUCCESS);
    out
}

fn poll(timeout: u64, n: usize) -> Vec<BusEvent> {
    let mut events = vec![BusEvent::default(); n];
    let mut got = 0;
    // SAFETY: `events` holds `n` events.
    assert_eq!(unsafe { bus_poll(timeout, events.as_mut_ptr(), n as u32, &mut got) }, BusError::SUCCESS);
    events.truncate(got as usize);
    events
}

/// The second `call_reply` of the `twice` topic, as the bus process saw it.
static SECOND_REPLY: AtomicU32 = AtomicU32::new(u32::MAX);

/// A raw bus process: `echo` replies with the payload, `fault` faults with the payload's first byte,
/// `exit` exits with it, `twice` replies twice, `name` replies with argv[0]... and anything else faults.
fn raw_service() {
    loop {
        for e in poll(u64::MAX, 4) {
            let Some(call) = e.as_call() else { continue };
            let payload = read_fd(call.fd);
            let reply = |bytes: &[u8]| {
                // SAFETY: valid buffer.
                unsafe { call_reply(call.cid, call.format, bytes.as_ptr(), bytes.len()) }
            };
            if call.topic_hash == topic_hash(b"echo") {
                // A call its caller closed meanwhile is `already_consumed`; nothing to do then.
                let _ = reply(&payload);
            } else if call.topic_hash == topic_hash(b"fault") {
                // SAFETY: no pointers.
                unsafe { call_fault(call.cid, BusError::from_raw(u32::from(payload[0]))) };
            } else if call.topic_hash == topic_hash(b"exit") {
                // SAFETY: ends the process.
                unsafe { proc_exit(u32::from(payload[0])) };
            } else if call.topic_hash == topic_hash(b"twice") {
                assert_eq!(reply(b"once"), BusError::SUCCESS);
                SECOND_REPLY.store(reply(b"again").raw(), Ordering::SeqCst);
            } else {
                // SAFETY: no pointers.
                unsafe { call_fault(call.cid, BusError::INVALID_TOPIC) };
            }
        }
    }
}

fn open(name: &[u8]) -> Result<Bid, BusError> {
    let mut bid = 0;
    // SAFETY: valid name and out-pointer.
    match unsafe { bus_open_local(name.as_ptr(), name.len(), Bool::FALSE, &mut bid) } {
        BusError::SUCCESS => Ok(bid),
        e => Err(e),
    }
}

fn call(bid: Bid, topic: &[u8], payload: &[u8]) -> Result<Cid, BusError> {
    let mut cid = 0;
    let hash = topic_hash(topic);
    // SAFETY: valid pointers.
    match unsafe { bus_call(bid, &hash, BusDataFormat::RAW, payload.as_ptr(), payload.len(), &mut cid) } {
        BusError::SUCCESS => Ok(cid),
        e => Err(e),
    }
}

/// The next event, waiting up to 10 s.
fn next() -> BusEvent {
    let e = poll(10_000_000_000, 1);
    assert_eq!(e.len(), 1, "no event within 10 s");
    e[0]
}

#[test]
fn results_come_once_each_in_order_and_poll_honours_timeout_and_nevents() {
    let sim = Config::new().program("raw", raw_service).build().unwrap();
    sim.run(|| {
        let bid = open(b"raw").unwrap();
        let cids: Vec<Cid> = (0..5u8).map(|i| call(bid, b"echo", &[i; 3]).unwrap()).collect();
        let mut results = Vec::new();
        while results.len() < 5 {
            let e = next();
            let r = e.as_result().expect("a result");
            results.push((r.cid, read_fd(r.fd)));
        }
        let want: Vec<(Cid, Vec<u8>)> = cids.iter().zip(0u8..).map(|(&c, i)| (c, vec![i; 3])).collect();
        assert_eq!(results, want);
        // Nothing more: a zero timeout returns at once, a short one after it.
        assert!(poll(0, 8).is_empty());
        let t = Instant::now();
        assert!(poll(50_000_000, 8).is_empty());
        assert!(t.elapsed() >= Duration::from_millis(50) && t.elapsed() < Duration::from_secs(5));
        // An empty payload is a payload.
        let cid = call(bid, b"echo", b"").unwrap();
        let r = next().as_result().unwrap();
        assert_eq!((r.cid, read_fd(r.fd)), (cid, vec![]));
    });
}

#[test]
fn faults_exits_and_spent_calls() {
    let sim = Config::new().program("raw", raw_service).build().unwrap();
    sim.run(|| {
        let bid = open(b"raw").unwrap();
        let cid = call(bid, b"fault", &[BusError::ACCESS_DENIED.raw() as u8]).unwrap();
        assert_eq!(next().as_fault().map(|f| (f.cid, f.fault)), Some((cid, BusError::ACCESS_DENIED)));
        let cid = call(bid, b"twice", b"").unwrap();
        let r = next().as_result().unwrap();
        assert_eq!((r.cid, read_fd(r.fd)), (cid, b"once".to_vec()));
        // The bus process records its second reply's result just after the first reply left.
        let deadline = Instant::now() + Duration::from_secs(10);
        while SECOND_REPLY.load(Ordering::SeqCst) == u32::MAX && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(BusError::from_raw(SECOND_REPLY.load(Ordering::SeqCst)), BusError::ALREADY_CONSUMED);
        // Replying to a call this process made, or one it never had.
        let mine = call(bid, b"echo", b"x").unwrap();
        // SAFETY: valid buffer.
        assert_eq!(unsafe { call_reply(mine, BusDataFormat::RAW, b"y".as_ptr(), 1) }, BusError::BAD_REQUEST);
        // SAFETY: valid buffer.
        assert_eq!(unsafe { call_reply(1 << 40, BusDataFormat::RAW, b"y".as_ptr(), 1) }, BusError::INVALID_HANDLE);
        assert!(next().as_result().is_some());
        // Exiting mid-call: the call faults, then one exit event with the code.
        let cid = call(bid, b"exit", &[9]).unwrap();
        assert_eq!(next().as_fault().map(|f| (f.cid, f.fault)), Some((cid, BusError::ABORTED)));
        assert_eq!(next().as_exit().map(|x| (x.bid, x.rval)), Some((bid, 9)));
        assert!(poll(0, 8).is_empty(), "exactly one exit");
        assert_eq!(call(bid, b"echo", b"").unwrap_err(), BusError::ABORTED);
        // SAFETY: no pointers.
        assert_eq!(unsafe { bus_close(bid) }, BusError::SUCCESS);
        // SAFETY: no pointers.
        assert_eq!(unsafe { bus_close(bid) }, BusError::INVALID_HANDLE);
    });
}

#[test]
fn bad_input_is_a_listed_bus_error() {
    let sim = Config::new().program("raw", raw_service).host_programs(true).build().unwrap();
    sim.run(|| {
        let mut bid = 0;
        let mut cid = 0;
        let mut n = 0;
        let mut events = [BusEvent::default(); 2];
        let hash = topic_hash(b"echo");
        assert_eq!(open(b"nope").unwrap_err(), BusError::INVALID_WAPM);
        assert_eq!(open(b"").unwrap_err(), BusError::BAD_REQUEST);
        assert_eq!(open(b"/bin/sh").unwrap_err(), BusError::INVALID_ABI);
        // SAFETY: each call gets valid pointers except the one under test (null with a length).
        unsafe {
            assert_eq!(bus_open_local(std::ptr::null(), 3, Bool::FALSE, &mut bid), BusError::MEMORY_ACCESS_VIOLATION);
            assert_eq!(
                bus_open_local(b"raw".as_ptr(), 3, Bool::FALSE, std::ptr::null_mut()),
                BusError::MEMORY_ACCESS_VIOLATION
            );
            assert_eq!(bus_open_local(b"raw".as_ptr(), 3, Bool::from_raw(7), &mut bid), BusError::BAD_REQUEST);
            assert_eq!(
                bus_call(12345, &hash, BusDataFormat::RAW, b"x".as_ptr(), 1, &mut cid),
                BusError::INVALID_HANDLE
            );
            assert_eq!(bus_poll(0, events.as_mut_ptr(), 0, &mut n), BusError::BAD_REQUEST);
            assert_eq!(bus_poll(0, std::ptr::null_mut(), 2, &mut n), BusError::MEMORY_ACCESS_VIOLATION);
            assert_eq!(bus_poll(0, events.as_mut_ptr(), 2, std::ptr::null_mut()), BusError::MEMORY_ACCESS_VIOLATION);
            assert_eq!(
                bus_subcall(999, &hash, BusDataFormat::RAW, b"x".as_ptr(), 1, &mut cid),
                BusError::INVALID_HANDLE
            );
            assert_eq!(bus_close(4242), BusError::INVALID_HANDLE);
            // Unknown cids are ignored by the calls that cannot report.
            call_fault(4242, BusError::ABORTED);
            call_close(4242);
        }
        let bid = open(b"raw").unwrap();
        let big = vec![0u8; (64 << 20) + 1];
        // SAFETY: as above.
        unsafe {
            assert_eq!(
                bus_call(bid, std::ptr::null(), BusDataFormat::RAW, b"x".as_ptr(), 1, &mut cid),
                BusError::MEMORY_ACCESS_VIOLATION
            );
            assert_eq!(
                bus_call(bid, &hash, BusDataFormat::from_raw(99), b"x".as_ptr(), 1, &mut cid),
                BusError::BAD_REQUEST
            );
            assert_eq!(
                bus_call(bid, &hash, BusDataFormat::RAW, std::ptr::null(), 1, &mut cid),
                BusError::MEMORY_ACCESS_VIOLATION
            );
            assert_eq!(
                bus_call(bid, &hash, BusDataFormat::RAW, big.as_ptr(), big.len(), &mut cid),
                BusError::BAD_REQUEST
            );
            assert_eq!(
                bus_call(bid, &hash, BusDataFormat::RAW, b"x".as_ptr(), 1, std::ptr::null_mut()),
                BusError::MEMORY_ACCESS_VIOLATION
            );
        }
        // A call closed by its caller: no event for it, ever; a topic the process does not know faults.
        let cid = call(bid, b"echo", b"late").unwrap();
        // SAFETY: no pointers.
        unsafe { call_close(cid) };
        let other = call(bid, b"unknown", b"").unwrap();
        assert_eq!(next().as_fault().map(|f| (f.cid, f.fault)), Some((other, BusError::INVALID_TOPIC)));
        assert!(poll(20_000_000, 2).is_empty());
        // Closing the handle with a call in flight: that call ends with exactly one event, its result (if
        // it came first) or a close.
        let cid = call(bid, b"echo", b"x").unwrap();
        // SAFETY: no pointers.
        assert_eq!(unsafe { bus_close(bid) }, BusError::SUCCESS);
        let events = poll(50_000_000, 8);
        assert_eq!(events.len(), 1, "{events:?}");
        match (events[0].as_result(), events[0].as_close()) {
            (Some(r), None) => assert_eq!((r.cid, read_fd(r.fd)), (cid, b"x".to_vec())),
            (None, Some(c)) => assert_eq!(c.cid, cid),
            _ => panic!("{:?}", events[0]),
        }
        assert!(poll(20_000_000, 8).is_empty());
    });
}

/// The server side of [`the_remote_bus_crosses_host_processes_and_a_wrong_token_is_refused`], run in a
/// second host process (this binary, with `WASIX_BUS_PEER` set): serves `raw` with token `secret`,
/// prints its address and lives until its stdin closes. Without the variable it returns at once.
#[test]
fn remote_peer() {
    if std::env::var_os("WASIX_BUS_PEER").is_none() {
        return;
    }
    let sim = Config::new().program("raw", raw_service).build().unwrap();
    let server = sim.serve_bus("127.0.0.1:0", "secret").unwrap();
    println!("LISTENING {}", server.local_addr());
    let _ = std::io::stdin().read_line(&mut String::new());
}

#[test]
fn the_remote_bus_crosses_host_processes_and_a_wrong_token_is_refused() {
    let mut peer = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "remote_peer", "--nocapture", "--test-threads=1"])
        .env("WASIX_BUS_PEER", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(peer.stdout.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .take(50)
        .map_while(Result::ok)
        // libtest prints the test's name on the same line first.
        .find_map(|l| l.split_once("LISTENING ").map(|(_, a)| a.trim().to_owned()))
        .expect("the peer's address");
    let sim = Config::new().build().unwrap();
    sim.run(|| {
        let remote = |name: &[u8], token: &[u8]| {
            let mut bid = 0;
            // SAFETY: valid strings and out-pointer.
            let e = unsafe {
                bus_open_remote(
                    name.as_ptr(),
                    name.len(),
                    Bool::FALSE,
                    addr.as_ptr(),
                    addr.len(),
                    token.as_ptr(),
                    token.len(),
                    &mut bid,
                )
            };
            if e == BusError::SUCCESS {
                Ok(bid)
            } else {
                Err(e)
            }
        };
        assert_eq!(remote(b"raw", b"wrong").unwrap_err(), BusError::ACCESS_DENIED);
        assert_eq!(remote(b"nope", b"secret").unwrap_err(), BusError::INVALID_WAPM);
        let bid = remote(b"raw", b"secret").unwrap();
        let cid = call(bid, b"echo", b"across").unwrap();
        let r = next().as_result().unwrap();
        assert_eq!((r.cid, read_fd(r.fd)), (cid, b"across".to_vec()));
        let cid = call(bid, b"fault", &[BusError::BAD_REQUEST.raw() as u8]).unwrap();
        assert_eq!(next().as_fault().map(|f| (f.cid, f.fault)), Some((cid, BusError::BAD_REQUEST)));
        // Payloads larger than the sockets' buffers, both ways at once.
        let big: Vec<u8> = (0..12u32 << 20).map(|i| i as u8).collect();
        let cids: Vec<Cid> = (0..2).map(|_| call(bid, b"echo", &big).unwrap()).collect();
        for want in cids {
            let r = next().as_result().unwrap();
            assert_eq!(r.cid, want);
            assert!(read_fd(r.fd) == big, "the payload came back changed");
        }
        let cid = call(bid, b"exit", &[5]).unwrap();
        assert_eq!(next().as_fault().map(|f| (f.cid, f.fault)), Some((cid, BusError::ABORTED)));
        assert_eq!(next().as_exit().map(|x| (x.bid, x.rval)), Some((bid, 5)));
        // Not a socket address; a port nothing listens on.
        let mut bid = 0;
        // SAFETY: valid strings and out-pointer.
        unsafe {
            assert_eq!(
                bus_open_remote(b"raw".as_ptr(), 3, Bool::FALSE, b"nowhere".as_ptr(), 7, b"".as_ptr(), 0, &mut bid),
                BusError::BAD_REQUEST
            );
            assert_eq!(
                bus_open_remote(
                    b"raw".as_ptr(),
                    3,
                    Bool::FALSE,
                    b"192.0.2.1:1".as_ptr(),
                    11,
                    b"".as_ptr(),
                    0,
                    &mut bid
                ),
                BusError::ACCESS_DENIED
            );
        }
    });
    drop(peer.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    while peer.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if peer.try_wait().unwrap().is_none() {
        let _ = peer.kill();
    }
    let _ = peer.wait();
}
