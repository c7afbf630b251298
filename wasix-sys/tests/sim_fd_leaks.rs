//! Concurrent `path_open`/`fd_dup`/`fd_renumber`/`fd_close` (and pipes and events) from several threads
//! of one instance: every call succeeds, no host fd leaks (the host's `/proc/self/fd` has as many entries
//! after as before) and none is closed twice (a double close would fail another thread's call, or trip
//! std's debug check of owned fds).
//!
//! Its own test binary: counting the process's host fds needs no other test running meanwhile.

#![cfg(target_os = "linux")] // `/proc/self/fd`.

mod common;

use common::*;
use wasix_sys::*;

fn host_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn concurrent_fd_table_changes_leak_nothing() {
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
