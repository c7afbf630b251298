//! Concurrent `path_open`/`fd_dup`/`fd_renumber`/`fd_close` (and pipes and events) from several threads
//! of one instance: every call succeeds, no host fd leaks (the host's `/proc/self/fd` has as many entries
//! after as before) and none is closed twice (a double close would fail another thread's call, or trip
//! std's debug check of owned fds). Sockets too: opened, accepted, duplicated and closed, in every state.
//!
//! Its own test binary: counting the process's host fds needs no other test running meanwhile (its tests
//! take [`COUNTING`] in turn).

#![cfg(target_os = "linux")] // `/proc/self/fd`.

mod common;

use common::net::*;
use common::*;
use std::sync::Mutex;
use wasix_sys::*;

/// Held by each test while it counts host fds.
static COUNTING: Mutex<()> = Mutex::new(());

fn host_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn concurrent_fd_table_changes_leak_nothing() {
    let _counting = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
    let (_tmp, sim) = sandbox();
    sim.run(|| close(open(ROOT, "f", Oflags::CREAT).unwrap()).unwrap());
    let before = host_fds();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let sim = sim.clone();
            s.spawn(move || {
                sim.run(|| {
                    // Each thread renumbers onto fds of its own, so no thread closes another's fds.
                    for i in 0..400u32 {
                        let fd = open(ROOT, "f", Oflags::empty()).unwrap();
                        let target = open(ROOT, "f", Oflags::empty()).unwrap();
                        let mut dup = 0;
                        // SAFETY: valid out-pointer.
                        ok(unsafe { fd_dup(fd, &mut dup) }).unwrap();
                        // SAFETY: no pointers.
                        ok(unsafe { fd_renumber(dup, target) }).unwrap();
                        write(target, b"x").unwrap();
                        close(fd).unwrap();
                        close(target).unwrap();
                        if i % 10 == 0 {
                            let (a, b) = pipe();
                            let e = event(1, Eventfdflags::empty());
                            // SAFETY: no pointers.
                            ok(unsafe { fd_renumber(e, b) }).unwrap();
                            close(a).unwrap();
                            close(b).unwrap();
                        }
                    }
                });
            });
        }
    });
    assert_eq!(host_fds(), before, "host fds leaked");
}

#[test]
fn sockets_leak_nothing() {
    let _counting = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
    let sim = wasix_sys::sim::Config::new().build().unwrap();
    let before = host_fds();
    sim.run(|| {
        for i in 0..50u16 {
            let v6 = i % 2 == 1;
            let (c, s) = tcp_pair(v6);
            let mut dup = 0;
            // SAFETY: valid out-pointer.
            ok(unsafe { fd_dup(c, &mut dup) }).unwrap();
            let (u, listening, unbound) = (udp(v6), tcp(v6), tcp(v6));
            bind(u, lo(v6, 0)).unwrap();
            listen(listening, 4).unwrap();
            // A connection accepted by no one, and a failed one.
            let pending = tcp(v6);
            connect(pending, local(listening).unwrap()).unwrap();
            let refused = tcp(v6);
            assert_eq!(connect(refused, local(u).unwrap()), Err(Errno::CONNREFUSED));
            assert_eq!(sock_open_fails(), Errno::AFNOSUPPORT);
            for fd in [c, s, dup, u, listening, unbound, pending, refused] {
                close(fd).unwrap();
            }
        }
    });
    drop(sim);
    assert_eq!(host_fds(), before, "host fds leaked");
}

/// A `sock_open` that fails after its arguments were read.
fn sock_open_fails() -> Errno {
    let mut fd = 0;
    // SAFETY: valid out-pointer.
    unsafe { sock_open(AddressFamily::UNIX, SockType::SOCKET_STREAM, SockProto::IP, &mut fd) }
}

/// fuzz `net`, `http_request("http://[::1]:1/", "--")` left open: an exchange kept a duplicate of its
/// body pair's worker end after the body ended, one host fd more than the guest's three fds. Once the
/// body ends (here: `request` closed) and the request has failed to connect, the request holds at most one
/// host fd for each of its two remaining fds (none until something needs its pair: here a poll), and
/// none once they are closed.
#[test]
fn an_http_request_holds_one_host_fd_per_fd_once_its_body_ends() {
    let _counting = COUNTING.lock().unwrap_or_else(|e| e.into_inner());
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let before = host_fds();
        let (url, method) = (b"http://[::1]:1/", b"--");
        let mut h = HttpHandles { request: 0, response: 0, headers: 0 };
        // SAFETY: valid strings with their lengths and a valid out-pointer.
        let e = unsafe {
            http_request(url.as_ptr(), url.len(), method.as_ptr(), method.len(), b"".as_ptr(), 0, Bool::FALSE, &mut h)
        };
        assert_eq!(e, Errno::SUCCESS);
        close(h.request).unwrap();
        // The request is sent (and fails to connect) when its status is asked for.
        let mut st = HttpStatus { ok: Bool::FALSE, redirected: Bool::FALSE, size: 0, status: 0 };
        // SAFETY: a valid out-pointer.
        assert_eq!(unsafe { http_status(h.response, &mut st) }, Errno::CONNREFUSED);
        assert!(host_fds() <= before + 2, "{} host fds for the request's two open fds", host_fds() - before);
        // Polling both makes their pairs, whose other ends are closed at once (nothing will come).
        for fd in [h.response, h.headers] {
            let sub = Subscription {
                userdata: 0,
                u: SubscriptionU::fd_read(SubscriptionFdReadwrite { file_descriptor: fd }),
            };
            let mut ev = std::mem::MaybeUninit::<Event>::zeroed();
            let mut n = 0;
            // SAFETY: one subscription, room for one event, a valid out-pointer.
            assert_eq!(unsafe { poll_oneoff(&sub, ev.as_mut_ptr(), 1, &mut n) }, Errno::SUCCESS);
        }
        assert_eq!(host_fds(), before + 2, "the two polled fds hold one host fd each");
        close(h.response).unwrap();
        close(h.headers).unwrap();
        assert_eq!(host_fds(), before);
    });
}
